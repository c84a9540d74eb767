// RedisLimiterStore against a real redis-server: the same model as core's MemoryLimiterStore,
// shared by two connections, timed by Redis, and failing fast (or falling back) without Redis.
import { MemoryLimiterStore, B24Error } from '@b24kit/core';
import { RedisLimiterStore, RedisUnavailableError } from '@b24kit/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedis, freePort, startRedis, type RedisServer } from './redis-server.js';

const config = { burst: 50, drainPerSecond: 2 };
let n = 0;
const key = () => `https://portal-${process.pid}-${++n}.example|rate`;

describeRedis('RedisLimiterStore', () => {
  let redis: RedisServer;
  const stores: RedisLimiterStore[] = [];
  const store = (options: Partial<ConstructorParameters<typeof RedisLimiterStore>[0]> = {}) => {
    const s = new RedisLimiterStore({ url: redis.url, ...options } as ConstructorParameters<
      typeof RedisLimiterStore
    >[0]);
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis?.close();
  });

  it('reserve gives the same waits as the in-memory model, across two connections', async () => {
    const k = key();
    const a = store();
    const b = store();
    const memory = new MemoryLimiterStore();
    const now = Date.now();
    const got: number[] = [];
    const want: number[] = [];
    for (let i = 0; i < 60; i++) {
      got.push(await (i % 2 ? a : b).reserve(k, config, now));
      want.push(memory.reserve(k, config, now));
    }
    // The first 48 (burst minus one second's drain) go at once, then one slot per 500 ms.
    expect(got.slice(0, 48).every((w) => w === 0)).toBe(true);
    for (let i = 48; i < 60; i++) {
      // Redis' clock moved on a little during the 60 round trips: allow that much less wait.
      expect(got[i]).toBeLessThanOrEqual(want[i]!);
      expect(got[i]).toBeGreaterThan(want[i]! - 250);
    }
  });

  it('takes the time from Redis, not from the caller: a skewed clock changes nothing', async () => {
    const k = key();
    const s = store();
    const waits: number[] = [];
    for (let i = 0; i < 50; i++)
      waits.push(await s.reserve(k, config, i % 2 ? Date.now() + 3_600_000 : Date.now() - 3_600_000));
    expect(waits.slice(0, 48).every((w) => w === 0)).toBe(true);
    expect(waits[48]).toBeGreaterThan(200);
    expect(waits[48]).toBeLessThanOrEqual(500);
    expect(waits[49]).toBeGreaterThan(700);
  });

  it('admit counts requests in flight until released, shared by every connection', async () => {
    const k = key();
    const small = { burst: 5, drainPerSecond: 1 };
    const a = store();
    const b = store();
    // capacity = 5 - 1 = 4 in flight at most
    const admitted = [
      await a.admit(k, small, 0),
      await b.admit(k, small, 0),
      await a.admit(k, small, 0),
      await b.admit(k, small, 0),
    ];
    expect(admitted).toEqual([0, 0, 0, 0]);
    expect(await a.admit(k, small, 0)).toBeGreaterThan(0);
    await b.release(k, small, 0);
    // Answered requests drain like the bucket: one slot after one second, not at once.
    const wait = await a.admit(k, small, 0);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
  });

  it('an admitted request whose process died stops counting after inFlightTtlMs', async () => {
    const k = key();
    const small = { burst: 3, drainPerSecond: 1 };
    const s = store({ inFlightTtlMs: 1000 });
    expect(await s.admit(k, small, 0)).toBe(0);
    expect(await s.admit(k, small, 0)).toBe(0);
    expect(await s.admit(k, small, 0)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await s.admit(k, small, 0)).toBe(0);
  });

  it('overflow marks the bucket full for every process', async () => {
    const k = key();
    const a = store();
    const b = store();
    await a.overflow(k, config, 0);
    expect(await b.reserve(k, config, 0)).toBeGreaterThan(0);
    expect(await b.admit(k, config, 0)).toBeGreaterThan(0);
  });

  it('operating state: a figure from an older answer never replaces a newer one', async () => {
    const k = `${key()}|op|crm.deal.list`;
    const a = store();
    const b = store();
    expect(await a.getOperating(k)).toBeUndefined();
    await a.setOperating(k, { operating: 100, resetAt: 2_000_000, blockedUntil: 0 });
    await b.setOperating(k, { operating: 80, resetAt: 2_000_000, blockedUntil: 0 }); // same window, late answer
    expect(await b.getOperating(k)).toEqual({ operating: 100, resetAt: 2_000_000, blockedUntil: 0 });
    await b.setOperating(k, { operating: 5, resetAt: 1_000_000, blockedUntil: 0 }); // an earlier window
    expect((await a.getOperating(k))?.operating).toBe(100);
    await a.setOperating(k, { operating: 20, resetAt: 3_000_000, blockedUntil: 0 }); // the next window
    expect(await b.getOperating(k)).toEqual({ operating: 20, resetAt: 3_000_000, blockedUntil: 0 });
    await b.setOperating(k, { operating: 480, resetAt: 3_000_000, blockedUntil: 3_000_000 }); // a 429
    await a.setOperating(k, { operating: 400, resetAt: 3_000_000, blockedUntil: 0 }); // an answer from before it
    expect(await b.getOperating(k)).toEqual({ operating: 480, resetAt: 3_000_000, blockedUntil: 3_000_000 });
  });

  it('operating state is kept apart per app or webhook with operatingScope', async () => {
    const k = `${key()}|op|crm.deal.list`;
    const app1 = store({ operatingScope: 'app.one' });
    const app2 = store({ operatingScope: 'app.two' });
    await app1.setOperating(k, { operating: 400, resetAt: 2_000_000, blockedUntil: 0 });
    expect(await app2.getOperating(k)).toBeUndefined();
    expect((await store({ operatingScope: 'app.one' }).getOperating(k))?.operating).toBe(400);
  });

  it("operating gate: the same decisions as core's in-memory store, with reservations shared by two connections", async () => {
    const k = `${key()}|op|crm.deal.list`;
    const a = store();
    const b = store();
    const memory = new MemoryLimiterStore();
    const resetAt = Date.now() + 100_000;
    const gate = { limit: 480, slowFrom: 0.75, calls: 1, ttlMs: 60_000 };
    const both = async (id: string, via: RedisLimiterStore, extra: Partial<typeof gate> = {}) => {
      const ask = { ...gate, ...extra, id };
      const want = memory.acquireOperating(k, ask, Date.now());
      const got = await via.acquireOperating(k, ask, 0);
      return [got, want];
    };
    // Nothing known: one call at a time learns the cost.
    expect(await both('probe', a)).toEqual([0, 0]);
    expect(await both('second', b)).toEqual([100, 100]);
    const answer = { operating: 310, resetAt, cost: 20 };
    await a.settleOperating(k, 'probe', answer, true, 0);
    memory.settleOperating(k, 'probe', answer, true, Date.now());
    expect(await b.getOperating(k)).toEqual({ operating: 310, resetAt, blockedUntil: 0, cost: 20 });
    // 310 + 20 and 310 + 40 stay within 360 (slowFrom); a third in flight would not.
    expect(await both('x1', a)).toEqual([0, 0]);
    expect(await both('x2', b)).toEqual([0, 0]);
    expect(await both('x3', a)).toEqual([1000, 1000]);
    // x1 failed before it was sent, x2 answered with a figure that includes it.
    await b.settleOperating(k, 'x1', undefined, false, 0);
    memory.settleOperating(k, 'x1', undefined, false, Date.now());
    const late = { operating: 335, resetAt, cost: 25 };
    await a.settleOperating(k, 'x2', late, true, 0);
    memory.settleOperating(k, 'x2', late, true, Date.now());
    expect(await both('x3', b)).toEqual([0, 0]); // 335 + 25 <= 360
    // A batch answered without its own figure: its reserved cost counts as spent.
    await a.settleOperating(k, 'x3', undefined, true, 0);
    memory.settleOperating(k, 'x3', undefined, true, Date.now());
    expect((await b.getOperating(k))?.operating).toBe(360);
    // No room for 5 more calls (360 + 125 > 480): wait for the oldest bucket, by Redis time.
    const [got, want] = await both('big', a, { calls: 5 });
    expect(want).toBeGreaterThan(99_000);
    expect(Math.abs(got! - want!)).toBeLessThan(2_000);
    expect(await both('one', b, { calls: 4 })).toEqual([0, 0]); // 360 + 100 <= 480, nothing in flight
  });

  it('operating gate: a reservation of a process that died stops counting when it expires', async () => {
    const k = `${key()}|op|crm.deal.list`;
    const dead = store({ inFlightTtlMs: 1000 });
    const alive = store({ inFlightTtlMs: 1000 });
    await alive.setOperating(k, { operating: 400, resetAt: Date.now() + 100_000, blockedUntil: 0, cost: 20 });
    const gate = { limit: 480, slowFrom: 0.75, calls: 1, ttlMs: 1000 };
    expect(await dead.acquireOperating(k, { ...gate, id: 'lost' }, 0)).toBe(0);
    await dead.close(); // never settles
    expect(await alive.acquireOperating(k, { ...gate, id: 'next' }, 0)).toBe(1000);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await alive.acquireOperating(k, { ...gate, id: 'next' }, 0)).toBe(0);
  });

  it('survives a Redis restart: commands fail clearly while it is down, and work again after (scripts reloaded)', async () => {
    const k = key();
    const s = store({ connectTimeoutMs: 300 });
    expect(await s.reserve(k, config, 0)).toBe(0);
    await redis.stop('SIGKILL');
    const started = Date.now();
    const error = await s.reserve(k, config, 0).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).toBeInstanceOf(B24Error);
    expect((error as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
    expect((error as Error).message).toContain(`127.0.0.1:${redis.port}`);
    // What runs after an answer never throws, even now.
    await expect(s.release(k, config, 0)).resolves.toBeUndefined();
    await expect(s.overflow(k, config, 0)).resolves.toBeUndefined();
    await expect(s.setOperating(`${k}|op|x`, { operating: 1, resetAt: 1, blockedUntil: 0 })).resolves.toBeUndefined();
    await expect(s.getOperating(`${k}|op|x`)).resolves.toEqual({ operating: 1, resetAt: 1, blockedUntil: 0 });
    await redis.start();
    // Reconnects by itself within a second or so; the restarted server knows no script, so
    // EVALSHA falls back to EVAL.
    const back = Date.now();
    let wait: unknown;
    do {
      wait = await s.reserve(key(), config, 0).catch((e: unknown) => e);
      if (wait !== 0) await new Promise((r) => setTimeout(r, 50));
    } while (wait !== 0 && Date.now() - back < 5000);
    expect(wait).toBe(0);
    expect(Date.now() - back).toBeLessThan(2000);
  });
});

describe('RedisLimiterStore without a Redis', () => {
  it('fails fast with a clear error that names the endpoint but not the password', async () => {
    const port = await freePort();
    const s = new RedisLimiterStore({ url: `redis://user:s3cr3t-pass@127.0.0.1:${port}`, connectTimeoutMs: 300 });
    try {
      const started = Date.now();
      const error = (await s
        .reserve('https://p.example|rate', config, 0)
        .catch((e: unknown) => e)) as RedisUnavailableError;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error.message).toMatch(/no connection to Redis within 300 ms/);
      expect(error.message).toContain(`redis://127.0.0.1:${port}`);
      expect(error.message).not.toContain('s3cr3t');
      expect(String(s)).not.toContain('s3cr3t');
    } finally {
      await s.close();
    }
  });

  it("fallback 'memory' goes on with the in-process limiter and reports the outage once", async () => {
    const port = await freePort();
    const reported: unknown[] = [];
    const s = new RedisLimiterStore({
      url: `redis://127.0.0.1:${port}`,
      connectTimeoutMs: 200,
      fallback: 'memory',
      onError: (e) => reported.push(e),
    });
    try {
      const k = 'https://p.example|rate';
      const now = Date.now();
      const waits: number[] = [];
      for (let i = 0; i < 50; i++) waits.push(await s.reserve(k, config, now));
      expect(waits.slice(0, 48).every((w) => w === 0)).toBe(true);
      expect(waits[48]).toBe(500);
      expect(await s.admit(k, config, now)).toBe(0);
      await s.release(k, config, now);
      expect(reported.filter((e) => e instanceof RedisUnavailableError).length).toBeGreaterThanOrEqual(1);
      expect(reported.length).toBeLessThanOrEqual(2); // once for the bucket, maybe once for release's attempt
    } finally {
      await s.close();
    }
  });

  it('rejects bad options with a clear message', () => {
    expect(() => new RedisLimiterStore({ url: 'http://127.0.0.1:6379' })).toThrow(/redis:\/\/host:port/);
    expect(() => new RedisLimiterStore({ url: 'redis://127.0.0.1:1', fallback: 'maybe' as never })).toThrow(
      /fallback must be 'fail' or 'memory'/,
    );
    expect(() => new RedisLimiterStore({} as never)).toThrow(/url/);
  });
});

describeRedis('RedisLimiterStore with a Redis that stops answering', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    redis?.resume();
    await redis?.close();
  });

  it('a paused server (accepts, never answers) fails the call after commandTimeoutMs instead of hanging', async () => {
    const s = new RedisLimiterStore({ url: redis.url, commandTimeoutMs: 300 });
    try {
      expect(await s.reserve('https://paused.example|rate', config, 0)).toBe(0);
      redis.pause();
      const started = Date.now();
      const error = await s.reserve('https://paused.example|rate', config, 0).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toMatch(/did not answer EVALSHA within 300 ms/);
      redis.resume();
      // The connection recovers by itself.
      let ok = false;
      for (let i = 0; i < 50 && !ok; i++) {
        ok = (await s.reserve('https://paused.example|rate', config, 0).catch(() => -1)) >= 0;
        if (!ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok).toBe(true);
    } finally {
      redis.resume();
      await s.close();
    }
  });
});
