/**
 * The per-method operating-time budget (https://apidocs.bitrix24.com/limits.html, "Resource
 * Intensity Limits"): the gate's rule as a table, the in-process store's reservations, and many
 * concurrent calls of one slow method against the emulator over real sockets (0 x 429).
 */
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryLimiterStore,
  createCaller,
  mergeOperating,
  operatingWait,
  type Caller,
  type MethodDescriptor,
  type OperatingState,
} from '../src/index.js';

const t0 = 1_700_000_000_000;
const ask = { limit: 480, slowFrom: 0.75, calls: 1 };
const idle = { count: 0, reserved: 0 };
const state = (operating: number, extra: Partial<OperatingState> = {}): OperatingState => ({
  operating,
  resetAt: t0 + 100_000,
  blockedUntil: 0,
  cost: 20,
  ...extra,
});

describe('operatingWait: the gate', () => {
  it.each([
    ['nothing known: the first call goes', undefined, idle, 0],
    ['cost unknown and a call in flight: it learns the cost first', undefined, { count: 1, reserved: 0 }, 100],
    ['well below the limit: goes, whatever is in flight', state(100), { count: 5, reserved: 100 }, 0],
    ['in flight takes it past slowFrom: one at a time (poll)', state(300), { count: 3, reserved: 60 }, 1000],
    ['past slowFrom, nothing in flight, room for one: goes', state(440), idle, 0],
    ['no room for one more call: waits for the oldest bucket', state(461), idle, 100_000],
    ['over the limit after the reset (stale): one call brings a fresh figure', state(500, { resetAt: t0 }), idle, 0],
    ['blocked by a 429: waits for the block', state(100, { blockedUntil: t0 + 5_000 }), idle, 5_000],
  ] as const)('%s', (_, s, inFlight, wait) => {
    expect(operatingWait(s, inFlight, ask, t0)).toBe(wait);
  });

  it('a batch reserves each of its commands', () => {
    expect(operatingWait(state(200), idle, { ...ask, calls: 8 }, t0)).toBe(0); // 200 + 160 = 360
    expect(operatingWait(state(200), idle, { ...ask, calls: 15 }, t0)).toBe(100_000); // 200 + 300 > 480
  });

  it('merges figures that arrive out of order, and keeps a decaying maximum of the cost', () => {
    let s = mergeOperating(undefined, { operating: 100, resetAt: 2_000_000, cost: 10 });
    s = mergeOperating(s, { operating: 80, resetAt: 2_000_000, cost: 2 }); // same window, late answer
    expect(s).toEqual({ operating: 100, resetAt: 2_000_000, blockedUntil: 0, cost: 9 });
    s = mergeOperating(s, { operating: 5, resetAt: 1_000_000 }); // an earlier window
    expect(s.operating).toBe(100);
    s = mergeOperating({ ...s, blockedUntil: 3_000_000 }, { operating: 20, resetAt: 3_000_000, cost: 12 });
    expect(s).toEqual({ operating: 20, resetAt: 3_000_000, blockedUntil: 3_000_000, cost: 12 });
  });
});

describe('MemoryLimiterStore: operating reservations', () => {
  const gate = { ...ask, ttlMs: 60_000 };

  it('counts calls in flight until their answers settle them', () => {
    const store = new MemoryLimiterStore();
    store.setOperating('k', state(310));
    // 310 + 20 <= 360 goes, 310 + 20 + 20 too; 310 + 20 + 20 + 20 > 360 with calls in flight: poll.
    expect(store.acquireOperating('k', { ...gate, id: 'a' }, t0)).toBe(0);
    expect(store.acquireOperating('k', { ...gate, id: 'b' }, t0)).toBe(0);
    expect(store.acquireOperating('k', { ...gate, id: 'c' }, t0)).toBeGreaterThan(0);
    // a's answer: the server's figure now includes a (and maybe b).
    store.settleOperating('k', 'a', { operating: 325, resetAt: t0 + 100_000, cost: 25 }, true, t0);
    expect(store.getOperating('k')).toMatchObject({ operating: 325, cost: 25 });
    expect(store.acquireOperating('k', { ...gate, id: 'c' }, t0)).toBeGreaterThan(0); // 325 + 20 + 25 > 360
    store.settleOperating('k', 'b', undefined, false, t0); // b failed before it was sent
    expect(store.acquireOperating('k', { ...gate, id: 'c' }, t0)).toBe(0); // 325 + 25 <= 360
  });

  it('adds the cost of a call answered without its own figure (a batch), and forgets reservations of the dead', () => {
    const store = new MemoryLimiterStore();
    store.setOperating('k', state(100));
    expect(store.acquireOperating('k', { ...gate, id: 'batch', calls: 3 }, t0)).toBe(0);
    store.settleOperating('k', 'batch', undefined, true, t0);
    expect(store.getOperating('k')?.operating).toBe(160);
    // Reservations that are never settled stop counting after their ttl.
    store.setOperating('k', state(400));
    expect(store.acquireOperating('k', { ...gate, id: 'lost' }, t0)).toBe(0);
    expect(store.acquireOperating('k', { ...gate, id: 'next' }, t0 + 1_000)).toBe(1000);
    expect(store.acquireOperating('k', { ...gate, id: 'next' }, t0 + 60_001)).toBe(0);
  });
});

describe('many concurrent calls of one slow method against the emulator', () => {
  const list: MethodDescriptor = {
    method: 'crm.deal.list',
    scope: 'crm',
    idempotent: true,
    batchable: true,
    appOnly: false,
    apiVersion: 2,
  };
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  it('16 at a time, 48 calls worth twice the limit: 0 x 429, every call answered once', async () => {
    // The portal's proportions shrunk 100 times: a 480 s limit in a 600 s window of ten buckets,
    // and calls of 1/24 of the limit (the docs' example: 20 s calls against 480 s).
    const windowMs = 6_000;
    const limitMs = 4_800;
    const costMs = 200;
    const emu: Emulator = await startEmulator({
      plan: 'unlimited',
      operatingLimitMs: limitMs,
      operatingWindowMs: windowMs,
      timeModel: { perMethodMs: { 'crm.deal.list': costMs } },
    });
    open.push(emu);
    const code = new URL(emu.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
    const caller: Caller = createCaller({
      credentials: {
        portal: emu.baseUrl,
        kind: 'webhook',
        prepare: async (d) => ({ url: `${emu.webhookUrl}${d.method}.json` }),
        redact: (t) => t.replaceAll(code, '***'),
      },
      limiter: false,
      limiterStore: new MemoryLimiterStore(),
      operating: { limitSeconds: limitMs / 1000 },
    });
    open.push(caller);
    const calls = 48;
    let next = 0;
    let ok = 0;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < calls) {
          next++;
          try {
            await caller.call(list, {});
            ok++;
          } catch (error) {
            failures.push(String((error as Error).message));
          }
        }
      }),
    );
    const stats = emu.stats();
    expect(failures).toEqual([]);
    expect(ok).toBe(calls);
    expect(stats.operatingLimited).toBe(0);
    expect(caller.stats().requests).toBe(calls);
    // The run spent more than one window's limit, so it went through at least one reset.
    expect(stats.operatingMsByMethod['crm.deal.list']).toBeGreaterThan(limitMs);
  }, 120_000);
});
