// App events across replicas: two replica processes of one application behind a "load
// balancer" that hands every event delivery of the emulator to both of them. With the event
// record in Redis (RedisEventDedupStore) each event is handled once. Plus RedisLock, which
// keeps a second replica out of the offline event queue while one consumes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { LockLostError, RedisConnection, RedisEventDedupStore, RedisLock, RedisUnavailableError } from '@b24kit/redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRedis, freePort, startRedis, type RedisServer } from './redis-server.js';
import { requireBuilt } from './workers/spawn.js';

const REPLICA = fileURLToPath(new URL('./workers/app-replica.mjs', import.meta.url));

async function startReplica(config: object): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [REPLICA, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('close', (code) => reject(new Error(`replica exited (${code}): ${stderr}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function post(url: string, body: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  await res.text();
  return res.status;
}

describeRedis('app replicas sharing events through Redis', () => {
  let redis: RedisServer;
  let em: Emulator | undefined;
  let balancer: Server | undefined;
  const replicas: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const r of replicas) r.kill('SIGKILL');
    balancer?.closeAllConnections();
    await new Promise((r) => (balancer ? balancer.close(r) : r(undefined)));
    await em?.close();
    await redis?.close();
  });

  it('two replicas receive the same event delivery: the handler runs once', async () => {
    requireBuilt();
    // The load balancer: installs go to one replica; every event POST goes to both, as a
    // balancer that retries or mirrors a delivery would.
    const statuses: number[] = [];
    const targets: string[] = [];
    balancer = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const path = req.url ?? '/';
      const answers = path.startsWith('/install')
        ? [await post(`${targets[0]}${path}`, body)]
        : await Promise.all(targets.map((t) => post(`${t}${path}`, body)));
      statuses.push(...(path.startsWith('/install') ? [] : answers));
      res.writeHead(answers.includes(200) ? 200 : answers[0]!, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => balancer!.listen(0, '127.0.0.1', r));
    const lb = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}`;
    em = await startEmulator({
      plan: 'unlimited',
      app: { installHandler: `${lb}/install`, eventHandler: `${lb}/events`, events: ['ONCRMDEALADD'] },
    });
    const prefix = 'replicas:';
    for (let i = 0; i < 2; i++) {
      const r = await startReplica({
        redisUrl: redis.url,
        prefix,
        clientId: em.oauth.clientId,
        clientSecret: em.oauth.clientSecret,
        tokenUrl: em.oauth.tokenUrl,
      });
      replicas.push(r.child);
      targets.push(r.url);
    }
    await em.install(em.oauth.app);
    const deals: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${em.webhookUrl}crm.deal.add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { TITLE: `replica ${i}` } }),
      });
      deals.push(Number(((await res.json()) as { result: number }).result));
    }
    await em.eventsIdle();
    const raw = new RedisConnection({ url: redis.url });
    try {
      let handled: string[] = [];
      for (let i = 0; i < 50; i++) {
        handled = await raw.command<string[]>('test', ['LRANGE', `${prefix}handled`, '0', '-1']);
        if (handled.length >= deals.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300)); // a second run would have shown up by now
      handled = await raw.command<string[]>('test', ['LRANGE', `${prefix}handled`, '0', '-1']);
      // Each deal's event once, by whichever replica received it first.
      expect(handled.map((h) => Number(h.split(':')[0])).sort((a, b) => a - b)).toEqual(deals);
      // Every delivery reached both replicas: one handled it (200), the other refused the copy (409).
      expect(statuses.filter((s) => s === 200)).toHaveLength(deals.length);
      expect(statuses.filter((s) => s === 409)).toHaveLength(deals.length);
    } finally {
      await raw.close();
    }
  }, 120_000);

  it('RedisEventDedupStore: first caller wins, per key, for the ttl', async () => {
    const a = new RedisEventDedupStore({ url: redis.url, prefix: 'dedup:' });
    const b = new RedisEventDedupStore({ url: redis.url, prefix: 'dedup:' });
    try {
      const results = await Promise.all([a, b, a, b].map((s) => s.firstSeen('b24kit:event:k1', 400)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await b.firstSeen('b24kit:event:k2', 400)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(await a.firstSeen('b24kit:event:k1', 400)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("without Redis, RedisEventDedupStore rejects by default and lets the event through with 'accept'", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const reject = new RedisEventDedupStore({ url, connectTimeoutMs: 200 });
    const reported: unknown[] = [];
    const accept = new RedisEventDedupStore({
      url,
      connectTimeoutMs: 200,
      whenUnavailable: 'accept',
      onError: (e) => reported.push(e),
    });
    try {
      await expect(reject.firstSeen('b24kit:event:x', 1000)).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(await accept.firstSeen('b24kit:event:x', 1000)).toBe(true);
      expect(reported[0]).toBeInstanceOf(RedisUnavailableError);
    } finally {
      await reject.close();
      await accept.close();
    }
  });

  it('RedisLock: one holder at a time; the other is told, or waits; a dead holder is replaced after ttlMs', async () => {
    const one = new RedisLock({ url: redis.url, ttlMs: 600 });
    const two = new RedisLock({ url: redis.url, ttlMs: 600 });
    try {
      let release: () => void = () => undefined;
      const held = one.run('offline:m1', () => new Promise<string>((r) => (release = () => r('first'))));
      await new Promise((r) => setTimeout(r, 50));
      // Renewed while the work runs: still held after more than one ttl.
      await new Promise((r) => setTimeout(r, 800));
      expect(await two.run('offline:m1', async () => 'second')).toEqual({ acquired: false });
      const waiting = two.run('offline:m1', async () => 'second', { waitMs: 5000 });
      release();
      expect(await held).toEqual({ acquired: true, value: 'first' });
      expect(await waiting).toEqual({ acquired: true, value: 'second' });
      // A holder that died (nobody renews): free again after its ttl.
      const raw = new RedisConnection({ url: redis.url });
      await raw.command('test', ['SET', 'b24kit:lock:{offline:m2}', 'dead-host:1:x:1', 'PX', '300']);
      await raw.close();
      expect(await two.run('offline:m2', async () => 1)).toEqual({ acquired: false });
      expect(await two.run('offline:m2', async () => 2, { waitMs: 2000 })).toEqual({ acquired: true, value: 2 });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('RedisLock: a lock taken over while its work runs aborts the work’s signal', async () => {
    const lock = new RedisLock({ url: redis.url, ttlMs: 300 });
    const raw = new RedisConnection({ url: redis.url });
    try {
      const result = await lock.run('offline:m3', async (signal) => {
        await raw.command('test', ['SET', 'b24kit:lock:{offline:m3}', 'someone-else', 'PX', '5000']);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        return signal.reason;
      });
      expect(result.acquired && result.value).toBeInstanceOf(LockLostError);
      // The other holder's lock was left alone.
      expect(await raw.command('test', ['GET', 'b24kit:lock:{offline:m3}'])).toBe('someone-else');
    } finally {
      await raw.close();
      await lock.close();
    }
  });
});
