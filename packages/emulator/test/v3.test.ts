import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerCrud, type Domain, type Emulator, type EntityDef } from '../src/index.js';
import { call, start } from './helpers.js';

const noteEntity: EntityDef = {
  name: 'demo.note',
  table: 'demo_note',
  idField: 'id',
  wire: 'typed',
  fields: {
    title: { type: 'string', required: true, seed: "'Note ' || n" },
    status: { type: 'string', default: 'pending', seed: "CASE n % 2 WHEN 0 THEN 'pending' ELSE 'completed' END" },
    weight: { type: 'integer', seed: 'n' },
    createdAt: { type: 'datetime', auto: 'createdAt' },
  },
};
const demoDomain: Domain = (api) => registerCrud(api, { prefix: 'demo.note', scope: 'task', entity: noteEntity, apiVersion: 3 });

let emu: Emulator;
let v3: string;
beforeAll(async () => {
  emu = await start({ domains: [demoDomain] });
  v3 = emu.webhookUrl.replace('/rest/', '/rest/api/');
  emu.seed('demo.note', 30);
});
afterAll(() => emu.close());

describe('REST 3.0', () => {
  test('add/get/update/delete with item envelopes and real numbers', async () => {
    const add = await call(v3, 'demo.note.add', { fields: { title: 'hello', weight: 5 } });
    expect(add.status).toBe(200);
    const item = add.body.result.item;
    expect(item).toMatchObject({ title: 'hello', weight: 5, status: 'pending' });
    expect(typeof item.id).toBe('number');
    const got = await call(v3, 'demo.note.get', { id: item.id, select: ['title'] });
    expect(got.body.result).toEqual({ item: { id: item.id, title: 'hello' } });
    expect((await call(v3, 'demo.note.update', { id: item.id, fields: { title: 'x' } })).body.result).toEqual({ result: true });
    expect((await call(v3, 'demo.note.delete', { id: item.id })).body.result).toEqual({ result: true });
    const gone = await call(v3, 'demo.note.get', { id: item.id });
    expect(gone.status).toBe(400);
    expect(gone.body.error.code).toMatch(/^BITRIX_REST_V3_EXCEPTION_/);
    expect(gone.body.error.message).toBe(`Record with ID = \`${item.id}\` not found`);
    const req = await call(v3, 'demo.note.add', { fields: { weight: 1 } });
    expect(req.body.error.message).toBe('Required field `title` is missing');
  });

  test('list with triple filters, groups, order and pagination', async () => {
    const ids = async (body: unknown) => ((await call(v3, 'demo.note.list', body)).body.result.items as { id: number }[]).map((r) => r.id);
    expect(await ids({ filter: [['id', 'in', [3, 4, 5]]], select: ['id'] })).toEqual([3, 4, 5]);
    expect(await ids({ filter: [['weight', 'between', [10, 12]], ['status', '=', 'pending']], select: ['id'] })).toEqual([10, 12]);
    expect(
      await ids({ filter: [{ logic: 'or', conditions: [['id', '=', 1], ['id', '>=', 29]] }], order: { id: 'DESC' }, select: ['id'] }),
    ).toEqual([30, 29, 1]);
    expect(await ids({ pagination: { page: 2, limit: 10 }, select: ['id'] })).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const r = await call(v3, 'demo.note.list', { filter: [['nope', '=', 1]] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Unknown field `nope`');
    expect(r.body.total).toBeUndefined();
  });

  test('JSON only; v3 methods are not served under /rest/; v2 methods not under /rest/api/', async () => {
    const form = await fetch(`${v3}demo.note.list`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'select[]=id' });
    expect(form.status).toBe(400);
    expect(((await form.json()) as any).error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION');
    const v2 = await call(emu.webhookUrl, 'demo.note.list');
    expect(v2.status).toBe(404);
    expect(v2.body.error).toBe('ERROR_METHOD_NOT_FOUND');
    const legacy = await call(v3, 'crm.deal.list');
    expect(legacy.status).toBe(404);
  });

  test('batch is a bare JSON array; cmd is refused', async () => {
    const r = await call(v3, 'batch', [
      { method: 'demo.note.get', query: { id: 1 } },
      { method: 'demo.note.get', query: { id: 99999 } },
      { method: 'demo.note.list', query: { filter: [['id', '<', 3]], select: ['id'] } },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.result[0].item.id).toBe(1);
    expect(r.body.result[1].error.code).toMatch(/^BITRIX_REST_V3_EXCEPTION_/);
    expect(r.body.result[2]).toEqual({ items: [{ id: 1 }, { id: 2 }] });
    const cmd = await call(v3, 'batch', { cmd: { a: 'demo.note.get?id=1' } });
    expect(cmd.status).toBe(400);
    expect(cmd.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION');
  });

  test('Idempotency-Key: replay, reuse with another body → 422, bad key → 400', async () => {
    const headers = { 'Idempotency-Key': 'key-1' };
    const a = await call(v3, 'demo.note.add', { fields: { title: 'once' } }, { headers });
    const b = await call(v3, 'demo.note.add', { fields: { title: 'once' } }, { headers });
    expect(b.body.result.item.id).toBe(a.body.result.item.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(a.headers.get('idempotent-replayed')).toBeNull();
    const c = await call(v3, 'demo.note.add', { fields: { title: 'twice' } }, { headers });
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION');
    const d = await call(v3, 'demo.note.add', { fields: { title: 'x' } }, { headers: { 'Idempotency-Key': 'x'.repeat(256) } });
    expect(d.status).toBe(400);
    expect(d.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION');
    emu.advanceTime(24 * 3600_000 + 1);
    const e = await call(v3, 'demo.note.add', { fields: { title: 'twice' } }, { headers });
    expect(e.status).toBe(200);
  });
});
