/**
 * OPI region FileManagement: each function performed with b24kit against the emulator,
 * asserting the stored bytes and the tree. OPI takes a file as a path or as binary data; here
 * both are turned into the `[name, base64]` pair that `fileContent` takes on the wire.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
let dir: string;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
  dir = mkdtempSync(join(tmpdir(), 'b24kit-opi-files-'));
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
  rmSync(dir, { recursive: true, force: true });
});

const inline = (name: string, bytes: Uint8Array) => [name, Buffer.from(bytes).toString('base64')] as const;
const download = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
/** The schema's Folder has every field optional; ID is always there. */
async function newFolder(name: string) {
  const f = await b24.disk.folder.addSubFolder({ id: 1, data: { NAME: name } });
  return { ...f, ID: f.ID! };
}
/** A file in a fresh folder; returns both. */
async function fileIn(folderName: string, name = 'doc.txt', text = 'hello') {
  const folder = await newFolder(folderName);
  const file = await b24.disk.folder.uploadFile({
    id: folder.ID,
    data: { NAME: name },
    fileContent: inline(name, Buffer.from(text)),
  });
  if (!('ID' in file) || file.ID === undefined) throw new Error('expected a stored file, got an upload target');
  return { folder, file: { ...file, ID: file.ID } };
}

describe('OPI FileManagement', () => {
  it('UploadFileToStorage → disk.storage.uploadFile (file from a path, binary intact)', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const path = join(dir, 'all-bytes.bin');
    writeFileSync(path, bytes);
    const res = await b24.disk.storage.uploadFile({
      id: 1,
      data: { NAME: 'Uploaded.bin' },
      fileContent: inline(basename(path), readFileSync(path)),
    });
    if (!('ID' in res)) throw new Error('expected a stored file');
    expect(res).toMatchObject({ NAME: 'Uploaded.bin', SIZE: '256', PARENT_ID: '1', STORAGE_ID: '1' });
    expect(await download(res.DOWNLOAD_URL!)).toEqual(bytes);
    expect((await b24.disk.storage.getChildren({ id: 1 })).map((c) => c.NAME)).toContain('Uploaded.bin');
  });

  it('UploadFileToFolder → disk.folder.uploadFile (uploadUrl, then a multipart POST)', async () => {
    const folder = await newFolder('Two-step');
    const target = await b24.disk.folder.uploadFile({ id: folder.ID, data: { NAME: 'report.pdf' } });
    if (!('uploadUrl' in target)) throw new Error('expected an upload target');
    expect(target.field).toBe('file');
    const bytes = Buffer.from('%PDF-1.4 fake');
    const form = new FormData();
    form.append(target.field, new Blob([bytes]), 'local-name.pdf');
    const res = await fetch(target.uploadUrl, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const stored = ((await res.json()) as { result: { ID: number } }).result;
    const got = await b24.disk.file.get({ id: stored.ID });
    expect(got).toMatchObject({ NAME: 'report.pdf', SIZE: String(bytes.length), PARENT_ID: String(folder.ID) });
    expect(Buffer.from(await download(got.DOWNLOAD_URL!))).toEqual(bytes);
  });

  it('GetFileInformation → disk.file.get', async () => {
    const { folder, file } = await fileIn('Info', 'info.txt', 'abc');
    const got = await b24.disk.file.get({ id: file.ID });
    expect(got).toMatchObject({
      ID: String(file.ID),
      NAME: 'info.txt',
      TYPE: 'file',
      SIZE: '3',
      PARENT_ID: String(folder.ID),
    });
    await expect(b24.disk.file.get({ id: folder.ID })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
  });

  it('DeleteFile → disk.file.delete', async () => {
    const { folder, file } = await fileIn('Del');
    expect(await b24.disk.file.delete({ id: file.ID })).toBe(true);
    await expect(b24.disk.file.get({ id: file.ID })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
    expect(await b24.disk.folder.getChildren({ id: folder.ID })).toEqual([]);
  });

  it('GetFileExternalLink → disk.file.getExternalLink', async () => {
    const { file } = await fileIn('Link');
    const link = await b24.disk.file.getExternalLink({ id: file.ID });
    expect(link).toMatch(new RegExp(`^${em.baseUrl}/~\\w+$`));
    expect(await b24.disk.file.getExternalLink({ id: file.ID })).toBe(link);
  });

  it('MarkFileAsDeleted → disk.file.markDeleted', async () => {
    const { folder, file } = await fileIn('Trash');
    const res = await b24.disk.file.markDeleted({ id: file.ID });
    expect(Number(res.DELETED_TYPE)).toBe(3);
    expect(await b24.disk.folder.getChildren({ id: folder.ID })).toEqual([]);
  });

  it('RestoreFile → disk.file.restore', async () => {
    const { folder, file } = await fileIn('Restore');
    await b24.disk.file.markDeleted({ id: file.ID });
    const res = await b24.disk.file.restore({ id: file.ID });
    expect(Number(res.DELETED_TYPE)).toBe(0);
    expect((await b24.disk.folder.getChildren({ id: folder.ID })).map((c) => c.ID)).toEqual([String(file.ID)]);
  });

  it('MakeFileCopy → disk.file.copyTo', async () => {
    const { file } = await fileIn('CopyFrom', 'c.txt', 'copy me');
    const dst = await newFolder('CopyTo');
    const copy = await b24.disk.file.copyTo({ id: file.ID, targetFolderId: dst.ID });
    expect(copy.ID).not.toBe(file.ID);
    expect(String(copy.PARENT_ID)).toBe(String(dst.ID));
    expect(Buffer.from(await download(copy.DOWNLOAD_URL!)).toString()).toBe('copy me');
    // The original stays where it was.
    expect((await b24.disk.file.get({ id: file.ID })).PARENT_ID).not.toBe(String(dst.ID));
  });

  it('MoveFileToFolder → disk.file.moveTo', async () => {
    const { folder, file } = await fileIn('MoveFrom');
    const dst = await newFolder('MoveTo');
    const moved = await b24.disk.file.moveTo({ id: file.ID, targetFolderId: dst.ID });
    expect(String(moved.PARENT_ID)).toBe(String(dst.ID));
    expect(await b24.disk.folder.getChildren({ id: folder.ID })).toEqual([]);
    expect((await b24.disk.folder.getChildren({ id: dst.ID })).map((c) => c.NAME)).toEqual(['doc.txt']);
  });

  it('RenameFile → disk.file.rename', async () => {
    const { file } = await fileIn('Rename');
    const res = await b24.disk.file.rename({ id: file.ID, newName: 'renamed.txt' });
    expect(res.NAME).toBe('renamed.txt');
    expect((await b24.disk.file.get({ id: file.ID })).NAME).toBe('renamed.txt');
  });

  it('UploadFileToFolder inside a batch: [name, base64] survives the PHP-bracket query encoding', async () => {
    const folder = await newFolder('Batched');
    const bytes = new Uint8Array([251, 255, 191, 0]); // base64 '+/+/AA==': '+', '/' and '=' must survive
    const res = await b24.batch({
      up: [
        'disk.folder.uploadFile',
        { id: folder.ID, data: { NAME: 'batched.bin' }, fileContent: inline('batched.bin', bytes) },
      ],
    });
    if (!res.up.ok) throw res.up.error;
    const stored = res.up.result as { ID: number; DOWNLOAD_URL: string; SIZE: string };
    expect(stored.SIZE).toBe('4');
    expect(await download(stored.DOWNLOAD_URL)).toEqual(bytes);
  });
});
