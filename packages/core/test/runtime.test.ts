/**
 * The runtime's promises against the emulator over real sockets: exports and bulk writes under
 * injected faults, the rate limiter under a burst of concurrent calls, and aborts.
 */
import { performance } from 'node:perf_hooks';
import { startEmulator, type Emulator, type FaultOptions, type MethodName } from '@b24kit/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  B24AbortError,
  B24RateLimitError,
  MemoryLimiterStore,
  createCaller,
  ref,
  type BulkResult,
  type Caller,
  type CallerOptions,
  type Clock,
  type Credentials,
  type MethodDescriptor,
} from '../src/index.js';

const list: MethodDescriptor = {
  method: 'crm.deal.list',
  scope: 'crm',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
  list: { rows: '', idField: 'ID', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
};
const add: MethodDescriptor = {
  method: 'crm.deal.add',
  scope: 'crm',
  idempotent: false,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
};
const get: MethodDescriptor = {
  method: 'crm.deal.get',
  scope: 'crm',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
};

/** About one request in ten fails: 500, 503, a reset connection or broken JSON (first rule that fires wins). */
function faults(seed: number, methods?: MethodName[]): FaultOptions {
  const rate = 0.026; // 1 - (1 - 0.026)^4 ≈ 10%
  const kinds = ['500', '503', 'reset', 'malformed'] as const;
  return { seed, rules: kinds.map((kind) => ({ kind, rate, ...(methods ? { methods } : {}) })) };
}

function faultCount(emu: Emulator): number {
  return Object.values(emu.stats().faults).reduce((a, b) => a + b, 0);
}

function credentialsFor(emu: Emulator): Credentials {
  const code = new URL(emu.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
  return {
    portal: emu.baseUrl,
    kind: 'webhook',
    prepare: async (d) => ({ url: `${emu.webhookUrl}${d.method}.json` }),
    redact: (t) => t.replaceAll(code, '***'),
  };
}

const open: { close(): Promise<void> }[] = [];
function caller(emu: Emulator, extra: Partial<CallerOptions> = {}): Caller {
  const c = createCaller({
    credentials: credentialsFor(emu),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  });
  open.push(c);
  return c;
}
async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(options);
  open.push(emu);
  return emu;
}
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Every deal as id -> TITLE, read on a fault-free path. */
async function titles(emu: Emulator): Promise<Map<number, string>> {
  emu.setFaults(undefined);
  emu.setLatency(0);
  const c = caller(emu);
  const out = new Map<number, string>();
  for await (const row of c.paginate<{ ID: string; TITLE: string }>(list, { select: ['ID', 'TITLE'] }))
    out.set(Number(row.ID), row.TITLE);
  return out;
}

describe('an export of 100,000 rows under ~10% injected faults', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ plan: 'unlimited' });
    expect(emu.seed('crm.deal', 100_000)).toBe(100_000);
  });
  afterAll(() => emu.close());

  async function check(rows: AsyncIterable<{ ID: string; TITLE: string }>, from = 1): Promise<void> {
    const ids = new Set<number>();
    let count = 0;
    for await (const row of rows) {
      ids.add(Number(row.ID));
      count++;
    }
    const expected = 100_000 - from + 1;
    expect(count).toBe(expected);
    expect(ids.size).toBe(expected);
    expect(Math.min(...ids)).toBe(from);
    expect(Math.max(...ids)).toBe(100_000);
  }

  it('paginate yields every row exactly once, retrying every failed read', async () => {
    emu.setFaults(faults(11));
    emu.resetStats();
    const c = caller(emu);
    await check(c.paginate(list, { select: ['ID', 'TITLE'] }, { pagesPerRequest: 20 }));
    const injected = faultCount(emu);
    expect(injected).toBeGreaterThanOrEqual(5);
    expect(Object.keys(emu.stats().faults).sort()).toEqual(['500', '503', 'malformed', 'reset']);
    // Each injected fault cost exactly one failed attempt, and each was retried.
    expect(c.stats().retries).toBe(injected);
  }, 60_000);

  it('paginateParallel over 4 id ranges yields every row exactly once (the last 40,000)', async () => {
    emu.setFaults(faults(12));
    emu.resetStats();
    const c = caller(emu);
    await check(
      c.paginateParallel(
        list,
        { select: ['ID', 'TITLE'], filter: { '>ID': 60_000 } },
        { chains: 4, pagesPerRequest: 10 },
      ),
      60_001,
    );
    expect(faultCount(emu)).toBeGreaterThanOrEqual(5);
    expect(c.stats().retries).toBeGreaterThanOrEqual(faultCount(emu));
  }, 60_000);
});

describe('bulk add under ~10% injected faults', () => {
  it('creates no duplicate and reports every row whose outcome is unknown by index', async () => {
    const emu = await emulator({ plan: 'unlimited', faults: faults(5, ['batch']) });
    const c = caller(emu);
    const n = 3000;
    const rows = Array.from({ length: n }, (_, i) => ({ fields: { TITLE: `bulk-${i}` } }));
    let reported = 0;
    const report = await c.bulk<number>(add, rows, {
      chunk: 25,
      concurrency: 4,
      onResults: (r) => (reported += r.length),
    });

    expect(report.results).toHaveLength(n);
    expect(report.results.every((r, i) => r.index === i)).toBe(true);
    expect(reported).toBe(n);
    expect(report.succeeded + report.failed.length + report.unknown.length).toBe(n);
    expect(report.aborted).toBe(false);
    const injected = emu.stats().faults;
    expect(injected['503'] ?? 0).toBeGreaterThan(0);
    // 500s, resets and broken answers leave whole chunks unknown; 503s were refused and resent.
    expect(report.unknown.length).toBeGreaterThan(0);
    expect(report.unknown.length % 25).toBe(0);
    expect(report.unknown.length / 25).toBe((injected['500'] ?? 0) + (injected.reset ?? 0) + (injected.malformed ?? 0));
    expect(report.failed).toEqual([]);
    for (const i of report.unknown) {
      const r = report.results[i] as Extract<BulkResult, { ok: false }>;
      expect(r.outcomeUnknown).toBe(true);
      expect(r.error.outcomeUnknown).toBe(true);
      expect(r.error.message).toContain('not repeated');
    }

    const stored = await titles(emu);
    const byTitle = new Map<string, number>();
    for (const [id, title] of stored) {
      expect(byTitle.has(title)).toBe(false); // no TITLE twice
      byTitle.set(title, id);
    }
    const present = new Set([...byTitle.keys()].map((t) => Number(t.slice('bulk-'.length))));
    const ok = report.results.filter((r) => r.ok);
    // Every success is stored under the id it returned ...
    for (const r of ok) expect(byTitle.get(`bulk-${r.index}`)).toBe(Number(r.result));
    // ... and every stored row is a success or one of the reported unknowns.
    const unknown = new Set(report.unknown);
    for (const i of present) expect(report.results[i]!.ok || unknown.has(i)).toBe(true);
    expect(stored.size).toBe(ok.length + report.unknown.filter((i) => present.has(i)).length);
    // "Unknown" is honest: with these faults some unknown rows ran (broken answer) and some did not.
    if ((injected.malformed ?? 0) > 0) expect(report.unknown.some((i) => present.has(i))).toBe(true);
    if ((injected['500'] ?? 0) + (injected.reset ?? 0) > 0)
      expect(report.unknown.some((i) => !present.has(i))).toBe(true);

    // Nothing is lost: looking the unknown rows up and adding the missing ones completes the set.
    const missing = report.unknown.filter((i) => !present.has(i));
    const again = await c.bulk(
      add,
      missing.map((i) => rows[i]),
    );
    expect(again.succeeded).toBe(missing.length);
    const after = await titles(emu);
    expect(after.size).toBe(n);
    expect(new Set(after.values()).size).toBe(n);
  }, 60_000);

  it('resends rows the server refused before running them, and only those', async () => {
    // With an operating-time limit of 0 the first crm.deal.add runs and every later one in the
    // batch is refused (429 OPERATION_TIME_LIMIT per command) without running.
    const emu = await emulator({ plan: 'unlimited' });
    const c = caller(emu, { operating: false });
    emu.setOperatingLimit(0);
    const rows = Array.from({ length: 60 }, (_, i) => ({ fields: { TITLE: `refused-${i}` } }));
    let requests = 0;
    const report = await c.bulk<number>(add, rows, {
      chunk: 30,
      onResults: () => {
        if (++requests === 1) emu.setOperatingLimit(480_000);
      },
    });
    expect(emu.stats().operatingLimited).toBe(29);
    expect(report.succeeded).toBe(60);
    expect(emu.stats().requests).toBe(3); // two chunks, then the 29 refused rows again
    const stored = await titles(emu);
    expect(stored.size).toBe(60);
    expect(new Set(stored.values()).size).toBe(60);
    for (const r of report.results) expect(stored.get(Number(r.ok && r.result))).toBe(`refused-${r.index}`);
  });

  it('reports refused rows as not run once the resends are spent', async () => {
    const emu = await emulator({ plan: 'unlimited' });
    const c = caller(emu, { operating: false });
    emu.setOperatingLimit(0);
    const rows = Array.from({ length: 40 }, (_, i) => ({ fields: { TITLE: `refused-${i}` } }));
    const report = await c.bulk(add, rows, { refusedRetries: 1 });
    expect(report.succeeded).toBe(1);
    expect(report.failed).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect(report.unknown).toEqual([]);
    const failure = report.results[1] as Extract<BulkResult, { ok: false }>;
    expect(failure.error.code).toBe('OPERATION_TIME_LIMIT');
    expect(failure.outcomeUnknown).toBe(false);
    expect(emu.stats().operatingLimited).toBe(39 * 2);
    expect((await titles(emu)).size).toBe(1);
  });

  it('checks every row before sending anything', async () => {
    const emu = await emulator({ plan: 'unlimited' });
    const c = caller(emu);
    const rows = [{ fields: { TITLE: 'a' } }, { fields: { TITLE: null } }, { fields: { TITLE: 'c' } }];
    await expect(c.bulk(add, rows)).rejects.toThrow(/row 1: .*null/);
    expect(emu.stats().requests).toBe(0);
    await expect(c.bulk(add, rows, { chunk: 51 })).rejects.toThrow('chunk must be an integer 1..50');
    await expect(c.bulk(add, [{ fields: { TITLE: 'x' } }, { fields: { TITLE: ref('r0') } }])).rejects.toThrow(
      'row 1: batch references',
    );
  });
});

describe('the rate limiter against the standard plan', () => {
  /**
   * The standard bucket drains 2 requests a second, so 200 calls take 75 s of portal time.
   * Both sides read one clock that runs `scale` times faster than the wall clock, which also
   * magnifies every stall of this busy process 25 times: the limiter's last gate (a request
   * fills the bucket from when it leaves and drains only once answered) is what keeps it safe.
   */
  function fastClock(scale: number): Clock {
    const t0 = Date.now();
    const p0 = performance.now();
    return {
      now: () => t0 + (performance.now() - p0) * scale,
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          const timer = setTimeout(resolve, ms / scale);
          signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
        }),
    };
  }

  it('200 concurrent calls: all succeed and the portal sends no 503', async () => {
    const clock = fastClock(25);
    const emu = await emulator({ plan: 'standard', now: clock.now });
    emu.seed('crm.deal', 1);
    const c = caller(emu, { limiter: 'standard', clock, retry: false });
    await c.call(get, { id: 1 });
    await clock.sleep(1000); // the warm-up request drains from both buckets
    const started = clock.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => c.call<{ ID: string }>(get, { id: 1 })));
    expect(results.every((r) => r.ID === '1')).toBe(true);
    expect(emu.stats().rateLimited).toBe(0);
    expect(emu.stats().byStatus['503']).toBeUndefined();
    expect(emu.stats().byStatus['200']).toBe(201);
    // It really had to wait: 152 calls beyond the usable burst at 2 a second.
    expect(c.stats().waits).toBeGreaterThan(100);
    expect(clock.now() - started).toBeGreaterThan(70_000);
  });

  it('without the limiter the same burst is refused (the check above can fail)', async () => {
    // In real time, so the bucket barely drains while the burst goes out.
    const emu = await emulator({ plan: 'standard' });
    emu.seed('crm.deal', 1);
    const c = caller(emu, { limiter: false, retry: false });
    const settled = await Promise.allSettled(Array.from({ length: 200 }, () => c.call(get, { id: 1 })));
    const refused = settled.filter((s) => s.status === 'rejected' && s.reason instanceof B24RateLimitError);
    expect(refused.length).toBeGreaterThan(100);
    expect(emu.stats().rateLimited).toBe(refused.length);
  });
});

describe('abort', () => {
  it('stops a call under way at once, as AbortError, and never repeats it', async () => {
    const emu = await emulator({ plan: 'unlimited', latencyMs: 3000 });
    const c = caller(emu);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = (await c
      .call(add, { fields: { TITLE: 'aborted' } }, { signal: controller.signal })
      .catch((e: unknown) => e)) as B24AbortError;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(B24AbortError);
    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('ABORTED');
    // It was on the wire: it may have run.
    expect(error.outcomeUnknown).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.stats()).toMatchObject({ requests: 1, retries: 0 });
    expect(emu.stats().requests).toBe(1);
  });

  it('an abort before sending says the call did not run', async () => {
    const emu = await emulator({ plan: 'unlimited' });
    const c = caller(emu, { limiter: { burst: 2, drainPerSecond: 0.2 } });
    await c.call(get, { id: 1 }).catch(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await c
      .call(add, { fields: { TITLE: 'never' } }, { signal: controller.signal })
      .catch((e: unknown) => e)) as B24AbortError;
    expect(error).toBeInstanceOf(B24AbortError);
    expect(error.outcomeUnknown).toBe(false);
    expect(emu.stats().requests).toBe(1);
  });

  it('stops an export between requests and mid-request, sending nothing more', async () => {
    const emu = await emulator({ plan: 'unlimited' });
    emu.seed('crm.deal', 20_000);
    const c = caller(emu);
    const controller = new AbortController();
    let rows = 0;
    let abortedAt = 0;
    const error = await (async () => {
      for await (const _ of c.paginate(list, { select: ['ID'] }, { signal: controller.signal })) {
        if (++rows === 50) {
          // The next request (pages 2..3 in one batch) will take 1.5 s: abort while it is under way.
          emu.setLatency(1500);
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 200);
        }
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24AbortError);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(rows).toBe(50);
    const requests = emu.stats().requests;
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.stats().requests).toBe(requests);
    expect(c.stats().retries).toBe(0);
  });

  it('a bulk run reports sent, in-flight and unsent rows when aborted', async () => {
    const emu = await emulator({ plan: 'unlimited', latencyMs: 600 });
    const c = caller(emu);
    const controller = new AbortController();
    const rows = Array.from({ length: 200 }, (_, i) => ({ fields: { TITLE: `abort-${i}` } }));
    let chunks = 0;
    const report = await c.bulk<number>(add, rows, {
      chunk: 50,
      signal: controller.signal,
      onResults: () => {
        if (++chunks === 1) setTimeout(() => controller.abort(), 200);
      },
    });
    expect(report.aborted).toBe(true);
    expect(report.succeeded).toBe(50);
    expect(report.unknown).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    expect(report.failed).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    for (const i of [...report.unknown, ...report.failed])
      expect((report.results[i] as { error: Error }).error).toBeInstanceOf(B24AbortError);
    expect(emu.stats().requests).toBe(2);
    await new Promise((r) => setTimeout(r, 800));
    const stored = await titles(emu);
    const indexes = [...stored.values()].map((t) => Number(t.slice('abort-'.length)));
    expect(indexes.every((i) => i < 100)).toBe(true);
    expect(indexes.filter((i) => i < 50)).toHaveLength(50);
  });
});
