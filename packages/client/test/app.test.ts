import { MemoryTokenStore } from '@b24kit/auth';
import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type B24ClientApp } from '../src/index.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe('createApp().client(memberId)', () => {
  let em: Emulator;
  let app: B24ClientApp;
  const store = new MemoryTokenStore();

  beforeAll(async () => {
    em = await startEmulator({ plan: 'unlimited' });
    app = createApp({
      clientId: em.oauth.clientId,
      clientSecret: em.oauth.clientSecret,
      store,
      tokenUrl: em.oauth.tokenUrl,
    });
  });
  afterAll(async () => {
    await app.close();
    await em.close();
  });

  it('gives a typed client on the installed portal’s tokens, refreshed on expiry', async () => {
    // Install through the frame POST with tokens the emulator's OAuth server issued.
    const authorize = await fetch(
      `${em.oauth.authorizeUrl}?client_id=${em.oauth.clientId}&state=s&redirect_uri=http://127.0.0.1:9/cb`,
      {
        redirect: 'manual',
      },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const token = (await (
      await fetch(
        `${em.oauth.tokenUrl}?grant_type=authorization_code&client_id=${em.oauth.clientId}&client_secret=${em.oauth.clientSecret}&code=${code}`,
      )
    ).json()) as { access_token: string; refresh_token: string; expires_in: number; member_id: string };
    const body = new URLSearchParams({
      AUTH_ID: token.access_token,
      AUTH_EXPIRES: String(token.expires_in),
      REFRESH_ID: token.refresh_token,
      member_id: token.member_id,
      status: 'L',
      PLACEMENT: 'DEFAULT',
      PLACEMENT_OPTIONS: '{}',
      APPLICATION_TOKEN: em.oauth.app.applicationToken,
    });
    const host = new URL(em.baseUrl).host;
    const installed = await app.handle({
      method: 'POST',
      url: `/app?DOMAIN=${host}&PROTOCOL=0&LANG=en&APP_SID=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(installed.status).toBe(200);

    const b24 = await app.client(token.member_id);
    const id = await b24.crm.deal.add({ fields: { TITLE: 'Through app.client' } });
    em.expireAccessTokens();
    const deal = await b24.crm.deal.get({ id });
    expect(deal.TITLE).toBe('Through app.client');
    expect((await store.get(token.member_id))?.tokens.accessToken).not.toBe(token.access_token);
  });
});
