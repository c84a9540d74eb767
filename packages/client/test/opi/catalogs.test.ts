/**
 * OPI region CatalogsManagement (Drive folders): each function performed with b24kit against
 * the emulator, asserting the effect on the folder tree.
 */
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
});

/** A fresh folder under the shared root. The schema's Folder has every field optional; ID is always there. */
const folder = async (name: string, parent: number | string = 1) => {
  const f = await b24.disk.folder.addSubFolder({ id: parent, data: { NAME: name } });
  return { ...f, ID: f.ID! };
};
const names = async (id: number | string) => (await b24.disk.folder.getChildren({ id })).map((c) => c.NAME);

describe('OPI CatalogsManagement', () => {
  it('GetFolderInformation → disk.folder.get', async () => {
    const f = await folder('Info');
    const got = await b24.disk.folder.get({ id: f.ID });
    expect(got).toMatchObject({ ID: String(f.ID), NAME: 'Info', TYPE: 'folder', PARENT_ID: '1', DELETED_TYPE: '0' });
    await expect(b24.disk.folder.get({ id: 99999 })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
  });

  it('CreateSubfolder → disk.folder.addSubFolder', async () => {
    const parent = await folder('Parent');
    const child = await b24.disk.folder.addSubFolder({ id: parent.ID, data: { NAME: 'Child' } });
    expect(child.PARENT_ID).toBe(String(parent.ID));
    expect(await names(parent.ID)).toEqual(['Child']);
  });

  it('MakeFolderCopy → disk.folder.copyTo', async () => {
    const src = await folder('CopySrc');
    await folder('Inner', src.ID);
    const dst = await folder('CopyDst');
    const copy = await b24.disk.folder.copyTo({ id: src.ID, targetFolderId: dst.ID });
    expect(copy.ID).not.toBe(src.ID);
    expect(await names(dst.ID)).toEqual(['CopySrc']);
    expect(await names(copy.ID!)).toEqual(['Inner']);
    // The source is untouched.
    expect(await names(src.ID)).toEqual(['Inner']);
  });

  it('MoveFolder → disk.folder.moveTo', async () => {
    const f = await folder('Mover');
    const dst = await folder('MoveDst');
    const moved = await b24.disk.folder.moveTo({ id: f.ID, targetFolderId: dst.ID });
    expect(String(moved.PARENT_ID)).toBe(String(dst.ID));
    expect(await names(dst.ID)).toEqual(['Mover']);
    expect(await names(1)).not.toContain('Mover');
  });

  it('DeleteFolder → disk.folder.deleteTree', async () => {
    const f = await folder('Doomed');
    const inner = await folder('DoomedInner', f.ID);
    expect(await b24.disk.folder.deleteTree({ id: f.ID })).toBe(true);
    await expect(b24.disk.folder.get({ id: f.ID })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
    await expect(b24.disk.folder.get({ id: inner.ID })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
  });

  it('GetFolderExternalLink → disk.folder.getExternalLink', async () => {
    const f = await folder('Public');
    const link = await b24.disk.folder.getExternalLink({ id: f.ID });
    expect(link).toMatch(new RegExp(`^${em.baseUrl}/~\\w+$`));
    expect(await b24.disk.folder.getExternalLink({ id: f.ID })).toBe(link);
  });

  it('GetFolderItems → disk.folder.getChildren (with a filter)', async () => {
    const f = await folder('Items');
    await folder('alpha', f.ID);
    await folder('beta', f.ID);
    await b24.disk.folder.uploadFile({
      id: f.ID,
      data: { NAME: 'gamma.txt' },
      fileContent: ['gamma.txt', Buffer.from('g').toString('base64')],
    });
    expect((await names(f.ID)).sort()).toEqual(['alpha', 'beta', 'gamma.txt']);
    const onlyFiles = await b24.disk.folder.getChildren({ id: f.ID, filter: { TYPE: 'file' } });
    expect(onlyFiles.map((c) => c.NAME)).toEqual(['gamma.txt']);
    const byName = await b24.disk.folder.getChildren({ id: f.ID, filter: { NAME: 'beta' } });
    expect(byName).toHaveLength(1);
  });

  it('MarkFolderAsDeleted → disk.folder.markDeleted', async () => {
    const f = await folder('Trashed');
    const res = await b24.disk.folder.markDeleted({ id: f.ID });
    expect(Number(res.DELETED_TYPE)).toBe(3);
    expect(await names(1)).not.toContain('Trashed');
    expect(Number((await b24.disk.folder.get({ id: f.ID })).DELETED_TYPE)).toBe(3);
  });

  it('RestoreFolder → disk.folder.restore', async () => {
    const f = await folder('Comeback');
    await b24.disk.folder.markDeleted({ id: f.ID });
    const res = await b24.disk.folder.restore({ id: f.ID });
    expect(Number(res.DELETED_TYPE)).toBe(0);
    expect(await names(1)).toContain('Comeback');
  });

  it('RenameFolder → disk.folder.rename', async () => {
    const f = await folder('Old name');
    const res = await b24.disk.folder.rename({ id: f.ID, newName: 'New name' });
    expect(res.NAME).toBe('New name');
    expect((await b24.disk.folder.get({ id: f.ID })).NAME).toBe('New name');
  });

  it('GetFolderFilterStructure → disk.folder.getFields (fields usable in a filter)', async () => {
    const fields = await b24.disk.folder.getFields();
    const filterable = Object.keys(fields).filter((k) => fields[k]?.USE_IN_FILTER);
    expect(filterable).toEqual(
      expect.arrayContaining(['ID', 'NAME', 'TYPE', 'PARENT_ID', 'CREATE_TIME', 'DELETED_TYPE']),
    );
    expect(filterable).not.toContain('CREATED_BY');
  });
});
