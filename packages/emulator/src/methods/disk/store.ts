/**
 * The drive store: storages (each with a root folder) and the tree of folders and files, with
 * the trash (DELETED_TYPE 3 for the object put there, 4 for its subtree), copies, moves,
 * renames, stored bytes and external links; the wire shape of its rows; and every SQL statement
 * of the domain. Method handlers live in ./methods.ts.
 *
 * Wire typing follows the docs' samples, which differ by method: rows read back from the database
 * carry every number as a string; objects the call has just created carry some numbers as JSON
 * numbers (ID, FILE_ID, ...). Each method lists its numeric keys (`NUMERIC`).
 */
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import { decodeInlineFile } from '../../files.js';
import type { OffsetPage } from '../../paging.js';
import { randomHex } from '../../secrets.js';
import type { EntityDef } from '../entity.js';
import type { SqlPart } from '../listQuery.js';
import type { AuthContext, Portal } from '../types.js';
export type Row = Record<string, unknown>;

/** The shared storage and its root folder exist from the start (ids 1 and 1). */
export const COMMON_STORAGE_ID = 1;
export const COMMON_ROOT_ID = 1;

export const DELETED_NONE = 0;
/** The object itself was put in the trash. */
export const DELETED_SELF = 3;
/** The object is in the trash because an ancestor folder is. */
export const DELETED_CHILD = 4;

/** Filterable columns, so `filter`/`order` reuse the generic list-query builder. */
export const objectDef: EntityDef = {
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
export const storageDef: EntityDef = {
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
export const OBJECT_FIELDS = {
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
export const FOLDER_FIELDS = {
  ...OBJECT_FIELDS,
  REAL_OBJECT_ID: field('integer', false),
  DELETED_TYPE: field('enum', true),
};
export const FILE_FIELDS = {
  ...OBJECT_FIELDS,
  GLOBAL_CONTENT_VERSION: field('integer', false),
  FILE_ID: field('integer', false),
  SIZE: field('integer', false),
  DELETED_TYPE: field('enum', true),
};
export const STORAGE_FIELDS = {
  ID: field('integer', true),
  NAME: field('string', true),
  CODE: field('string', true),
  MODULE_ID: field('string', false),
  ENTITY_TYPE: field('string', true),
  ENTITY_ID: field('string', true),
  ROOT_OBJECT_ID: field('integer', false),
};

/** Keys sent as JSON numbers, per kind of answer (from the docs' samples). */
export const NUMERIC = {
  read: [] as string[],
  created: ['ID', 'REAL_OBJECT_ID', 'DELETED_TYPE', 'GLOBAL_CONTENT_VERSION', 'FILE_ID'],
  moved: ['PARENT_ID'],
  deletedType: ['DELETED_TYPE'],
  version: ['GLOBAL_CONTENT_VERSION'],
} as const;
export type WireKind = keyof typeof NUMERIC;

export const notFound = (id: unknown) =>
  new RestError('ERROR_NOT_FOUND', `Could not find entity with id \`${String(id)}\``, 400);
export const badParam = (n: number) =>
  new RestError('ERROR_ARGUMENT', `Invalid value of parameter {Parameter #${n}}`, 400);
export const nameTaken = (type: string) =>
  new RestError('DISK_OBJ_22000', `A ${type === 'folder' ? 'folder' : 'file'} with this name already exists`, 400);

/**
 * The inline file of `fileContent`, or a clear error. A Buffer serialized as JSON
 * (`{type: 'Buffer', data: [...]}`) is named as such: it is the usual mistake.
 */
export function inlineFile(content: unknown): { name: string; bytes: Buffer; type?: string } {
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

export const truthy = (v: unknown) => v === true || v === 1 || ['1', 'true', 'Y', 'y'].includes(String(v ?? ''));

/** The drive's tables and operations over the portal's database. */
export function createDiskStore(portal: Portal) {
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

  /** Live children of a folder, one page, in the caller's order. */
  const listChildren = (folderId: number, where: SqlPart, order: string, page: OffsetPage): Row[] =>
    db
      .prepare(
        `SELECT * FROM disk_object WHERE PARENT_ID = ? AND DELETED_TYPE = 0 AND (${where.sql}) ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`,
      )
      .all(folderId, ...where.args) as Row[];
  const countChildren = (folderId: number, where: SqlPart): number =>
    (
      db
        .prepare(`SELECT COUNT(*) AS c FROM disk_object WHERE PARENT_ID = ? AND DELETED_TYPE = 0 AND (${where.sql})`)
        .get(folderId, ...where.args) as { c: number }
    ).c;

  const listStorages = (where: SqlPart, order: string, page: OffsetPage): Row[] =>
    db
      .prepare(
        `SELECT * FROM disk_storage WHERE ${where.sql} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`,
      )
      .all(...where.args) as Row[];
  const countStorages = (where: SqlPart): number =>
    (db.prepare(`SELECT COUNT(*) AS c FROM disk_storage WHERE ${where.sql}`).get(...where.args) as { c: number }).c;

  /** An application's own storage, made on first use. */
  const appStorage = (clientId: string, userId: number): Row => {
    const found = db
      .prepare(`SELECT * FROM disk_storage WHERE ENTITY_TYPE = 'restapp' AND ENTITY_ID = ?`)
      .get(clientId) as Row | undefined;
    return found ?? createStorage(clientId, 'restapp', clientId, userId);
  };

  const renameStorage = (id: number, name: string): Row => {
    db.prepare(`UPDATE disk_storage SET NAME = ? WHERE ID = ?`).run(name, id);
    return getStorage(id)!;
  };

  /** A new version of a file's bytes. */
  const uploadVersion = (row: Row, bytes: Buffer, type: string | undefined, userId: number): Row => {
    const fileId = portal.saveFile(String(row['NAME']), bytes, type);
    db.prepare(
      `UPDATE disk_object SET FILE_ID = ?, SIZE = ?, GLOBAL_CONTENT_VERSION = GLOBAL_CONTENT_VERSION + 1, UPDATE_TIME = ?, UPDATED_BY = ? WHERE ID = ?`,
    ).run(fileId, bytes.length, now(), userId, row['ID']);
    return getObject(Number(row['ID']))!;
  };

  /** Runs `fn` in one transaction. */
  const transaction = <T>(fn: () => T): T => db.transaction(fn)();

  return {
    now,
    getObject,
    getStorage,
    createStorage,
    userStorage,
    storageWire,
    toWire,
    objectOf,
    storageById,
    nameInUse,
    uniqueName,
    requireName,
    addFolder,
    storeFile,
    descendants,
    copyInto,
    moveInto,
    rename,
    markDeleted,
    restore,
    destroy,
    externalLink,
    listChildren,
    countChildren,
    listStorages,
    countStorages,
    appStorage,
    renameStorage,
    uploadVersion,
    transaction,
  };
}

export type DiskStore = ReturnType<typeof createDiskStore>;
