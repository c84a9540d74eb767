import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerCrud, unknownName, type Domain, type Emulator, type EntityDef } from '../src/index.js';
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
const demoDomain: Domain = (api) =>
  registerCrud(api, { prefix: 'demo.note', scope: 'task', entity: noteEntity, apiVersion: 3 });

let emu: Emulator;
let v3: string;
beforeAll(async () => {
  emu = await start({ domains: [demoDomain] });
  v3 = emu.webhookUrl.replace('/rest/', '/rest/api/');
  emu.seed(unknownName('demo.note'), 30);
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
    expect((await call(v3, 'demo.note.update', { id: item.id, fields: { title: 'x' } })).body.result).toEqual({
      result: true,
    });
    expect((await call(v3, 'demo.note.delete', { id: item.id })).body.result).toEqual({ result: true });
    const gone = await call(v3, 'demo.note.get', { id: item.id });
    expect(gone.status).toBe(400);
    expect(gone.body.error.code).toMatch(/^BITRIX_REST_V3_EXCEPTION_/);
    expect(gone.body.error.message).toBe(`Record with ID = \`${item.id}\` not found`);
    const req = await call(v3, 'demo.note.add', { fields: { weight: 1 } });
    expect(req.body.error).toEqual({
      code: 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION',
      message: 'Error validating request object',
      validation: [{ message: 'Required field `title` is missing', field: 'title' }],
    });
  });

  test('list with triple filters, groups, order and pagination', async () => {
    const ids = async (body: unknown) =>
      ((await call(v3, 'demo.note.list', body)).body.result.items as { id: number }[]).map((r) => r.id);
    expect(await ids({ filter: [['id', 'in', [3, 4, 5]]], select: ['id'] })).toEqual([3, 4, 5]);
    expect(
      await ids({
        filter: [
          ['weight', 'between', [10, 12]],
          ['status', '=', 'pending'],
        ],
        select: ['id'],
      }),
    ).toEqual([10, 12]);
    expect(
      await ids({
        filter: [
          {
            logic: 'or',
            conditions: [
              ['id', '=', 1],
              ['id', '>=', 29],
            ],
          },
        ],
        order: { id: 'DESC' },
        select: ['id'],
      }),
    ).toEqual([30, 29, 1]);
    expect(await ids({ pagination: { page: 2, limit: 10 }, select: ['id'] })).toEqual([
      11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    ]);
    const r = await call(v3, 'demo.note.list', { filter: [['nope', '=', 1]] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Unknown field `nope`');
    expect(r.body.total).toBeUndefined();
  });

  test('JSON only; v3 methods are not served under /rest/; v2 methods not under /rest/api/', async () => {
    const form = await fetch(`${v3}demo.note.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'select[]=id',
    });
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
      { method: 'demo.note.list', query: { filter: [['id', '<', 3]], select: ['id'] } },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.result).toHaveLength(2);
    expect(r.body.result[0].item.id).toBe(1);
    expect(r.body.result[1]).toEqual({ items: [{ id: 1 }, { id: 2 }] });
    const cmd = await call(v3, 'batch', { cmd: { a: 'demo.note.get?id=1' } });
    expect(cmd.status).toBe(400);
    expect(cmd.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION');
  });

  test('batch is all-or-nothing: the first failing command is the answer, later ones do not run', async () => {
    const alone = await call(v3, 'demo.note.get', { id: 99999 });
    const r = await call(v3, 'batch', [
      { method: 'demo.note.add', query: { fields: { title: 'before the failure' } } },
      { method: 'demo.note.get', query: { id: 99999 } },
      { method: 'demo.note.add', query: { fields: { title: 'after the failure' } } },
    ]);
    // The same error, in the same envelope and status, as the failing command called alone.
    expect(alone.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBe(alone.status);
    expect(r.body).toEqual(alone.body);
    expect(r.body.result).toBeUndefined();
    const titles = async (title: string) =>
      (await call(v3, 'demo.note.list', { filter: [['title', '=', title]], select: ['id'] })).body.result.items;
    expect(await titles('before the failure')).toHaveLength(1); // not a transaction (assumed)
    expect(await titles('after the failure')).toHaveLength(0);
  });

  test('a malformed batch is refused before any command runs', async () => {
    const tooLong = Array.from({ length: 51 }, () => ({
      method: 'demo.note.add',
      query: { fields: { title: 'x51' } },
    }));
    const long = await call(v3, 'batch', tooLong);
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
    const bad = await call(v3, 'batch', [
      { method: 'demo.note.add', query: { fields: { title: 'x-bad' } } },
      { query: { id: 1 } },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION');
    for (const title of ['x51', 'x-bad']) {
      const rows = await call(v3, 'demo.note.list', { filter: [['title', '=', title]], select: ['id'] });
      expect(rows.body.result.items).toEqual([]);
    }
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
    const d = await call(
      v3,
      'demo.note.add',
      { fields: { title: 'x' } },
      { headers: { 'Idempotency-Key': 'x'.repeat(256) } },
    );
    expect(d.status).toBe(400);
    expect(d.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION');
    emu.advanceTime(24 * 3600_000 + 1);
    const e = await call(v3, 'demo.note.add', { fields: { title: 'twice' } }, { headers });
    expect(e.status).toBe(200);
  });

  test('documented errors: unknown filter field and operator, shorthand conditions, unknown select field left out, scope', async () => {
    const unknownField = await call(v3, 'demo.note.list', { filter: [['nope', '=', 1]] });
    expect(unknownField.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION');
    const unknownOp = await call(v3, 'demo.note.list', { filter: [['id', 'like', 1]] });
    expect(unknownOp.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION');
    const short = await call(v3, 'demo.note.list', {
      filter: [
        ['id', [1, 2]],
        ['status', 'pending'],
      ],
      select: ['id'],
    });
    expect(short.body.result.items).toEqual([{ id: 2 }]);
    const sel = await call(v3, 'demo.note.get', { id: 1, select: ['id', 'stageId'] });
    expect(sel.body.result).toEqual({ item: { id: 1 } });
    const noScope = emu.createWebhook({ scopes: 'crm' }).replace('/rest/', '/rest/api/');
    const denied = await call(noScope, 'demo.note.get', { id: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION');
  });

  test('Idempotency-Key comes back on both calls; keys are per method; reads ignore it', async () => {
    const headers = { 'Idempotency-Key': 'per-method' };
    const a = await call(v3, 'demo.note.add', { fields: { title: 'k' } }, { headers });
    expect(a.headers.get('idempotency-key')).toBe('per-method');
    const b = await call(v3, 'demo.note.update', { id: a.body.result.item.id, fields: { title: 'k2' } }, { headers });
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    const r1 = await call(v3, 'demo.note.get', { id: a.body.result.item.id }, { headers });
    expect(r1.headers.get('idempotency-key')).toBeNull();
    expect(r1.body.result.item.title).toBe('k2');
  });

  test('tasks.task.* on REST 3.0 over the same rows as REST 2', async () => {
    const add = await call(v3, 'tasks.task.add', {
      fields: {
        title: 'Prepare a report',
        creatorId: 1,
        responsibleId: 1,
        deadline: '2026-01-01T00:59:59+03:00',
        priority: 'high',
      },
    });
    expect(add.status).toBe(200);
    const item = add.body.result.item;
    expect(item).toMatchObject({
      title: 'Prepare a report',
      creatorId: 1,
      responsibleId: 1,
      priority: 'high',
      status: 'pending',
      allowsTimeTracking: false,
      deadline: '2025-12-31T21:59:59+00:00',
    });
    expect(typeof item.id).toBe('number');
    const legacy = await call(emu.webhookUrl, 'tasks.task.get', { taskId: item.id });
    expect(legacy.body.result.task).toMatchObject({ id: String(item.id), title: 'Prepare a report', priority: '2' });
    const onlyId = await call(v3, 'tasks.task.list', { filter: [['id', '=', item.id]] });
    expect(onlyId.body.result).toEqual({ items: [{ id: item.id }] });
    const listed = await call(v3, 'tasks.task.list', { filter: [['id', '=', item.id]], select: ['title', 'status'] });
    expect(listed.body.result.items).toEqual([{ id: item.id, title: 'Prepare a report', status: 'pending' }]);
    expect((await call(v3, 'tasks.task.update', { id: item.id, fields: { status: 'completed' } })).body.result).toEqual(
      { result: true },
    );
    expect((await call(v3, 'tasks.task.get', { id: item.id, select: ['status'] })).body.result.item).toEqual({
      id: item.id,
      status: 'completed',
    });
    const bad = await call(v3, 'tasks.task.add', {
      fields: { title: 'x', creatorId: 1, responsibleId: 1, deadline: 'soon' },
    });
    expect(bad.body.error.validation).toEqual([
      { message: 'Field `deadline` requires data type `DateTime` for this request', field: 'deadline' },
    ]);
    const missing = await call(v3, 'tasks.task.add', { fields: { title: 'x', responsibleId: 1 } });
    expect(missing.body.error.validation).toEqual([
      { message: 'Required field `creatorId` is missing', field: 'creatorId' },
    ]);
    const noId = await call(v3, 'tasks.task.get', {});
    expect(noId.body.error.validation[0].field).toBe('id');
    expect((await call(v3, 'tasks.task.delete', { id: item.id })).body.result).toEqual({ result: true });
    const gone = await call(v3, 'tasks.task.get', { id: item.id });
    expect(gone.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION');
  });

  test('every schema method with apiVersion 3 answers on /rest/api/ with REST 3.0 errors', async () => {
    const v3Methods = emu.methods().filter((m) => m.apiVersion === 3);
    expect(v3Methods.length).toBeGreaterThanOrEqual(100);
    const r = await call(v3, 'mail.mailbox.get', {});
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION');
    expect(r.body.error.validation[0].field).toBe('id');
    const ok = await call(v3, 'main.eventlog.list', {});
    expect(ok.status).toBe(200);
    expect(ok.body.total).toBeUndefined();
    expect(ok.body.next).toBeUndefined();
  });
});
