/**
 * Drive (`disk.storage.*`, `disk.folder.*`, `disk.file.*`): storages, each with a root folder,
 * and a tree of folders and files. Objects can be copied, moved, renamed, put in the trash
 * (`markDeleted`, DELETED_TYPE 3, its subtree 4) and restored, or deleted for good. Uploads take
 * an inline `fileContent` or the two-step `uploadUrl` (§8.2); `DOWNLOAD_URL` serves the bytes (§8.3).
 *
 * Wire typing follows the docs' samples, which differ by method: rows read back from the database
 * carry every number as a string; objects the call has just created carry some numbers as JSON
 * numbers (ID, FILE_ID, ...). Each method lists its numeric keys (`NUMERIC`).
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { decodeInlineFile } from '../files.js';
import { param } from '../params.js';
import { randomHex } from '../secrets.js';
import type { EntityDef } from './entity.js';
import { buildOrder, buildWhere } from './listQuery.js';
import type { AuthContext, CallContext, Domain, MethodResult } from './types.js';
import { offsetAnswer, readStart } from '../paging.js';

type Row = Record<string, unknown>;

/** The shared storage and its root folder exist from the start (ids 1 and 1). */
const COMMON_STORAGE_ID = 1;
const COMMON_ROOT_ID = 1;

const DELETED_NONE = 0;
/** The object itself was put in the trash. */
const DELETED_SELF = 3;
/** The object is in the trash because an ancestor folder is. */
const DELETED_CHILD = 4;

/** Filterable columns, so `filter`/`order` reuse the generic list-query builder. */
const objectDef: EntityDef = {
  name: 'disk.object',
  table: 'disk_object',
  idField: 'ID',
  wire: 'legacy',
  fields: {
    NAME: { type: 'string' },
    TYPE: { type: 'string' },
    CODE: { type: 'string' },
    STORAGE_ID: { type: 'integer' },
    PARENT_ID: { type: 'integer' },
    CREATE_TIME: { type: 'datetime' },
    UPDATE_TIME: { type: 'datetime' },
    DELETE_TIME: { type: 'datetime' },
    DELETED_TYPE: { type: 'integer' },
    CREATED_BY: { type: 'integer' },
  },
};
const storageDef: EntityDef = {
  name: 'disk.storage',
  table: 'disk_storage',
  idField: 'ID',
  wire: 'legacy',
  fields: {
    NAME: { type: 'string' },
    CODE: { type: 'string' },
    ENTITY_TYPE: { type: 'string' },
    ENTITY_ID: { type: 'string' },
  },
};

const field = (TYPE: string, USE_IN_FILTER: boolean) => ({ TYPE, USE_IN_FILTER, USE_IN_SHOW: true });
const OBJECT_FIELDS = {
  ID: field('integer', true),
  NAME: field('string', true),
  TYPE: field('enum', true),
  CODE: field('string', true),
  STORAGE_ID: field('integer', true),
  PARENT_ID: field('integer', true),
  CREATE_TIME: field('datetime', true),
  UPDATE_TIME: field('datetime', true),
  DELETE_TIME: field('datetime', true),
  CREATED_BY: field('integer', false),
  UPDATED_BY: field('integer', false),
  DELETED_BY: field('integer', false),
};
const FOLDER_FIELDS = { ...OBJECT_FIELDS, REAL_OBJECT_ID: field('integer', false), DELETED_TYPE: field('enum', true) };
const FILE_FIELDS = {
  ...OBJECT_FIELDS,
  GLOBAL_CONTENT_VERSION: field('integer', false),
  FILE_ID: field('integer', false),
  SIZE: field('integer', false),
  DELETED_TYPE: field('enum', true),
};
const STORAGE_FIELDS = {
  ID: field('integer', true),
  NAME: field('string', true),
  CODE: field('string', true),
  MODULE_ID: field('string', false),
  ENTITY_TYPE: field('string', true),
  ENTITY_ID: field('string', true),
  ROOT_OBJECT_ID: field('integer', false),
};

/** Keys sent as JSON numbers, per kind of answer (from the docs' samples). */
const NUMERIC = {
  read: [] as string[],
  created: ['ID', 'REAL_OBJECT_ID', 'DELETED_TYPE', 'GLOBAL_CONTENT_VERSION', 'FILE_ID'],
  moved: ['PARENT_ID'],
  deletedType: ['DELETED_TYPE'],
  version: ['GLOBAL_CONTENT_VERSION'],
} as const;
type WireKind = keyof typeof NUMERIC;

const notFound = (id: unknown) =>
  new RestError('ERROR_NOT_FOUND', `Could not find entity with id \`${String(id)}\``, 400);
const badParam = (n: number) => new RestError('ERROR_ARGUMENT', `Invalid value of parameter {Parameter #${n}}`, 400);
const nameTaken = (type: string) =>
  new RestError('DISK_OBJ_22000', `A ${type === 'folder' ? 'folder' : 'file'} with this name already exists`, 400);

/**
 * The inline file of `fileContent`, or a clear error. A Buffer serialized as JSON
 * (`{type: 'Buffer', data: [...]}`) is named as such: it is the usual mistake.
 */
function inlineFile(content: unknown): { name: string; bytes: Buffer; type?: string } {
  const file = decodeInlineFile(content);
  if (file) return file;
  const inner = Array.isArray(content) ? content[1] : content;
  const what =
    inner !== null && typeof inner === 'object' && (inner as { type?: unknown }).type === 'Buffer'
      ? 'a JSON-serialized Buffer; send the bytes as base64'
      : content === undefined ||
          content === '' ||
          (Array.isArray(content) && (content[1] === undefined || content[1] === ''))
        ? 'empty'
        : `not [name, base64] (got ${Array.isArray(content) ? 'a list' : typeof content})`;
  throw new RestError('ERROR_ARGUMENT', `fileContent is ${what}`, 400, { argument: 'fileContent' });
}

const truthy = (v: unknown) => v === true || v === 1 || ['1', 'true', 'Y', 'y'].includes(String(v ?? ''));

export const diskDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  db.exec(`CREATE TABLE IF NOT EXISTS disk_storage (
    ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL, CODE TEXT, MODULE_ID TEXT NOT NULL,
    ENTITY_TYPE TEXT NOT NULL, ENTITY_ID TEXT NOT NULL, ROOT_OBJECT_ID INTEGER)`);
  db.exec(`CREATE TABLE IF NOT EXISTS disk_object (
    ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL, CODE TEXT, TYPE TEXT NOT NULL, PARENT_ID INTEGER,
    STORAGE_ID INTEGER NOT NULL, FILE_ID INTEGER, SIZE INTEGER, GLOBAL_CONTENT_VERSION INTEGER,
    DELETED_TYPE INTEGER NOT NULL DEFAULT 0, CREATE_TIME TEXT, UPDATE_TIME TEXT, DELETE_TIME TEXT,
    CREATED_BY INTEGER, UPDATED_BY INTEGER, DELETED_BY INTEGER, EXTERNAL_LINK TEXT)`);

  const now = () => isoDateTime(portal.clock.now());
  const getObject = (id: number): Row | undefined =>
    db.prepare(`SELECT * FROM disk_object WHERE ID = ?`).get(id) as Row | undefined;
  const getStorage = (id: number): Row | undefined =>
    db.prepare(`SELECT * FROM disk_storage WHERE ID = ?`).get(id) as Row | undefined;

  /** A storage and its root folder; the root's id becomes ROOT_OBJECT_ID. */
  const createStorage = (
    name: string,
    entityType: string,
    entityId: string,
    userId: number,
    ids?: { storage: number; root: number },
  ): Row => {
    const t = now();
    const sid = Number(
      db
        .prepare(`INSERT INTO disk_storage (ID, NAME, MODULE_ID, ENTITY_TYPE, ENTITY_ID) VALUES (?, ?, 'disk', ?, ?)`)
        .run(ids?.storage ?? null, name, entityType, entityId).lastInsertRowid,
    );
    const rid = Number(
      db
        .prepare(`INSERT INTO disk_object (ID, NAME, TYPE, PARENT_ID, STORAGE_ID, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
          VALUES (?, ?, 'folder', NULL, ?, ?, ?, ?, ?)`)
        .run(ids?.root ?? null, name, sid, t, t, userId, userId).lastInsertRowid,
    );
    db.prepare(`UPDATE disk_storage SET ROOT_OBJECT_ID = ? WHERE ID = ?`).run(rid, sid);
    return getStorage(sid)!;
  };
  if (!getStorage(COMMON_STORAGE_ID)) {
    createStorage('Shared drive', 'common', 'shared_files_s1', 1, { storage: COMMON_STORAGE_ID, root: COMMON_ROOT_ID });
  }

  /** Every user has a personal drive; it is made the first time the user touches Drive. */
  const userStorage = (userId: number): Row => {
    const found = db
      .prepare(`SELECT * FROM disk_storage WHERE ENTITY_TYPE = 'user' AND ENTITY_ID = ?`)
      .get(String(userId)) as Row | undefined;
    return found ?? createStorage(`User ${userId}`, 'user', String(userId), userId);
  };

  const storageWire = (s: Row): Row => ({
    ID: String(s['ID']),
    NAME: s['NAME'],
    CODE: s['CODE'] ?? null,
    MODULE_ID: s['MODULE_ID'],
    ENTITY_TYPE: s['ENTITY_TYPE'],
    ENTITY_ID: String(s['ENTITY_ID']),
    ROOT_OBJECT_ID: String(s['ROOT_OBJECT_ID']),
  });

  /** Names from the storage root down to the object (the root itself is not part of the path). */
  const pathOf = (row: Row): string => {
    const names: string[] = [];
    for (let cur: Row | undefined = row; cur && cur['PARENT_ID'] !== null; cur = getObject(Number(cur['PARENT_ID'])))
      names.unshift(String(cur['NAME']));
    return names.join('/');
  };
  const detailUrl = (row: Row): string => {
    const s = getStorage(Number(row['STORAGE_ID']));
    const base =
      s?.['ENTITY_TYPE'] === 'user'
        ? `/company/personal/user/${String(s['ENTITY_ID'])}/disk`
        : s?.['ENTITY_TYPE'] === 'group'
          ? `/workgroups/group/${String(s['ENTITY_ID'])}/disk`
          : '/docs';
    return `${portal.baseUrl}${base}/${row['TYPE'] === 'file' ? 'file' : 'path'}/${pathOf(row)}`;
  };

  const toWire = (row: Row, auth: AuthContext, kind: WireKind = 'read'): Row => {
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const isFile = row['TYPE'] === 'file';
    const out: Row = {
      ID: String(row['ID']),
      NAME: row['NAME'],
      CODE: row['CODE'] ?? null,
      STORAGE_ID: String(row['STORAGE_ID']),
      TYPE: row['TYPE'],
      ...(isFile ? {} : { REAL_OBJECT_ID: String(row['ID']) }),
      PARENT_ID: str(row['PARENT_ID']),
      DELETED_TYPE: String(row['DELETED_TYPE']),
      ...(isFile
        ? {
            GLOBAL_CONTENT_VERSION: String(row['GLOBAL_CONTENT_VERSION'] ?? 1),
            FILE_ID: str(row['FILE_ID']),
            SIZE: String(row['SIZE'] ?? 0),
          }
        : {}),
      CREATE_TIME: row['CREATE_TIME'],
      UPDATE_TIME: row['UPDATE_TIME'],
      DELETE_TIME: row['DELETE_TIME'] ?? null,
      CREATED_BY: String(row['CREATED_BY']),
      UPDATED_BY: String(row['UPDATED_BY']),
      // Read back, "never deleted" is "0"; a freshly made object has no value yet (docs' samples).
      DELETED_BY:
        row['DELETED_BY'] !== null && row['DELETED_BY'] !== undefined
          ? String(row['DELETED_BY'])
          : kind === 'created'
            ? null
            : '0',
      ...(isFile ? { DOWNLOAD_URL: row['FILE_ID'] ? portal.downloadUrl(Number(row['FILE_ID']), auth) : null } : {}),
      DETAIL_URL: detailUrl(row),
    };
    for (const k of NUMERIC[kind]) if (typeof out[k] === 'string') out[k] = Number(out[k]);
    return out;
  };

  const readId = (ctx: CallContext, name = 'id', position = 0): number => {
    const raw = param(ctx.params, name);
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw badParam(position);
    return n;
  };
  const objectOf = (id: number, type: 'file' | 'folder'): Row => {
    const row = getObject(id);
    if (!row || row['TYPE'] !== type) throw notFound(id);
    return row;
  };
  const storageById = (id: number): Row => {
    const s = getStorage(id);
    if (!s) throw notFound(id);
    return s;
  };

  /** A live (not trashed) sibling with this name, other than `exceptId`. */
  const nameInUse = (parentId: number, name: string, exceptId = 0) =>
    !!db
      .prepare(`SELECT 1 FROM disk_object WHERE PARENT_ID = ? AND NAME = ? AND DELETED_TYPE = 0 AND ID <> ?`)
      .get(parentId, name, exceptId);
  const uniqueName = (parentId: number, name: string, exceptId = 0) => {
    const dot = name.lastIndexOf('.');
    let candidate = name;
    for (let i = 1; nameInUse(parentId, candidate, exceptId); i++)
      candidate = dot > 0 ? `${name.slice(0, dot)} (${i})${name.slice(dot)}` : `${name} (${i})`;
    return candidate;
  };
  const requireName = (raw: unknown, position: number): string => {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw badParam(position);
    const name = String(raw).trim();
    if (name === '') throw new RestError('ERROR_ARGUMENT', 'Empty name', 400);
    if (/[\\/]/.test(name)) throw new RestError('ERROR_ARGUMENT', `Name contains a forbidden character: ${name}`, 400);
    return name;
  };
  const dataName = (ctx: CallContext): string => {
    const data = param(ctx.params, 'data');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw badParam(1);
    const name = param(data as Row, 'NAME');
    if (name === undefined || name === '')
      throw new RestError('DISK_BASE_SERVICE_22001', 'Error: required parameter NAME (DISK_BASE_SERVICE_22001)', 400);
    return requireName(name, 1);
  };

  const addFolder = (parent: Row, name: string, userId: number): Row => {
    if (nameInUse(Number(parent['ID']), name)) throw nameTaken('folder');
    const t = now();
    const id = db
      .prepare(`INSERT INTO disk_object (NAME, TYPE, PARENT_ID, STORAGE_ID, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
        VALUES (?, 'folder', ?, ?, ?, ?, ?, ?)`)
      .run(name, parent['ID'], parent['STORAGE_ID'], t, t, userId, userId).lastInsertRowid;
    return getObject(Number(id))!;
  };

  const storeFile = (
    folder: Row,
    name: string,
    bytes: Buffer,
    type: string | undefined,
    userId: number,
    unique: boolean,
  ): Row => {
    const parentId = Number(folder['ID']);
    let finalName = name;
    if (nameInUse(parentId, name)) {
      if (!unique) throw nameTaken('file');
      finalName = uniqueName(parentId, name);
    }
    const fileId = portal.saveFile(finalName, bytes, type);
    const t = now();
    const id = db
      .prepare(`INSERT INTO disk_object (NAME, TYPE, PARENT_ID, STORAGE_ID, FILE_ID, SIZE, GLOBAL_CONTENT_VERSION, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
        VALUES (?, 'file', ?, ?, ?, ?, 1, ?, ?, ?, ?)`)
      .run(finalName, parentId, folder['STORAGE_ID'], fileId, bytes.length, t, t, userId, userId).lastInsertRowid;
    return getObject(Number(id))!;
  };

  const upload = (ctx: CallContext, folder: Row): MethodResult => {
    if (Number(folder['DELETED_TYPE']) !== DELETED_NONE) throw notFound(folder['ID']);
    const rawData = param(ctx.params, 'data');
    const data = rawData !== null && typeof rawData === 'object' && !Array.isArray(rawData) ? (rawData as Row) : {};
    const given = param(data, 'NAME');
    const unique = truthy(param(ctx.params, 'generateUniqueName'));
    const content = param(ctx.params, 'fileContent');
    const auth = ctx.auth;
    if (content === undefined) {
      // Step one of the two-step upload: a one-time upload link; the POST there stores the file (§8.2).
      const uploadUrl = portal.uploadUrl(auth, (file) => {
        const name = typeof given === 'string' && given !== '' ? given : file.name;
        return toWire(
          storeFile(folder, requireName(name, 1), file.bytes, file.type, auth.userId, unique),
          auth,
          'created',
        );
      });
      return { result: { field: 'file', uploadUrl } };
    }
    const file = inlineFile(content);
    const name = typeof given === 'string' && given !== '' ? given : file.name;
    if (!name)
      throw new RestError('DISK_BASE_SERVICE_22001', 'Error: required parameter NAME (DISK_BASE_SERVICE_22001)', 400);
    return {
      result: toWire(
        storeFile(folder, requireName(name, 1), file.bytes, file.type, auth.userId, unique),
        auth,
        'created',
      ),
    };
  };

  /** Live children of a folder as a legacy list page (50 rows, `start`, `next`, `total`). */
  const children = (ctx: CallContext, folderId: number): MethodResult => {
    const where = buildWhere(objectDef, param(ctx.params, 'filter'));
    const order = buildOrder(objectDef, param(ctx.params, 'order'));
    const page = readStart(ctx);
    const base = `FROM disk_object WHERE PARENT_ID = ? AND DELETED_TYPE = 0 AND (${where.sql})`;
    const rows = db
      .prepare(`SELECT * ${base} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`)
      .all(folderId, ...where.args) as Row[];
    const count = () => (db.prepare(`SELECT COUNT(*) AS c ${base}`).get(folderId, ...where.args) as { c: number }).c;
    return offsetAnswer(
      ctx,
      page,
      rows.map((r) => toWire(r, ctx.auth)),
      count,
    );
  };

  /** Every descendant id of a folder (depth first, the folder excluded). */
  const descendants = (id: number): number[] => {
    const rows = db
      .prepare(`WITH RECURSIVE t(ID) AS (SELECT ID FROM disk_object WHERE PARENT_ID = ? UNION ALL
        SELECT o.ID FROM disk_object o JOIN t ON o.PARENT_ID = t.ID) SELECT ID FROM t`)
      .all(id) as { ID: number }[];
    return rows.map((r) => r.ID);
  };

  const copyInto = (src: Row, target: Row, userId: number): Row => {
    const t = now();
    const name = String(src['NAME']);
    if (nameInUse(Number(target['ID']), name)) throw nameTaken(String(src['TYPE']));
    let fileId: number | null = null;
    if (src['TYPE'] === 'file' && src['FILE_ID']) {
      const bytes = portal.readFile(Number(src['FILE_ID']));
      if (!bytes) throw new RestError('DISK_FILE_22003', 'Could not copy file', 400);
      fileId = portal.saveFile(name, bytes.bytes, bytes.type);
    }
    const id = Number(
      db
        .prepare(`INSERT INTO disk_object (NAME, CODE, TYPE, PARENT_ID, STORAGE_ID, FILE_ID, SIZE, GLOBAL_CONTENT_VERSION, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
          VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          name,
          src['TYPE'],
          target['ID'],
          target['STORAGE_ID'],
          fileId,
          src['SIZE'],
          src['TYPE'] === 'file' ? 1 : null,
          t,
          t,
          userId,
          userId,
        ).lastInsertRowid,
    );
    const copy = getObject(id)!;
    if (src['TYPE'] === 'folder') {
      const kids = db
        .prepare(`SELECT * FROM disk_object WHERE PARENT_ID = ? AND DELETED_TYPE = 0 ORDER BY ID`)
        .all(src['ID']) as Row[];
      for (const kid of kids) copyInto(kid, copy, userId);
    }
    return copy;
  };

  const moveInto = (row: Row, target: Row, userId: number): Row => {
    const id = Number(row['ID']);
    if (row['PARENT_ID'] === null) throw new RestError('DISK_OBJ_22000', 'Could not move root folder', 400);
    if (row['TYPE'] === 'folder' && (Number(target['ID']) === id || descendants(id).includes(Number(target['ID'])))) {
      throw new RestError('ERROR_ARGUMENT', 'Could not move a folder into itself or into one of its subfolders', 400);
    }
    if (nameInUse(Number(target['ID']), String(row['NAME']), id)) throw nameTaken(String(row['TYPE']));
    db.transaction(() => {
      db.prepare(
        `UPDATE disk_object SET PARENT_ID = ?, STORAGE_ID = ?, UPDATE_TIME = ?, UPDATED_BY = ? WHERE ID = ?`,
      ).run(target['ID'], target['STORAGE_ID'], now(), userId, id);
      const sub = descendants(id);
      if (sub.length)
        db.prepare(`UPDATE disk_object SET STORAGE_ID = ? WHERE ID IN (${sub.map(() => '?').join(',')})`).run(
          target['STORAGE_ID'],
          ...sub,
        );
    })();
    return getObject(id)!;
  };

  const rename = (row: Row, raw: unknown, userId: number): Row => {
    const name = requireName(raw, 1);
    const id = Number(row['ID']);
    if (row['PARENT_ID'] !== null && nameInUse(Number(row['PARENT_ID']), name, id))
      throw nameTaken(String(row['TYPE']));
    db.prepare(`UPDATE disk_object SET NAME = ?, UPDATE_TIME = ?, UPDATED_BY = ? WHERE ID = ?`).run(
      name,
      now(),
      userId,
      id,
    );
    return getObject(id)!;
  };

  const markDeleted = (row: Row, userId: number): Row => {
    const id = Number(row['ID']);
    if (row['PARENT_ID'] === null) throw new RestError('DISK_OBJ_22000', 'Could not delete root folder', 400);
    if (Number(row['DELETED_TYPE']) !== DELETED_NONE) return row;
    const t = now();
    db.transaction(() => {
      db.prepare(`UPDATE disk_object SET DELETED_TYPE = ?, DELETE_TIME = ?, DELETED_BY = ? WHERE ID = ?`).run(
        DELETED_SELF,
        t,
        userId,
        id,
      );
      const sub = descendants(id);
      if (sub.length) {
        db.prepare(
          `UPDATE disk_object SET DELETED_TYPE = ?, DELETE_TIME = ?, DELETED_BY = ? WHERE DELETED_TYPE = 0 AND ID IN (${sub.map(() => '?').join(',')})`,
        ).run(DELETED_CHILD, t, userId, ...sub);
      }
    })();
    return getObject(id)!;
  };

  const restore = (row: Row, userId: number): Row => {
    const id = Number(row['ID']);
    if (Number(row['DELETED_TYPE']) === DELETED_NONE) return row;
    // Restoring next to a live namesake keeps both: the restored one gets " (1)" (docs' sample).
    const parentId = Number(row['PARENT_ID']);
    const name = nameInUse(parentId, String(row['NAME']), id)
      ? uniqueName(parentId, String(row['NAME']), id)
      : String(row['NAME']);
    db.transaction(() => {
      db.prepare(`UPDATE disk_object SET DELETED_TYPE = 0, NAME = ?, UPDATE_TIME = ?, UPDATED_BY = ? WHERE ID = ?`).run(
        name,
        now(),
        userId,
        id,
      );
      const sub = descendants(id);
      if (sub.length)
        db.prepare(
          `UPDATE disk_object SET DELETED_TYPE = 0 WHERE DELETED_TYPE = ? AND ID IN (${sub.map(() => '?').join(',')})`,
        ).run(DELETED_CHILD, ...sub);
    })();
    return getObject(id)!;
  };

  const destroy = (row: Row) => {
    const ids = [Number(row['ID']), ...descendants(Number(row['ID']))];
    db.prepare(`DELETE FROM disk_object WHERE ID IN (${ids.map(() => '?').join(',')})`).run(...ids);
  };

  /** A short public link, stable per object (`https://portal/~AbC12`). */
  const externalLink = (row: Row): string => {
    let code = row['EXTERNAL_LINK'] as string | null;
    if (!code) {
      code = randomHex(3);
      db.prepare(`UPDATE disk_object SET EXTERNAL_LINK = ? WHERE ID = ?`).run(code, row['ID']);
    }
    return `${portal.baseUrl}/~${code}`;
  };

  const m = (name: string, handler: (ctx: CallContext) => MethodResult) => api.method({ name, scope: 'disk', handler });
  const targetFolder = (ctx: CallContext): Row => {
    const t = objectOf(readId(ctx, 'targetFolderId', 1), 'folder');
    if (Number(t['DELETED_TYPE']) !== DELETED_NONE) throw notFound(t['ID']);
    return t;
  };

  // ---- storages ----
  m('disk.storage.getTypes', () => ({ result: ['user', 'common', 'group'] }));
  m('disk.storage.getFields', () => ({ result: STORAGE_FIELDS }));
  m('disk.storage.getList', (ctx) => {
    userStorage(ctx.auth.userId);
    const where = buildWhere(storageDef, param(ctx.params, 'filter'));
    const order = buildOrder(storageDef, param(ctx.params, 'order'));
    const page = readStart(ctx);
    const rows = db
      .prepare(
        `SELECT * FROM disk_storage WHERE ${where.sql} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`,
      )
      .all(...where.args) as Row[];
    const count = () =>
      (db.prepare(`SELECT COUNT(*) AS c FROM disk_storage WHERE ${where.sql}`).get(...where.args) as { c: number }).c;
    return offsetAnswer(ctx, page, rows.map(storageWire), count);
  });
  m('disk.storage.getForApp', (ctx) => {
    if (ctx.auth.type !== 'oauth' || !ctx.auth.clientId)
      throw new RestError('ACCESS_DENIED', 'Access denied! Application context required', 403);
    const found = db
      .prepare(`SELECT * FROM disk_storage WHERE ENTITY_TYPE = 'restapp' AND ENTITY_ID = ?`)
      .get(ctx.auth.clientId) as Row | undefined;
    return {
      result: storageWire(found ?? createStorage(ctx.auth.clientId, 'restapp', ctx.auth.clientId, ctx.auth.userId)),
    };
  });
  m('disk.storage.get', (ctx) => ({ result: storageWire(storageById(readId(ctx))) }));
  m('disk.storage.rename', (ctx) => {
    const s = storageById(readId(ctx));
    // Only an application's own storage can be renamed through REST.
    if (s['ENTITY_TYPE'] !== 'restapp')
      throw new RestError('ACCESS_DENIED', 'Access denied (invalid type of storage)', 403);
    const name = requireName(param(ctx.params, 'newName'), 1);
    db.prepare(`UPDATE disk_storage SET NAME = ? WHERE ID = ?`).run(name, s['ID']);
    return { result: storageWire(getStorage(Number(s['ID']))!) };
  });
  m('disk.storage.getChildren', (ctx) => children(ctx, Number(storageById(readId(ctx))['ROOT_OBJECT_ID'])));
  m('disk.storage.addFolder', (ctx) => {
    const s = storageById(readId(ctx));
    return {
      result: toWire(
        addFolder(getObject(Number(s['ROOT_OBJECT_ID']))!, dataName(ctx), ctx.auth.userId),
        ctx.auth,
        'created',
      ),
    };
  });
  m('disk.storage.uploadFile', (ctx) => upload(ctx, getObject(Number(storageById(readId(ctx))['ROOT_OBJECT_ID']))!));

  // ---- folders ----
  m('disk.folder.getFields', () => ({ result: FOLDER_FIELDS }));
  m('disk.folder.get', (ctx) => ({ result: toWire(objectOf(readId(ctx), 'folder'), ctx.auth) }));
  m('disk.folder.getChildren', (ctx) => children(ctx, Number(objectOf(readId(ctx), 'folder')['ID'])));
  m('disk.folder.addSubFolder', (ctx) => {
    const parent = objectOf(readId(ctx), 'folder');
    if (Number(parent['DELETED_TYPE']) !== DELETED_NONE) throw notFound(parent['ID']);
    return { result: toWire(addFolder(parent, dataName(ctx), ctx.auth.userId), ctx.auth, 'created') };
  });
  m('disk.folder.copyTo', (ctx) => {
    const src = objectOf(readId(ctx), 'folder');
    const target = targetFolder(ctx);
    if (Number(target['ID']) === Number(src['ID']) || descendants(Number(src['ID'])).includes(Number(target['ID']))) {
      throw new RestError('ERROR_ARGUMENT', 'Could not copy a folder into itself or into one of its subfolders', 400);
    }
    return { result: toWire(db.transaction(() => copyInto(src, target, ctx.auth.userId))(), ctx.auth, 'created') };
  });
  m('disk.folder.moveTo', (ctx) => ({
    result: toWire(moveInto(objectOf(readId(ctx), 'folder'), targetFolder(ctx), ctx.auth.userId), ctx.auth, 'moved'),
  }));
  m('disk.folder.rename', (ctx) => ({
    result: toWire(rename(objectOf(readId(ctx), 'folder'), param(ctx.params, 'newName'), ctx.auth.userId), ctx.auth),
  }));
  m('disk.folder.markDeleted', (ctx) => ({
    result: toWire(markDeleted(objectOf(readId(ctx), 'folder'), ctx.auth.userId), ctx.auth, 'deletedType'),
  }));
  m('disk.folder.restore', (ctx) => ({
    result: toWire(restore(objectOf(readId(ctx), 'folder'), ctx.auth.userId), ctx.auth, 'deletedType'),
  }));
  m('disk.folder.deleteTree', (ctx) => {
    const row = objectOf(readId(ctx), 'folder');
    if (row['PARENT_ID'] === null) throw new RestError('DISK_OBJ_22000', 'Could not delete root folder', 400);
    destroy(row);
    return { result: true };
  });
  m('disk.folder.getExternalLink', (ctx) => ({ result: externalLink(objectOf(readId(ctx), 'folder')) }));
  m('disk.folder.uploadFile', (ctx) => upload(ctx, objectOf(readId(ctx), 'folder')));

  // ---- files ----
  m('disk.file.getFields', () => ({ result: FILE_FIELDS }));
  m('disk.file.get', (ctx) => ({ result: toWire(objectOf(readId(ctx), 'file'), ctx.auth) }));
  m('disk.file.delete', (ctx) => {
    destroy(objectOf(readId(ctx), 'file'));
    return { result: true };
  });
  m('disk.file.getExternalLink', (ctx) => ({ result: externalLink(objectOf(readId(ctx), 'file')) }));
  m('disk.file.markDeleted', (ctx) => ({
    result: toWire(markDeleted(objectOf(readId(ctx), 'file'), ctx.auth.userId), ctx.auth),
  }));
  m('disk.file.restore', (ctx) => ({
    result: toWire(restore(objectOf(readId(ctx), 'file'), ctx.auth.userId), ctx.auth, 'deletedType'),
  }));
  m('disk.file.copyTo', (ctx) => {
    const src = objectOf(readId(ctx), 'file');
    return { result: toWire(copyInto(src, targetFolder(ctx), ctx.auth.userId), ctx.auth, 'created') };
  });
  m('disk.file.moveTo', (ctx) => ({
    result: toWire(moveInto(objectOf(readId(ctx), 'file'), targetFolder(ctx), ctx.auth.userId), ctx.auth, 'moved'),
  }));
  m('disk.file.rename', (ctx) => ({
    result: toWire(rename(objectOf(readId(ctx), 'file'), param(ctx.params, 'newName'), ctx.auth.userId), ctx.auth),
  }));
  m('disk.file.uploadVersion', (ctx) => {
    const row = objectOf(readId(ctx), 'file');
    const file = inlineFile(param(ctx.params, 'fileContent'));
    const fileId = portal.saveFile(String(row['NAME']), file.bytes, file.type);
    db.prepare(
      `UPDATE disk_object SET FILE_ID = ?, SIZE = ?, GLOBAL_CONTENT_VERSION = GLOBAL_CONTENT_VERSION + 1, UPDATE_TIME = ?, UPDATED_BY = ? WHERE ID = ?`,
    ).run(fileId, file.bytes.length, now(), ctx.auth.userId, row['ID']);
    return { result: toWire(getObject(Number(row['ID']))!, ctx.auth, 'version') };
  });
};
