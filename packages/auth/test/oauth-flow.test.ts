import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  exchangeCode,
  InvalidUrlError,
  ReauthorizationRequiredError,
  refreshTokens,
  TokenEndpointError,
} from '../src/index.js';
import { startFakeServer, type FakeServer } from './helpers/fake-oauth-server.js';

describe('authorizeUrl', () => {
  it.each([
    ['portal.bitrix24.com', 'https://portal.bitrix24.com'],
    ['portal.bitrix24.com/', 'https://portal.bitrix24.com'],
    ['https://portal.bitrix24.com', 'https://portal.bitrix24.com'],
    ['https://portal.bitrix24.com/', 'https://portal.bitrix24.com'],
    // A domain that starts with "http" is still a bare domain (OPI's link broke on these).
    ['httpbin.bitrix24.com', 'https://httpbin.bitrix24.com'],
    ['https-things.bitrix24.com/', 'https://https-things.bitrix24.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ])('builds the link for %s', (portal, origin) => {
    const link = new URL(authorizeUrl({ portal, clientId: 'app.573ad8a0346747.09223434', state: 'st&=1' }));
    expect(link.origin).toBe(origin);
    expect(link.pathname).toBe('/oauth/authorize/');
    expect(link.searchParams.get('client_id')).toBe('app.573ad8a0346747.09223434');
    expect(link.searchParams.get('state')).toBe('st&=1');
    expect(link.searchParams.has('redirect_uri')).toBe(false);
  });

  it('adds redirect_uri when given', () => {
    const link = new URL(
      authorizeUrl({ portal: 'p.bitrix24.com', clientId: 'c', state: 's', redirectUri: 'https://app.example/cb?x=1' }),
    );
    expect(link.searchParams.get('redirect_uri')).toBe('https://app.example/cb?x=1');
  });

  it.each([
    ['', /portal is empty/],
    ['http://portal.bitrix24.com', /plain http/],
    ['https://portal.bitrix24.com/some/path', /without a path/],
    ['https://portal.bitrix24.com/?x=1', /query string/],
  ])('rejects portal %j', (portal, message) => {
    expect(() => authorizeUrl({ portal, clientId: 'c', state: 's' })).toThrow(InvalidUrlError);
    expect(() => authorizeUrl({ portal, clientId: 'c', state: 's' })).toThrow(message);
  });

  it('requires clientId and state', () => {
    expect(() => authorizeUrl({ portal: 'p.bitrix24.com', clientId: '', state: 's' })).toThrow(/clientId is missing/);
    expect(() => authorizeUrl({ portal: 'p.bitrix24.com', clientId: 'c', state: '' })).toThrow(/state is missing/);
  });
});

describe('exchangeCode and refreshTokens over a real socket', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer();
  });
  afterAll(() => server.close());

  const client = () => ({ clientId: server.clientId, clientSecret: server.clientSecret, tokenUrl: server.tokenUrl });

  it('exchanges a code for a typed TokenSet', async () => {
    const code = server.code();
    const before = Date.now();
    const tokens = await exchangeCode({ ...client(), code });
    const q = server.tokenRequests.at(-1)!;
    expect(Object.fromEntries(q)).toEqual({
      grant_type: 'authorization_code',
      code,
      client_id: server.clientId,
      client_secret: server.clientSecret,
    });
    expect(tokens.accessToken).toMatch(/^at-/);
    expect(tokens.refreshToken).toMatch(/^rt-/);
    // The answer's `domain` is the auth server; the portal comes from client_endpoint.
    expect(tokens.domain).toBe(new URL(server.origin).host);
    expect(tokens.clientEndpoint).toBe(`${server.origin}/rest/`);
    expect(tokens.memberId).toBe(server.memberId);
    expect(tokens.scope).toBe('crm,user');
    expect(tokens.status).toBe('L');
    expect(tokens.userId).toBe(1);
    expect(tokens.expiresIn).toBe(3600);
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3599_000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + 3601_000);
  });

  it('refreshes, keeping the application token, and a reused refresh token is reported clearly', async () => {
    const pair = server.issue();
    const tokens = await refreshTokens({
      ...client(),
      refreshToken: pair.refreshToken,
      previous: { applicationToken: 'app-token-1', memberId: 'm1' },
    });
    expect(tokens.accessToken).not.toBe(pair.accessToken);
    expect(tokens.applicationToken).toBe('app-token-1');
    expect(server.tokenRequests.at(-1)!.get('grant_type')).toBe('refresh_token');

    const error = await refreshTokens({ ...client(), refreshToken: pair.refreshToken, portalKey: 'm1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    const e = error as ReauthorizationRequiredError;
    expect(e.code).toBe('invalid_grant');
    expect(e.status).toBe(400);
    expect(e.portalKey).toBe('m1');
    expect(e.message).toMatch(/authorize the application/);
    const shown = `${e.message} ${inspect(e)} ${JSON.stringify(e)} ${String(e.stack)}`;
    expect(shown).not.toContain(pair.refreshToken);
    expect(shown).not.toContain(server.clientSecret);
  });

  it('a wrong client secret gives invalid_client without the secret', async () => {
    const error = await exchangeCode({ ...client(), clientSecret: 'wrong-secret-value', code: server.code() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).code).toBe('invalid_client');
    expect((error as Error).message).toMatch(/invalid_client.*client_id and client_secret/);
    expect(inspect(error)).not.toContain('wrong-secret-value');
  });

  it('an invalid code echoed by the server is redacted', async () => {
    const error = await exchangeCode({ ...client(), code: 'code-that-does-not-exist' }).catch((e: unknown) => e);
    expect((error as TokenEndpointError).code).toBe('invalid_grant');
    expect(error).not.toBeInstanceOf(ReauthorizationRequiredError);
    expect((error as Error).message).toContain('Invalid code ***');
    expect(inspect(error)).not.toContain('code-that-does-not-exist');
  });

  it('reports non-JSON answers, HTTP errors without a code, and unreachable endpoints', async () => {
    server.nextTokenAnswer = { status: 502, body: '<html>bad gateway</html>' };
    await expect(exchangeCode({ ...client(), code: 'c1234' })).rejects.toMatchObject({
      code: 'INVALID_TOKEN_RESPONSE',
      status: 502,
    });
    server.nextTokenAnswer = { status: 500, body: '{}' };
    await expect(exchangeCode({ ...client(), code: 'c1234' })).rejects.toMatchObject({ code: 'HTTP_500' });
    server.nextTokenAnswer = { status: 200, body: '{"access_token":"x"}' };
    await expect(exchangeCode({ ...client(), code: 'c1234' })).rejects.toMatchObject({
      code: 'INVALID_TOKEN_RESPONSE',
    });
    // Port 9 on loopback: nothing listens there.
    const error = await exchangeCode({ ...client(), tokenUrl: 'http://127.0.0.1:9/oauth/token/', code: 'c1234' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNREACHABLE', status: 0 });
    expect(inspect(error)).not.toContain(server.clientSecret);
  });

  it('refuses a plain-http token endpoint off loopback before sending anything', async () => {
    const count = server.tokenRequests.length;
    await expect(
      exchangeCode({ ...client(), tokenUrl: 'http://oauth.example.com/oauth/token/', code: 'c1234' }),
    ).rejects.toThrow(/plain http/);
    expect(server.tokenRequests.length).toBe(count);
  });
});
