import { describe, expect, it } from 'vitest';
import {
  B24AuthError,
  B24NetworkError,
  B24OperatingLimitError,
  B24RateLimitError,
  B24ServerError,
  B24TimeoutError,
  B24ValidationError,
  MemoryLimiterStore,
  OperatingBudget,
  RateLimiter,
  backoffDelay,
  capacityOf,
  decideRetry,
  mapError,
  resolveLimiter,
  type B24Error,
} from '../src/index.js';

const m = 'crm.deal.add';
const reset = new B24NetworkError({ method: m, code: 'NETWORK_ERROR', outcomeUnknown: true });
const refused = new B24NetworkError({ method: m, code: 'NETWORK_ERROR', outcomeUnknown: false });
const timeout = new B24TimeoutError({ method: m, code: 'TIMEOUT', outcomeUnknown: true });
const s500 = mapError({ method: m, code: 'INTERNAL_SERVER_ERROR', status: 500 });
const overload = mapError({ method: m, code: 'OVERLOAD_LIMIT', status: 503 });
const rate = new B24RateLimitError({ method: m, code: 'QUERY_LIMIT_EXCEEDED', status: 503 });
const op = new B24OperatingLimitError({ method: m, code: 'OPERATION_TIME_LIMIT', status: 429 });
const auth = new B24AuthError({ method: m, code: 'NO_AUTH_FOUND', status: 401 });
const invalid = new B24ValidationError({ method: m, problems: ['x'] });
const arg = mapError({ method: m, code: 'ERROR_ARGUMENT', status: 400 });

describe('decideRetry', () => {
  const half = { random: () => 0.5, baseDelayMs: 1000 };
  const table: [string, B24Error, boolean, number | undefined, boolean, number | undefined][] = [
    // name, error, idempotent, limitWait, retry?, delay
    ['reset, read', reset, true, undefined, true, 750],
    ['reset, write: never repeated', reset, false, undefined, false, undefined],
    ['timeout, write: never repeated', timeout, false, undefined, false, undefined],
    ['timeout, read', timeout, true, undefined, true, 750],
    ['500, write: never repeated', s500, false, undefined, false, undefined],
    ['500, read', s500, true, undefined, true, 750],
    ['refused connection, write: nothing was sent', refused, false, undefined, true, 750],
    ['OVERLOAD_LIMIT, write: refused before execution', overload, false, undefined, true, 750],
    ['503 rate limit, write, limiter waits', rate, false, 0, true, 0],
    ['503 with Retry-After', rate, false, 4000, true, 4000],
    ['429, write, waits for the reset', op, false, 30_000, true, 30_000],
    ['429 too far away', op, true, 300_000, false, undefined],
    ['auth error', auth, true, undefined, false, undefined],
    ['validation error', invalid, true, undefined, false, undefined],
    ['argument error', arg, true, undefined, false, undefined],
  ];
  it.each(table)('%s', (_, error, idempotent, limitWaitMs, retry, delay) => {
    const d = decideRetry({ error, attempt: 1, idempotent, limitWaitMs, limiterActive: true }, half);
    expect(d.retry).toBe(retry);
    if (d.retry) expect(d.delayMs).toBe(delay);
  });

  it('explains why a write was not repeated', () => {
    const d = decideRetry({ error: reset, attempt: 1, idempotent: false }, {});
    expect(d.retry).toBe(false);
    expect(!d.retry && d.note).toContain('outcome unknown');
    expect(!d.retry && d.note).toContain('crm.deal.add is not idempotent');
  });

  it('stops when the retry budget is spent', () => {
    expect(decideRetry({ error: s500, attempt: 3, idempotent: true }, { maxRetries: 3 }).retry).toBe(true);
    const d = decideRetry({ error: s500, attempt: 4, idempotent: true }, { maxRetries: 3 });
    expect(d.retry).toBe(false);
    expect(decideRetry({ error: s500, attempt: 1, idempotent: true }, false).retry).toBe(false);
  });

  it('backs off exponentially with bounded jitter', () => {
    const lo = { random: () => 0, baseDelayMs: 100, maxDelayMs: 1000 };
    const hi = { random: () => 0.999999, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, lo))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, hi))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('without a limiter a 503 backs off by itself', () => {
    const d = decideRetry({ error: rate, attempt: 2, idempotent: false, limiterActive: false }, { random: () => 0 });
    expect(d.retry && d.delayMs).toBe(1000);
  });
});

describe('leaky bucket with a fake clock', () => {
  it('admits the burst at once, then spaces requests by the drain rate', async () => {
    const config = { burst: 10, drainPerSecond: 2 };
    const limiter = new RateLimiter(new MemoryLimiterStore(), 'p', config);
    expect(capacityOf(config)).toBe(8);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) waits.push(await limiter.reserve(0));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
    // Two seconds later four slots have drained, all taken by the queued requests.
    expect(await limiter.reserve(2000)).toBe(500);
  });

  it('never lets a simulated server bucket overflow under steady overload', async () => {
    // Server: counter +1 per request, minus Y once per whole second; over X -> 503.
    const config = { burst: 50, drainPerSecond: 2 };
    const limiter = new RateLimiter(new MemoryLimiterStore(), 'p', config);
    let serverLevel = 0;
    let lastTick = 0;
    let rejected = 0;
    const sendTimes: number[] = [];
    // 400 callers all wanting to go at t=0..10s.
    for (let i = 0; i < 400; i++) {
      const now = Math.floor((i / 400) * 10_000);
      sendTimes.push(now + (await limiter.reserve(now)));
    }
    sendTimes.sort((a, b) => a - b);
    for (const t of sendTimes) {
      const tick = Math.floor(t / 1000);
      serverLevel = Math.max(0, serverLevel - (tick - lastTick) * config.drainPerSecond);
      lastTick = tick;
      if (serverLevel >= config.burst) rejected++;
      else serverLevel++;
    }
    expect(rejected).toBe(0);
    // And it is not needlessly slow: 400 requests at 2/s after a burst of 48 take ~176 s.
    expect(sendTimes.at(-1)).toBeLessThan(180_000);
  });

  it('an overflow report marks the bucket full', async () => {
    const limiter = new RateLimiter(new MemoryLimiterStore(), 'p', { burst: 50, drainPerSecond: 2 });
    expect(await limiter.reserve(0)).toBe(0);
    await limiter.overflow(0);
    expect(await limiter.reserve(0)).toBe(500);
  });

  it('is shared by key, separate per portal', async () => {
    const store = new MemoryLimiterStore();
    const a1 = new RateLimiter(store, 'a', { burst: 3, drainPerSecond: 1 });
    const a2 = new RateLimiter(store, 'a', { burst: 3, drainPerSecond: 1 });
    const b = new RateLimiter(store, 'b', { burst: 3, drainPerSecond: 1 });
    expect(await a1.reserve(0)).toBe(0);
    expect(await a2.reserve(0)).toBe(0);
    expect(await a1.reserve(0)).toBe(1000);
    expect(await b.reserve(0)).toBe(0);
  });

  it('resolves presets and refuses nonsense', () => {
    expect(resolveLimiter(undefined)).toEqual({ burst: 50, drainPerSecond: 2 });
    expect(resolveLimiter('enterprise')).toEqual({ burst: 250, drainPerSecond: 5 });
    expect(resolveLimiter(false)).toBeUndefined();
    expect(() => resolveLimiter({ burst: 0, drainPerSecond: 1 })).toThrow('burst >= 1');
    expect(() => resolveLimiter('gold' as 'standard')).toThrow("unknown limiter preset 'gold'");
  });
});

describe('operating-time budget with a fake clock', () => {
  const t0 = 1_700_000_000_000;
  const budget = (): OperatingBudget =>
    new OperatingBudget(new MemoryLimiterStore(), 'p', { limitSeconds: 480, slowFrom: 0.75 });

  it('does not slow a method with little operating time', async () => {
    const b = budget();
    await b.record('crm.deal.list', { operating: 100, operating_reset_at: (t0 + 60_000) / 1000 });
    expect(await b.delayFor('crm.deal.list', t0)).toBe(0);
  });

  it('slows more as operating approaches the limit, and waits for the reset at it', async () => {
    const b = budget();
    const resetAt = (t0 + 100_000) / 1000;
    const delays: number[] = [];
    for (const operating of [360, 400, 440, 480, 500]) {
      await b.record('crm.deal.list', { operating, operating_reset_at: resetAt });
      delays.push(await b.delayFor('crm.deal.list', t0));
    }
    expect(delays[0]).toBe(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]! - 1);
    expect(delays[3]).toBe(100_000);
    expect(delays[4]).toBe(100_000);
    // Other methods are unaffected; after the reset the stale figure no longer slows.
    expect(await b.delayFor('crm.deal.get', t0)).toBe(0);
    expect(await b.delayFor('crm.deal.list', t0 + 100_001)).toBe(0);
  });

  it('after a 429 blocks until the last known reset, or a minute when unknown', async () => {
    const b = budget();
    await b.record('a', { operating: 470, operating_reset_at: (t0 + 42_000) / 1000 });
    expect(await b.blocked('a', t0)).toBe(42_000);
    expect(await b.delayFor('a', t0 + 2_000)).toBe(40_000);
    expect(await b.blocked('never.seen', t0)).toBe(60_000);
    expect((await b.resetAt('a'))?.getTime()).toBe(t0 + 42_000);
  });
});
