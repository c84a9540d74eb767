// Real worker processes refreshing one OAuth pair through RedisTokenStore, against the
// emulator's token endpoint over real sockets: one refresh per expiry, and what happens when
// the process holding the refresh lease is killed (kill -9) in the middle of its refresh.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toTokenSet } from '@b24kit/auth';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { RedisConnection, RedisTokenStore } from '@b24kit/redis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeRedis, startRedis, type RedisServer } from './redis-server.js';
import { killAll, startWorkers, type Worker } from './workers/spawn.js';

const LEASE_MS = 1500;

describeRedis('worker processes sharing an OAuth pair through RedisTokenStore', () => {
  let redis: RedisServer;
  let em: Emulator;
  let workers: Worker[] = [];
  let proxy: Server | undefined;
  let prefixes = 0;

  beforeAll(async () => {
    redis = await startRedis();
    em = await startEmulator({ plan: 'unlimited' });
  });
  afterEach(async () => {
    killAll(workers);
    workers = [];
    if (proxy) {
      proxy.closeAllConnections();
      await new Promise((r) => proxy!.close(r));
      proxy = undefined;
    }
  });
  afterAll(async () => {
    await em?.close();
    await redis?.close();
  });

  /** Stores a fresh pair under a prefix of its own, then expires every access token. */
  async function seedExpired(): Promise<{ prefix: string; key: string }> {
    const prefix = `p${++prefixes}:`;
    const issued = em.issueTokens();
    const tokens = toTokenSet({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      clientEndpoint: issued.client_endpoint,
      memberId: issued.member_id,
      expiresIn: issued.expires_in,
    });
    const store = new RedisTokenStore({ url: redis.url, prefix });
    await store.set(tokens.memberId, tokens, null);
    await store.close();
    em.expireAccessTokens();
    return { prefix, key: tokens.memberId };
  }

  const oauthWorker = (prefix: string, key: string, tokenUrl: string) => ({
    mode: 'oauth',
    redisUrl: redis.url,
    tokenStore: { prefix, leaseMs: LEASE_MS, pollMs: 100 },
    clientId: em.oauth.clientId,
    clientSecret: em.oauth.clientSecret,
    tokenUrl,
    key,
    method: 'profile',
    calls: 5,
    concurrency: 5,
  });

  it('8 processes on an expired token: exactly 1 token request, and every call succeeds', async () => {
    const { prefix, key } = await seedExpired();
    const started = await startWorkers(Array.from({ length: 8 }, () => oauthWorker(prefix, key, em.oauth.tokenUrl)));
    workers = started.workers;
    const before = em.stats().tokenRequests;
    started.go();
    const lines = await Promise.all(workers.map((w) => w.done));
    for (const l of lines) expect(l.line?.type, l.stderr).toBe('done');
    expect(lines.map((l) => l.line?.ok)).toEqual(Array(8).fill(5));
    expect(em.stats().tokenRequests - before).toBe(1);
  }, 120_000);

  /**
   * A token endpoint in front of the emulator's that lets the test decide what happens to the
   * first refresh: `forward-and-hold` passes it on (the emulator rotates the pair) but never
   * answers; `hold` never passes it on. Later requests are passed on and answered.
   */
  async function tokenProxy(
    mode: 'forward-and-hold' | 'hold',
  ): Promise<{ url: string; first: Promise<void>; requests: () => number }> {
    let count = 0;
    let onFirst: () => void = () => undefined;
    const first = new Promise<void>((r) => (onFirst = r));
    proxy = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const n = ++count;
      const forward = () =>
        fetch(new URL(req.url ?? '/', em.baseUrl), {
          method: req.method ?? 'GET',
          headers: req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : {},
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        });
      if (n === 1) {
        if (mode === 'forward-and-hold') await (await forward()).text();
        onFirst();
        return; // no answer: the lease holder is killed while it waits
      }
      const answer = await forward();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/oauth/token/`,
      first,
      requests: () => count,
    };
  }

  /** Kills (SIGKILL) the worker that holds the refresh lease; returns when it is dead. */
  async function killLeaseHolder(prefix: string, key: string): Promise<number> {
    const raw = new RedisConnection({ url: redis.url });
    try {
      const owner = await raw.command<string | null>('test', ['GET', `${prefix}tokens:{${key}}:lease`]);
      const pid = Number(owner?.split(':')[1]);
      const holder = workers.find((w) => w.child.pid === pid);
      expect(holder, `lease owner ${owner}`).toBeDefined();
      holder!.child.kill('SIGKILL');
      await holder!.done;
      return pid;
    } finally {
      await raw.close();
    }
  }

  it('kill -9 of the lease holder after its refresh reached the token endpoint: the others fail clearly (ReauthorizationRequiredError) within the lease time, none loops', async () => {
    const { prefix, key } = await seedExpired();
    const endpoint = await tokenProxy('forward-and-hold');
    const before = em.stats().tokenRequests;
    const started = await startWorkers(Array.from({ length: 8 }, () => oauthWorker(prefix, key, endpoint.url)));
    workers = started.workers;
    started.go();
    await endpoint.first;
    const pid = await killLeaseHolder(prefix, key);
    const killedAt = Date.now();
    const survivors = workers.filter((w) => w.child.pid !== pid);
    const lines = await Promise.all(survivors.map((w) => w.done));
    const took = Date.now() - killedAt;
    for (const l of lines) {
      expect(l.line?.type, l.stderr).toBe('done');
      expect(l.line?.ok).toBe(0);
      expect(l.line?.errors).toEqual({ 'ReauthorizationRequiredError:invalid_grant': 5 });
    }
    // The dead holder's request, then exactly one more (the taker's, refused): no loop.
    expect(endpoint.requests()).toBe(2);
    expect(em.stats().tokenRequests - before).toBe(2);
    console.log(
      `[redis] lease holder killed after spending the refresh token: ${survivors.length} processes failed clearly ${took} ms later (lease ${LEASE_MS} ms)`,
    );
    expect(took).toBeLessThan(LEASE_MS + 5000);
  }, 120_000);

  it('kill -9 of the lease holder before its refresh reached the token endpoint: another process refreshes after the lease runs out and every call succeeds', async () => {
    const { prefix, key } = await seedExpired();
    const endpoint = await tokenProxy('hold');
    const before = em.stats().tokenRequests;
    const started = await startWorkers(Array.from({ length: 8 }, () => oauthWorker(prefix, key, endpoint.url)));
    workers = started.workers;
    started.go();
    await endpoint.first;
    const pid = await killLeaseHolder(prefix, key);
    const killedAt = Date.now();
    const survivors = workers.filter((w) => w.child.pid !== pid);
    const lines = await Promise.all(survivors.map((w) => w.done));
    const took = Date.now() - killedAt;
    for (const l of lines) {
      expect(l.line?.type, l.stderr).toBe('done');
      expect(l.line?.ok).toBe(5);
    }
    expect(endpoint.requests()).toBe(2);
    expect(em.stats().tokenRequests - before).toBe(1);
    console.log(
      `[redis] lease holder killed before its refresh was sent: ${survivors.length} processes went on ${took} ms later (lease ${LEASE_MS} ms)`,
    );
    expect(took).toBeLessThan(LEASE_MS + 5000);
  }, 120_000);
});
