import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { call, get, start } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());

describe('routes and envelopes', () => {
  test('webhookUrl has the documented shape on loopback', () => {
    expect(emu.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest\/1\/[a-z0-9]{16}\/$/);
    expect(emu.port).toBeGreaterThan(0);
  });

  test('server.time with and without .json, GET and POST', async () => {
    for (const suffix of ['', '.json']) {
      const r = await get(`${emu.webhookUrl}server.time${suffix}`);
      expect(r.status).toBe(200);
      expect(r.body.result).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      const t = r.body.time;
      for (const k of ['start', 'finish', 'duration', 'processing', 'operating_reset_at', 'operating'])
        expect(typeof t[k]).toBe('number');
      expect(t.date_start).toMatch(/\+00:00$/);
      expect(t.finish).toBeGreaterThanOrEqual(t.start);
    }
    const p = await call(emu.webhookUrl, 'server.time');
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  test('method names are case-insensitive', async () => {
    const r = await get(`${emu.webhookUrl}SERVER.Time`);
    expect(r.status).toBe(200);
  });

  test('wrong webhook code → 401 NO_AUTH_FOUND, no time block', async () => {
    const bad = emu.webhookUrl.replace(/\/rest\/1\/[a-z0-9]+\//, '/rest/1/wrongcode000000/');
    const r = await get(`${bad}server.time`);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
  });

  test('right code with another user id → 403 INVALID_CREDENTIALS', async () => {
    const r = await get(`${emu.webhookUrl.replace('/rest/1/', '/rest/2/')}server.time`);
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('INVALID_CREDENTIALS');
  });

  test('unknown method → 404 ERROR_METHOD_NOT_FOUND', async () => {
    const r = await call(emu.webhookUrl, 'crm.nothing.here');
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('ERROR_METHOD_NOT_FOUND');
  });

  test('OAuth route without any token → 401 NO_AUTH_FOUND', async () => {
    const r = await get(`${emu.baseUrl}/rest/server.time`);
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('NO_AUTH_FOUND');
  });

  test('query merged with the body, body wins', async () => {
    const id = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'A' } })).body.result;
    const other = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'B' } })).body.result;
    const r = await call(emu.webhookUrl, `crm.deal.get?id=${id}`, { id: other });
    expect(r.body.result.TITLE).toBe('B');
    const q = await call(emu.webhookUrl, `crm.deal.get?id=${id}`, {});
    expect(q.body.result.TITLE).toBe('A');
  });

  test('PHP-bracket urlencoded body', async () => {
    const res = await fetch(`${emu.webhookUrl}crm.deal.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'fields%5BTITLE%5D=Form+deal&fields%5BOPPORTUNITY%5D=15.5&fields[CONTACT_IDS][]=3&fields[CONTACT_IDS][]=4',
    });
    const id = ((await res.json()) as { result: number }).result;
    const r = await call(emu.webhookUrl, 'crm.deal.get', { id });
    expect(r.body.result).toMatchObject({ TITLE: 'Form deal', OPPORTUNITY: '15.50', CONTACT_IDS: ['3', '4'] });
  });

  test('multipart/form-data body with brackets', async () => {
    const form = new FormData();
    form.append('fields[TITLE]', 'Multipart deal');
    form.append('fields[PROBABILITY]', '40');
    const res = await fetch(`${emu.webhookUrl}crm.deal.add.json`, { method: 'POST', body: form });
    const id = ((await res.json()) as { result: number }).result;
    const r = await call(emu.webhookUrl, 'crm.deal.get', { id });
    expect(r.body.result).toMatchObject({ TITLE: 'Multipart deal', PROBABILITY: '40' });
  });

  test('.xml suffix answers XML with a <response> root', async () => {
    const res = await fetch(`${emu.webhookUrl}server.time.xml`);
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(await res.text()).toMatch(/^<\?xml[^>]*><response><result>\d{4}-/);
  });

  test('webhook calls to app-only methods → 403 WRONG_AUTH_TYPE', async () => {
    const r = await call(emu.webhookUrl, 'event.bind', { event: 'ONCRMDEALADD', handler: 'http://127.0.0.1:1/' });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('WRONG_AUTH_TYPE');
  });

  test('webhook limited to a scope → insufficient_scope on other scopes, basic still works', async () => {
    const url = emu.createWebhook({ scopes: ['task'] });
    const r = await call(url, 'crm.deal.list');
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('insufficient_scope');
    expect((await call(url, 'server.time')).status).toBe(200);
  });

  test('bad input gets a named error', async () => {
    const r = await call(emu.webhookUrl, 'crm.deal.add', { fields: { PROBABILITY: 'lots' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('ERROR_ARGUMENT');
    expect(r.body.error_description).toContain('PROBABILITY');
  });

  test('util.inspect of the emulator hides the webhook code and client secret', async () => {
    const { inspect } = await import('node:util');
    const text = inspect(emu);
    const code = /\/rest\/1\/([a-z0-9]+)\//.exec(emu.webhookUrl)![1]!;
    expect(text).not.toContain(code);
    expect(text).not.toContain(emu.oauth.clientSecret);
  });
});
