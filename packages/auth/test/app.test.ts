import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, MemoryTokenStore, type B24App, type B24Event } from '../src/index.js';
import { startFakeServer, type FakeServer } from './helpers/fake-oauth-server.js';
import { miniCall } from './helpers/mini-caller.js';

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());

/** Serves the app over a real socket and posts PHP-style forms to it. */
async function serve(app: B24App): Promise<{ url: string; close: () => Promise<void> }> {
  const http: Server = createServer(app.nodeHandler({ maxBodyBytes: 64 * 1024 }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => http.close(() => r())) };
}

function form(fields: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

async function post(url: string, body: string, init: { method?: string; contentType?: string } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
    ...(init.method === 'GET' ? {} : { body }),
  });
  return { status: res.status, text: await res.text() };
}

const APP_TOKEN = '51856fefc120afa4b628cc82d3935cce';

function installForm(pair: { accessToken: string; refreshToken: string }, overrides: Record<string, string> = {}) {
  return form({
    event: 'ONAPPINSTALL',
    'data[VERSION]': '1',
    'data[LANGUAGE_ID]': 'de',
    ts: String(Math.floor(Date.now() / 1000)),
    'auth[access_token]': pair.accessToken,
    'auth[refresh_token]': pair.refreshToken,
    'auth[expires_in]': '3600',
    'auth[domain]': new URL(server.origin).host,
    'auth[client_endpoint]': `${server.origin}/rest/`,
    'auth[server_endpoint]': `${server.origin}/rest/`,
    'auth[member_id]': server.memberId,
    'auth[scope]': 'crm',
    'auth[status]': 'L',
    'auth[application_token]': APP_TOKEN,
    ...overrides,
  });
}

const NOW_TS = Math.floor(Date.now() / 1000);
let nextId = 7405;

/** An event form; each call names another deal, so no two are copies of each other. */
function eventForm(event: string, applicationToken = APP_TOKEN, memberId = server.memberId, id = nextId++) {
  return form({
    event,
    event_handler_id: '185',
    'data[FIELDS][ID]': String(id),
    ts: String(NOW_TS),
    'auth[access_token]': 'user-token-abcdef',
    'auth[expires_in]': '3600',
    'auth[scope]': 'crm',
    'auth[domain]': new URL(server.origin).host,
    'auth[server_endpoint]': `${server.origin}/rest/`,
    'auth[status]': 'L',
    'auth[client_endpoint]': `${server.origin}/rest/`,
    'auth[member_id]': memberId,
    'auth[application_token]': applicationToken,
  });
}

describe('createApp over a real socket', () => {
  let store: MemoryTokenStore;
  let app: B24App;
  let http: { url: string; close: () => Promise<void> };
  const errors: { error: unknown; event?: B24Event }[] = [];

  beforeAll(async () => {
    store = new MemoryTokenStore();
    app = createApp({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      store,
      tokenUrl: server.tokenUrl,
      onError: (error, event) => void errors.push({ error, ...(event ? { event } : {}) }),
    });
    http = await serve(app);
  });
  afterAll(async () => {
    await app.close();
    await http.close();
  });
  afterEach(async () => {
    await app.idle();
  });

  it('refuses forged installs without storing anything', async () => {
    const forged = { accessToken: 'at-forged-123456', refreshToken: 'rt-forged-123456' };
    const res = await post(http.url, installForm(forged));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error).toBe('INSTALL_NOT_CONFIRMED');
    expect(res.text).not.toContain('rt-forged-123456');
    expect(await store.get(server.memberId)).toBeUndefined();

    const missing = await post(
      http.url,
      installForm(server.issue(), { 'auth[refresh_token]': '', 'auth[application_token]': '' }),
    );
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error_description).toBe(
      'Install request lacks auth[refresh_token], auth[application_token]',
    );
    expect(await store.get(server.memberId)).toBeUndefined();
  });

  it('installs from ONAPPINSTALL, confirming the tokens with the authorization server', async () => {
    const installs: B24Event[] = [];
    const off = app.on('onAppInstall', (e) => void installs.push(e));
    const pair = server.issue();
    const before = server.tokenRequests.length;
    const res = await post(http.url, installForm(pair));
    expect(res.status).toBe(200);
    expect(server.tokenRequests.length - before).toBe(1);
    const stored = await store.get(server.memberId);
    expect(stored?.tokens.applicationToken).toBe(APP_TOKEN);
    expect(stored?.tokens.memberId).toBe(server.memberId);
    // The posted refresh token was spent on the check; the confirmed pair is what is kept.
    expect(stored?.tokens.refreshToken).not.toBe(pair.refreshToken);
    expect(stored?.tokens.clientEndpoint).toBe(`${server.origin}/rest/`);
    await app.idle();
    expect(installs.map((e) => [e.event, e.data])).toEqual([['ONAPPINSTALL', { VERSION: '1', LANGUAGE_ID: 'de' }]]);
    off();
  });

  it('gives credentials for the installed portal that call and refresh', async () => {
    const creds = await app.credentials(server.memberId);
    expect(await miniCall(creds, 'profile')).toMatchObject({ ok: true });
    server.expireAccessTokens();
    expect(await miniCall(creds, 'profile')).toMatchObject({ ok: true });
    const stored = await store.get(server.memberId);
    expect(stored?.tokens.accessToken).toBe((await creds.tokens()).accessToken);
    expect(stored?.tokens.applicationToken).toBe(APP_TOKEN);
    await expect(app.credentials('unknown-member')).rejects.toThrow(/not installed/);
  });

  it('keeps a bare `data` value (ONIMCONNECTORLINEDELETE sends the line id)', async () => {
    const got: unknown[] = [];
    const off = app.on('ONIMCONNECTORLINEDELETE', (e) => void got.push(e.data));
    const body = eventForm('ONIMCONNECTORLINEDELETE', APP_TOKEN, server.memberId, 4242).replace(
      'data%5BFIELDS%5D%5BID%5D=4242',
      'data=12',
    );
    expect(body).toContain('data=12');
    expect((await post(http.url, body)).status).toBe(200);
    await app.idle();
    off();
    expect(got).toEqual(['12']);
  });

  it('verifies events, answers before the handler finishes, and hands over a typed event', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: B24Event[] = [];
    let finished = false;
    const off = app.on('ONCRMDEALADD', async (e) => {
      got.push(e);
      await gate;
      finished = true;
    });
    const res = await post(http.url, eventForm('ONCRMDEALADD', APP_TOKEN, server.memberId, 7405));
    expect(res.status).toBe(200);
    expect(finished).toBe(false);
    release();
    await app.idle();
    expect(finished).toBe(true);
    expect(got).toHaveLength(1);
    const e = got[0]!;
    expect(e).toEqual({
      event: 'ONCRMDEALADD',
      eventHandlerId: '185',
      data: { FIELDS: { ID: '7405' } },
      ts: NOW_TS,
      memberId: server.memberId,
      auth: {
        domain: new URL(server.origin).host,
        memberId: server.memberId,
        clientEndpoint: `${server.origin}/rest/`,
        serverEndpoint: `${server.origin}/rest/`,
        scope: 'crm',
        status: 'L',
        userId: null,
        hasUserToken: true,
      },
    });
    expect(inspect(e, { depth: 5 })).not.toContain('user-token-abcdef');
    expect(inspect(e, { depth: 5 })).not.toContain(APP_TOKEN);
    off();
  });

  it('rejects forged and unknown events with 401 and no side effect', async () => {
    const seen: string[] = [];
    const off = app.onEvent((e) => void seen.push(e.event));
    const forged = await post(http.url, eventForm('ONCRMDEALADD', 'f'.repeat(32)));
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).error).toBe('INVALID_APPLICATION_TOKEN');
    const shorter = await post(http.url, eventForm('ONCRMDEALADD', 'x'));
    expect(shorter.status).toBe(401);
    const unknown = await post(http.url, eventForm('ONCRMDEALADD', APP_TOKEN, 'someone-else'));
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text).error).toBe('UNKNOWN_PORTAL');
    const none = await post(http.url, form({ event: 'ONCRMDEALADD' }));
    expect(none.status).toBe(401);
    await app.idle();
    expect(seen).toEqual([]);
    off();
  });

  it('reports handler errors through onError after answering 200', async () => {
    errors.length = 0;
    const off = app.on('ONCRMDEALUPDATE', () => {
      throw new Error('handler broke');
    });
    const res = await post(http.url, eventForm('ONCRMDEALUPDATE'));
    expect(res.status).toBe(200);
    await app.idle();
    expect(errors).toHaveLength(1);
    expect((errors[0]!.error as Error).message).toBe('handler broke');
    expect(errors[0]!.event?.event).toBe('ONCRMDEALUPDATE');
    off();
  });

  it('answers wrong methods, content types and sizes clearly', async () => {
    expect((await post(http.url, '', { method: 'GET' })).status).toBe(405);
    expect((await post(http.url, '{"event":"X"}', { contentType: 'application/json' })).status).toBe(415);
    expect((await post(http.url, `a=${'x'.repeat(70 * 1024)}`)).status).toBe(413);
    const neither = await post(http.url, form({ foo: 'bar' }));
    expect(neither.status).toBe(400);
  });

  it('uninstall: a forged one changes nothing, a verified one drops the tokens', async () => {
    const forged = await post(
      http.url,
      form({
        event: 'ONAPPUNINSTALL',
        'data[CLEAN]': '0',
        'auth[member_id]': server.memberId,
        'auth[application_token]': 'nope',
      }),
    );
    expect(forged.status).toBe(401);
    expect(await store.get(server.memberId)).toBeDefined();
    const uninstalled: string[] = [];
    app.on('ONAPPUNINSTALL', (e) => void uninstalled.push(e.memberId));
    const ok = await post(
      http.url,
      form({
        event: 'ONAPPUNINSTALL',
        'data[CLEAN]': '1',
        'auth[domain]': new URL(server.origin).host,
        'auth[member_id]': server.memberId,
        'auth[application_token]': APP_TOKEN,
      }),
    );
    expect(ok.status).toBe(200);
    expect(await store.get(server.memberId)).toBeUndefined();
    await app.idle();
    expect(uninstalled).toEqual([server.memberId]);
    expect((await post(http.url, eventForm('ONCRMDEALADD'))).status).toBe(401);
    await expect(app.credentials(server.memberId)).rejects.toThrow(/uninstalled/);
  });

  it('installs from the frame POST, and later frames do not replace the tokens', async () => {
    const pair = server.issue();
    const host = new URL(server.origin).host;
    const frame = (p: { accessToken: string; refreshToken: string }, appToken: string) =>
      form({
        AUTH_ID: p.accessToken,
        AUTH_EXPIRES: '3600',
        REFRESH_ID: p.refreshToken,
        SERVER_ENDPOINT: `${server.origin}/rest/`,
        APPLICATION_TOKEN: appToken,
        APPLICATION_SCOPE: 'crm,placement',
        member_id: server.memberId,
        status: 'L',
        PLACEMENT: 'CRM_DEAL_DETAIL_TAB',
        PLACEMENT_OPTIONS: '{"ID":"8061"}',
      });
    const first = await post(`${http.url}/app?DOMAIN=${host}&PROTOCOL=0&LANG=en`, frame(pair, 'frame-app-token'));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ ok: true, installed: true });
    const stored = await store.get(server.memberId);
    expect(stored?.tokens.applicationToken).toBe('frame-app-token');

    const second = await post(`${http.url}/app?DOMAIN=${host}&PROTOCOL=0`, frame(server.issue(), 'frame-app-token'));
    expect(JSON.parse(second.text)).toEqual({ ok: true, installed: false });
    expect((await store.get(server.memberId))?.version).toBe(stored?.version);

    const forged = await post(`${http.url}/app?DOMAIN=${host}&PROTOCOL=0`, frame(server.issue(), 'other-token'));
    expect(forged.status).toBe(401);
    const http0 = await post(
      `${http.url}/app?DOMAIN=example.bitrix24.com&PROTOCOL=0`,
      frame(server.issue(), 'frame-app-token'),
    );
    expect(http0.status).toBe(400);
  });
});

describe('createApp options', () => {
  it('renders frames with onFrame and passes placement options parsed', async () => {
    const store = new MemoryTokenStore();
    const seen: unknown[] = [];
    const app = createApp({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      store,
      tokenUrl: server.tokenUrl,
      onFrame: (f) => {
        seen.push([f.placement, f.placementOptions, f.lang, f.installed]);
        return { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>hi</h1>' };
      },
    });
    const pair = server.issue();
    const res = await app.handle({
      method: 'POST',
      url: `/?DOMAIN=${new URL(server.origin).host}&PROTOCOL=0&LANG=de`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(
        form({
          AUTH_ID: pair.accessToken,
          REFRESH_ID: pair.refreshToken,
          member_id: server.memberId,
          APPLICATION_TOKEN: 'tok-1',
          PLACEMENT: 'DEFAULT',
          PLACEMENT_OPTIONS: '{"ID":"1"}',
        }),
      ),
    });
    expect(res).toEqual({ status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>hi</h1>' });
    expect(seen).toEqual([['DEFAULT', { ID: '1' }, 'de', true]]);
  });

  it('with verifyInstall off, trusts the first install only (a different application_token is refused)', async () => {
    const store = new MemoryTokenStore();
    const app = createApp({ clientId: 'c', clientSecret: 's', store, tokenUrl: server.tokenUrl, verifyInstall: false });
    const pair = { accessToken: 'at-unverified-1', refreshToken: 'rt-unverified-1' };
    const before = server.tokenRequests.length;
    const req = (body: string) => ({ method: 'POST', url: '/', headers: {}, body });
    expect((await app.handle(req(installForm(pair)))).status).toBe(200);
    expect(server.tokenRequests.length).toBe(before);
    expect((await store.get(server.memberId))?.tokens.refreshToken).toBe('rt-unverified-1');
    const hijack = await app.handle(req(installForm(pair, { 'auth[application_token]': 'attacker-token' })));
    expect(hijack.status).toBe(401);
    expect((await store.get(server.memberId))?.tokens.applicationToken).toBe(APP_TOKEN);
  });

  it('requires clientId, clientSecret and store', () => {
    expect(() => createApp({ clientId: '', clientSecret: 's', store: new MemoryTokenStore() })).toThrow(/clientId/);
    expect(() => createApp({ clientId: 'c', clientSecret: '', store: new MemoryTokenStore() })).toThrow(/clientSecret/);
    expect(() => createApp({ clientId: 'c', clientSecret: 's' } as never)).toThrow(/store is required/);
    expect(
      inspect(createApp({ clientId: 'c', clientSecret: 'super-secret', store: new MemoryTokenStore() })),
    ).not.toContain('super-secret');
  });
});
