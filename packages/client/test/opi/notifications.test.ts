/**
 * OPI region NotificationsManagement: each function performed with b24kit against the
 * emulator, asserting the stored notification (read back from the emulator's database: the
 * OPI region has no read method).
 */
import { createClient, pictureBlock, type B24Client } from '@b24kit/client';
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

const stored = (id: number) =>
  em.db.prepare('SELECT TYPE, USER_ID, AUTHOR_ID, MESSAGE, TAG, ATTACH FROM im_notify WHERE ID = ?').get(id) as
    | Record<string, unknown>
    | undefined;

describe('OPI NotificationsManagement', () => {
  it('CreatePersonalNotification → im.notify.personal.add', async () => {
    const attach = [pictureBlock('Chart', 'https://example.com/c.png')];
    const id = await b24.im.notify.personal.add({
      USER_ID: 5,
      MESSAGE: 'Your report is ready',
      TAG: 'report-7',
      CLIENT_ID: 'my-app',
      ATTACH: attach,
    });
    expect(stored(id)).toEqual({
      TYPE: 'personal',
      USER_ID: 5,
      AUTHOR_ID: 1,
      MESSAGE: 'Your report is ready',
      TAG: 'report-7',
      ATTACH: JSON.stringify(attach),
    });
    await expect(b24.im.notify.personal.add({ USER_ID: 5, MESSAGE: '' })).rejects.toMatchObject({
      code: 'MESSAGE_EMPTY',
    });
  });

  it('CreateSystemNotification → im.notify.system.add', async () => {
    const id = await b24.im.notify.system.add({ USER_ID: 5, MESSAGE: 'Backup finished' });
    expect(stored(id)).toMatchObject({
      TYPE: 'system',
      USER_ID: 5,
      AUTHOR_ID: 0,
      MESSAGE: 'Backup finished',
      TAG: null,
    });
  });

  it('DeleteNotification → im.notify.delete', async () => {
    const id = await b24.im.notify.system.add({ USER_ID: 5, MESSAGE: 'temporary' });
    expect(await b24.im.notify.delete({ ID: id })).toBe(true);
    expect(stored(id)).toBeUndefined();
    // Nothing left to delete.
    expect(await b24.im.notify.delete({ ID: id })).toBe(false);
  });
});
