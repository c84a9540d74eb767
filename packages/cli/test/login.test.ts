import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { runCli } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
});
afterAll(() => em.close());

/** Starts `b24 auth login ...` and resolves the authorize link it prints, plus its outcome. */
function startLogin(args: string[], env: NodeJS.ProcessEnv) {
  let stderr = '';
  let stdout = '';
  let onLink: (link: string) => void = () => {};
  const link = new Promise<string>((resolve) => (onLink = resolve));
  const sink = (append: (t: string) => void) =>
    new Writable({
      write(chunk, _e, done) {
        append(String(chunk));
        const match = /(http:\/\/\S+\/oauth\/authorize\/\S+)/.exec(stderr);
        if (match) onLink(match[1]!);
        done();
      },
    });
  const done = main(['auth', 'login', ...args], {
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    env,
  });
  return { link, done, output: () => ({ stdout, stderr }) };
}

describe('b24 auth login | status | logout, and --profile', () => {
  const config = mkdtempSync(join(tmpdir(), 'b24-login-'));
  const env = { B24KIT_CONFIG_DIR: config, B24_CLIENT_SECRET: '' };

  it('logs in through the loopback redirect, stores 0600 files, and never prints a secret', async () => {
    env.B24_CLIENT_SECRET = em.oauth.clientSecret;
    const login = startLogin(
      [
        '--portal',
        em.baseUrl,
        '--client-id',
        em.oauth.clientId,
        '--token-url',
        em.oauth.tokenUrl,
        '--no-open',
        '--profile',
        'work',
      ],
      env,
    );
    const link = await login.link;
    // The "browser": the portal approves and redirects to the loopback listener.
    const approved = await fetch(link, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const callback = approved.headers.get('location')!;
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);

    // A redirect with a foreign state is refused and login keeps waiting.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-ours');
    expect((await fetch(forged)).status).toBe(400);

    const landed = await fetch(callback);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('authorized');
    const code = await login.done;
    expect(login.output().stderr).toContain('Logged in to');
    expect(code).toBe(0);

    const printed = login.output().stdout + login.output().stderr;
    expect(printed).not.toContain(em.oauth.clientSecret);
    for (const file of ['profiles/work.json', ...readdirSync(join(config, 'tokens')).map((f) => `tokens/${f}`)]) {
      expect(statSync(join(config, file)).mode & 0o777).toBe(0o600);
    }
    const saved = JSON.parse(readFileSync(join(config, 'profiles/work.json'), 'utf8'));
    expect(saved).toMatchObject({ kind: 'oauth', name: 'work', clientId: em.oauth.clientId });
    expect(statSync(config).mode & 0o777).toBe(0o700);
  });

  it('status shows portal, user, scopes and expiry, and no token', async () => {
    const run = await runCli(['auth', 'status', '--profile', 'work'], env);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ profile: 'work', kind: 'oauth', portal: em.baseUrl, expired: false });
    expect(shown.userId).toBeDefined();
    expect(typeof shown.scope).toBe('string');
    expect(Date.parse(shown.expiresAt)).toBeGreaterThan(Date.now());
    const tokenFile = readdirSync(join(config, 'tokens')).find((f) => f.endsWith('.json'))!;
    const stored = JSON.parse(readFileSync(join(config, 'tokens', tokenFile), 'utf8'));
    const access = stored.tokens?.accessToken ?? stored.accessToken;
    expect(typeof access).toBe('string');
    expect(run.stdout).not.toContain(access);
  });

  it('other commands use the profile; an expired token is refreshed and the new pair kept', async () => {
    const first = await runCli(
      ['call', 'crm.deal.add', '--profile', 'work', '--params', '{"fields":{"TITLE":"via profile"}}'],
      env,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const before = em.stats().tokenRequests;
    em.expireAccessTokens();
    const second = await runCli(
      ['call', 'crm.deal.get', '--profile', 'work', '--params', JSON.stringify({ id: JSON.parse(first.stdout) })],
      env,
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).TITLE).toBe('via profile');
    expect(em.stats().tokenRequests - before).toBe(1);
    // The rotated pair was stored: the next process needs no refresh.
    const third = await runCli(['call', 'server.time', '--profile', 'work'], env);
    expect(third.code).toBe(0);
    expect(em.stats().tokenRequests - before).toBe(1);
  });

  it('logout removes the profile and its tokens', async () => {
    const run = await runCli(['auth', 'logout', '--profile', 'work'], env);
    expect(run.code).toBe(0);
    expect(readdirSync(join(config, 'profiles'))).toEqual([]);
    const after = await runCli(['call', 'server.time', '--profile', 'work'], env);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('no profile "work"');
  });

  it('stores a webhook from the environment in a profile, so the URL stays out of shell history', async () => {
    const stored = await runCli(['auth', 'login', '--webhook-from-env', '--profile', 'hook'], {
      ...env,
      B24_WEBHOOK_URL: em.webhookUrl,
    });
    expect(stored.code).toBe(0);
    const code = new URL(em.webhookUrl).pathname.split('/')[3]!;
    expect(stored.stderr).not.toContain(code);
    const call = await runCli(['call', 'server.time', '--profile', 'hook'], env);
    expect(call.code).toBe(0);
    const status = await runCli(['auth', 'status', '--profile', 'hook'], env);
    expect(status.stdout).not.toContain(code);
  });

  it('rejects a bad profile name and a missing portal clearly', async () => {
    const bad = await runCli(['auth', 'status', '--profile', '../etc'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('profile name');
    const noPortal = await runCli(['auth', 'login', '--client-id', 'x'], env);
    expect(noPortal.code).toBe(2);
    expect(noPortal.stderr).toContain('--portal');
  });
});
