import {
  closeSync,
  constants,
  createWriteStream,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { UsageError } from './io.js';

/**
 * Files that b24 writes on request (`--out`): exports and token sets. They may hold personal
 * data or tokens, so:
 * - a new file is created with mode 0600 (the umask may only narrow it);
 * - a symbolic link is never followed (O_NOFOLLOW): a link planted at the path cannot send
 *   the data elsewhere;
 * - an existing file readable by others (e.g. 0644) is narrowed to 0600, and the caller is
 *   told so, rather than its mode being kept silently.
 * Where the platform has no O_NOFOLLOW (Windows) the flag is 0 and links there need admin rights.
 */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface SecureFile {
  readonly fd: number;
  /** Set when an existing file's mode was narrowed: what to tell the user. */
  readonly note?: string;
}

export function openPrivate(path: string, flag = '--out', truncate = true): SecureFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | (truncate ? constants.O_TRUNC : 0) | NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP')
      throw new UsageError(
        `${flag} ${path} is a symbolic link; b24 does not follow links there (name the target itself)`,
      );
    throw new UsageError(`cannot write ${flag} ${path}${code ? ` (${code})` : ''}`);
  }
  const stat = fstatSync(fd);
  if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    const was = (stat.mode & 0o777).toString(8).padStart(4, '0');
    try {
      fchmodSync(fd, 0o600);
      return { fd, note: `b24: ${path} had mode ${was}, readable by others; it is now 0600` };
    } catch {
      return { fd, note: `b24: ${path} has mode ${was}, readable by others, and could not be narrowed to 0600` };
    }
  }
  return { fd };
}

/** A stream over a private file (see openPrivate). */
export function privateStream(path: string, stderr: NodeJS.WritableStream, flag = '--out'): NodeJS.WritableStream {
  const file = openPrivate(path, flag);
  if (file.note) stderr.write(`${file.note}\n`);
  return createWriteStream(path, { fd: file.fd });
}

/**
 * A private file for a token set, opened (and checked) before the tokens are fetched, so a bad
 * path fails before a refresh token is spent; its old content stays until write() replaces it,
 * and a file this created is removed again by discard().
 */
export function preparePrivateFile(path: string, stderr: NodeJS.WritableStream, flag = '--out') {
  const existed = existsSync(path);
  const file = openPrivate(path, flag, false);
  if (file.note) stderr.write(`${file.note}\n`);
  return {
    write(text: string): void {
      try {
        ftruncateSync(file.fd, 0);
        writeSync(file.fd, text, 0);
      } finally {
        closeSync(file.fd);
      }
    },
    discard(): void {
      closeSync(file.fd);
      if (!existed) rmSync(path, { force: true });
    },
  };
}
