// @ts-check
// Reads the files of an npm package tarball (.tgz) into memory.
// Hand-written rather than a dependency: npm and pnpm write plain ustar entries (with the
// ustar prefix field, or a pax `path` record, for long names), and the release checks only
// need the regular files, so this is fifty lines instead of another package to keep. GNU tar's
// long-name entries are read too, so a tarball made with `tar czf` by hand can be checked.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Largest unpacked tarball the checks will read; a package past this is a mistake anyway. */
const MAX_UNPACKED = 256 * 1024 * 1024;

/** @param {Buffer} block @param {number} start @param {number} length */
function text(block, start, length) {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/**
 * @param {string | Buffer} tarball a path or the gzipped bytes
 * @returns {Map<string, Buffer>} path inside the tarball (without the leading `package/`) -> bytes
 */
export function readTarball(tarball) {
  const gz = typeof tarball === 'string' ? readFileSync(tarball) : tarball;
  const tar = gunzipSync(gz, { maxOutputLength: MAX_UNPACKED });
  /** @type {Map<string, Buffer>} */
  const files = new Map();
  let offset = 0;
  /** @type {string | undefined} */
  let paxPath;
  /** @type {string | undefined} */
  let gnuLongName;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`bad tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // pax extended header: "<len> key=value\n" records; only `path` matters here.
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = match?.[1];
      continue;
    }
    if (type === 'L') {
      // GNU tar's long name: the body is the next entry's path
      gnuLongName = text(body, 0, body.length);
      continue;
    }
    if (type !== '0' && type !== '\0') {
      paxPath = gnuLongName = undefined;
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = paxPath ?? gnuLongName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    paxPath = gnuLongName = undefined;
    files.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
  }
  return files;
}
