/**
 * @b24kit/auth against the emulator and core over real sockets: refresh under load, a spent
 * refresh token, the full life of an application, and the offline event queue.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { adHocDescriptor, createCaller } from '@b24kit/core';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  FileTokenStore,
  MemoryTokenStore,
  oauth,
  ReauthorizationRequiredError,
  refreshTokens,
  toTokenSet,
  type B24App,
  type B24Event,
  type TokenSet,
} from '../src/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const d = adHocDescriptor;

function tokensOf(em: Emulator): TokenSet {
  const pair = em.issueTokens();
  return toTokenSet({
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    clientEndpoint: pair.client_endpoint,
    memberId: pair.member_id,
    expiresIn: pair.expires_in,
  });
}

describe('OAuth credentials with core against the emulator', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator({ plan: 'unlimited' });
  });
  afterAll(() => em.close());

  it('100 concurrent calls on an expired access token: one refresh at the token endpoint, all succeed', async () => {
    const store = new MemoryTokenStore();
    const credentials = oauth({ ...em.oauth, tokens: tokensOf(em), store });
    const caller = createCaller({ credentials, limiter: false, operating: false });
    try {
      expect(typeof (await caller.call(d('server.time')))).toBe('string');
      expect(em.expireAccessTokens()).toBeGreaterThan(0);
      const before = em.stats().tokenRequests;
      const results = await Promise.all(Array.from({ length: 100 }, () => caller.call<{ ID: string }>(d('profile'))));
      expect(results).toHaveLength(100);
      for (const r of results) expect(r.ID).toBe('1');
      expect(em.stats().tokenRequests - before).toBe(1);
      // The new pair reached the store.
      expect((await store.get(em.memberId))?.tokens.accessToken).toBe((await credentials.tokens()).accessToken);
    } finally {
      await caller.close();
    }
  });

  it('a reused refresh token is reported as ReauthorizationRequiredError, once, with no secret in it', async () => {
    const tokens = tokensOf(em);
    // Someone else (another copy of the app) already used this refresh token.
    await refreshTokens({ ...em.oauth, refreshToken: tokens.refreshToken });
    const credentials = oauth({ ...em.oauth, tokens });
    const caller = createCaller({ credentials, limiter: false, retry: false });
    try {
      em.expireAccessTokens();
      const before = em.stats().tokenRequests;
      const errors = await Promise.all(
        Array.from({ length: 10 }, () => caller.call(d('profile')).catch((e: unknown) => e)),
      );
      for (const error of errors) {
        expect(error).toBeInstanceOf(ReauthorizationRequiredError);
        expect((error as Error).message).toContain(`portal ${em.memberId}`);
        const shown = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
        for (const secret of [tokens.refreshToken, tokens.accessToken, em.oauth.clientSecret])
          expect(shown).not.toContain(secret);
      }
      await expect(caller.call(d('profile'))).rejects.toBeInstanceOf(ReauthorizationRequiredError);
      expect(em.stats().tokenRequests - before).toBe(1);
    } finally {
      await caller.close();
    }
  });

  it('two processes sharing a FileTokenStore: the loser of the refresh race adopts the winner’s pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24kit-auth-emu-'));
    try {
      const tokens = tokensOf(em);
      const key = tokens.memberId;
      // Process A seeds and refreshes; process B (its own store object, same directory) still holds the old pair.
      const storeA = new FileTokenStore({ dir });
      const a = oauth({ ...em.oauth, tokens, store: storeA });
      await a.tokens();
      const storeB = new FileTokenStore({ dir });
      const b = oauth({ ...em.oauth, tokens, store: storeB });
      const bOld = await b.prepare(d('profile'));
      await a.refresh();
      const before = em.stats().tokenRequests;
      expect(await b.recover!('expired_token', bOld)).toBe(true);
      // B read the newer pair from the store instead of spending the old refresh token.
      expect(em.stats().tokenRequests).toBe(before);
      expect((await b.tokens()).accessToken).toBe((await a.tokens()).accessToken);
      expect((await storeB.get(key))?.tokens.accessToken).toBe((await a.tokens()).accessToken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an application’s whole life against the emulator', () => {
  let em: Emulator;
  let app: B24App;
  let store: MemoryTokenStore;
  let appUrl: string;
  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => app.nodeHandler()(req, res));
  const events: B24Event[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    appUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
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
      onError: (e) => void errors.push(e),
      caller: { limiter: false },
    });
    app.onEvent((e) => void events.push(e));
  });
  afterAll(async () => {
    await app.close();
    await em.close();
    await new Promise((r) => httpServer.close(r));
  });

  it('install -> calls -> token expiry -> verified events -> forged event rejected -> uninstall', async () => {
    // Install: the emulator POSTs ONAPPINSTALL; the app confirms the tokens and stores them.
    const statsBefore = em.stats();
    await em.install(em.oauth.app);
    await app.idle();
    const installed = await store.get(em.memberId);
    expect(installed?.tokens.applicationToken).toBe(em.oauth.app.applicationToken);
    expect(em.stats().tokenRequests - statsBefore.tokenRequests).toBe(1);
    expect(events.map((e) => e.event)).toEqual(['ONAPPINSTALL']);

    // Calls with the stored tokens.
    const caller = await app.caller(em.memberId);
    const id = await caller.call<number>(d('crm.deal.add'), { fields: { TITLE: 'From the app' } });
    expect(Number(id)).toBeGreaterThan(0);

    // The event the call raised arrives, verified, with the deal id.
    await em.eventsIdle();
    await app.idle();
    const dealAdd = events.filter((e) => e.event === 'ONCRMDEALADD');
    expect(dealAdd).toHaveLength(1);
    expect(dealAdd[0]!.data).toEqual({ FIELDS: { ID: String(id) } });
    expect(dealAdd[0]!.memberId).toBe(em.memberId);

    // Token expiry: one refresh, the call goes through, the store follows.
    em.expireAccessTokens();
    const beforeRefresh = em.stats().tokenRequests;
    const deals = await Promise.all([1, 2, 3].map(() => caller.call<{ ID: string }>(d('crm.deal.get'), { id })));
    for (const deal of deals) expect(deal.ID).toBe(String(id));
    expect(em.stats().tokenRequests - beforeRefresh).toBe(1);
    expect((await store.get(em.memberId))?.tokens.accessToken).not.toBe(installed?.tokens.accessToken);

    // A forged event (right shape, wrong application_token) is refused and reaches no handler.
    const delivered = em.deliveries().find((x) => x.event === 'ONCRMDEALADD')!;
    const forgedBody = delivered.body.replace(
      encodeURIComponent(em.oauth.app.applicationToken),
      'f'.repeat(em.oauth.app.applicationToken.length),
    );
    expect(forgedBody).not.toBe(delivered.body);
    const count = events.length;
    const forged = await fetch(`${appUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: forgedBody,
    });
    expect(forged.status).toBe(401);
    // The genuine body sent again is a replay: refused, and no handler runs.
    const replayed = await fetch(`${appUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: delivered.body,
    });
    expect(replayed.status).toBe(409);
    expect(((await replayed.json()) as { error: string }).error).toBe('EVENT_REPLAYED');
    await app.idle();
    expect(events.length).toBe(count);

    // Uninstall: verified, tokens dropped, later events refused.
    await em.uninstall(em.oauth.app);
    await app.idle();
    expect(await store.get(em.memberId)).toBeUndefined();
    expect(events.at(-1)?.event).toBe('ONAPPUNINSTALL');
    const after = await fetch(`${appUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: delivered.body,
    });
    expect(after.status).toBe(401);
    expect(errors).toEqual([]);
    // Every delivery the emulator made was answered 2xx.
    expect(em.deliveries().every((x) => x.status === 200)).toBe(true);
  });
});

describe('offline events against the emulator', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator({ plan: 'unlimited' });
  });
  afterAll(() => em.close());

  it('clears what the handler finished and marks failures with event.offline.error', async () => {
    const store = new MemoryTokenStore();
    await store.set(em.memberId, tokensOf(em), null);
    const app = createApp({
      clientId: em.oauth.clientId,
      clientSecret: em.oauth.clientSecret,
      store,
      tokenUrl: em.oauth.tokenUrl,
      caller: { limiter: false },
    });
    try {
      const caller = await app.caller(em.memberId);
      await caller.call(d('event.bind'), { event: 'ONCRMDEALADD', event_type: 'offline' });
      const ids: number[] = [];
      for (let i = 0; i < 7; i++)
        ids.push(Number(await caller.call(d('crm.deal.add'), { fields: { TITLE: `Deal ${i}` } })));
      const failing = String(ids[3]);
      const handled: string[] = [];
      const result = await app.consumeOfflineEvents(
        em.memberId,
        (event) => {
          const dealId = String((event.data as { FIELDS: { ID: unknown } }).FIELDS.ID);
          if (dealId === failing) throw new Error('cannot handle this one');
          handled.push(dealId);
        },
        { limit: 3 },
      );
      expect(result.processed).toBe(6);
      expect(result.failures.map((f) => String((f.event.data as { FIELDS: { ID: unknown } }).FIELDS.ID))).toEqual([
        failing,
      ]);
      expect(result.batches).toBe(3);
      expect(handled.sort()).toEqual(
        ids
          .filter((x) => String(x) !== failing)
          .map(String)
          .sort(),
      );
      // Only the failed row is left, marked as an error.
      const left = await caller.call<{ EVENT_NAME: string; ERROR: unknown; EVENT_DATA: { FIELDS: { ID: unknown } } }[]>(
        d('event.offline.list'),
        {},
      );
      expect(left).toHaveLength(1);
      expect(String(left[0]!.ERROR)).toBe('1');
      expect(String(left[0]!.EVENT_DATA.FIELDS.ID)).toBe(failing);
      // Nothing more to consume.
      const again = await app.consumeOfflineEvents(em.memberId, () => undefined);
      expect(again).toMatchObject({ processed: 0, batches: 0 });
    } finally {
      await app.close();
    }
  });
});
