import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RestError, registerCrud, unknownName, type Domain, type Emulator, type EntityDef } from '../src/index.js';
import { call, start } from './helpers.js';

const taskEntity: EntityDef = {
  name: 'demo.task',
  table: 'demo_task',
  idField: 'id',
  wire: 'typed',
  fields: {
    title: { type: 'string', required: true, seed: "'Task ' || n" },
    responsibleId: { type: 'user', defaultCurrentUser: true },
    createdDate: { type: 'datetime', auto: 'createdAt' },
  },
};

const custom: Domain = (api) => {
  registerCrud(api, {
    prefix: 'demo.task',
    scope: 'task',
    entity: taskEntity,
    idParam: 'taskId',
    item: 'task',
    items: 'tasks',
    events: { add: 'ONDEMOTASKADD' },
  });
  api.method({
    name: 'demo.echo',
    scope: 'basic',
    handler: (ctx) => {
      if (ctx.params['fail'] === 'sql') ctx.portal.db.prepare('SELECT * FROM no_such_table').all();
      if (ctx.params['fail'] === 'rest') throw new RestError('DEMO_ERROR', 'demo failure', 418);
      ctx.spend(5);
      return { result: { params: ctx.params, user: ctx.auth.userId, type: ctx.auth.type } };
    },
  });
};

let emu: Emulator;
beforeAll(async () => {
  emu = await start({ domains: [custom] });
});
afterAll(() => emu.close());

describe('domain registration interface', () => {
  test('CRUD helper with item/items shapes, custom id param and typed wire', async () => {
    const add = await call(emu.webhookUrl, 'demo.task.add', { fields: { title: 'write docs' } });
    expect(add.body.result.task).toMatchObject({ id: 1, title: 'write docs', responsibleId: 1 });
    const get = await call(emu.webhookUrl, 'demo.task.get', { taskId: 1 });
    expect(get.body.result.task.id).toBe(1);
    emu.seed(unknownName('demo.task'), 60);
    const list = await call(emu.webhookUrl, 'demo.task.list', { select: ['id'], start: 50 });
    expect(list.body.result.tasks).toHaveLength(11);
    expect(list.body.result.tasks[0]).toEqual({ id: 51 });
    expect(list.body.total).toBe(61);
    const events = await call(emu.webhookUrl, 'events');
    expect(events.body.result).toContain('ONDEMOTASKADD');
  });

  test('custom methods: params, auth, errors', async () => {
    const r = await call(emu.webhookUrl, 'demo.echo', { a: [1, 2] });
    expect(r.body.result).toEqual({ params: { a: [1, 2] }, user: 1, type: 'webhook' });
    expect(r.body.time.processing).toBeGreaterThanOrEqual(0.005);
    const sql = await call(emu.webhookUrl, 'demo.echo', { fail: 'sql' });
    expect(sql.status).toBe(500);
    expect(sql.body).toEqual({ error: 'ERROR_CORE', error_description: 'SQL query error!' });
    const rest = await call(emu.webhookUrl, 'demo.echo', { fail: 'rest' });
    expect(rest.status).toBe(418);
    expect(rest.body.error).toBe('DEMO_ERROR');
  });

  test('method.get and methods see registered domains', async () => {
    expect((await call(emu.webhookUrl, 'method.get', { name: 'DEMO.ECHO' })).body.result).toEqual({
      isExisting: true,
      isAvailable: true,
    });
    expect((await call(emu.webhookUrl, 'method.get', { name: 'demo.none' })).body.result).toEqual({
      isExisting: false,
      isAvailable: false,
    });
    expect((await call(emu.webhookUrl, 'methods')).body.result).toEqual(
      expect.arrayContaining(['demo.echo', 'crm.deal.list', 'batch']),
    );
  });

  test('stats count requests, statuses and calls per method', async () => {
    emu.resetStats();
    await call(emu.webhookUrl, 'server.time');
    await call(emu.webhookUrl, 'no.such');
    await call(emu.webhookUrl, 'batch', { cmd: ['server.time', 'server.time'] });
    const s = emu.stats();
    expect(s.requests).toBe(3);
    expect(s.byStatus).toEqual({ '200': 2, '404': 1 });
    expect(s.callsByMethod).toEqual({ 'server.time': 3, batch: 1 });
    expect(s.calls).toBe(4);
  });

  test('a duplicate method name is refused at start', async () => {
    const dup: Domain = (api) => api.method({ name: 'Server.Time', scope: 'basic', handler: () => ({ result: 1 }) });
    await expect(start({ domains: [dup] })).rejects.toThrow(/registered twice/);
  });
});
