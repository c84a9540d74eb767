import { describe, expect, test } from 'vitest';
import { startEmulator, type FaultOptions } from '../src/index.js';

async function outcomes(faults: FaultOptions, n: number, method = 'server.time'): Promise<string[]> {
  const emu = await startEmulator({ plan: 'unlimited', faults });
  try {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      try {
        const res = await fetch(`${emu.webhookUrl}${method}`);
        const text = await res.text();
        let parsed = 'json';
        try {
          JSON.parse(text);
        } catch {
          parsed = 'broken';
        }
        out.push(`${res.status}:${parsed}`);
      } catch {
        out.push('reset');
      }
    }
    return out;
  } finally {
    await emu.close();
  }
}

describe('fault injection', () => {
  const faults: FaultOptions = {
    seed: 42,
    rules: [
      { kind: '500', rate: 0.1 },
      { kind: '503', rate: 0.1 },
      { kind: 'reset', rate: 0.05 },
      { kind: 'truncated', rate: 0.05 },
      { kind: 'malformed', rate: 0.05 },
    ],
  };

  test('the same seed gives the same sequence; another seed a different one', async () => {
    const a = await outcomes(faults, 60);
    const b = await outcomes(faults, 60);
    const c = await outcomes({ ...faults, seed: 7 }, 60);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const kinds = new Set(a);
    // With these rates 60 calls hit several kinds; each kind shows its own symptom.
    expect(a.filter((x) => x === '200:json').length).toBeGreaterThan(20);
    expect([...kinds].some((k) => k === '500:json' || k === '503:json')).toBe(true);
    for (const k of kinds) expect(['200:json', '500:json', '503:json', '200:broken', 'reset']).toContain(k);
  });

  test('per-method rules only touch that method; rate 1 always fires; setFaults at runtime', async () => {
    const emu = await startEmulator({
      plan: 'unlimited',
      faults: { rules: [{ kind: '500', rate: 1, methods: ['crm.deal.list'] }] },
    });
    try {
      const list = await fetch(`${emu.webhookUrl}crm.deal.list`);
      expect(list.status).toBe(500);
      expect(await list.json()).toEqual({ error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
      expect((await fetch(`${emu.webhookUrl}server.time`)).status).toBe(200);
      emu.setFaults({ rules: [{ kind: 'slow', rate: 1, delayMs: 150 }] });
      const t0 = performance.now();
      expect((await fetch(`${emu.webhookUrl}crm.deal.list`)).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      emu.setFaults(undefined);
      expect((await fetch(`${emu.webhookUrl}crm.deal.list`)).status).toBe(200);
      expect(emu.stats().faults).toMatchObject({ '500': 1, slow: 1 });
      expect(() => emu.setFaults({ rules: [{ kind: '500', rate: 2 }] })).toThrow(/rate must be within/);
    } finally {
      await emu.close();
    }
  });

  test.each([
    ['INTERNAL_SERVER_ERROR', 500],
    ['ERROR_UNEXPECTED_ANSWER', 500],
    ['QUERY_LIMIT_EXCEEDED', 503],
    ['OPERATION_TIME_LIMIT', 429],
    ['ERROR_BATCH_METHOD_NOT_ALLOWED', 405],
    ['ERROR_BATCH_LENGTH_EXCEEDED', 400],
    ['NO_AUTH_FOUND', 401],
    ['INVALID_REQUEST', 400],
    ['OVERLOAD_LIMIT', 503],
    ['ACCESS_DENIED', 403],
    ['INVALID_CREDENTIALS', 403],
    ['ERROR_MANIFEST_IS_NOT_AVAILABLE', 404],
    ['insufficient_scope', 403],
    ['expired_token', 401],
    ['user_access_error', 403],
    ['PORTAL_DELETED', 500],
  ])('system error %s is sent with HTTP %i', async (code, status) => {
    const emu = await startEmulator({ plan: 'unlimited', faults: { rules: [{ kind: 'error', code, rate: 1 }] } });
    try {
      const res = await fetch(`${emu.webhookUrl}server.time`);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: string; error_description: string; time?: unknown };
      expect(body.error).toBe(code);
      expect(body.error_description.length).toBeGreaterThan(0);
      expect(body.time).toBeUndefined();
    } finally {
      await emu.close();
    }
  });
});
