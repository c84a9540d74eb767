import { describe, expect, test } from 'vitest';
import { startEmulator } from '../src/index.js';
import { call, get } from './helpers.js';

/** A clock that only moves when the test says so. */
const frozen = () => {
  const t0 = Date.UTC(2026, 0, 1);
  return () => t0;
};

describe('leaky bucket', () => {
  test('standard plan: 60 rapid calls → the 10 over the burst get 503 QUERY_LIMIT_EXCEEDED', async () => {
    const emu = await startEmulator({ plan: 'standard', now: frozen() });
    try {
      const replies = await Promise.all(Array.from({ length: 60 }, () => get(`${emu.webhookUrl}server.time`)));
      const ok = replies.filter((r) => r.status === 200).length;
      const limited = replies.filter((r) => r.status === 503);
      expect(ok).toBe(50);
      expect(limited).toHaveLength(10);
      expect(limited[0]!.body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      expect(emu.stats().rateLimited).toBe(10);
      // It drains 2 per second.
      emu.advanceTime(1000);
      const after = await Promise.all(Array.from({ length: 3 }, () => get(`${emu.webhookUrl}server.time`)));
      expect(after.map((r) => r.status).sort()).toEqual([200, 200, 503]);
    } finally {
      await emu.close();
    }
  });

  test('enterprise plan allows 250; a batch counts as one request', async () => {
    const emu = await startEmulator({ plan: { burst: 3, drainPerSec: 0 }, now: frozen() });
    try {
      const cmd = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, 'server.time']));
      expect((await call(emu.webhookUrl, 'batch', { cmd })).status).toBe(200);
      expect((await call(emu.webhookUrl, 'server.time')).status).toBe(200);
      expect((await call(emu.webhookUrl, 'server.time')).status).toBe(200);
      expect((await call(emu.webhookUrl, 'server.time')).status).toBe(503);
      emu.setPlan('enterprise');
      const replies = await Promise.all(Array.from({ length: 260 }, () => get(`${emu.webhookUrl}server.time`)));
      // The counter keeps its 3 earlier requests: 247 more fit under 250.
      expect(replies.filter((r) => r.status === 503)).toHaveLength(13);
    } finally {
      await emu.close();
    }
  });
});

describe('operating time', () => {
  test('the call that crosses the limit completes, the next gets 429; other methods are unaffected; window resets', async () => {
    const emu = await startEmulator({
      plan: 'unlimited',
      now: frozen(),
      operatingLimitMs: 50,
      timeModel: { perMethodMs: { 'crm.deal.list': 30 } },
    });
    try {
      const a = await call(emu.webhookUrl, 'crm.deal.list');
      expect(a.status).toBe(200);
      expect(a.body.time.operating).toBeGreaterThanOrEqual(0.03);
      expect(a.body.time.processing).toBeGreaterThanOrEqual(0.03);
      expect(a.body.time.operating_reset_at).toBe(Date.UTC(2026, 0, 1) / 1000 + 600);
      const b = await call(emu.webhookUrl, 'crm.deal.list');
      expect(b.status).toBe(200);
      expect(b.body.time.operating).toBeGreaterThan(0.05);
      const c = await call(emu.webhookUrl, 'crm.deal.list');
      expect(c.status).toBe(429);
      expect(c.body.error).toBe('OPERATION_TIME_LIMIT');
      expect((await call(emu.webhookUrl, 'crm.deal.fields')).status).toBe(200);
      // Another webhook has its own budget.
      expect((await call(emu.createWebhook(), 'crm.deal.list')).status).toBe(200);
      // Inside a batch each command counts and is refused on its own; the batch is 200.
      const batch = await call(emu.webhookUrl, 'batch', { cmd: { l: 'crm.deal.list', t: 'server.time' } });
      expect(batch.status).toBe(200);
      expect(batch.body.result.result_error.l.error).toBe('OPERATION_TIME_LIMIT');
      expect(batch.body.result.result.t).toBeTruthy();
      expect(emu.stats().operatingLimited).toBe(2);
      emu.advanceTime(600_000);
      expect((await call(emu.webhookUrl, 'crm.deal.list')).status).toBe(200);
    } finally {
      await emu.close();
    }
  });

  test('operatingWindowMs shrinks the window and its ten buckets together', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const emu = await startEmulator({
      plan: 'unlimited',
      now: frozen(),
      operatingLimitMs: 50,
      operatingWindowMs: 10_000,
      timeModel: { perMethodMs: { 'crm.deal.list': 60, 'crm.deal.fields': 1 } },
    });
    try {
      // The first call crosses the limit on its own: the next is refused until its bucket drops out.
      const a = await call(emu.webhookUrl, 'crm.deal.list');
      expect(a.status).toBe(200);
      expect(a.body.time.operating_reset_at).toBe(t0 / 1000 + 10);
      emu.advanceTime(9_999);
      expect((await call(emu.webhookUrl, 'crm.deal.list')).status).toBe(429);
      emu.advanceTime(1);
      const b = await call(emu.webhookUrl, 'crm.deal.list');
      expect(b.status).toBe(200);
      expect(b.body.time.operating_reset_at).toBe(t0 / 1000 + 20);
      // Buckets are a tenth of the window: a call 0.5 s after a bucket opened joins it, one 1 s after opens the next.
      emu.setOperatingLimit(Number.POSITIVE_INFINITY); // only the buckets' times matter from here on
      const fields = () => call(emu.webhookUrl, 'crm.deal.fields');
      expect((await fields()).body.time.operating_reset_at).toBe(t0 / 1000 + 20);
      emu.advanceTime(500);
      await fields();
      emu.advanceTime(500);
      await fields();
      emu.advanceTime(9_000);
      expect((await fields()).body.time.operating_reset_at).toBe(t0 / 1000 + 21);
    } finally {
      await emu.close();
    }
  });

  test('the outer batch call is not counted; each inner command is', async () => {
    const emu = await startEmulator({
      plan: 'unlimited',
      now: frozen(),
      timeModel: { perMethodMs: { 'server.time': 10 } },
    });
    try {
      const r = await call(emu.webhookUrl, 'batch', { cmd: ['server.time', 'server.time', 'server.time'] });
      expect(r.body.time.operating).toBe(0);
      expect(r.body.result.result_time[2].operating).toBeGreaterThanOrEqual(0.03);
      const s = emu.stats();
      expect(s.operatingMsByMethod['server.time']).toBeGreaterThanOrEqual(30);
      expect(s.operatingMsByMethod['batch']).toBeUndefined();
    } finally {
      await emu.close();
    }
  });
});

describe('time model', () => {
  test('counting and skipping rows cost time; start=-1 does not count', async () => {
    const emu = await startEmulator({ plan: 'unlimited', timeModel: { countRowUs: 100, skipRowUs: 100 } });
    try {
      emu.seed('crm.deal', 1000);
      const counted = await call(emu.webhookUrl, 'crm.deal.list', { select: ['ID'], start: 500 });
      // 1000 rows counted + 500 skipped at 100 µs = 150 ms
      expect(counted.body.time.processing).toBeGreaterThanOrEqual(0.15);
      const keyset = await call(emu.webhookUrl, 'crm.deal.list', { select: ['ID'], start: -1, filter: { '>ID': 500 } });
      expect(keyset.body.time.processing).toBeLessThan(0.1);
      expect(keyset.body.result[0]).toEqual({ ID: '501' });
    } finally {
      await emu.close();
    }
  });

  test('latencyMs delays every response', async () => {
    const emu = await startEmulator({ plan: 'unlimited', latencyMs: 120 });
    try {
      const t0 = performance.now();
      await get(`${emu.webhookUrl}server.time`);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    } finally {
      await emu.close();
    }
  });
});
