import { afterEach, describe, expect, it } from 'vitest';
import {
  B24Error,
  B24NotFoundError,
  B24ValidationError,
  MemoryLimiterStore,
  createCaller,
  ref,
  type Caller,
} from '../src/index.js';
import { startFakePortal, type FakePortal } from './fake-portal.js';
import { descriptor, webhook } from './helpers.js';

let portal: FakePortal;
let caller: Caller;
afterEach(async () => {
  await caller.close();
  await portal.close();
});

async function setup(ids: number[] = [1, 2, 3]): Promise<void> {
  portal = await startFakePortal({ ids });
  caller = createCaller({
    credentials: webhook(portal.origin),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: false,
  });
}

const list = descriptor('crm.deal.list', { idempotent: true });
const echo = descriptor('echo', { idempotent: true });
const fail = descriptor('fail.me');

describe('batch', () => {
  it('returns one result per command, resolving references on the server', async () => {
    await setup([10, 20, 30]);
    const out = await caller.batch({
      first: [list, { filter: { '>ID': 10 }, select: ['ID'] }],
      second: [echo, { id: ref('first', 0, 'ID'), text: 'a&b c', flag: false }],
    });
    expect(out.first).toMatchObject({ ok: true, result: [{ ID: '20' }, { ID: '30' }], total: 2 });
    expect(out.second).toMatchObject({ ok: true, result: { id: '20', text: 'a&b c', flag: '0' } });
    expect(out.first.ok && out.first.time?.operating).toBe(1.5);
    expect(portal.batchCalls).toBe(1);
    const body = portal.hits[0]!.body as { halt: number; cmd: Record<string, string> };
    expect(body.halt).toBe(0);
    expect(body.cmd.first).toBe('crm.deal.list?filter[%3EID]=10&select[0]=ID');
    // Operating time of each inner command is fed to the stats (batch itself is not counted).
    expect(caller.stats().operating).toEqual({ 'crm.deal.list': 1.5, echo: 1.5 });
  });

  it('returns per-command errors as B24Error instances instead of throwing', async () => {
    await setup();
    const out = await caller.batch({ a: [fail, { what: 'x' }], b: [descriptor('no.such')], c: [echo, { v: 1 }] });
    expect(out.a.ok).toBe(false);
    if (!out.a.ok) {
      expect(out.a.error).toBeInstanceOf(B24Error);
      expect(out.a.error).toMatchObject({ code: 'ERROR_ARGUMENT', description: 'bad x', method: 'fail.me' });
    }
    expect(!out.b.ok && out.b.error).toBeInstanceOf(B24NotFoundError);
    expect(out.c).toMatchObject({ ok: true, result: { v: '1' } });
  });

  it('with halt, commands after the failure are reported as not executed', async () => {
    await setup();
    const out = await caller.batch({ a: [echo, { v: 1 }], b: [fail], c: [echo, { v: 2 }] }, { halt: true });
    expect(out.a.ok).toBe(true);
    expect(!out.b.ok && out.b.error.code).toBe('ERROR_ARGUMENT');
    expect(!out.c.ok && out.c.error.code).toBe('BATCH_NOT_EXECUTED');
    expect((portal.hits[0]!.body as { halt: number }).halt).toBe(1);
  });

  it('accepts an array and returns an array in the same order', async () => {
    await setup();
    const out = await caller.batch([
      [echo, { v: 'a' }],
      [echo, { v: ref(0, 'v') }],
    ]);
    expect(out.map((i) => i.ok && i.result)).toEqual([{ v: 'a' }, { v: 'a' }]);
  });

  it('sends more than 50 commands in chunks of 50', async () => {
    await setup();
    const commands = Array.from({ length: 120 }, (_, i) => [echo, { i }] as const);
    const out = await caller.batch(commands);
    expect(portal.batchCalls).toBe(3);
    expect(out).toHaveLength(120);
    expect(out.map((o) => o.ok && (o.result as { i: string }).i)).toEqual(commands.map((_, i) => String(i)));
  });

  it('with halt, a failing chunk stops later chunks', async () => {
    await setup();
    const commands = Array.from({ length: 60 }, (_, i) => (i === 10 ? ([fail] as const) : ([echo, { i }] as const)));
    const out = await caller.batch(commands, { halt: true });
    expect(portal.batchCalls).toBe(1);
    expect(out.slice(11).every((o) => !o.ok && o.error.code === 'BATCH_NOT_EXECUTED')).toBe(true);
    expect(out.slice(0, 10).every((o) => o.ok)).toBe(true);
  });

  it('refuses bad commands before sending anything', async () => {
    await setup();
    const error = await caller
      .batch({ a: [echo, { x: null }], b: [descriptor('disk.upload', { batchable: false })] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24ValidationError);
    expect((error as B24ValidationError).problems).toHaveLength(2);
    expect(portal.hits).toHaveLength(0);
  });
});
