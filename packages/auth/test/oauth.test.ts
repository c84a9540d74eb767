import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryTokenStore, oauth, oauthFromStore, ReauthorizationRequiredError, type TokenSet } from '../src/index.js';
import { startFakeServer, type FakeServer } from './helpers/fake-oauth-server.js';
import { miniCall } from './helpers/mini-caller.js';

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.tokenDelayMs = 0;
});

const d = (method: string, apiVersion: 2 | 3 = 2) => ({
  method,
  scope: '',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion,
});

/** A fresh portal identity per test, so process-wide gates never leak between tests. */
let portalCounter = 0;
function freshTokens(): TokenSet {
  const pair = server.issue();
  return {
    ...pair,
    expiresAt: Date.now() + 3600_000,
    expiresIn: 3600,
    domain: new URL(server.origin).host,
    memberId: `member-${++portalCounter}-${Math.random()}`,
    scope: 'crm',
    clientEndpoint: `${server.origin}/rest/`,
    serverEndpoint: `${server.origin}/rest/`,
    userId: 1,
    status: 'L',
  };
}
const client = () => ({ clientId: server.clientId, clientSecret: server.clientSecret, tokenUrl: server.tokenUrl });

describe('oauth() credentials', () => {
  it('prepares REST 2 and REST 3 URLs with a Bearer header', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    expect(creds.kind).toBe('oauth');
    expect(creds.portal).toBe(server.origin);
    expect(await creds.prepare(d('crm.deal.list'))).toEqual({
      url: `${server.origin}/rest/crm.deal.list.json`,
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    expect((await creds.prepare(d('tasks.task.get', 3))).url).toBe(`${server.origin}/rest/api/tasks.task.get`);
  });

  it('accepts a minimal token object naming the portal by domain', async () => {
    const pair = server.issue();
    const creds = oauth({ ...client(), tokens: { ...pair, domain: 'example.bitrix24.com' } });
    expect(creds.portal).toBe('https://example.bitrix24.com');
    expect(creds.portalKey).toBe('example.bitrix24.com');
    expect(() => oauth({ ...client(), tokens: { ...pair } })).toThrow(/set domain or clientEndpoint/);
    expect(() => oauth({ ...client(), clientSecret: '', tokens: { ...pair, domain: 'x.bitrix24.com' } })).toThrow(
      /clientSecret is missing/,
    );
  });

  it('refreshes on expired_token and repeats the call', async () => {
    const tokens = freshTokens();
    const seen: TokenSet[] = [];
    const creds = oauth({ ...client(), tokens, onTokens: (t) => void seen.push(t) });
    expect(await miniCall(creds, 'profile')).toEqual({ method: 'profile', ok: true });
    server.expireAccessTokens();
    const before = server.tokenRequests.length;
    expect(await miniCall(creds, 'profile')).toEqual({ method: 'profile', ok: true });
    expect(server.tokenRequests.length - before).toBe(1);
    expect(seen).toHaveLength(1);
    expect((await creds.tokens()).accessToken).toBe(seen[0]!.accessToken);
    expect(seen[0]!.accessToken).not.toBe(tokens.accessToken);
  });

  it('100 concurrent calls on an expired token cause exactly one refresh; all succeed', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    server.expireAccessTokens();
    server.tokenDelayMs = 50;
    const before = server.tokenRequests.length;
    const results = await Promise.all(Array.from({ length: 100 }, () => miniCall(creds, 'crm.deal.list')));
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(server.tokenRequests.length - before).toBe(1);
  });

  it('credentials objects of one portal share the refresh gate', async () => {
    const tokens = freshTokens();
    const a = oauth({ ...client(), tokens });
    const b = oauth({ ...client(), tokens });
    server.expireAccessTokens();
    const before = server.tokenRequests.length;
    server.tokenDelayMs = 30;
    await Promise.all([miniCall(a, 'profile'), miniCall(b, 'profile'), miniCall(a, 'profile')]);
    expect(server.tokenRequests.length - before).toBe(1);
    // The second object starts from the rotated pair, not the spent one.
    expect((await b.tokens()).refreshToken).not.toBe(tokens.refreshToken);
    server.expireAccessTokens();
    await miniCall(b, 'profile');
    expect(server.tokenRequests.length - before).toBe(2);
  });

  it('does not refresh when the failed request carried an already replaced token', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    const old = await creds.prepare(d('profile'));
    await creds.refresh();
    const before = server.tokenRequests.length;
    expect(await creds.recover!('expired_token', old)).toBe(true);
    expect(server.tokenRequests.length).toBe(before);
    expect(await creds.recover!('ACCESS_DENIED', old)).toBe(false);
    expect(await creds.recover!('NO_AUTH_FOUND', old)).toBe(false);
  });

  it('a spent refresh token surfaces as ReauthorizationRequiredError once, not a loop', async () => {
    const tokens = freshTokens();
    // Spend the refresh token behind the credentials' back.
    await fetch(
      `${server.tokenUrl}?grant_type=refresh_token&client_id=${server.clientId}&client_secret=${server.clientSecret}&refresh_token=${tokens.refreshToken}`,
    );
    const creds = oauth({ ...client(), tokens });
    server.expireAccessTokens();
    const before = server.tokenRequests.length;
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => miniCall(creds, 'profile').catch((e: unknown) => e)),
    );
    for (const e of errors) {
      expect(e).toBeInstanceOf(ReauthorizationRequiredError);
      expect((e as Error).message).toMatch(/authorize the application on this portal again/);
      const shown = `${inspect(e)} ${JSON.stringify(e)}`;
      for (const secret of [tokens.refreshToken, tokens.accessToken, server.clientSecret])
        expect(shown).not.toContain(secret);
    }
    // Later calls fail the same way without asking the token endpoint again.
    await expect(miniCall(creds, 'profile')).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(server.tokenRequests.length - before).toBe(1);
  });

  it('stores the new pair before it is used, and seeds an empty store', async () => {
    const store = new MemoryTokenStore();
    const tokens = freshTokens();
    const usedWhenStored: (string | undefined)[] = [];
    const creds = oauth({ ...client(), tokens, store });
    await creds.tokens();
    expect((await store.get(tokens.memberId))?.tokens.accessToken).toBe(tokens.accessToken);
    server.expireAccessTokens();
    const restBefore = server.restRequests.length;
    const original = store.set.bind(store);
    store.set = async (key, t, v) => {
      // Nothing may have used the new token when it reaches the store.
      usedWhenStored.push(server.restRequests.slice(restBefore).find((r) => r.token === t.accessToken)?.token);
      return original(key, t, v);
    };
    await miniCall(creds, 'profile');
    const stored = await store.get(tokens.memberId);
    expect(stored?.tokens.accessToken).toBe((await creds.tokens()).accessToken);
    expect(stored?.tokens.accessToken).not.toBe(tokens.accessToken);
    expect(usedWhenStored).toEqual([undefined]);
  });

  it('a store holding a newer pair wins over the seed, and is adopted instead of refreshing', async () => {
    const store = new MemoryTokenStore();
    const seed = freshTokens();
    const newer = { ...freshTokens(), memberId: seed.memberId };
    await store.set(seed.memberId, newer, null);
    const creds = oauth({ ...client(), tokens: seed, store });
    expect((await creds.tokens()).accessToken).toBe(newer.accessToken);

    // Another process refreshes and writes the store; this process adopts without a refresh.
    const third = { ...freshTokens(), memberId: seed.memberId };
    const current = await store.get(seed.memberId);
    await store.set(seed.memberId, third, current!.version);
    const before = server.tokenRequests.length;
    const failed = await creds.prepare(d('profile'));
    expect(await creds.recover!('expired_token', failed)).toBe(true);
    expect(server.tokenRequests.length).toBe(before);
    expect((await creds.tokens()).accessToken).toBe(third.accessToken);
  });

  it('oauthFromStore loads a portal by member_id and says clearly when it is missing', async () => {
    const store = new MemoryTokenStore();
    const tokens = freshTokens();
    await store.set(tokens.memberId, tokens, null);
    const creds = await oauthFromStore({ ...client(), store, key: tokens.memberId });
    expect(await miniCall(creds, 'profile')).toMatchObject({ ok: true });
    await expect(oauthFromStore({ ...client(), store, key: 'nope' })).rejects.toThrow(
      /No tokens stored for portal nope/,
    );
  });

  it('never shows tokens or the client secret', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    const shown = [String(creds), JSON.stringify(creds), inspect(creds), inspect({ creds }, { depth: 4 })];
    for (const text of shown) {
      for (const secret of [tokens.accessToken, tokens.refreshToken, server.clientSecret])
        expect(text).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(creds))).toEqual({
      kind: 'oauth',
      portal: server.origin,
      portalKey: tokens.memberId,
      clientId: server.clientId,
    });
    const message = `GET ${server.origin}/rest/x?auth=${tokens.accessToken}&r=${tokens.refreshToken}&s=${server.clientSecret}`;
    expect(creds.redact(message)).toBe(`GET ${server.origin}/rest/x?auth=***&r=***&s=***`);
    await creds.refresh();
    const now = await creds.tokens();
    // Old and new tokens are both redacted.
    expect(creds.redact(`${tokens.accessToken} ${now.accessToken} ${now.refreshToken}`)).toBe('*** *** ***');
  });

  it('refreshes on invalid_token too', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    const before = server.tokenRequests.length;
    expect(await creds.recover!('invalid_token', await creds.prepare(d('profile')))).toBe(true);
    expect(server.tokenRequests.length - before).toBe(1);
    expect((await creds.tokens()).accessToken).not.toBe(tokens.accessToken);
  });

  it('a caller that aborts while waiting for a refresh leaves it running for the others', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    const failed = await creds.prepare(d('profile'));
    server.tokenDelayMs = 100;
    const before = server.tokenRequests.length;
    const controller = new AbortController();
    const waiting = creds.recover!('expired_token', failed, controller.signal);
    const other = creds.recover!('expired_token', failed);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(await other).toBe(true);
    expect(server.tokenRequests.length - before).toBe(1);
    expect((await creds.tokens()).accessToken).not.toBe(tokens.accessToken);
  });

  it('a failing onTokens fails the call clearly but keeps the new pair in use', async () => {
    const tokens = freshTokens();
    const creds = oauth({
      ...client(),
      tokens,
      onTokens: () => {
        throw new Error('database down');
      },
    });
    const error = await creds.refresh().catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('ON_TOKENS_FAILED');
    expect((error as Error).message).toMatch(/onTokens callback failed/);
    expect(((error as Error).cause as Error).message).toBe('database down');
    const now = await creds.tokens();
    expect(now.refreshToken).not.toBe(tokens.refreshToken);
    expect(inspect(error)).not.toContain(now.accessToken);
    // The pair works.
    expect(await miniCall(creds, 'profile')).toMatchObject({ ok: true });
  });

  it('a store write racing the refresh (e.g. an install) wins; the credentials converge on it', async () => {
    const store = new MemoryTokenStore();
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens, store });
    await creds.tokens();
    const installed = { ...freshTokens(), memberId: tokens.memberId };
    server.tokenDelayMs = 50;
    const refreshing = creds.refresh();
    // While the token request is in flight, an install stores a fresh pair.
    await new Promise((r) => setTimeout(r, 10));
    const current = await store.get(tokens.memberId);
    await store.set(tokens.memberId, installed, current!.version);
    await refreshing;
    expect((await creds.tokens()).accessToken).toBe(installed.accessToken);
    expect((await store.get(tokens.memberId))?.tokens.accessToken).toBe(installed.accessToken);
  });

  it('a token endpoint error echoing the secret or refresh token is redacted', async () => {
    const tokens = freshTokens();
    const creds = oauth({ ...client(), tokens });
    server.nextTokenAnswer = {
      status: 400,
      body: JSON.stringify({
        error: 'invalid_request',
        error_description: `bad ${server.clientSecret} for ${tokens.refreshToken}`,
      }),
    };
    const error = await creds.refresh().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Token endpoint refused the refresh_token request: invalid_request (bad *** for ***); the token request was malformed',
    );
  });
});
