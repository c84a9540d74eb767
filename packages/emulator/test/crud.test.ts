import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { call, start } from './helpers.js';

let emu: Emulator;
const hook = () => emu.webhookUrl;
beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());

describe('crm.deal CRUD', () => {
  test('add → int id, get → legacy wire typing, update, delete', async () => {
    const add = await call(hook(), 'crm.deal.add', {
      fields: { TITLE: 'T1', OPPORTUNITY: 19999.99, IS_RECURRING: true, BEGINDATE: '2025-12-28' },
    });
    expect(add.status).toBe(200);
    expect(typeof add.body.result).toBe('number');
    const id = add.body.result as number;
    const got = (await call(hook(), 'crm.deal.get', { id })).body.result;
    expect(got).toMatchObject({
      ID: String(id),
      TITLE: 'T1',
      OPPORTUNITY: '19999.99',
      IS_RECURRING: 'Y',
      BEGINDATE: '2025-12-28T00:00:00+00:00',
      ASSIGNED_BY_ID: '1',
      CREATED_BY_ID: '1',
    });
    expect(got.DATE_CREATE).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    // Date filters accept a date or an ISO datetime.
    const byDate = await call(hook(), 'crm.deal.list', {
      filter: { '>=BEGINDATE': '2025-12-28T00:00:00+03:00', ID: id },
      select: ['ID'],
    });
    expect(byDate.body.result).toEqual([{ ID: String(id) }]);
    const upd = await call(hook(), 'crm.deal.update', { id, fields: { TITLE: 'T2', ID: 999 } });
    expect(upd.body.result).toBe(true);
    expect((await call(hook(), 'crm.deal.get', { id })).body.result.TITLE).toBe('T2');
    expect((await call(hook(), 'crm.deal.delete', { id })).body.result).toBe(true);
    const gone = await call(hook(), 'crm.deal.get', { id });
    expect(gone.status).toBe(400);
    expect(gone.body).toEqual({ error: '', error_description: 'Not found' });
  });

  test('get without a valid id', async () => {
    const r = await call(hook(), 'crm.deal.get', { id: 'abc' });
    expect(r.status).toBe(400);
    expect(r.body.error_description).toBe('ID is not defined or invalid');
  });

  test('fields describes types', async () => {
    const r = (await call(hook(), 'crm.deal.fields')).body.result;
    expect(r.ID).toMatchObject({ type: 'integer', isReadOnly: true });
    expect(r.STAGE_ID).toMatchObject({ type: 'crm_status', statusType: 'DEAL_STAGE' });
    expect(r.CONTACT_IDS.isMultiple).toBe(true);
  });

  test('user fields are stored and selected with UF_*', async () => {
    const id = (await call(hook(), 'crm.deal.add', { fields: { TITLE: 'uf', UF_CRM_COLOR: 'red' } })).body.result;
    const list = await call(hook(), 'crm.deal.list', { filter: { ID: id }, select: ['TITLE', 'UF_*'] });
    expect(list.body.result).toEqual([{ ID: String(id), TITLE: 'uf', UF_CRM_COLOR: 'red' }]);
    const byUf = await call(hook(), 'crm.deal.list', { filter: { UF_CRM_COLOR: 'red' }, select: ['ID'] });
    expect(byUf.body.result).toEqual([{ ID: String(id) }]);
  });
});

describe('crm.deal.list paging, filter, order, select', () => {
  let base = 0;
  beforeAll(async () => {
    base = (emu.db.prepare('SELECT COALESCE(MAX(ID), 0) AS m FROM crm_deal').get() as { m: number }).m;
    emu.db.prepare('DELETE FROM crm_deal').run();
    expect(emu.seed('crm.deal', 120)).toBe(120);
  });
  const id = (n: number) => String(base + n);

  test('pages of 50 with next and total; last page has no next', async () => {
    const p1 = await call(hook(), 'crm.deal.list', { select: ['ID'] });
    expect(p1.body.result).toHaveLength(50);
    expect(p1.body.next).toBe(50);
    expect(p1.body.total).toBe(120);
    expect(p1.body.result[0]).toEqual({ ID: id(1) });
    const p3 = await call(hook(), 'crm.deal.list', { select: ['ID'], start: 100 });
    expect(p3.body.result).toHaveLength(20);
    expect(p3.body.next).toBeUndefined();
    expect(p3.body.total).toBe(120);
    expect(p3.body.result[0]).toEqual({ ID: id(101) });
  });

  test('start=-1 skips the count: total 0, no next', async () => {
    const r = await call(hook(), 'crm.deal.list', {
      select: ['ID'],
      start: -1,
      filter: { '>ID': id(10) },
      order: { ID: 'ASC' },
    });
    expect(r.body.result).toHaveLength(50);
    expect(r.body.result[0]).toEqual({ ID: id(11) });
    expect(r.body.total).toBe(0);
    expect('next' in r.body).toBe(false);
  });

  test('filter prefixes', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (
        (await call(hook(), 'crm.deal.list', { filter, select: ['ID'], start: -1 })).body.result as { ID: string }[]
      ).map((r) => Number(r.ID) - base);
    expect(await ids({ '>=ID': id(118) })).toEqual([118, 119, 120]);
    expect(await ids({ '<ID': id(3) })).toEqual([1, 2]);
    expect(await ids({ '<=ID': id(2) })).toEqual([1, 2]);
    expect(await ids({ '@ID': [id(5), id(7)] })).toEqual([5, 7]);
    expect(await ids({ ID: [id(5), id(7)] })).toEqual([5, 7]);
    expect(await ids({ '=ID': id(9) })).toEqual([9]);
    expect(await ids({ '!@ID': [id(1), id(2)], '<ID': id(5) })).toEqual([3, 4]);
    expect(await ids({ '!ID': id(1), '<ID': id(3) })).toEqual([2]);
    expect(await ids({ '!=ID': id(2), '<ID': id(4) })).toEqual([1, 3]);
    // TITLE is 'Deal #n'
    expect(await ids({ '%TITLE': '#11', '<ID': id(120) })).toEqual([
      11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
    ]);
    expect(await ids({ '=%TITLE': 'Deal #11_' })).toEqual([110, 111, 112, 113, 114, 115, 116, 117, 118, 119]);
    expect(await ids({ '%=TITLE': 'deal #12%' })).toEqual([12, 120]);
    expect(await ids({ '!%TITLE': '1', '<ID': id(10) })).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await ids({ STAGE_ID: 'WON', '<ID': id(12) })).toEqual([2, 6, 10]);
    expect(await ids({ '>OPPORTUNITY': 1250, '<ID': id(200) })).toEqual([120]);
    expect(await ids({ UNKNOWN_FIELD: 1, '<ID': id(3) })).toEqual([1, 2]);
  });

  test('uppercase parameter names and a bad filter operation', async () => {
    const r = await call(hook(), 'crm.deal.list', { FILTER: { ID: id(3) }, SELECT: ['TITLE'] });
    expect(r.body.result).toEqual([{ ID: id(3), TITLE: 'Deal #3' }]);
    const bad = await call(hook(), 'crm.deal.list', { filter: { '~ID': 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toBe('Filter operation not allowed: ~');
  });

  test('order DESC and by another field, bad direction', async () => {
    const r = await call(hook(), 'crm.deal.list', { order: { ID: 'DESC' }, select: ['ID'] });
    expect(r.body.result[0]).toEqual({ ID: id(120) });
    const o = await call(hook(), 'crm.deal.list', {
      order: { OPPORTUNITY: 'DESC' },
      select: ['OPPORTUNITY'],
      start: -1,
    });
    expect(o.body.result[0].OPPORTUNITY).toBe('1260.00');
    const bad = await call(hook(), 'crm.deal.list', { order: { ID: 'UP' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toBe('Order direction should be one of {ASC|DESC}');
  });

  test('select * returns standard fields, not user fields; default select is *', async () => {
    const r = await call(hook(), 'crm.deal.list', { select: ['*'], filter: { ID: id(1) } });
    const row = r.body.result[0];
    expect(Object.keys(row)).toContain('STAGE_ID');
    expect(Object.keys(row).some((k) => k.startsWith('UF_'))).toBe(false);
    const d = await call(hook(), 'crm.deal.list', { filter: { ID: id(1) } });
    expect(Object.keys(d.body.result[0])).toEqual(Object.keys(row));
  });

  test('form-encoded list with brackets (GET)', async () => {
    const res = await fetch(`${hook()}crm.deal.list?filter[%3EID]=${id(117)}&select[]=ID&order[ID]=ASC`);
    const body = (await res.json()) as { result: unknown; total: number };
    expect(body.result).toEqual([{ ID: id(118) }, { ID: id(119) }, { ID: id(120) }]);
    expect(body.total).toBe(3);
  });
});
