/**
 * The app side trusts only the portal (issue 11, H2 and M2): installs are accepted after the
 * authorization server and the portal confirm them (this app's tokens, an administrator), the
 * first application_token is kept, frames need APPLICATION_TOKEN or verified tokens, copies of
 * events are refused, and bodies are capped. Against the emulator over real sockets; user 1 is
 * the emulator's only administrator, user 7 an ordinary user.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adHocDescriptor } from '@b24kit/core';
import { startEmulator, type Emulator, type TokenPair } from '@b24kit/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  MemoryEventDedupStore,
  MemoryTokenStore,
  type B24App,
  type B24Event,
  type FrameRequest,
} from '../src/index.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ATTACKER_APP_TOKEN = 'a77acce5a77acce5a77acce5a77acce5';

async function post(url: string, body: string) {
  const res = await fetch(url, { method: 'POST', headers: FORM, body });
  const text = await res.text();
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  return { status: res.status, error, text };
}

/** An ONAPPINSTALL / ONAPPUPDATE form as the portal would post it, with the given user's tokens. */
function installBody(em: Emulator, tokens: TokenPair, applicationToken: string, event = 'ONAPPINSTALL'): string {
  return new URLSearchParams({
    event,
    'data[VERSION]': '2',
    'data[LANGUAGE_ID]': 'en',
    ts: String(Math.floor(Date.now() / 1000)),
    'auth[access_token]': tokens.access_token,
    'auth[refresh_token]': tokens.refresh_token,
    'auth[expires_in]': '3600',
    'auth[domain]': new URL(em.baseUrl).host,
    'auth[client_endpoint]': `${em.baseUrl}/rest/`,
    'auth[server_endpoint]': `${em.baseUrl}/rest/`,
    'auth[member_id]': em.memberId,
    'auth[user_id]': String(tokens.user_id),
    'auth[scope]': tokens.scope,
    'auth[status]': 'L',
    'auth[application_token]': applicationToken,
  }).toString();
}

describe('install and frames are accepted only when the portal confirms them', () => {
  let em: Emulator;
  let app: B24App;
  let store: MemoryTokenStore;
  let http: Server;
  let appUrl: string;
  const frames: FrameRequest[] = [];
  const events: B24Event[] = [];

  beforeAll(async () => {
    http = createServer((req, res) => app.nodeHandler()(req, res));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    appUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    em = await startEmulator({
      plan: 'unlimited',
      app: { installHandler: `${appUrl}/install`, eventHandler: `${appUrl}/events`, events: ['ONCRMDEALADD'] },
    });
    store = new MemoryTokenStore();
    app = createApp({
      clientId: em.oauth.clientId,
      clientSecret: em.oauth.clientSecret,
      store,
      tokenUrl: em.oauth.tokenUrl,
      caller: { limiter: false },
      onFrame: (frame) => {
        frames.push(frame);
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ok: true, installed: frame.installed }),
        };
      },
    });
    app.onEvent((e) => void events.push(e));
  });
  afterAll(async () => {
    await app.close();
    await em.close();
    await new Promise((r) => http.close(r));
  });
  afterEach(() => app.idle());

  it('a non-admin opening the app before the install is refused and nothing is stored', async () => {
    const opened = await em.openApp(em.oauth.app, `${appUrl}/app`, { userId: 7 });
    expect(opened.status).toBe(403);
    expect(JSON.parse(opened.body).error).toBe('INSTALL_NOT_ADMIN');
    expect(await store.get(em.memberId)).toBeUndefined();
    expect(frames).toEqual([]);
  });

  it('a forged ONAPPINSTALL with a non-admin user’s real tokens is refused (403) and stores nothing', async () => {
    const res = await post(`${appUrl}/install`, installBody(em, em.issueTokens(em.oauth.app, 7), ATTACKER_APP_TOKEN));
    expect(res).toMatchObject({ status: 403, error: 'INSTALL_NOT_ADMIN' });
    expect(res.text).not.toContain(ATTACKER_APP_TOKEN);
    expect(await store.get(em.memberId)).toBeUndefined();
  });

  it('the admin’s install is accepted; a later forged install or update by a non-admin changes nothing', async () => {
    await em.install(em.oauth.app);
    const installed = await store.get(em.memberId);
    expect(installed?.tokens.applicationToken).toBe(em.oauth.app.applicationToken);
    expect(installed?.tokens.userId).toBe(1);

    // A non-admin knows the real application_token (every frame POST carries it) and has real tokens.
    for (const [event, token] of [
      ['ONAPPINSTALL', ATTACKER_APP_TOKEN],
      ['ONAPPUPDATE', ATTACKER_APP_TOKEN],
      ['ONAPPUPDATE', em.oauth.app.applicationToken],
    ] as const) {
      const res = await post(`${appUrl}/install`, installBody(em, em.issueTokens(em.oauth.app, 7), token, event));
      expect(res, `${event} with ${token === ATTACKER_APP_TOKEN ? 'another' : 'the real'} token`).toMatchObject({
        status: 403,
        error: 'INSTALL_NOT_ADMIN',
      });
    }
    // Tokens that are not this app's are not confirmed by the authorization server.
    const other = em.registerApp();
    await em.install(other);
    const foreign = await post(`${appUrl}/install`, installBody(em, em.issueTokens(other, 1), ATTACKER_APP_TOKEN));
    expect(foreign).toMatchObject({ status: 401, error: 'INSTALL_NOT_CONFIRMED' });
    expect((await store.get(em.memberId))?.version).toBe(installed?.version);

    // Real events still pass with the kept application_token; a forged one does not.
    const caller = await app.caller(em.memberId);
    const id = await caller.call<number>(adHocDescriptor('crm.deal.add'), { fields: { TITLE: 'after the forgeries' } });
    await em.eventsIdle();
    await app.idle();
    expect(events.filter((e) => e.event === 'ONCRMDEALADD').map((e) => e.data)).toEqual([
      { FIELDS: { ID: String(id) } },
    ]);
    expect(em.deliveries().every((d) => d.status === 200)).toBe(true);
  });

  it('a late ONAPPINSTALL (the docs warn it may be delayed) is not refused by the replay window', async () => {
    const late = installBody(em, em.issueTokens(em.oauth.app, 1), em.oauth.app.applicationToken).replace(
      /(^|&)ts=\d+/,
      `$1ts=${Math.floor(Date.now() / 1000) - 2 * 3600}`,
    );
    expect((await post(`${appUrl}/install`, late)).status).toBe(200);
    // The same body again spends a refresh token that is already spent.
    expect(await post(`${appUrl}/install`, late)).toMatchObject({ status: 401, error: 'INSTALL_NOT_CONFIRMED' });
  });

  it('an ONAPPUPDATE by the admin may change the application_token (it is verified again)', async () => {
    const before = await store.get(em.memberId);
    const res = await post(
      `${appUrl}/install`,
      installBody(em, em.issueTokens(em.oauth.app, 1), 'b'.repeat(32), 'ONAPPUPDATE'),
    );
    expect(res.status).toBe(200);
    expect((await store.get(em.memberId))?.tokens.applicationToken).toBe('b'.repeat(32));
    // Put the emulator's token back for the tests below.
    await post(
      `${appUrl}/install`,
      installBody(em, em.issueTokens(em.oauth.app, 1), em.oauth.app.applicationToken, 'ONAPPUPDATE'),
    );
    expect((await store.get(em.memberId))?.tokens.applicationToken).toBe(before?.tokens.applicationToken);
  });

  it('frames: a non-admin with the real APPLICATION_TOKEN is served without touching the tokens', async () => {
    const before = await store.get(em.memberId);
    frames.length = 0;
    const opened = await em.openApp(em.oauth.app, `${appUrl}/app`, {
      userId: 7,
      placement: 'CRM_DEAL_DETAIL_TAB',
      placementOptions: { ID: '5' },
    });
    expect(opened.status).toBe(200);
    expect(JSON.parse(opened.body)).toEqual({ ok: true, installed: false });
    expect(frames.map((f) => [f.memberId, f.domain, f.placement, f.placementOptions])).toEqual([
      [em.memberId, new URL(em.baseUrl).host, 'CRM_DEAL_DETAIL_TAB', { ID: '5' }],
    ]);
    expect((await store.get(em.memberId))?.version).toBe(before?.version);
  });

  it('frames without APPLICATION_TOKEN: only tokens the authorization server confirms, never a chosen member_id', async () => {
    frames.length = 0;
    const frameBody = (fields: Record<string, string>) =>
      new URLSearchParams({ AUTH_EXPIRES: '3600', PLACEMENT: 'DEFAULT', ...fields }).toString();
    const url = `${appUrl}/app?DOMAIN=${encodeURIComponent(new URL(em.baseUrl).host)}&PROTOCOL=0`;
    // Garbage tokens and the installed portal's member_id.
    const garbage = await post(
      url,
      frameBody({ AUTH_ID: 'x'.repeat(32), REFRESH_ID: 'y'.repeat(32), member_id: em.memberId }),
    );
    expect(garbage).toMatchObject({ status: 401, error: 'INSTALL_NOT_CONFIRMED' });
    // No tokens at all.
    const bare = await post(url, frameBody({ AUTH_ID: 'x'.repeat(32), member_id: em.memberId }));
    expect(bare).toMatchObject({ status: 401, error: 'INVALID_APPLICATION_TOKEN' });
    // Real tokens of this portal, but an installed other portal's member_id is claimed.
    await store.set('attacker-chosen-member', (await store.get(em.memberId))!.tokens, null);
    const user = em.issueTokens(em.oauth.app, 7);
    const chosen = await post(
      url,
      frameBody({ AUTH_ID: user.access_token, REFRESH_ID: user.refresh_token, member_id: 'attacker-chosen-member' }),
    );
    expect(chosen).toMatchObject({ status: 401, error: 'FRAME_NOT_CONFIRMED' });
    await store.delete('attacker-chosen-member');
    // A wrong APPLICATION_TOKEN.
    const wrong = await post(
      url,
      frameBody({ AUTH_ID: user.access_token, APPLICATION_TOKEN: ATTACKER_APP_TOKEN, member_id: em.memberId }),
    );
    expect(wrong).toMatchObject({ status: 401, error: 'INVALID_APPLICATION_TOKEN' });
    expect(frames).toEqual([]);
    // Real tokens of this portal without APPLICATION_TOKEN: confirmed, and the portal is the server's.
    const fresh = em.issueTokens(em.oauth.app, 7);
    const ok = await post(
      url,
      frameBody({ AUTH_ID: fresh.access_token, REFRESH_ID: fresh.refresh_token, member_id: em.memberId }),
    );
    expect(ok.status).toBe(200);
    expect(frames.map((f) => f.memberId)).toEqual([em.memberId]);
  });

  it('replayed events are refused within the window, and events with a ts outside it', async () => {
    const caller = await app.caller(em.memberId);
    await caller.call(adHocDescriptor('crm.deal.add'), { fields: { TITLE: 'replay me' } });
    await em.eventsIdle();
    await app.idle();
    const delivered = em
      .deliveries()
      .filter((d) => d.event === 'ONCRMDEALADD')
      .at(-1)!;
    expect(delivered.status).toBe(200);
    const count = events.length;
    const again = await post(`${appUrl}/events`, delivered.body);
    expect(again).toMatchObject({ status: 409, error: 'EVENT_REPLAYED' });
    const old = delivered.body.replace(/(^|&)ts=\d+/, `$1ts=${Math.floor(Date.now() / 1000) - 3600}`);
    expect(old).not.toBe(delivered.body);
    expect(await post(`${appUrl}/events`, old)).toMatchObject({ status: 400, error: 'EVENT_TS_OUT_OF_WINDOW' });
    await app.idle();
    expect(events.length).toBe(count);
  });

  it('every handler has a body cap: 413 over a socket and from handle()', async () => {
    const big = `a=${'x'.repeat(1024 * 1024 + 10)}`;
    expect((await post(`${appUrl}/events`, big)).status).toBe(413);
    const small = createApp({ clientId: 'c', clientSecret: 's', store: new MemoryTokenStore(), maxBodyBytes: 100 });
    const res = await small.handle({
      method: 'POST',
      url: '/',
      headers: FORM,
      body: `event=ONCRMDEALADD&pad=${'x'.repeat(200)}`,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('the in-memory event dedup store', () => {
  it('answers first-seen once per key within the ttl, forgets after it, and stays bounded', async () => {
    let now = 0;
    const store = new MemoryEventDedupStore({ maxEntries: 3, now: () => now });
    expect(await store.firstSeen('a', 1000)).toBe(true);
    expect(await store.firstSeen('a', 1000)).toBe(false);
    now = 1001;
    expect(await store.firstSeen('a', 1000)).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) expect(await store.firstSeen(k, 1000)).toBe(true);
    expect(store.size).toBeLessThanOrEqual(3);
  });
});
