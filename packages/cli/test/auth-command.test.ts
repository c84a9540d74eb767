import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let portal: Emulator;
beforeAll(async () => {
  portal = await startEmulator();
});
afterAll(() => portal.close());

async function codeFromAuthorize(link: string): Promise<string> {
  const response = await fetch(link, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const code = new URL(response.headers.get('location')!).searchParams.get('code');
  expect(code).toBeTruthy();
  return code!;
}

describe('b24 auth', () => {
  it('url builds the authorize link for a bare domain', async () => {
    const run = await runCli([
      'auth',
      'url',
      '--portal',
      'example.bitrix24.com',
      '--client-id',
      'app.1',
      '--state',
      'xyz',
    ]);
    expect(run.code).toBe(0);
    const link = new URL(run.stdout.trim());
    expect(link.origin).toBe('https://example.bitrix24.com');
    expect(link.pathname).toBe('/oauth/authorize/');
    expect(link.searchParams.get('client_id')).toBe('app.1');
    expect(link.searchParams.get('state')).toBe('xyz');
  });

  it('exchange and refresh talk to the token endpoint and never print a token', async () => {
    const env = { B24_CLIENT_ID: portal.oauth.clientId, B24_CLIENT_SECRET: portal.oauth.clientSecret };
    const link = await runCli(
      ['auth', 'url', '--portal', portal.baseUrl, '--redirect-uri', 'http://127.0.0.1:9/callback'],
      env,
    );
    expect(link.code).toBe(0);
    const code = await codeFromAuthorize(link.stdout.trim());

    const dir = mkdtempSync(join(tmpdir(), 'b24-cli-auth-'));
    const out = join(dir, 'tokens.json');
    const exchanged = await runCli(
      ['auth', 'exchange', '--code', code, '--token-url', portal.oauth.tokenUrl, '--out', out],
      env,
    );
    expect(exchanged.stderr).toBe('');
    expect(exchanged.code).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.accessToken).toBeTruthy();
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(exchanged.stdout).not.toContain(saved.accessToken);
    expect(exchanged.stdout).not.toContain(saved.refreshToken);
    expect(exchanged.stdout).not.toContain(portal.oauth.clientSecret);

    const refreshed = await runCli(['auth', 'refresh', '--token-url', portal.oauth.tokenUrl], {
      ...env,
      B24_REFRESH_TOKEN: saved.refreshToken,
    });
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).not.toContain(saved.refreshToken);
    const summary = JSON.parse(refreshed.stdout);
    expect(summary.accessToken).toBe('[redacted]');

    // The refresh token was single-use: a second refresh with it is refused, clearly.
    const reused = await runCli(['auth', 'refresh', '--token-url', portal.oauth.tokenUrl], {
      ...env,
      B24_REFRESH_TOKEN: saved.refreshToken,
    });
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain('invalid_grant');
    expect(reused.stderr).not.toContain(saved.refreshToken);
  });

  it('refuses to run without the client secret', async () => {
    const run = await runCli(['auth', 'exchange', '--code', 'abc', '--client-id', 'x'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('B24_CLIENT_SECRET');
  });
});
