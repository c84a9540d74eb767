// --redis URL / B24_REDIS_URL: `b24 call` and `b24 export` keep the portal's limits in Redis,
// through @b24kit/redis, which the CLI loads only when asked to.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { RedisConnection } from '@b24kit/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/io.js';
import { sharedLimits } from '../src/shared-limits.js';
import { runCli } from './helpers.js';

// The redis-server helper of @b24kit/redis's tests (starts its own server on a free loopback
// port; skips, or fails under CI=true, without redis-server). Loaded by URL: it lives outside
// this package's type-check root.
interface RedisServer {
  readonly url: string;
  close(): Promise<void>;
}
const { describeRedis, freePort, startRedis } = (await import(
  new URL('../../redis/test/redis-server.ts', import.meta.url).href
)) as {
  describeRedis(name: string, fn: () => void): void;
  freePort(): Promise<number>;
  startRedis(): Promise<RedisServer>;
};

describe('sharedLimits (--redis / B24_REDIS_URL)', () => {
  it('without --redis and B24_REDIS_URL it does not load @b24kit/redis at all', async () => {
    let loaded = false;
    const load = async () => {
      loaded = true;
      return import('@b24kit/redis');
    };
    expect(await sharedLimits(undefined, {}, load)).toBeUndefined();
    expect(await sharedLimits(undefined, { B24_REDIS_URL: '' }, load)).toBeUndefined();
    expect(loaded).toBe(false);
  });

  it('a CLI installed without @b24kit/redis says what to install', async () => {
    const missing = async () => {
      throw Object.assign(new Error("Cannot find package '@b24kit/redis' imported from /x/shared-limits.js"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    const error = await sharedLimits('redis://127.0.0.1:6379', {}, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /--redis needs the @b24kit\/redis package.*\n.*npm install @b24kit\/redis/,
    );
    const fromEnv = await sharedLimits(undefined, { B24_REDIS_URL: 'redis://127.0.0.1:6379' }, missing).catch(
      (e: unknown) => e,
    );
    expect((fromEnv as Error).message).toMatch(/^B24_REDIS_URL needs the @b24kit\/redis package/);
  });

  it('a malformed URL is a usage error', async () => {
    await expect(sharedLimits('http://127.0.0.1:6379', {})).rejects.toThrow(/--redis must be redis:\/\/host:port/);
    await expect(sharedLimits(undefined, { B24_REDIS_URL: 'localhost:6379' })).rejects.toThrow(
      /B24_REDIS_URL must be redis:\/\/host:port/,
    );
  });

  it('the built CLI imports @b24kit/redis only dynamically (installs without it keep working)', () => {
    const dist = fileURLToPath(new URL('../dist/esm/', import.meta.url));
    if (!existsSync(dist)) throw new Error('build the CLI first (npm run build)');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.js')) files.push(join(dir, entry.name));
      }
    };
    walk(dist);
    const statics = files.filter((f) =>
      /(from\s*['"]@b24kit\/redis['"]|require\(\s*['"]@b24kit\/redis['"]\s*\)|^\s*import\s*['"]@b24kit\/redis['"])/m.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(statics).toEqual([]);
    const dynamic = files.filter((f) => readFileSync(f, 'utf8').includes("import('@b24kit/redis')"));
    expect(dynamic.map((f) => f.slice(dist.length))).toEqual(['shared-limits.js']);
  });
});

describeRedis('b24 call and b24 export with --redis', () => {
  let redis: RedisServer;
  let em: Emulator;
  beforeAll(async () => {
    redis = await startRedis();
    em = await startEmulator({ plan: 'standard' });
    em.seed('crm.deal', 120);
  });
  afterAll(async () => {
    await em?.close();
    await redis?.close();
  });

  async function bucketKeys(): Promise<string[]> {
    const raw = new RedisConnection({ url: redis.url });
    try {
      return await raw.command<string[]>('test', ['KEYS', 'b24kit:limit:*']);
    } finally {
      await raw.close();
    }
  }

  it('b24 call --redis URL keeps the bucket in Redis', async () => {
    const r = await runCli(['call', 'server.time', '--webhook', em.webhookUrl, '--redis', redis.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatch(/^\d{4}-/);
    expect(await bucketKeys()).toContain(`b24kit:limit:{${em.baseUrl}|rate}`);
  });

  it('b24 export takes B24_REDIS_URL, with --limiter too', async () => {
    const r = await runCli(
      ['export', 'crm.deal.list', '--webhook', em.webhookUrl, '--select', 'ID', '--limiter', 'standard'],
      { B24_REDIS_URL: redis.url },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(120);
    expect(await bucketKeys()).toContain(`b24kit:limit:{${em.baseUrl}|rate}`);
  });

  it('an unreachable Redis fails the call quickly and clearly, and nothing is sent', async () => {
    const port = await freePort();
    const before = em.stats().requests;
    const started = Date.now();
    const r = await runCli([
      'call',
      'crm.deal.add',
      '--params',
      '{"fields":{"TITLE":"x"}}',
      '--webhook',
      em.webhookUrl,
      '--redis',
      `redis://:pw-secret@127.0.0.1:${port}`,
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/REDIS_UNAVAILABLE/);
    expect(r.stderr).toContain(`redis://127.0.0.1:${port}`);
    expect(r.stderr).not.toContain('pw-secret');
    expect(em.stats().requests).toBe(before);
  });
});
