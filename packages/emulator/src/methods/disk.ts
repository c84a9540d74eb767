/**
 * A minimal Drive: one storage with a root folder, `disk.folder.uploadfile` and
 * `disk.storage.uploadfile` (inline `fileContent` or the two-step `uploadUrl`, §8.2),
 * `disk.file.get`, and `DOWNLOAD_URL` links that serve the stored bytes (§8.3).
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { decodeInlineFile } from '../files.js';
import { param } from '../params.js';
import type { AuthContext, CallContext, Domain, Portal } from './types.js';

const STORAGE_ID = 1;
const ROOT_FOLDER_ID = 1;

export const diskDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  db.exec(`CREATE TABLE IF NOT EXISTS disk_object (
    ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL, TYPE TEXT NOT NULL, PARENT_ID INTEGER,
    STORAGE_ID INTEGER NOT NULL, FILE_ID INTEGER, SIZE INTEGER, CREATE_TIME TEXT, UPDATE_TIME TEXT,
    CREATED_BY INTEGER, UPDATED_BY INTEGER)`);
  const now = isoDateTime(portal.clock.now());
  db.prepare(`INSERT OR IGNORE INTO disk_object (ID, NAME, TYPE, PARENT_ID, STORAGE_ID, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
    VALUES (?, 'Shared files', 'folder', NULL, ?, ?, ?, 1, 1)`).run(ROOT_FOLDER_ID, STORAGE_ID, now, now);

  const toWire = (row: Record<string, unknown>, auth: AuthContext) => ({
    ID: row['ID'],
    NAME: row['NAME'],
    CODE: null,
    STORAGE_ID: String(row['STORAGE_ID']),
    TYPE: row['TYPE'],
    PARENT_ID: row['PARENT_ID'] === null ? null : String(row['PARENT_ID']),
    DELETED_TYPE: 0,
    GLOBAL_CONTENT_VERSION: 1,
    FILE_ID: row['FILE_ID'],
    SIZE: String(row['SIZE'] ?? 0),
    CREATE_TIME: row['CREATE_TIME'],
    UPDATE_TIME: row['UPDATE_TIME'],
    DELETE_TIME: null,
    CREATED_BY: String(row['CREATED_BY']),
    UPDATED_BY: String(row['UPDATED_BY']),
    DELETED_BY: null,
    DOWNLOAD_URL: row['FILE_ID'] ? portal.downloadUrl(Number(row['FILE_ID']), auth) : null,
    DETAIL_URL: `${portal.baseUrl}/disk/file/${encodeURIComponent(String(row['NAME']))}`,
  });

  const store = (p: Portal, parentId: number, storageId: number, name: string, bytes: Buffer, type: string | undefined, userId: number, unique: boolean) => {
    let finalName = name;
    const taken = (n: string) => !!db.prepare(`SELECT 1 FROM disk_object WHERE PARENT_ID = ? AND NAME = ?`).get(parentId, n);
    if (taken(finalName)) {
      if (!unique) throw new RestError('DISK_OBJ_22000', `A file named ${name} already exists in this folder`, 400);
      const dot = name.lastIndexOf('.');
      for (let i = 1; taken(finalName); i++) finalName = dot > 0 ? `${name.slice(0, dot)} (${i})${name.slice(dot)}` : `${name} (${i})`;
    }
    const fileId = p.saveFile(finalName, bytes, type);
    const t = isoDateTime(p.clock.now());
    const id = db
      .prepare(`INSERT INTO disk_object (NAME, TYPE, PARENT_ID, STORAGE_ID, FILE_ID, SIZE, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
        VALUES (?, 'file', ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(finalName, parentId, storageId, fileId, bytes.length, t, t, userId, userId).lastInsertRowid;
    return db.prepare(`SELECT * FROM disk_object WHERE ID = ?`).get(id) as Record<string, unknown>;
  };

  const upload = (ctx: CallContext, folderId: number) => {
    const folder = db.prepare(`SELECT * FROM disk_object WHERE ID = ? AND TYPE = 'folder'`).get(folderId) as Record<string, unknown> | undefined;
    if (!folder) throw new RestError('ERROR_NOT_FOUND', `Could not find entity with id '${folderId}'`, 400);
    const data = (param(ctx.params, 'data') ?? {}) as Record<string, unknown>;
    const unique = ['1', 'true', 'Y'].includes(String(param(ctx.params, 'generateUniqueName') ?? ''));
    const content = param(ctx.params, 'fileContent');
    const storageId = Number(folder['STORAGE_ID']);
    if (content === undefined) {
      // Step one of the two-step upload: hand out a signed upload link (§8.2).
      const auth = ctx.auth;
      const uploadUrl = portal.uploadUrl(auth, (file) => {
        const name = typeof data['NAME'] === 'string' && data['NAME'] !== '' ? data['NAME'] : file.name;
        return toWire(store(portal, folderId, storageId, name, file.bytes, file.type, auth.userId, unique), auth);
      });
      return { result: { field: 'file', uploadUrl } };
    }
    const file = decodeInlineFile(content);
    if (!file) throw new RestError('ERROR_ARGUMENT', 'fileContent is empty', 400, { argument: 'fileContent' });
    const name = typeof data['NAME'] === 'string' && data['NAME'] !== '' ? data['NAME'] : file.name;
    if (!name) throw new RestError('DISK_BASE_SERVICE_22001', 'NAME is required', 400);
    return { result: toWire(store(portal, folderId, storageId, name, file.bytes, file.type, ctx.auth.userId, unique), ctx.auth) };
  };

  const readId = (ctx: CallContext): number => {
    const n = Number(param(ctx.params, 'id'));
    if (!Number.isSafeInteger(n) || n <= 0) throw new RestError('ERROR_ARGUMENT', "Parameter 'id' must be a positive integer", 400, { argument: 'id' });
    return n;
  };

  api.method({ name: 'disk.folder.uploadfile', scope: 'disk', handler: (ctx) => upload(ctx, readId(ctx)) });
  api.method({
    name: 'disk.storage.uploadfile',
    scope: 'disk',
    handler: (ctx) => {
      if (readId(ctx) !== STORAGE_ID) throw new RestError('ERROR_NOT_FOUND', `Could not find entity with id '${readId(ctx)}'`, 400);
      return upload(ctx, ROOT_FOLDER_ID);
    },
  });
  api.method({
    name: 'disk.file.get',
    scope: 'disk',
    handler: (ctx) => {
      const id = readId(ctx);
      const row = db.prepare(`SELECT * FROM disk_object WHERE ID = ? AND TYPE = 'file'`).get(id) as Record<string, unknown> | undefined;
      if (!row) throw new RestError('ERROR_NOT_FOUND', `Could not find entity with id '${id}'`, 400);
      return { result: toWire(row, ctx.auth) };
    },
  });
};
