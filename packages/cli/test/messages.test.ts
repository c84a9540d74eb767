/**
 * Messages that say what to do next: `auth status` does not call a token that renews itself
 * expired; a spent refresh token says to run `b24 auth login`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toTokenSet } from '@b24kit/auth';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenStore, writeProfile } from '../src/profiles.js';
import { runCli } from './helpers.js';

let emu: Emulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = await startEmulator({ plan: 'unlimited' });
  env = { B24KIT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'b24-messages-')) };
});
afterAll(() => emu.close());

/** A stored OAuth login `name` whose access token expired `ageMs` ago (or expires later, when negative). */
async function storeLogin(name: string, refreshToken: string, accessToken: string, ageMs: number): Promise<void> {
  writeProfile(env, {
    kind: 'oauth',
    name,
    portal: emu.baseUrl,
    clientId: emu.oauth.clientId,
    clientSecret: emu.oauth.clientSecret,
    tokenUrl: emu.oauth.tokenUrl,
  });
  const set = toTokenSet({
    accessToken,
    refreshToken,
    clientEndpoint: `${emu.baseUrl}/rest/`,
    expiresAt: Date.now() - ageMs,
    expiresIn: 3600,
    memberId: emu.memberId,
    userId: 1,
    scope: 'crm',
  });
  const store = tokenStore(env);
  const previous = await store.get(name);
  await store.set(name, set, previous?.version ?? null);
}

describe('b24 auth status', () => {
  it('an expired access token that will refresh itself is not "expired"', async () => {
    const pair = emu.issueTokens();
    await storeLogin('work', pair.refresh_token, pair.access_token, 60_000);
    const r = await runCli(['auth', 'status', '--profile', 'work'], env);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      profile: 'work',
      expired: false,
      accessToken: 'expired; renews itself on the next call',
    });
    expect(shown.next).toBeUndefined();
    expect(r.stdout).not.toContain(pair.access_token);
    expect(r.stdout).not.toContain(pair.refresh_token);
    // And it does renew itself: a call works without a new login.
    const call = await runCli(['call', 'server.time', '--profile', 'work'], env);
    expect(call.code).toBe(0);
  });

  it('a refresh token older than its 180 days is expired, with the command that fixes it', async () => {
    await storeLogin('old', 'spent-refresh-token', 'old-access-token', 181 * 24 * 3600 * 1000);
    const r = await runCli(['auth', 'status', '--profile', 'old'], env);
    const shown = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      expired: true,
      next: 'the refresh token has expired: run "b24 auth login --profile old"',
    });
  });
});

describe('a spent refresh token', () => {
  it('fails the call with exit 1 and says to run b24 auth login for that profile', async () => {
    await storeLogin('spent', 'not-a-valid-refresh-token', 'not-a-valid-access-token', 60_000);
    const r = await runCli(['call', 'server.time', '--profile', 'spent'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid_grant');
    expect(r.stderr).toContain('Log in again: b24 auth login --profile spent');
    expect(r.stderr).not.toContain('not-a-valid-refresh-token');
  });
});
