/**
 * OPI region StoragesManagement: each function performed with b24kit against the emulator,
 * asserting the effect on the portal's state.
 */
import { oauth, toTokenSet } from '@b24kit/auth';
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
/** GetAppStorage and RenameStorage need an application's token (OPI passes `Token`). */
let app: B24Client;

beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
  const pair = em.issueTokens();
  const tokens = toTokenSet({
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    clientEndpoint: pair.client_endpoint,
    memberId: pair.member_id,
    expiresIn: pair.expires_in,
  });
  app = createClient({ oauth: oauth({ ...em.oauth, tokens }), retry: false });
});
afterAll(async () => {
  await b24?.close();
  await app?.close();
  await em?.close();
});

describe('OPI StoragesManagement', () => {
  it('GetStoragesList → disk.storage.getList', async () => {
    const list = await b24.disk.storage.getList();
    expect(list.map((s) => s.ENTITY_TYPE).sort()).toEqual(['common', 'user']);
    expect(list.every((s) => typeof s.ROOT_OBJECT_ID === 'string' && s.ROOT_OBJECT_ID !== '')).toBe(true);
  });

  it('GetAppStorage → disk.storage.getForApp', async () => {
    const s = await app.disk.storage.getForApp();
    expect(s.ENTITY_TYPE).toBe('restapp');
    expect(s.ENTITY_ID).toBe(em.oauth.clientId);
    // The same storage every time, and it is now listed.
    expect((await app.disk.storage.getForApp()).ID).toBe(s.ID);
    expect((await b24.disk.storage.getList()).map((x) => x.ID)).toContain(s.ID);
    // A webhook is not an application.
    await expect(b24.disk.storage.getForApp()).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('GetStorage → disk.storage.get', async () => {
    const s = await b24.disk.storage.get({ id: 1 });
    expect(s).toMatchObject({ ID: '1', ENTITY_TYPE: 'common', ROOT_OBJECT_ID: '1' });
    await expect(b24.disk.storage.get({ id: 4242 })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
  });

  it('RenameStorage → disk.storage.rename', async () => {
    const s = await app.disk.storage.getForApp();
    const renamed = await app.disk.storage.rename({ id: s.ID!, newName: 'Integration files' });
    expect(renamed.NAME).toBe('Integration files');
    expect((await b24.disk.storage.get({ id: s.ID! })).NAME).toBe('Integration files');
  });

  it('CreateStorageFolder → disk.storage.addFolder', async () => {
    const f = await b24.disk.storage.addFolder({ id: 1, data: { NAME: 'Contracts' } });
    expect(f).toMatchObject({ NAME: 'Contracts', TYPE: 'folder', STORAGE_ID: '1', PARENT_ID: '1' });
    expect((await b24.disk.folder.get({ id: f.ID! })).NAME).toBe('Contracts');
    await expect(b24.disk.storage.addFolder({ id: 1, data: { NAME: 'Contracts' } })).rejects.toMatchObject({
      code: 'DISK_OBJ_22000',
    });
  });

  it('GetStorageObjects → disk.storage.getChildren', async () => {
    await b24.disk.storage.addFolder({ id: 1, data: { NAME: 'Listed' } });
    const kids = await b24.disk.storage.getChildren({ id: 1 });
    expect(kids.map((k) => k.NAME)).toEqual(expect.arrayContaining(['Contracts', 'Listed']));
    expect(kids.every((k) => k.PARENT_ID === '1')).toBe(true);
  });
});
