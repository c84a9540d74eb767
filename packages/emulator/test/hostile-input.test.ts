/**
 * Hostile input (issue 11, M1, M3, M5): linear capped parsing, a documented cap on simulated
 * time per request, a prompt stop on SIGTERM, and a Bitrix-style 4xx envelope for malformed
 * requests (never a 500).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index.js';
import { paramParseSteps, parseStrRaw } from '../src/params.js';
import { call } from './helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: { error?: string; error_description?: string; result?: unknown } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertions below say so
  }
  return { status: res.status, body, text };
}

describe('malformed requests get a 4xx envelope, never a 500', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator({ plan: 'unlimited' });
  });
  afterAll(() => em.close());

  it('a malformed % in the path', async () => {
    for (const path of ['crm.deal.list%zz', 'crm.deal.list%', '%E0%A4%A', 'crm.%C0']) {
      const r = await raw(`${em.webhookUrl}${path}`);
      expect(r.status, path).toBe(404);
      expect(r.body.error).toBe('ERROR_METHOD_NOT_FOUND');
    }
    const oauth = await raw(`${em.baseUrl}/rest/crm.deal.list%zz.json`);
    expect(oauth.status).toBe(404);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '!toString', '>=constructor'])(
    'filter, order and top-level keys named %s',
    async (name) => {
      for (const params of [
        { filter: { [name]: 1 } },
        { order: { [name]: 'ASC' } },
        { [name]: 1 },
        { fields: { [name]: 'x' } },
      ]) {
        for (const method of ['crm.deal.list', 'user.get', 'crm.contact.list', 'crm.deal.add']) {
          const r = await call(em.webhookUrl, method, params);
          expect(r.status, `${method} ${JSON.stringify(params)}`).toBe(400);
          expect(r.body.error).toBe('ERROR_ARGUMENT');
          expect(r.body.error_description).toContain('JavaScript built-in');
        }
      }
      // The same as a PHP-style form in the query and in the body.
      const key = encodeURIComponent(name);
      expect((await raw(`${em.webhookUrl}crm.deal.list?filter[${key}]=1`)).status).toBe(400);
      expect(
        (await raw(`${em.webhookUrl}crm.deal.list`, { method: 'POST', headers: FORM, body: `order[${key}]=ASC` }))
          .status,
      ).toBe(400);
      // As a select value it is only an unknown field.
      expect((await call(em.webhookUrl, 'crm.deal.list', { select: [name] })).status).toBe(200);
    },
  );

  it('a 40,000-value @ list is refused with a named limit; 20,000 values still work', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const big = await call(em.webhookUrl, 'crm.deal.list', { filter: { '@ID': ids(40_000) } });
    expect(big.status).toBe(400);
    expect(big.body).toEqual({
      error: 'ERROR_ARGUMENT',
      error_description: 'Too many values: more than 30000 in one call',
    });
    const form = await raw(`${em.webhookUrl}crm.deal.list`, {
      method: 'POST',
      headers: FORM,
      body: ids(40_000)
        .map((i) => `filter[@ID][]=${i}`)
        .join('&'),
    });
    expect(form.status).toBe(400);
    em.seed('crm.deal', 3);
    const ok = await call(em.webhookUrl, 'crm.deal.list', { filter: { '@ID': ids(20_000) }, select: ['ID'] });
    expect(ok.status).toBe(200);
    expect(ok.body.total).toBe(3);
  });

  it('10,000-deep nesting, as a form and as JSON', async () => {
    const form = await raw(`${em.webhookUrl}crm.deal.list`, {
      method: 'POST',
      headers: FORM,
      body: `filter${'[a]'.repeat(10_000)}=1`,
    });
    expect(form.status).toBe(400);
    expect(form.body.error_description).toBe('Parameter "filter" nests deeper than 64 levels');
    // 10,000 levels do not fit in a request line (Node answers 431); 100 do.
    const query = await raw(`${em.webhookUrl}crm.deal.list?filter${'[a]'.repeat(100)}=1`);
    expect(query.status).toBe(400);
    const json = await raw(`${em.webhookUrl}crm.deal.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"filter":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_001)}`,
    });
    expect(json.status).toBe(400);
    expect(json.body.error_description).toMatch(/nests deeper than 64 levels/);
    // Inside batch commands too.
    const batch = await call(em.webhookUrl, 'batch', { cmd: { a: `crm.deal.list?filter${'[a]'.repeat(100)}=1` } });
    expect(batch.status).toBeLessThan(500);
    expect(JSON.stringify(batch.body)).toContain('nests deeper than 64 levels');
    expect(em.stats().faults['unhandled'] ?? 0).toBe(0);
  });
});

describe('form parsing is linear in the body (60 KB vs 180 KB of a[]=)', () => {
  it('counts 3x the work for 3x the bytes, and the HTTP layer answers both', async () => {
    const body = (kb: number) => 'a[]=1&'.repeat((kb * 1024) / 6);
    const work = (text: string) => {
      const before = paramParseSteps();
      const out = parseStrRaw(text);
      return { steps: paramParseSteps() - before, length: Object.keys(out['a'] as object).length };
    };
    const small = work(body(60));
    const large = work(body(180));
    expect(small.length).toBe(10_240);
    expect(large.length).toBe(30_720);
    // Each step is O(1). The quadratic parser of the security review rescanned the list on every a[].
    expect(large.steps / small.steps).toBeGreaterThan(2.9);
    expect(large.steps / small.steps).toBeLessThan(3.1);
    // Beyond the pair cap: a 400, not a stall.
    expect(() => parseStrRaw('a[]=1&'.repeat(100_001))).toThrow(/more than 100000 name=value pairs/);

    const em = await startEmulator({ plan: 'unlimited' });
    try {
      const r60 = await raw(`${em.webhookUrl}server.time`, { method: 'POST', headers: FORM, body: body(60) });
      expect(r60.status).toBe(200);
      const r180 = await raw(`${em.webhookUrl}server.time`, { method: 'POST', headers: FORM, body: body(180) });
      expect(r180.status).toBe(400);
      expect(r180.body.error_description).toBe('Too many values: more than 30000 in one call');
    } finally {
      await em.close();
    }
  });
});

describe('simulated time is capped per request (60 s, the documented cloud limit)', () => {
  it('start=1e12 under the realistic time model answers at once with 504 REQUEST_TIMEOUT', async () => {
    const em = await startEmulator({ plan: 'unlimited', timeModel: { countRowUs: 20, skipRowUs: 2 } });
    try {
      em.seed('crm.deal', 10);
      // Skipping 1e12 rows at 2 µs would sleep ~23 days; the request is refused before any sleep.
      const r = await call(em.webhookUrl, 'crm.deal.list', { start: 1e12 });
      expect(r.status).toBe(504);
      expect(r.body.error).toBe('REQUEST_TIMEOUT');
      expect(r.body.error_description).toMatch(/would exceed 60 s \(simulated cost \d+\.\d s\)/);
      // Ordinary pages are unaffected.
      const page = await call(em.webhookUrl, 'crm.deal.list', { start: 0 });
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(10);
    } finally {
      await em.close();
    }
  });

  it('the budget is per request: batch commands share it', async () => {
    const em = await startEmulator({
      plan: 'unlimited',
      requestTimeLimitMs: 100,
      timeModel: { perMethodMs: { 'server.time': 30 } },
    });
    try {
      const cmd = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`c${i}`, 'server.time']));
      const r = await call(em.webhookUrl, 'batch', { cmd });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.result.result)).toEqual(['c0', 'c1', 'c2']);
      expect(Object.keys(r.body.result.result_error)).toEqual(['c3', 'c4']);
      expect(r.body.result.result_error.c3.error).toBe('REQUEST_TIMEOUT');
      // A new request has a new budget.
      expect((await call(em.webhookUrl, 'server.time')).status).toBe(200);
    } finally {
      await em.close();
    }
  });
});

const cliBin = fileURLToPath(new URL('../../cli/dist/esm/bin.js', import.meta.url));

describe.skipIf(!existsSync(cliBin))('the `b24 emulator` process', () => {
  const children: ReturnType<typeof spawn>[] = [];
  // A process that ignored SIGTERM must not outlive a failed test.
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  async function start(args: string[]) {
    const child = spawn(process.execPath, [cliBin, 'emulator', '--plan', 'unlimited', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    return { child, exited, info: JSON.parse(line) as { webhookUrl: string } };
  }

  it('answers start=1e12 under its default realistic time model, then stops on SIGTERM', async () => {
    const em = await start([]);
    const r = await call(em.info.webhookUrl, 'crm.deal.list', { start: 1e12 });
    expect(r.status).toBe(504);
    em.child.kill('SIGTERM');
    expect(await em.exited).toBe(0);
  });

  it('stops at once on SIGTERM while a request is still sleeping (10 minutes of latency)', async () => {
    const em = await start(['--latency', '600000']);
    const pending = fetch(`${em.info.webhookUrl}server.time`).then(
      (res) => res.status,
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 300));
    em.child.kill('SIGTERM');
    // Before the fix the sleeping request's timer kept the process alive for the full 10 minutes.
    expect(await em.exited).toBe(0);
    expect(await pending).toBe('dropped');
  });
});
