import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { call, start } from './helpers.js';

let emu: Emulator;
const hook = () => emu.webhookUrl;
beforeAll(async () => {
  emu = await start();
  emu.seed('crm.deal', 60);
});
afterAll(() => emu.close());

describe('batch', () => {
  test('map cmd with $result references and result_total/result_next/result_time', async () => {
    const r = await call(hook(), 'batch', {
      halt: 0,
      cmd: {
        list: 'crm.deal.list?filter[>ID]=3&select[]=ID&select[]=TITLE',
        one: 'crm.deal.get?id=$result[list][0][ID]',
        title: 'crm.deal.add?fields[TITLE]=copy of $result[list][1][TITLE]',
        nxt: 'crm.deal.get?id=$next[list]',
        tot: 'crm.deal.get?id=$total[list]',
      },
    });
    expect(r.status).toBe(200);
    const b = r.body.result;
    expect(b.result.list).toHaveLength(50);
    expect(b.result.one.ID).toBe('4');
    const newId = b.result.title;
    expect((await call(hook(), 'crm.deal.get', { id: newId })).body.result.TITLE).toBe('copy of Deal #5');
    expect(b.result.nxt.ID).toBe('50');
    expect(b.result.tot.ID).toBe('57');
    expect(b.result_total).toEqual({ list: 57 });
    expect(b.result_next).toEqual({ list: 50 });
    expect(b.result_error).toEqual([]);
    expect(Object.keys(b.result_time)).toEqual(['list', 'one', 'title', 'nxt', 'tot']);
    expect(typeof b.result_time.one.processing).toBe('number');
    expect(typeof r.body.time.duration).toBe('number');
  });

  test('whole-value reference inserts the raw array; list cmd gives a list result', async () => {
    await call(hook(), 'crm.deal.update', { id: 1, fields: { CONTACT_IDS: [2, 3] } });
    const r = await call(hook(), 'batch', {
      cmd: ['crm.deal.get?id=1', 'crm.deal.list?filter[@ID]=$result[0][CONTACT_IDS]&select[]=ID'],
    });
    expect(Array.isArray(r.body.result.result)).toBe(true);
    expect(r.body.result.result[1]).toEqual([{ ID: '2' }, { ID: '3' }]);
    // Inside a longer string a non-scalar is left as it is.
    const s = await call(hook(), 'batch', {
      cmd: { g: 'crm.deal.get?id=1', a: 'crm.deal.add?fields[TITLE]=x$result[g][CONTACT_IDS]' },
    });
    const id = s.body.result.result.a;
    expect((await call(hook(), 'crm.deal.get', { id })).body.result.TITLE).toBe('x$result[g][CONTACT_IDS]');
  });

  test('halt=0 collects errors per key; halt=1 stops at the first failure', async () => {
    const cmd = { a: 'crm.deal.get?id=1', b: 'crm.deal.get?id=999999', c: 'server.time' };
    const soft = (await call(hook(), 'batch', { halt: 0, cmd })).body.result;
    expect(Object.keys(soft.result)).toEqual(['a', 'c']);
    expect(soft.result_error).toEqual({ b: { error: '', error_description: 'Not found' } });
    const hard = (await call(hook(), 'batch', { halt: 1, cmd })).body.result;
    expect(Object.keys(hard.result)).toEqual(['a']);
    expect(Object.keys(hard.result_error)).toEqual(['b']);
  });

  test('list cmd with a failure becomes an object keyed by index', async () => {
    const r = (await call(hook(), 'batch', { cmd: ['server.time', 'no.such.method', 'server.time'] })).body.result;
    expect(Array.isArray(r.result)).toBe(false);
    expect(Object.keys(r.result)).toEqual(['0', '2']);
    expect(r.result_error['1'].error).toBe('ERROR_METHOD_NOT_FOUND');
  });

  test('more than 50 commands: extras get ERROR_BATCH_LENGTH_EXCEEDED; nested batch refused', async () => {
    const cmd: Record<string, string> = {};
    for (let i = 0; i < 53; i++) cmd[`c${i}`] = 'server.time';
    cmd['c10'] = 'batch?cmd[x]=server.time';
    const r = (await call(hook(), 'batch', { cmd })).body.result;
    expect(Object.keys(r.result)).toHaveLength(49);
    expect(r.result_error['c10'].error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
    for (const k of ['c50', 'c51', 'c52']) expect(r.result_error[k].error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
  });

  test('form-encoded batch with double-encoded commands and uppercase keys', async () => {
    const body = `HALT=0&CMD[a]=crm.deal.add%3Ffields%5BTITLE%5D%3DJohn%2526Martin&CMD[b]=crm.deal.get%3Fid%3D%24result%5Ba%5D`;
    const res = await fetch(`${hook()}batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const r = ((await res.json()) as any).result;
    expect(r.result.b.TITLE).toBe('John&Martin');
  });

  test('inner commands keep the outer auth: scope errors per command', async () => {
    const url = emu.createWebhook({ scopes: 'task' });
    const r = (await call(url, 'batch', { cmd: { t: 'server.time', d: 'crm.deal.list' } })).body.result;
    expect(Object.keys(r.result)).toEqual(['t']);
    expect(r.result_error.d.error).toBe('insufficient_scope');
  });
});
