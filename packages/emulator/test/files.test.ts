import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { call, get, start } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());

describe('files', () => {
  test('inline fileContent [name, base64] → file object whose DOWNLOAD_URL serves the bytes', async () => {
    const bytes = Buffer.from('hello, portal \u00e9');
    const r = await call(emu.webhookUrl, 'disk.folder.uploadfile', {
      id: 1,
      data: { NAME: 'a.txt' },
      fileContent: ['ignored.txt', bytes.toString('base64')],
    });
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ NAME: 'a.txt', TYPE: 'file', PARENT_ID: '1', SIZE: String(bytes.length) });
    const dl = await fetch(r.body.result.DOWNLOAD_URL);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer())).toEqual(bytes);
    // A tampered link is refused.
    const bad = await get(
      r.body.result.DOWNLOAD_URL.replace(/token=[^&]+/, 'token=disk%7Cdownload%7CMg%7C' + '0'.repeat(32)),
    );
    expect(bad.status).toBe(401);
    // The same name again without generateUniqueName is an error; with it, a new name.
    const dup = await call(emu.webhookUrl, 'disk.folder.uploadfile', {
      id: 1,
      data: { NAME: 'a.txt' },
      fileContent: ['a.txt', 'eA=='],
    });
    expect(dup.status).toBe(400);
    const uniq = await call(emu.webhookUrl, 'disk.folder.uploadfile', {
      id: 1,
      data: { NAME: 'a.txt' },
      fileContent: ['a.txt', 'eA=='],
      generateUniqueName: true,
    });
    expect(uniq.body.result.NAME).toBe('a (1).txt');
  });

  test('two-step upload: uploadUrl then multipart POST with part "file"', async () => {
    const step1 = await call(emu.webhookUrl, 'disk.folder.uploadfile', { id: 1 });
    expect(step1.body.result.field).toBe('file');
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array([0, 1, 2, 250, 255])], { type: 'application/octet-stream' }),
      'bin.dat',
    );
    const up = await fetch(step1.body.result.uploadUrl, { method: 'POST', body: form });
    expect(up.status).toBe(200);
    const file = ((await up.json()) as any).result;
    expect(file).toMatchObject({ NAME: 'bin.dat', SIZE: '5' });
    const bytes = Buffer.from(await (await fetch(file.DOWNLOAD_URL)).arrayBuffer());
    expect([...bytes]).toEqual([0, 1, 2, 250, 255]);
    const got = await call(emu.webhookUrl, 'disk.file.get', { id: file.ID });
    expect(got.body.result.NAME).toBe('bin.dat');
    // The upload link is single-use.
    expect((await fetch(step1.body.result.uploadUrl, { method: 'POST', body: form })).status).toBe(400);
  });

  test('multipart fileContent part and a missing folder', async () => {
    const form = new FormData();
    form.append('id', '1');
    form.append('fileContent', new Blob(['abc']), 'm.txt');
    const r = await fetch(`${emu.webhookUrl}disk.folder.uploadfile`, { method: 'POST', body: form });
    expect(((await r.json()) as any).result.NAME).toBe('m.txt');
    const nf = await call(emu.webhookUrl, 'disk.folder.uploadfile', { id: 999, fileContent: ['x', 'eA=='] });
    expect(nf.status).toBe(400);
    expect(nf.body.error).toBe('ERROR_NOT_FOUND');
  });
});
