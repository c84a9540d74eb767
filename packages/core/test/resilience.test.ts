import { afterEach, describe, expect, it } from 'vitest';
import {
  B24AccessDeniedError,
  B24AuthError,
  B24NetworkError,
  B24OperatingLimitError,
  B24ServerError,
  MemoryLimiterStore,
  createCaller,
  type CallerOptions,
  type Clock,
  type LimitEvent,
  type RetryEvent,
} from '../src/index.js';
import { SECRET, descriptor, json, methodOf, startServer, webhook, type TestServer } from './helpers.js';

const servers: TestServer[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(): Promise<TestServer> {
  const s = await startServer();
  servers.push(s);
  return s;
}

/** A clock whose sleeps return at once but are recorded and advance its time. */
function fakeClock(start = 1_700_000_000_000): Clock & { slept: number[]; t: number } {
  const clock = {
    t: start,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

function make(s: TestServer, extra: Partial<CallerOptions> = {}) {
  const c = createCaller({
    credentials: webhook(s.origin),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: { random: () => 0.5, baseDelayMs: 10 },
    ...extra,
  });
  closers.push(() => c.close());
  return c;
}

const read = descriptor('crm.deal.get', { idempotent: true });
const write = descriptor('crm.deal.add', { idempotent: false });

describe('retries over a real socket', () => {
  it('never repeats a write after a connection reset, and says so', async () => {
    const s = await server();
    s.handle((_, res) => res.socket?.destroy());
    const retries: RetryEvent[] = [];
    const c = make(s, { hooks: { onRetry: (e) => retries.push(e) } });
    const error = (await c.call(write, { fields: { TITLE: 'x' } }).catch((e: unknown) => e)) as B24NetworkError;
    expect(error).toBeInstanceOf(B24NetworkError);
    expect(s.hits).toHaveLength(1);
    expect(retries).toHaveLength(0);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('outcome unknown');
    expect(error.message).toContain('crm.deal.add is not idempotent, so it was not repeated');
    expect(error.message).not.toContain(SECRET);
  });

  it('repeats a read after a reset and succeeds', async () => {
    const s = await server();
    s.handle((hit, res) => (s.hits.length === 1 ? res.socket?.destroy() : json(res, 200, { result: { ID: '1' } })));
    const retries: RetryEvent[] = [];
    const c = make(s, { hooks: { onRetry: (e) => retries.push(e) } });
    await expect(c.call(read, { id: 1 })).resolves.toEqual({ ID: '1' });
    expect(s.hits).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ method: 'crm.deal.get', attempt: 1, reason: 'NETWORK_ERROR' });
    expect(c.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('does not repeat a write after a 500, repeats a read', async () => {
    const s = await server();
    s.handle((_, res) =>
      json(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }),
    );
    const c = make(s);
    const error = (await c.call(write).catch((e: unknown) => e)) as B24ServerError;
    expect(error).toBeInstanceOf(B24ServerError);
    expect(error.outcomeUnknown).toBe(true);
    expect(s.hits).toHaveLength(1);
    s.handle((_, res) => (s.hits.length < 4 ? json(res, 502, '<html>') : json(res, 200, { result: 7 })));
    await expect(c.call(read)).resolves.toBe(7);
    expect(s.hits).toHaveLength(4);
  });

  it('spends only the retry budget', async () => {
    const s = await server();
    s.handle((_, res) => json(res, 500, { error: 'INTERNAL_SERVER_ERROR' }));
    const c = make(s, { retry: { maxRetries: 2, baseDelayMs: 1, random: () => 0 } });
    const error = (await c.call(read).catch((e: unknown) => e)) as B24ServerError;
    expect(s.hits).toHaveLength(3);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('gave up after 3 attempts');
  });

  it('repeats a timed-out read but not a timed-out write', async () => {
    const s = await server();
    s.handle((_, res) =>
      s.hits.length === 1
        ? setTimeout(() => json(res, 200, { result: 'late' }), 1500)
        : json(res, 200, { result: 'ok' }),
    );
    const c = make(s);
    await expect(c.call(read, {}, { timeout: 200 })).resolves.toBe('ok');
    expect(s.hits).toHaveLength(2);
    s.hits.length = 0;
    const error = await c.call(write, {}, { timeout: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', outcomeUnknown: true });
    expect(s.hits).toHaveLength(1);
  });

  it('repeats a write refused with 503 QUERY_LIMIT_EXCEEDED after the limiter wait', async () => {
    const s = await server();
    s.handle((_, res) =>
      s.hits.length === 1
        ? json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
        : json(res, 200, { result: 42 }),
    );
    const limits: LimitEvent[] = [];
    const clock = fakeClock();
    const c = make(s, { limiter: { burst: 50, drainPerSecond: 2 }, clock, hooks: { onLimit: (e) => limits.push(e) } });
    await expect(c.call(write)).resolves.toBe(42);
    expect(s.hits).toHaveLength(2);
    // The overflow filled the bucket, so the retry waited one drain step.
    expect(limits).toEqual([{ method: 'crm.deal.add', kind: 'rate', waitMs: 500 }]);
    expect(c.stats()).toMatchObject({ waits: 1, waitedMs: 500, retries: 1 });
  });

  it('honours Retry-After on 503', async () => {
    const s = await server();
    s.handle((_, res) =>
      s.hits.length === 1
        ? json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED' }, { 'retry-after': '3' })
        : json(res, 200, { result: 1 }),
    );
    const clock = fakeClock();
    const c = make(s, { clock });
    await c.call(write);
    expect(clock.slept).toEqual([3000]);
  });

  it('on 429 waits for operating_reset_at, then repeats, and slows before the limit', async () => {
    const s = await server();
    const clock = fakeClock();
    const resetAt = Math.floor(clock.t / 1000) + 90;
    let n = 0;
    s.handle((_, res) => {
      n++;
      if (n === 1) return json(res, 200, { result: 1, time: { operating: 300, operating_reset_at: resetAt } });
      if (n === 2)
        return json(res, 429, {
          error: 'OPERATION_TIME_LIMIT',
          error_description: 'Method is blocked due to operation time limit.',
        });
      return json(res, 200, { result: 2, time: { operating: 10, operating_reset_at: resetAt + 30 } });
    });
    const limits: LimitEvent[] = [];
    const c = make(s, { clock, hooks: { onLimit: (e) => limits.push(e) } });
    await c.call(read);
    const before = clock.t;
    await expect(c.call(read)).resolves.toBe(2);
    expect(n).toBe(3);
    // Waited until the reset (from the first answer's operating_reset_at).
    expect(clock.t).toBe(resetAt * 1000);
    expect(clock.t - before).toBeGreaterThan(80_000);
    expect(c.stats().operating['crm.deal.get']).toBe(10);

    // A call that would take the method past the limit (470 s + 20 s per call > 480 s) waits for
    // the reset before the server could refuse it.
    s.handle((_, res) =>
      json(res, 200, {
        result: 3,
        time: { operating: 470, processing: 20, operating_reset_at: Math.floor(clock.t / 1000) + 60 },
      }),
    );
    await c.call(read);
    limits.length = 0;
    await c.call(read);
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ kind: 'operating' });
    expect(limits[0]!.waitMs).toBeGreaterThan(40_000);
  });

  it('gives up on 429 when the reset is further than maxWaitMs, with the reset time', async () => {
    const s = await server();
    const clock = fakeClock();
    s.handle((_, res) => json(res, 429, { error: 'OPERATION_TIME_LIMIT' }));
    const c = make(s, { clock, retry: { maxWaitMs: 10_000 } });
    const error = (await c.call(write).catch((e: unknown) => e)) as B24OperatingLimitError;
    expect(error).toBeInstanceOf(B24OperatingLimitError);
    expect(error.resetAt?.getTime()).toBe(clock.t + 60_000);
    expect(error.message).toContain('resets in 60 s');
    expect(s.hits).toHaveLength(1);
  });
});

describe('auth recovery', () => {
  it('calls credentials.recover once and repeats a write', async () => {
    const s = await server();
    let token = 'old';
    s.handle((hit, res) =>
      hit.path.includes('old')
        ? json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' })
        : json(res, 200, { result: 9 }),
    );
    const recovered: [string, string][] = [];
    const creds = webhook(s.origin, {
      prepare: async (d) => ({ url: `${s.origin}/rest/${token}/${d.method}.json` }),
      recover: async (code, failed) => {
        recovered.push([code, failed.url]);
        token = 'new';
        return true;
      },
    });
    const c = make(s, { credentials: creds, retry: false });
    await expect(c.call(write)).resolves.toBe(9);
    expect(recovered).toEqual([['expired_token', `${s.origin}/rest/old/crm.deal.add.json`]]);
    expect(s.hits.map((h) => h.path)).toEqual(['/rest/old/crm.deal.add.json', '/rest/new/crm.deal.add.json']);
  });

  it('does not loop when recovery does not help', async () => {
    const s = await server();
    s.handle((_, res) => json(res, 401, { error: 'invalid_token' }));
    let calls = 0;
    const c = make(s, { credentials: webhook(s.origin, { recover: async () => (++calls, true) }) });
    await expect(c.call(read)).rejects.toBeInstanceOf(B24AuthError);
    expect(calls).toBe(1);
    expect(s.hits).toHaveLength(2);
  });

  it('does not try to recover from NO_AUTH_FOUND', async () => {
    const s = await server();
    s.handle((_, res) => json(res, 401, { error: 'NO_AUTH_FOUND' }));
    let calls = 0;
    const c = make(s, { credentials: webhook(s.origin, { recover: async () => (++calls, true) }) });
    await expect(c.call(read)).rejects.toBeInstanceOf(B24AuthError);
    expect(calls).toBe(0);
  });
});

describe('portal moves (302 to another host)', () => {
  it('follows the move for the call, reports it, and goes straight to the new host afterwards', async () => {
    const oldHost = await server();
    const newHost = await server();
    oldHost.handle((hit, res) => {
      res.writeHead(302, { location: `${newHost.origin}${hit.path}` });
      res.end();
    });
    newHost.handle((hit, res) => json(res, 200, { result: { method: methodOf(hit), body: hit.body } }));
    const moved: string[] = [];
    const redirects: unknown[] = [];
    const c = make(oldHost, {
      credentials: webhook(oldHost.origin, { acceptMove: () => true, moved: (o) => moved.push(o) }),
      hooks: { onRedirect: (e) => redirects.push(e) },
    });
    await expect(c.call(write, { fields: { TITLE: 'x' } })).resolves.toEqual({
      method: 'crm.deal.add',
      body: { fields: { TITLE: 'x' } },
    });
    expect(moved).toEqual([newHost.origin]);
    expect(redirects).toEqual([{ method: 'crm.deal.add', fromOrigin: oldHost.origin, toOrigin: newHost.origin }]);
    expect(newHost.hits[0]?.method).toBe('POST');
    await c.call(read);
    expect(oldHost.hits).toHaveLength(1);
    expect(newHost.hits).toHaveLength(2);
    expect(c.stats().redirects).toBe(1);
  });

  it('treats a same-host redirect as an unavailable portal, without leaking the code', async () => {
    const s = await server();
    s.handle((_, res) => {
      res.writeHead(302, { location: `/bitrix/coupon_activation.php?back=/rest/1/${SECRET}/` });
      res.end();
    });
    const error = (await c0(s)
      .call(read)
      .catch((e: unknown) => e)) as B24AccessDeniedError;
    expect(error).toBeInstanceOf(B24AccessDeniedError);
    expect(error.code).toBe('PORTAL_UNAVAILABLE');
    expect(error.status).toBe(302);
    expect(error.message).not.toContain(SECRET);
    expect(s.hits).toHaveLength(1);
  });
  const c0 = (s: TestServer) => make(s);
});

describe('the limiter keeps steady use under the server bucket', () => {
  it('60 concurrent calls against a bucket of 10 draining 20/s: no 503', async () => {
    const s = await server();
    const burst = 10;
    const drain = 20;
    let level = 0;
    let at = Date.now();
    let rejected = 0;
    s.handle((_, res) => {
      const now = Date.now();
      level = Math.max(0, level - ((now - at) / 1000) * drain);
      at = now;
      if (level + 1 > burst) {
        rejected++;
        return json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      }
      level++;
      json(res, 200, { result: 1 });
    });
    const c = make(s, { limiter: { burst, drainPerSecond: drain }, retry: false });
    const results = await Promise.all(Array.from({ length: 60 }, () => c.call(read)));
    expect(results).toHaveLength(60);
    expect(rejected).toBe(0);
    expect(c.stats().waits).toBeGreaterThan(0);
  });

  it('an abort while waiting for the bucket sends nothing', async () => {
    const s = await server();
    const c = make(s, { limiter: { burst: 3, drainPerSecond: 0.5 } });
    await c.call(read);
    await c.call(read);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await c.call(read, {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(s.hits).toHaveLength(2);
  });

  it('shares one bucket between callers of the same portal', async () => {
    const s = await server();
    const store = new MemoryLimiterStore();
    const clock = fakeClock();
    const a = make(s, { limiter: { burst: 4, drainPerSecond: 1 }, limiterStore: store, clock });
    const b = make(s, { limiter: { burst: 4, drainPerSecond: 1 }, limiterStore: store, clock });
    for (let i = 0; i < 3; i++) await a.call(read);
    await b.call(read);
    expect(b.stats().waits).toBe(1);
  });
});
