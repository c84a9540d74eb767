// RedisTokenStore against a real redis-server: compare-and-set, and the refresh lease with
// several store objects (each one stands for a process: its own connection, its own gate).
import { adHocDescriptor, createCaller } from '@b24kit/core';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { oauth, ReauthorizationRequiredError, TokenStoreConflictError, toTokenSet, type TokenSet } from '@b24kit/auth';
import { RedisTokenStore, RedisUnavailableError } from '@b24kit/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedis, freePort, startRedis, type RedisServer } from './redis-server.js';

const pair = (n: number): TokenSet =>
  toTokenSet({
    accessToken: `access-${n}-xxxxxxxx`,
    refreshToken: `refresh-${n}-xxxxxxxx`,
    clientEndpoint: 'https://p.example/rest/',
    memberId: 'm1',
    expiresIn: 3600,
  });

let keys = 0;
const key = () => `member-${process.pid}-${++keys}`;

describeRedis('RedisTokenStore', () => {
  let redis: RedisServer;
  const stores: RedisTokenStore[] = [];
  const store = (options: Record<string, unknown> = {}) => {
    const s = new RedisTokenStore({ url: redis.url, ...options });
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

  it('get/set/delete with compare-and-set; versions never repeat after delete', async () => {
    const k = key();
    const a = store();
    const b = store();
    expect(await a.get(k)).toBeUndefined();
    const v1 = await a.set(k, pair(1), null);
    await expect(b.set(k, pair(2), null)).rejects.toBeInstanceOf(TokenStoreConflictError);
    const v2 = await b.set(k, pair(2), v1);
    expect(v2).toBeGreaterThan(v1);
    const conflict = (await a.set(k, pair(3), v1).catch((e: unknown) => e)) as TokenStoreConflictError;
    expect(conflict).toBeInstanceOf(TokenStoreConflictError);
    expect(conflict.actualVersion).toBe(v2);
    const read = await a.get(k);
    expect(read?.version).toBe(v2);
    expect(read?.tokens.accessToken).toBe(pair(2).accessToken);
    await a.delete(k);
    expect(await b.get(k)).toBeUndefined();
    const v3 = await b.set(k, pair(4), null);
    expect(v3).toBeGreaterThan(v2);
  });

  it('8 concurrent refreshes of one version across 8 stores: refresh runs once, all get its pair', async () => {
    const k = key();
    const seeded = await store().set(k, pair(1), null);
    let calls = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        store().refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => {
          calls++;
          await new Promise((r) => setTimeout(r, 200));
          return pair(2);
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(outcomes.filter((o) => o.refreshedHere)).toHaveLength(1);
    for (const o of outcomes) expect(o.entry.tokens.accessToken).toBe(pair(2).accessToken);
    expect(new Set(outcomes.map((o) => o.entry.version)).size).toBe(1);
    expect((await store().get(k))?.tokens.refreshToken).toBe(pair(2).refreshToken);
  });

  it('a refused refresh token: the holder and every waiter reject with ReauthorizationRequiredError; nobody sends it again', async () => {
    const k = key();
    const seeded = await store().set(k, pair(1), null);
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store()
          .refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => {
            calls++;
            await new Promise((r) => setTimeout(r, 100));
            throw new ReauthorizationRequiredError(k, 400, 'refresh token already used');
          })
          .catch((e: unknown) => e),
      ),
    );
    expect(calls).toBe(1);
    for (const r of results) expect(r).toBeInstanceOf(ReauthorizationRequiredError);
    // Later, too: the version stays marked as refused until new tokens are written.
    const again = await store()
      .refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => {
        calls++;
        return pair(9);
      })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ReauthorizationRequiredError);
    expect(calls).toBe(1);
    // New tokens (an install) clear it.
    const fresh = await store().set(k, pair(5), seeded);
    const outcome = await store().refreshExclusive(k, { tokens: pair(5), version: fresh }, async () => pair(6));
    expect(outcome.refreshedHere).toBe(true);
  });

  it('a holder that died: the lease runs out and a waiter refreshes instead (within the lease time)', async () => {
    const k = key();
    const seeded = await store().set(k, pair(1), null);
    // A "process" that took the lease and vanished: nobody renews it.
    const { RedisConnection } = await import('@b24kit/redis');
    const raw = new RedisConnection({ url: redis.url });
    await raw.command('test', ['SET', `b24kit:tokens:{${k}}:lease`, 'dead-host:1:x', 'PX', '600']);
    await raw.close();
    const started = Date.now();
    const outcome = await store({ leaseMs: 600 }).refreshExclusive(k, { tokens: pair(1), version: seeded }, async () =>
      pair(2),
    );
    const waited = Date.now() - started;
    expect(outcome.refreshedHere).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(3000);
  });

  it('a live holder with a slow token endpoint keeps its lease (renewed); nobody else refreshes', async () => {
    const k = key();
    const seeded = await store().set(k, pair(1), null);
    let calls = 0;
    const slow = store({ leaseMs: 300 }).refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 1200)); // four lease lifetimes
      return pair(2);
    });
    await new Promise((r) => setTimeout(r, 50));
    const waiter = store({ leaseMs: 300 }).refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => {
      calls++;
      return pair(3);
    });
    const [a, b] = await Promise.all([slow, waiter]);
    expect(calls).toBe(1);
    expect(a.refreshedHere).toBe(true);
    expect(b.refreshedHere).toBe(false);
    expect(b.entry.tokens.accessToken).toBe(pair(2).accessToken);
  });

  it('a waiter gives up clearly after waitMs when the holder never finishes', async () => {
    const k = key();
    const seeded = await store().set(k, pair(1), null);
    const never = store({ leaseMs: 300 }).refreshExclusive(
      k,
      { tokens: pair(1), version: seeded },
      () => new Promise<TokenSet>(() => undefined),
    );
    void never.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const error = await store({ waitMs: 700 })
      .refreshExclusive(k, { tokens: pair(1), version: seeded }, async () => pair(2))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('REFRESH_WAIT_TIMEOUT');
  });

  it('a corrupt entry is a clear error, not a crash', async () => {
    const k = key();
    const { RedisConnection } = await import('@b24kit/redis');
    const raw = new RedisConnection({ url: redis.url });
    await raw.command('test', ['HSET', `b24kit:tokens:{${k}}`, 'version', '1', 'tokens', '{not json']);
    await raw.close();
    await expect(store().get(k)).rejects.toMatchObject({ code: 'TOKEN_STORE_CORRUPT' });
  });
});

describeRedis('RedisTokenStore with OAuth credentials and the emulator', () => {
  let redis: RedisServer;
  let em: Emulator;
  beforeAll(async () => {
    redis = await startRedis();
    em = await startEmulator({ plan: 'unlimited' });
  });
  afterAll(async () => {
    await em?.close();
    await redis?.close();
  });

  it('8 credentials, each with its own store (as 8 processes would), on an expired token: 1 token request, every call succeeds', async () => {
    const issued = em.issueTokens();
    const tokens = toTokenSet({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      clientEndpoint: issued.client_endpoint,
      memberId: issued.member_id,
      expiresIn: issued.expires_in,
    });
    const stores = Array.from({ length: 8 }, () => new RedisTokenStore({ url: redis.url, prefix: `t${process.pid}:` }));
    const callers = stores.map((store) =>
      createCaller({ credentials: oauth({ ...em.oauth, tokens, store }), limiter: false, operating: false }),
    );
    try {
      await Promise.all(callers.map((c) => c.call(adHocDescriptor('server.time'))));
      em.expireAccessTokens();
      const before = em.stats().tokenRequests;
      const results = await Promise.all(
        callers.flatMap((c) => Array.from({ length: 5 }, () => c.call<{ ID: string }>(adHocDescriptor('profile')))),
      );
      expect(results).toHaveLength(40);
      for (const r of results) expect(r.ID).toBe('1');
      expect(em.stats().tokenRequests - before).toBe(1);
      const stored = await stores[0]!.get(tokens.memberId);
      for (const c of callers)
        expect((await (c.credentials as ReturnType<typeof oauth>).tokens()).accessToken).toBe(
          stored?.tokens.accessToken,
        );
    } finally {
      await Promise.all(callers.map((c) => c.close()));
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('RedisTokenStore without a Redis', () => {
  it('fails fast with RedisUnavailableError', async () => {
    const s = new RedisTokenStore({ url: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 200 });
    try {
      await expect(s.get('m1')).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      await s.close();
    }
  });
});
