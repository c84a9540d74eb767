/**
 * Drive methods (`disk.storage.*`, `disk.folder.*`, `disk.file.*`) over the drive store
 * (./store.ts). Uploads take an inline `fileContent` or the two-step `uploadUrl` (§8.2);
 * `DOWNLOAD_URL` serves the bytes (§8.3).
 */
import { errors, RestError } from '../../errors.js';
import { offsetAnswer, readStart } from '../../paging.js';
import { param } from '../../params.js';
import { buildOrder, buildWhere } from '../listQuery.js';
import type { CallContext, DomainApi, MethodResult } from '../types.js';
import {
  badParam,
  DELETED_NONE,
  type DiskStore,
  FILE_FIELDS,
  FOLDER_FIELDS,
  inlineFile,
  notFound,
  objectDef,
  type Row,
  STORAGE_FIELDS,
  storageDef,
  truthy,
} from './store.js';

export function registerDiskMethods(api: DomainApi, store: DiskStore): void {
  const { portal } = api;
  const {
    getObject,
    userStorage,
    storageWire,
    toWire,
    objectOf,
    storageById,
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
  } = store;

  const readId = (ctx: CallContext, name = 'id', position = 0): number => {
    const raw = param(ctx.params, name);
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw badParam(position);
    return n;
  };
  const dataName = (ctx: CallContext): string => {
    const data = param(ctx.params, 'data');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw badParam(1);
    const name = param(data as Row, 'NAME');
    if (name === undefined || name === '')
      throw new RestError('DISK_BASE_SERVICE_22001', 'Error: required parameter NAME (DISK_BASE_SERVICE_22001)', 400);
    return requireName(name, 1);
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
    const rows = store.listChildren(folderId, where, order, page);
    return offsetAnswer(
      ctx,
      page,
      rows.map((r) => toWire(r, ctx.auth)),
      () => store.countChildren(folderId, where),
    );
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
    const rows = store.listStorages(where, order, page);
    return offsetAnswer(ctx, page, rows.map(storageWire), () => store.countStorages(where));
  });
  /** The calling application's client id; a webhook gets the docs' ACCESS_DENIED. */
  const appOf = (ctx: CallContext): string => {
    if (ctx.auth.type !== 'oauth' || !ctx.auth.clientId) throw errors.accessDenied('Application context required');
    return ctx.auth.clientId;
  };
  m('disk.storage.getForApp', (ctx) => ({ result: storageWire(store.appStorage(appOf(ctx), ctx.auth.userId)) }));
  m('disk.storage.get', (ctx) => ({ result: storageWire(storageById(readId(ctx))) }));
  m('disk.storage.rename', (ctx) => {
    // The page: the method works only in an application's context and renames its storage
    // (https://apidocs.bitrix24.com/api-reference/disk/storage/disk-storage-rename.html); the
    // refusal outside one is getForApp's (assumed: the page lists no error for it).
    appOf(ctx);
    const s = storageById(readId(ctx));
    // Only an application's own storage can be renamed through REST.
    if (s['ENTITY_TYPE'] !== 'restapp')
      throw new RestError('ACCESS_DENIED', 'Access denied (invalid type of storage)', 403);
    const name = requireName(param(ctx.params, 'newName'), 1);
    return { result: storageWire(store.renameStorage(Number(s['ID']), name)) };
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
    return {
      result: toWire(
        store.transaction(() => copyInto(src, target, ctx.auth.userId)),
        ctx.auth,
        'created',
      ),
    };
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
    return { result: toWire(store.uploadVersion(row, file.bytes, file.type, ctx.auth.userId), ctx.auth, 'version') };
  });
}
