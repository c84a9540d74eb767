import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, start } from '../helpers.js';

let emu: Emulator;
let url: string;
beforeAll(async () => {
  emu = await start();
  url = emu.webhookUrl;
});
afterAll(() => emu?.close());

/**
 * The docs' user samples show TIMESTAMP_X and LAST_ACTIVITY_DATE as `{}` (a serialized date
 * object) in user.get but a string in user.current; the emulator sends strings everywhere.
 */
const DATE_OBJECT_ARTIFACTS = /^result\.0\.(TIMESTAMP_X|LAST_ACTIVITY_DATE): expected object, got string$/;

async function ok(method: string, params: Record<string, unknown> = {}, base = url): Promise<any> {
  const r = await call(base, method, params);
  expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(200);
  const example = documented(method)?.responseExample;
  expect(example, `${method} has a documented example`).toBeDefined();
  expect(
    shapeDifferences(r.body, example).filter((d) => !DATE_OBJECT_ARTIFACTS.test(d)),
    method,
  ).toEqual([]);
  return r.body.result;
}
async function fails(method: string, params: Record<string, unknown>, code: string, base = url) {
  const r = await call(base, method, params);
  expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
  expect(r.body.error).toBe(code);
  return r.body;
}

describe('user.*', () => {
  it('user.current is the caller; user.fields names every field', async () => {
    const me = await ok('user.current');
    expect(me).toMatchObject({ ID: '1', ACTIVE: true, NAME: 'Admin', UF_DEPARTMENT: [1] });
    const fields = await ok('user.fields');
    expect(fields).toMatchObject({ ID: 'ID', EMAIL: 'E-Mail', UF_DEPARTMENT: 'Units' });
    // A webhook of a user never added still has a profile.
    const other = emu.createWebhook({ userId: 7 });
    expect((await ok('user.current', {}, other)).ID).toBe('7');
  });

  it('user.add stores an invited user; e-mail is required, valid and unique; only the admin adds', async () => {
    const id = await ok('user.add', {
      EMAIL: 'ann@example.com',
      NAME: 'Ann',
      LAST_NAME: 'Lee',
      WORK_POSITION: 'Engineer',
    });
    expect(typeof id).toBe('number');
    const [ann] = await ok('user.get', { ID: id });
    expect(ann).toMatchObject({
      ID: String(id),
      NAME: 'Ann',
      EMAIL: 'ann@example.com',
      ACTIVE: true,
      UF_DEPARTMENT: [1],
      USER_TYPE: 'employee',
    });
    await fails('user.add', { NAME: 'No mail' }, 'ERROR_ARGUMENT');
    await fails('user.add', { EMAIL: 'not-an-email' }, 'ERROR_ARGUMENT');
    const dup = await fails('user.add', { EMAIL: 'ANN@example.com' }, 'ERROR_ARGUMENT');
    expect(dup.error_description).toContain('already exists');
    await fails('user.add', { EMAIL: 'x@example.com' }, 'ERROR_CORE', emu.createWebhook({ userId: 5 }));
  });

  it('user.update changes fields and ACTIVE; a user may edit only themself', async () => {
    const id = await ok('user.add', { EMAIL: 'bob@example.com', NAME: 'Bob' });
    expect(await ok('user.update', { ID: id, LAST_NAME: 'Stone', ACTIVE: false })).toBe(true);
    const [bob] = await ok('user.get', { FILTER: { ID: id } });
    expect(bob).toMatchObject({ LAST_NAME: 'Stone', ACTIVE: false });
    expect(await ok('user.get', { ID: id, ACTIVE: true })).toEqual([]);
    await fails('user.update', { ID: 99999, NAME: 'x' }, 'ERROR_CORE');
    const bobHook = emu.createWebhook({ userId: Number(id) });
    expect(await ok('user.update', { ID: id, WORK_PHONE: '123' }, bobHook)).toBe(true);
    await fails('user.update', { ID: 1, NAME: 'Hacked' }, 'ERROR_CORE', bobHook);
  });

  it('user.get filters, sorts, selects and pages by 50', async () => {
    for (let i = 0; i < 55; i++)
      await call(url, 'user.add', {
        EMAIL: `bulk${i}@example.com`,
        NAME: `Bulk${String(i).padStart(2, '0')}`,
        LAST_NAME: 'Many',
      });
    const p1 = await call(url, 'user.get', { FILTER: { LAST_NAME: 'Many' }, sort: 'NAME', order: 'DESC' });
    expect(p1.body).toMatchObject({ total: 55, next: 50 });
    expect(p1.body.result[0].NAME).toBe('Bulk54');
    const p2 = await call(url, 'user.get', { FILTER: { LAST_NAME: 'Many' }, sort: 'NAME', order: 'DESC', start: 50 });
    expect(p2.body.result.map((u: any) => u.NAME)).toEqual(['Bulk04', 'Bulk03', 'Bulk02', 'Bulk01', 'Bulk00']);
    const sel = await call(url, 'user.get', { ID: 1, select: ['NAME'] });
    expect(Object.keys(sel.body.result[0]).sort()).toEqual(['ID', 'NAME']);
    const gt = await call(url, 'user.get', { FILTER: { '>ID': 50 }, sort: 'ID' });
    expect(gt.body.result.every((u: any) => Number(u.ID) > 50)).toBe(true);
  });

  it('user.search finds by FIND over names, e-mail and position, and by department', async () => {
    const id = await ok('user.add', {
      EMAIL: 'carol@corp.example',
      NAME: 'Carol',
      LAST_NAME: 'Quill',
      WORK_POSITION: 'Accountant',
    });
    expect((await ok('user.search', { FILTER: { FIND: 'quill' } })).map((u: any) => u.ID)).toEqual([String(id)]);
    expect((await ok('user.search', { FIND: 'accountant' })).map((u: any) => u.ID)).toEqual([String(id)]);
    expect((await ok('user.search', { FILTER: { NAME: 'Carol' } })).map((u: any) => u.ID)).toEqual([String(id)]);
    const dep = await ok('department.add', { NAME: 'Finance', PARENT: 1 });
    await ok('user.update', { ID: id, UF_DEPARTMENT: [dep] });
    expect((await ok('user.search', { FILTER: { UF_DEPARTMENT: dep } })).map((u: any) => u.ID)).toEqual([String(id)]);
    await fails('user.update', { ID: id, UF_DEPARTMENT: [424242] }, 'ERROR_ARGUMENT');
  });

  it('reading users needs a user scope', async () => {
    const noUser = emu.createWebhook({ userId: 1, scopes: ['crm'] });
    await fails('user.get', {}, 'insufficient_scope', noUser);
  });
});

describe('department.*', () => {
  it('add, get (filters, order), update, delete with subdepartments', async () => {
    // The top department has no PARENT at all, so it is compared whole instead of by shape.
    const root = (await call(url, 'department.get', { ID: 1 })).body.result;
    expect(root).toEqual([{ ID: '1', NAME: 'Company', SORT: 500, UF_HEAD: '1' }]);
    const sales = await ok('department.add', { NAME: 'Sales', PARENT: 1, SORT: 100, UF_HEAD: 1 });
    const east = await ok('department.add', { NAME: 'Sales East', PARENT: sales });
    expect(await ok('department.get', { PARENT: sales })).toEqual([
      { ID: String(east), NAME: 'Sales East', SORT: 500, PARENT: String(sales) },
    ]);
    const byName = await ok('department.get', { NAME: 'Sales', sort: 'NAME' });
    expect(byName.map((d: any) => d.ID)).toEqual([String(sales)]);

    expect(await ok('department.update', { ID: east, NAME: 'Sales West', SORT: 10 })).toBe(true);
    expect((await ok('department.get', { ID: east }))[0]).toMatchObject({ NAME: 'Sales West', SORT: 10 });
    await fails('department.update', { ID: sales, PARENT: east }, 'ERROR_CORE');
    await fails('department.update', { ID: 99999, NAME: 'x' }, 'ERROR_CORE');

    const uid = await ok('user.add', { EMAIL: 'dave@example.com', UF_DEPARTMENT: [east] });
    expect(await ok('department.delete', { ID: sales })).toBe(true);
    expect(await ok('department.get', { ID: east })).toEqual([]);
    expect((await ok('user.get', { ID: uid }))[0].UF_DEPARTMENT).toEqual([]);
    await fails('department.delete', { ID: sales }, 'ERROR_CORE');
    await fails('department.delete', { ID: 1 }, 'ERROR_CORE');
  });

  it('add needs a name and a parent; only the admin changes the structure; fields', async () => {
    const noName = await fails('department.add', { PARENT: 1 }, 'ERROR_CORE');
    expect(noName.error_description).toContain('name not provided');
    const top = await fails('department.add', { NAME: 'Second top' }, 'ERROR_CORE');
    expect(top.error_description).toContain('one top-level department');
    await fails('department.add', { NAME: 'X', PARENT: 1 }, 'ERROR_CORE', emu.createWebhook({ userId: 3 }));
    expect(await ok('department.fields')).toEqual({
      ID: 'ID',
      NAME: 'Department Name',
      SORT: 'Sort Order',
      PARENT: 'Parent Department',
      UF_HEAD: 'Manager',
    });
  });
});

describe('user events', () => {
  it("user.add raises ONUSERADD with the new user's fields", async () => {
    const app = emu.registerApp({ scopes: 'user' });
    await emu.install(app);
    const t = emu.issueTokens(app).access_token;
    const rest = `${emu.baseUrl}/rest/`;
    expect((await call(rest, 'event.bind', { auth: t, event: 'onUserAdd', event_type: 'offline' })).body.result).toBe(
      true,
    );
    const id = await ok('user.add', { EMAIL: 'evented@example.com', NAME: 'Eve', WORK_POSITION: 'Dev' });
    const got = await call(rest, 'event.offline.get', { auth: t });
    expect(got.body.result.events).toHaveLength(1);
    expect(got.body.result.events[0]).toMatchObject({
      EVENT_NAME: 'ONUSERADD',
      EVENT_DATA: {
        ID: id,
        ACTIVE: 'Y',
        EMAIL: 'evented@example.com',
        NAME: 'Eve',
        WORK_POSITION: 'Dev',
        UF_DEPARTMENT: [1],
      },
    });
  });
});
