/**
 * Stored files and the two signed routes of §8: `/rest/download.json?token=…` serves bytes and
 * `/rest/upload.json?token=…` takes the multipart POST of a two-step upload.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RestError } from './errors.js';
import { parseBody, readBody, UploadedFile } from './request.js';
import { randomHex } from './secrets.js';
import type { Sender } from './server.js';
import type { AuthContext } from './methods/types.js';
import { bump, type EmulatorStats } from './stats.js';

type UploadHandler = (file: { name: string; type: string; bytes: Buffer }) => unknown;

export class FileStore {
  private readonly key = randomHex(32);
  private readonly uploads = new Map<string, UploadHandler>();

  constructor(
    private readonly db: Database.Database,
    private readonly baseUrl: () => string,
    private readonly stats: EmulatorStats,
    private readonly maxBodyBytes: number,
  ) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS b_file (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT, TYPE TEXT, BYTES BLOB)`,
    );
  }

  save(name: string, bytes: Buffer, type = 'application/octet-stream'): number {
    return Number(
      this.db.prepare(`INSERT INTO b_file (NAME, TYPE, BYTES) VALUES (?, ?, ?)`).run(name, type, bytes).lastInsertRowid,
    );
  }

  read(id: number): { name: string; type: string; bytes: Buffer } | undefined {
    const row = this.db.prepare(`SELECT NAME, TYPE, BYTES FROM b_file WHERE ID = ?`).get(id) as
      | { NAME: string; TYPE: string; BYTES: Buffer }
      | undefined;
    return row && { name: row.NAME, type: row.TYPE, bytes: row.BYTES };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('hex').slice(0, 32);
  }

  private token(kind: string, payload: string): string {
    const body = `${kind}|${Buffer.from(payload).toString('base64url')}`;
    return `disk|${body}|${this.sign(body)}`;
  }

  private verify(token: string): { kind: string; payload: string } | undefined {
    const m = /^disk\|([a-z]+)\|([A-Za-z0-9_-]*)\|([0-9a-f]{32})$/.exec(token);
    if (!m) return undefined;
    const body = `${m[1]}|${m[2]}`;
    const want = Buffer.from(this.sign(body));
    if (!timingSafeEqual(want, Buffer.from(m[3]!))) return undefined;
    return { kind: m[1]!, payload: Buffer.from(m[2]!, 'base64url').toString() };
  }

  /** The link carries auth in the query like the portal's; the signature is what is checked. */
  downloadUrl(fileId: number, auth: AuthContext): string {
    const q = new URLSearchParams({ auth: auth.accessToken ?? '', token: this.token('download', String(fileId)) });
    return `${this.baseUrl()}/rest/download.json?${q}`;
  }

  uploadUrl(auth: AuthContext, onUpload: UploadHandler): string {
    const id = randomHex(8);
    this.uploads.set(id, onUpload);
    const q = new URLSearchParams({ auth: auth.accessToken ?? '', token: this.token('upload', id) });
    return `${this.baseUrl()}/rest/upload.json?${q}`;
  }

  /** Handles the two file routes; false for anything else. */
  async route(req: IncomingMessage, res: ServerResponse, url: URL, send: Sender): Promise<boolean> {
    const path = url.pathname.replace(/\/$/, '');
    if (
      path !== '/rest/download.json' &&
      path !== '/rest/upload.json' &&
      path !== '/rest/download' &&
      path !== '/rest/upload'
    )
      return false;
    const t = this.verify(url.searchParams.get('token') ?? '');
    const isDownload = path.startsWith('/rest/download');
    if (!t || t.kind !== (isDownload ? 'download' : 'upload')) {
      send(res, 401, new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401).toBody());
      return true;
    }
    if (isDownload) {
      const file = this.read(Number(t.payload));
      if (!file) {
        send(res, 404, { error: 'ERROR_NOT_FOUND', error_description: 'File not found' });
        return true;
      }
      bump(this.stats.byStatus, '200');
      res.writeHead(200, {
        'Content-Type': file.type || 'application/octet-stream',
        'Content-Length': file.bytes.length,
        'Content-Disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
      });
      res.end(file.bytes);
      return true;
    }
    const onUpload = this.uploads.get(t.payload);
    if (!onUpload) {
      send(res, 400, { error: 'ERROR_ARGUMENT', error_description: 'Upload link was already used' });
      return true;
    }
    const body = await parseBody(await readBody(req, this.maxBodyBytes), req.headers['content-type']);
    const part = body.params['file'];
    if (!(part instanceof UploadedFile)) {
      send(res, 400, { error: 'ERROR_ARGUMENT', error_description: 'Expected a multipart file part named "file"' });
      return true;
    }
    this.uploads.delete(t.payload);
    try {
      const result = onUpload({ name: part.name, type: part.type, bytes: part.bytes });
      send(res, 200, { result });
    } catch (err) {
      const e = err instanceof RestError ? err : new RestError('ERROR_COULD_NOT_SAVE_FILE', 'Could not save file', 400);
      send(res, e.status, e.toBody());
    }
    return true;
  }
}

/** Decodes the inline file forms of §8.1: `[name, base64]`, `{fileData: [...]}`, bare base64, a multipart part. */
export function decodeInlineFile(v: unknown): { name: string; bytes: Buffer; type?: string } | undefined {
  if (v instanceof UploadedFile) return { name: v.name, bytes: v.bytes, type: v.type };
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'fileData' in v)
    return decodeInlineFile((v as { fileData: unknown }).fileData);
  let name: string | undefined;
  let content: unknown = v;
  if (Array.isArray(v)) {
    name = typeof v[0] === 'string' ? v[0] : undefined;
    content = v[1];
  }
  if (typeof content !== 'string' || content === '' || content === 'false') return undefined;
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(content))
    throw new RestError('ERROR_ARGUMENT', 'File content is not valid base64', 400);
  return { name: name || randomHex(16), bytes: Buffer.from(content, 'base64') };
}
