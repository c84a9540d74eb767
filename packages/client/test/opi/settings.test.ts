/**
 * OPI region SettingsAndAdministartion: ServerTime over the typed client, and the three OAuth
 * helpers (GetAppAuthLink, GetToken, RefreshToken) with @b24kit/auth against the emulator's
 * OAuth server.
 */
import { authorizeUrl, exchangeCode, oauth, refreshTokens, ReauthorizationRequiredError } from '@b24kit/auth';
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
});

/** Follows the authorize link the way a browser would, up to the redirect carrying the code. */
async function authorize(): Promise<string> {
  const link = authorizeUrl({
    portal: em.baseUrl,
    clientId: em.oauth.clientId,
    state: 'st-1',
    redirectUri: 'http://127.0.0.1:9/callback',
  });
  const res = await fetch(link, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code')!;
}

describe('OPI SettingsAndAdministartion', () => {
  it('ServerTime → server.time', async () => {
    const before = em.now();
    const time = await b24.server.time();
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    // The portal's clock, not this process's: moving the emulator clock moves the answer.
    em.advanceTime(86_400_000);
    const later = Date.parse(await b24.server.time());
    expect(later - Date.parse(time)).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(Math.abs(Date.parse(time) - before)).toBeLessThan(5_000);
  });

  it('GetAppAuthLink → authorizeUrl (a domain starting with "http" stays intact)', () => {
    const link = new URL(authorizeUrl({ portal: 'httpbin.bitrix24.com', clientId: 'app.1', state: 's' }));
    // OPI breaks such a domain; the link must point at it.
    expect(link.origin).toBe('https://httpbin.bitrix24.com');
    expect(link.pathname).toBe('/oauth/authorize/');
    expect(link.searchParams.get('client_id')).toBe('app.1');
    expect(authorizeUrl({ portal: em.baseUrl, clientId: 'c', state: 's' })).toBe(
      `${em.baseUrl}/oauth/authorize/?client_id=c&state=s`,
    );
  });

  it('GetToken → exchangeCode (grant_type=authorization_code)', async () => {
    const code = await authorize();
    const tokens = await exchangeCode({
      clientId: em.oauth.clientId,
      clientSecret: em.oauth.clientSecret,
      tokenUrl: em.oauth.tokenUrl,
      code,
    });
    expect(tokens.accessToken).not.toBe('');
    expect(tokens.memberId).toBe(em.memberId);
    // The token works for REST calls through the typed client.
    const app = createClient({ oauth: oauth({ ...em.oauth, tokens }), retry: false });
    expect(await app.profile()).toMatchObject({ ID: '1' });
    await app.close();
    // A code is single-use.
    await expect(exchangeCode({ ...em.oauth, code })).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('RefreshToken → refreshTokens (grant_type=refresh_token)', async () => {
    const first = await exchangeCode({ ...em.oauth, code: await authorize() });
    const next = await refreshTokens({ ...em.oauth, refreshToken: first.refreshToken });
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    const app = createClient({ oauth: oauth({ ...em.oauth, tokens: next }), retry: false });
    expect(typeof (await app.server.time())).toBe('string');
    await app.close();
    // The old refresh token was rotated away.
    await expect(refreshTokens({ ...em.oauth, refreshToken: first.refreshToken })).rejects.toBeInstanceOf(
      ReauthorizationRequiredError,
    );
  });
});
