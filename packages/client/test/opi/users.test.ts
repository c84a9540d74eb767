/**
 * OPI region UsersManagement: each function performed with b24kit against the emulator,
 * asserting the stored effect. FindUsers uses user.search (OPI documents it with another method),
 * and ChangeUserStatus sends ACTIVE both ways (OPI drops `false`).
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

const userById = async (id: number | string) => {
  const [u] = await b24.user.get({ ID: id });
  if (!u) throw new Error(`user ${id} not found`);
  return u;
};

describe('OPI UsersManagement', () => {
  it('GetCurrentUser → user.current', async () => {
    const me = await b24.user.current();
    expect(me).toMatchObject({ ID: '1', ACTIVE: true });
    // Another webhook's user is that user.
    const other = createClient({ webhook: em.createWebhook({ userId: 9 }), retry: false });
    expect((await other.user.current()).ID).toBe('9');
    await other.close();
  });

  it('GetUser → user.get', async () => {
    const u = await userById(1);
    expect(u).toMatchObject({ ID: '1', NAME: 'Admin', UF_DEPARTMENT: [1] });
    expect(await b24.user.get({ ID: 424242 })).toEqual([]);
  });

  it('CreateUser → user.add', async () => {
    const id = await b24.user.add({
      EMAIL: 'new.hire@example.com',
      NAME: 'New',
      LAST_NAME: 'Hire',
      WORK_POSITION: 'Analyst',
      UF_DEPARTMENT: '1',
    });
    expect(typeof id).toBe('number');
    expect(await userById(id)).toMatchObject({
      NAME: 'New',
      LAST_NAME: 'Hire',
      EMAIL: 'new.hire@example.com',
      WORK_POSITION: 'Analyst',
      ACTIVE: true,
    });
    await expect(b24.user.add({ EMAIL: 'new.hire@example.com' })).rejects.toMatchObject({ code: 'ERROR_ARGUMENT' });
  });

  it('UpdateUser → user.update', async () => {
    const id = await b24.user.add({ EMAIL: 'upd@example.com', NAME: 'Before' });
    expect(await b24.user.update({ ID: id, NAME: 'After', PERSONAL_CITY: 'Riga' })).toBe(true);
    expect(await userById(id)).toMatchObject({ NAME: 'After', PERSONAL_CITY: 'Riga' });
    // An empty string is a value: it clears the field.
    expect(await b24.user.update({ ID: id, PERSONAL_CITY: '' })).toBe(true);
    expect((await userById(id)).PERSONAL_CITY).toBe('');
  });

  it('ChangeUserStatus → user.update (ACTIVE)', async () => {
    const id = await b24.user.add({ EMAIL: 'status@example.com' });
    await b24.user.update({ ID: id, ACTIVE: false });
    expect((await userById(id)).ACTIVE).toBe(false);
    expect(await b24.user.get({ ID: id, ACTIVE: true })).toEqual([]);
    await b24.user.update({ ID: id, ACTIVE: true });
    expect((await userById(id)).ACTIVE).toBe(true);
  });

  it('FindUsers → user.search', async () => {
    const id = await b24.user.add({ EMAIL: 'zelda.quartz@example.com', NAME: 'Zelda', LAST_NAME: 'Quartz' });
    const byFilter = await b24.user.search({ FILTER: { NAME: 'Zelda' } });
    expect(byFilter.map((u) => u.ID)).toEqual([String(id)]);
    const byFind = await b24.user.search({ FIND: 'quartz' });
    expect(byFind.map((u) => u.ID)).toEqual([String(id)]);
    expect(await b24.user.search({ FIND: 'nobody-has-this-name' })).toEqual([]);
  });

  it('GetUserFieldsStructure → user.fields', async () => {
    const fields = await b24.user.fields();
    expect(fields).toMatchObject({ EMAIL: 'E-Mail', NAME: 'First Name', UF_DEPARTMENT: 'Units', ACTIVE: 'Activity' });
  });
});
