import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, get, start } from '../helpers.js';

let emu: Emulator;
let url: string;
beforeAll(async () => {
  emu = await start();
  url = emu.webhookUrl;
});
afterAll(() => emu?.close());

/** Calls, expects success and the documented response shape; returns `result`. */
async function ok(method: string, params: Record<string, unknown> = {}, optional: string[] = []): Promise<any> {
  const r = await call(url, method, params);
  expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(200);
  const example = documented(method)?.responseExample;
  expect(example, `${method} has a documented example`).toBeDefined();
  expect(shapeDifferences(r.body, example, { checkTime: true, optional }), method).toEqual([]);
  return r.body.result;
}
async function fails(method: string, params: Record<string, unknown>, code: string) {
  const r = await call(url, method, params);
  expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
  expect(r.body.error).toBe(code);
  return r.body;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('disk.storage.*', () => {
  it("lists the shared storage and the caller's own, gets, types, fields", async () => {
    const list = await ok('disk.storage.getList');
    expect(list.map((s: any) => s.ENTITY_TYPE).sort()).toEqual(['common', 'user']);
    const mine = list.find((s: any) => s.ENTITY_TYPE === 'user');
    expect(mine.ENTITY_ID).toBe('1');
    const filtered = await ok('disk.storage.getList', { filter: { ENTITY_TYPE: 'common' } });
    expect(filtered).toHaveLength(1);
    expect((await ok('disk.storage.get', { id: mine.ID })).ROOT_OBJECT_ID).toBe(mine.ROOT_OBJECT_ID);
    expect(await ok('disk.storage.getTypes')).toEqual(['user', 'common', 'group']);
    expect((await ok('disk.storage.getFields')).ENTITY_TYPE.USE_IN_FILTER).toBe(true);
    await fails('disk.storage.get', { id: 999 }, 'ERROR_NOT_FOUND');
    await fails('disk.storage.get', { id: 'x' }, 'ERROR_ARGUMENT');
  });

  it('getForApp needs an application; rename works only on the app storage', async () => {
    await fails('disk.storage.getForApp', {}, 'ACCESS_DENIED');
    const accessToken = emu.issueTokens().access_token;
    const appCall = (m: string, p: object = {}) => call(`${emu.baseUrl}/rest/`, m, { ...p, auth: accessToken });
    const r = await appCall('disk.storage.getForApp');
    expect(r.status).toBe(200);
    expect(shapeDifferences(r.body, documented('disk.storage.getForApp')!.responseExample)).toEqual([]);
    expect(r.body.result.ENTITY_TYPE).toBe('restapp');
    const again = await appCall('disk.storage.getForApp');
    expect(again.body.result.ID).toBe(r.body.result.ID);
    const renamed = await appCall('disk.storage.rename', { id: r.body.result.ID, newName: 'App files' });
    expect(shapeDifferences(renamed.body, documented('disk.storage.rename')!.responseExample)).toEqual([]);
    expect((await ok('disk.storage.get', { id: r.body.result.ID })).NAME).toBe('App files');
    await fails('disk.storage.rename', { id: 1, newName: 'X' }, 'ACCESS_DENIED');
  });

  it('addFolder, uploadFile and getChildren on a storage root', async () => {
    const f = await ok('disk.storage.addFolder', { id: 1, data: { NAME: 'Reports' } });
    expect(f).toMatchObject({ NAME: 'Reports', TYPE: 'folder', PARENT_ID: '1', STORAGE_ID: '1' });
    expect(typeof f.ID).toBe('number');
    await fails('disk.storage.addFolder', { id: 1, data: { NAME: 'Reports' } }, 'DISK_OBJ_22000');
    await fails('disk.storage.addFolder', { id: 1 }, 'ERROR_ARGUMENT');
    const file = await ok('disk.storage.uploadFile', {
      id: 1,
      data: { NAME: 'root.txt' },
      fileContent: ['x.txt', b64('root bytes')],
    });
    expect(file).toMatchObject({ NAME: 'root.txt', SIZE: '10', PARENT_ID: '1' });
    const kids = await ok('disk.storage.getChildren', { id: 1 });
    expect(kids.map((k: any) => k.NAME)).toEqual(expect.arrayContaining(['Reports', 'root.txt']));
    const onlyFolders = await ok('disk.storage.getChildren', { id: 1, filter: { TYPE: 'folder' } });
    expect(onlyFolders.every((k: any) => k.TYPE === 'folder')).toBe(true);
  });
});

describe('disk.folder.*', () => {
  it('builds a tree, copies it deeply, moves, renames', async () => {
    const a = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'A' } });
    const b = await ok('disk.folder.addSubFolder', { id: a.ID, data: { NAME: 'B' } });
    const f = await ok('disk.folder.uploadFile', {
      id: b.ID,
      data: { NAME: 'deep.txt' },
      fileContent: ['deep.txt', b64('deep')],
    });
    const got = await ok('disk.folder.get', { id: b.ID });
    expect(got).toMatchObject({ ID: String(b.ID), NAME: 'B', PARENT_ID: String(a.ID), DELETED_TYPE: '0' });
    expect(got.DETAIL_URL).toMatch(/\/A\/B$/);

    const target = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Target' } });
    const copy = await ok('disk.folder.copyTo', { id: a.ID, targetFolderId: target.ID });
    expect(copy).toMatchObject({ NAME: 'A', PARENT_ID: String(target.ID) });
    expect(copy.ID).not.toBe(a.ID);
    const [copyB] = await ok('disk.folder.getChildren', { id: copy.ID });
    // The docs' first child is a folder; files have no REAL_OBJECT_ID.
    const [copyFile] = await ok('disk.folder.getChildren', { id: copyB.ID }, ['result.0.REAL_OBJECT_ID']);
    expect(copyFile.NAME).toBe('deep.txt');
    expect(copyFile.FILE_ID).not.toBe(String(f.FILE_ID));
    expect(await (await fetch(copyFile.DOWNLOAD_URL)).text()).toBe('deep');
    await fails('disk.folder.copyTo', { id: a.ID, targetFolderId: target.ID }, 'DISK_OBJ_22000');
    await fails('disk.folder.copyTo', { id: a.ID, targetFolderId: b.ID }, 'ERROR_ARGUMENT');

    const renamed = await ok('disk.folder.rename', { id: copy.ID, newName: 'A copy' });
    expect(renamed.NAME).toBe('A copy');
    const moved = await ok('disk.folder.moveTo', { id: renamed.ID, targetFolderId: a.ID });
    expect(moved.PARENT_ID).toBe(a.ID);
    await fails('disk.folder.moveTo', { id: a.ID, targetFolderId: b.ID }, 'ERROR_ARGUMENT');
    await fails('disk.folder.moveTo', { id: 1, targetFolderId: a.ID }, 'DISK_OBJ_22000');
    await fails('disk.folder.get', { id: f.ID }, 'ERROR_NOT_FOUND');
  });

  it('markDeleted hides the subtree, restore brings it back, deleteTree removes it', async () => {
    const top = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Trash me' } });
    const inner = await ok('disk.folder.uploadFile', {
      id: top.ID,
      data: { NAME: 'in.txt' },
      fileContent: ['in.txt', b64('in')],
    });
    const del = await ok('disk.folder.markDeleted', { id: top.ID });
    expect(del.DELETED_TYPE).toBe(3);
    expect(del.DELETE_TIME).not.toBeNull();
    expect((await ok('disk.folder.getChildren', { id: 1 })).some((k: any) => k.ID === String(top.ID))).toBe(false);
    expect((await ok('disk.file.get', { id: inner.ID })).DELETED_TYPE).toBe('4');
    const back = await ok('disk.folder.restore', { id: top.ID });
    expect(back.DELETED_TYPE).toBe(0);
    expect((await ok('disk.file.get', { id: inner.ID })).DELETED_TYPE).toBe('0');
    await fails('disk.folder.markDeleted', { id: 1 }, 'DISK_OBJ_22000');
    expect(await ok('disk.folder.deleteTree', { id: top.ID })).toBe(true);
    await fails('disk.folder.get', { id: top.ID }, 'ERROR_NOT_FOUND');
    await fails('disk.file.get', { id: inner.ID }, 'ERROR_NOT_FOUND');
    await fails('disk.folder.deleteTree', { id: 1 }, 'DISK_OBJ_22000');
  });

  it('getExternalLink is stable; getFields describes folders; children page by 50', async () => {
    const f = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Many' } });
    const link = await ok('disk.folder.getExternalLink', { id: f.ID });
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/~\w+$/);
    expect(await ok('disk.folder.getExternalLink', { id: f.ID })).toBe(link);
    expect((await ok('disk.folder.getFields')).DELETED_TYPE.TYPE).toBe('enum');
    for (let i = 0; i < 55; i++)
      await call(url, 'disk.folder.addSubFolder', { id: f.ID, data: { NAME: `n${String(i).padStart(2, '0')}` } });
    const p1 = await call(url, 'disk.folder.getChildren', { id: f.ID, order: { NAME: 'DESC' } });
    expect(p1.body).toMatchObject({ total: 55, next: 50 });
    expect(p1.body.result[0].NAME).toBe('n54');
    const p2 = await call(url, 'disk.folder.getChildren', { id: f.ID, order: { NAME: 'DESC' }, start: 50 });
    expect(p2.body.result.map((r: any) => r.NAME)).toEqual(['n04', 'n03', 'n02', 'n01', 'n00']);
    expect(p2.body.next).toBeUndefined();
    const like = await call(url, 'disk.folder.getChildren', { id: f.ID, filter: { '%NAME': 'n1' } });
    expect(like.body.total).toBe(10);
  });

  it('two-step upload: the uploadUrl takes a multipart file, the result is a stored file', async () => {
    const folder = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Two-step' } });
    const step1 = await call(url, 'disk.folder.uploadFile', { id: folder.ID, data: { NAME: 'named.bin' } });
    expect(step1.body.result).toMatchObject({
      field: 'file',
      uploadUrl: expect.stringContaining('/rest/upload.json?'),
    });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([9, 8, 7])]), 'original.bin');
    const up = (await (await fetch(step1.body.result.uploadUrl, { method: 'POST', body: form })).json()) as any;
    expect(up.result).toMatchObject({ NAME: 'named.bin', SIZE: '3', PARENT_ID: String(folder.ID) });
    const dl = await get(up.result.DOWNLOAD_URL);
    expect(dl.status).toBe(200);
  });
});

describe('disk.file.*', () => {
  it('copy, move, rename, version, trash, restore with a unique name, delete', async () => {
    const src = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Src' } });
    const dst = await ok('disk.folder.addSubFolder', { id: 1, data: { NAME: 'Dst' } });
    const file = await ok('disk.folder.uploadFile', {
      id: src.ID,
      data: { NAME: 'doc.txt' },
      fileContent: ['doc.txt', b64('v1')],
    });
    const got = await ok('disk.file.get', { id: file.ID });
    expect(got).toMatchObject({ ID: String(file.ID), NAME: 'doc.txt', GLOBAL_CONTENT_VERSION: '1' });

    const copy = await ok('disk.file.copyTo', { id: file.ID, targetFolderId: dst.ID });
    expect(copy).toMatchObject({ NAME: 'doc.txt', PARENT_ID: String(dst.ID) });
    await fails('disk.file.moveTo', { id: file.ID, targetFolderId: dst.ID }, 'DISK_OBJ_22000');
    const renamed = await ok('disk.file.rename', { id: copy.ID, newName: 'copy.txt' });
    expect(renamed.NAME).toBe('copy.txt');
    await fails('disk.file.rename', { id: copy.ID, newName: '' }, 'ERROR_ARGUMENT');
    const moved = await ok('disk.file.moveTo', { id: file.ID, targetFolderId: dst.ID });
    expect(moved.PARENT_ID).toBe(dst.ID);
    expect(await ok('disk.folder.getChildren', { id: src.ID })).toEqual([]);

    const v2 = await ok('disk.file.uploadVersion', { id: file.ID, fileContent: ['doc.txt', b64('version two')] });
    expect(v2).toMatchObject({ GLOBAL_CONTENT_VERSION: 2, SIZE: '11' });
    expect(await (await fetch(v2.DOWNLOAD_URL)).text()).toBe('version two');

    const trashed = await ok('disk.file.markDeleted', { id: file.ID });
    expect(trashed.DELETED_TYPE).toBe('3');
    // A new file takes the name while the old one is in the trash; restoring renames the old one.
    await ok('disk.folder.uploadFile', { id: dst.ID, data: { NAME: 'doc.txt' }, fileContent: ['doc.txt', b64('new')] });
    const restored = await ok('disk.file.restore', { id: file.ID });
    expect(restored).toMatchObject({ DELETED_TYPE: 0, NAME: 'doc (1).txt' });

    const link = await ok('disk.file.getExternalLink', { id: file.ID });
    expect(link).toContain('/~');
    expect((await ok('disk.file.getFields')).FILE_ID.TYPE).toBe('integer');
    expect(await ok('disk.file.delete', { id: file.ID })).toBe(true);
    await fails('disk.file.get', { id: file.ID }, 'ERROR_NOT_FOUND');
    await fails('disk.file.get', { id: src.ID }, 'ERROR_NOT_FOUND');
    await fails('disk.file.copyTo', { id: copy.ID, targetFolderId: 99999 }, 'ERROR_NOT_FOUND');
  });
});

describe('fileContent errors', () => {
  it('names an empty, malformed or JSON-serialized Buffer content', async () => {
    const empty = await fails(
      'disk.folder.uploadFile',
      { id: 1, data: { NAME: 'e.txt' }, fileContent: ['e.txt', ''] },
      'ERROR_ARGUMENT',
    );
    expect(empty.error_description).toBe('fileContent is empty');
    const buf = await fails(
      'disk.folder.uploadFile',
      { id: 1, data: { NAME: 'b.bin' }, fileContent: ['b.bin', Buffer.from('xy')] },
      'ERROR_ARGUMENT',
    );
    expect(buf.error_description).toContain('JSON-serialized Buffer');
    const file = await ok('disk.folder.uploadFile', {
      id: 1,
      data: { NAME: 'v.txt' },
      fileContent: ['v.txt', b64('v')],
    });
    const notB64 = await fails(
      'disk.file.uploadVersion',
      { id: file.ID, fileContent: ['x', 'not base64!'] },
      'ERROR_ARGUMENT',
    );
    expect(notB64.error_description).toContain('base64');
  });
});
