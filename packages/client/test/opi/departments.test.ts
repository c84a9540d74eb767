/**
 * OPI region DepartmentsManagement: each function performed with b24kit against the emulator,
 * asserting the company structure it leaves behind.
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

const one = async (id: number) => {
  const [d] = await b24.department.get({ ID: id });
  return d;
};

describe('OPI DepartmentsManagement', () => {
  it('CreateDepartment → department.add', async () => {
    const id = await b24.department.add({ NAME: 'Support', PARENT: 1, UF_HEAD: 1 });
    expect(typeof id).toBe('number');
    expect(await one(id)).toMatchObject({ ID: String(id), NAME: 'Support', PARENT: '1', UF_HEAD: '1' });
    await expect(b24.department.add({ NAME: '', PARENT: 1 })).rejects.toMatchObject({ code: 'ERROR_CORE' });
  });

  it('UpdateDepartment → department.update', async () => {
    const id = await b24.department.add({ NAME: 'Ops', PARENT: 1 });
    const parent = await b24.department.add({ NAME: 'Operations', PARENT: 1 });
    expect(await b24.department.update({ ID: id, NAME: 'Ops team', PARENT: parent, UF_HEAD: 1 })).toBe(true);
    expect(await one(id)).toMatchObject({ NAME: 'Ops team', PARENT: String(parent), UF_HEAD: '1' });
    await expect(b24.department.update({ ID: 99999, NAME: 'x' })).rejects.toMatchObject({ code: 'ERROR_CORE' });
  });

  it('GetDepartments → department.get (by id, name, parent, head)', async () => {
    const parent = await b24.department.add({ NAME: 'Research', PARENT: 1 });
    const child = await b24.department.add({ NAME: 'Lab', PARENT: parent, UF_HEAD: 1 });
    expect((await b24.department.get({ ID: child })).map((d) => d.NAME)).toEqual(['Lab']);
    expect((await b24.department.get({ NAME: 'Research' })).map((d) => d.ID)).toEqual([String(parent)]);
    expect((await b24.department.get({ PARENT: parent })).map((d) => d.ID)).toEqual([String(child)]);
    expect((await b24.department.get({ UF_HEAD: 1, PARENT: parent })).map((d) => d.ID)).toEqual([String(child)]);
    const all = await b24.department.get();
    expect(all.map((d) => d.NAME)).toEqual(expect.arrayContaining(['Company', 'Research', 'Lab']));
  });

  it('DeleteDepartment → department.delete', async () => {
    const id = await b24.department.add({ NAME: 'Temporary', PARENT: 1 });
    expect(await b24.department.delete({ ID: id })).toBe(true);
    expect(await b24.department.get({ ID: id })).toEqual([]);
    await expect(b24.department.delete({ ID: id })).rejects.toMatchObject({ code: 'ERROR_CORE' });
  });
});
