import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { call, get, start } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await start({ tokenTtlMs: 60_000 });
});
afterAll(() => emu.close());

async function authorize(state = 'st4te'): Promise<URL> {
  const res = await fetch(
    `${emu.oauth.authorizeUrl}?client_id=${emu.oauth.clientId}&state=${state}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}`,
    {
      redirect: 'manual',
    },
  );
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function exchange(params: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
  const q = new URLSearchParams({ client_id: emu.oauth.clientId, client_secret: emu.oauth.clientSecret, ...params });
  return method === 'GET'
    ? get(`${emu.oauth.tokenUrl}?${q}`)
    : get(emu.oauth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: q.toString(),
      });
}

describe('OAuth', () => {
  test('authorize redirects with code, state, domain, member_id, scope, server_domain', async () => {
    const loc = await authorize();
    expect(loc.origin + loc.pathname).toBe('http://127.0.0.1:9/cb');
    expect(loc.searchParams.get('code')).toMatch(/^[a-z0-9]{32}$/);
    expect(loc.searchParams.get('state')).toBe('st4te');
    expect(loc.searchParams.get('member_id')).toBe(emu.memberId);
    expect(loc.searchParams.get('scope')).toContain('crm');
    expect(loc.searchParams.get('server_domain')).toBeTruthy();
  });

  test('unknown client_id: error page, no redirect', async () => {
    const res = await fetch(`${emu.oauth.authorizeUrl}?client_id=local.nope`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  test('code → tokens (GET) with the documented fields; the code is single-use', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const before = emu.stats().tokenRequests;
    const r = await exchange({ grant_type: 'authorization_code', code });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(
      [
        'access_token',
        'client_endpoint',
        'domain',
        'expires',
        'expires_in',
        'member_id',
        'refresh_token',
        'scope',
        'server_endpoint',
        'status',
        'user_id',
      ].sort(),
    );
    expect(r.body.expires_in).toBe(60);
    expect(r.body.client_endpoint).toBe(`${emu.baseUrl}/rest/`);
    expect(r.body.user_id).toBe(1);
    expect(r.body.member_id).toBe(emu.memberId);
    const again = await exchange({ grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(emu.stats().tokenRequests).toBe(before + 2);
  });

  test('code lives 30 s', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    emu.advanceTime(31_000);
    const r = await exchange({ grant_type: 'authorization_code', code });
    expect(r.body.error).toBe('invalid_grant');
  });

  test('wrong secret → 401 invalid_client, and the secret is not echoed', async () => {
    const r = await get(
      `${emu.oauth.tokenUrl}?grant_type=refresh_token&client_id=${emu.oauth.clientId}&client_secret=WRONGSECRET&refresh_token=x`,
    );
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(JSON.stringify(r.body)).not.toContain('WRONGSECRET');
  });

  test('refresh rotates (POST form); the old refresh token → invalid_grant', async () => {
    const first = emu.issueTokens();
    const r = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'POST');
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).not.toBe(first.refresh_token);
    expect(r.body.access_token).not.toBe(first.access_token);
    const reuse = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    const next = await exchange({ grant_type: 'refresh_token', refresh_token: r.body.refresh_token });
    expect(next.status).toBe(200);
  });

  test('token placement: Bearer header, then auth, then access_token', async () => {
    const t = emu.issueTokens().access_token;
    const ep = `${emu.baseUrl}/rest/`;
    expect((await get(`${ep}server.time`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    expect((await get(`${ep}server.time.json?auth=${t}`)).status).toBe(200);
    expect((await call(ep, 'server.time', { auth: t })).status).toBe(200);
    expect((await get(`${ep}server.time?access_token=${t}`)).status).toBe(200);
    // The header wins over a bad `auth` parameter.
    expect((await get(`${ep}server.time?auth=bad`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    const bad = await get(`${ep}server.time?auth=nonexistenttoken`);
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_token');
  });

  test('expireAccessTokens() → 401 expired_token; a refreshed token works', async () => {
    const pair = emu.issueTokens();
    const ep = `${emu.baseUrl}/rest/`;
    expect((await call(ep, 'crm.deal.list', { auth: pair.access_token })).status).toBe(200);
    expect(emu.expireAccessTokens()).toBeGreaterThan(0);
    const r = await call(ep, 'crm.deal.list', { auth: pair.access_token });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('expired_token');
    const fresh = await exchange({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect((await call(ep, 'crm.deal.list', { auth: fresh.body.access_token })).status).toBe(200);
  });

  test('access tokens expire after tokenTtlMs', async () => {
    const pair = emu.issueTokens();
    emu.advanceTime(61_000);
    const r = await call(`${emu.baseUrl}/rest/`, 'server.time', { auth: pair.access_token });
    expect(r.body.error).toBe('expired_token');
  });

  test('an app token outside its scopes → 403 insufficient_scope; app-only methods work', async () => {
    const app = emu.registerApp({ scopes: 'task' });
    await emu.install(app);
    const t = emu.issueTokens(app).access_token;
    const ep = `${emu.baseUrl}/rest/`;
    const r = await call(ep, 'crm.deal.list', { auth: t });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('insufficient_scope');
    expect((await call(ep, 'event.get', { auth: t })).body.result).toEqual([]);
    const info = await call(ep, 'app.info', { auth: t });
    expect(info.body.result).toMatchObject({ CODE: app.clientId, INSTALLED: true });
  });
});
