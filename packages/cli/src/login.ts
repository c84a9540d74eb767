import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeUrl, exchangeCode, portalOrigin, webhook, type TokenSet } from '@b24kit/auth';
import { printJson, UsageError, type CliIO } from './io.js';
import { DEFAULT_PROFILE, deleteProfile, readProfile, tokenStore, writeProfile } from './profiles.js';

/**
 * `b24 auth login`: the authorization-code flow with a loopback redirect. The authorize URL
 * goes to stderr (and to a browser when one can be opened); the redirect lands on a one-shot
 * listener on 127.0.0.1, the code is exchanged and the pair stored in the profile.
 */
export interface LoginOptions {
  portal?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  profile?: string | undefined;
  port?: string | undefined;
  tokenUrl?: string | undefined;
  /** false with --no-open */
  open?: boolean | undefined;
  timeout?: string | undefined;
  webhookFromEnv?: boolean | undefined;
}

export async function login(values: LoginOptions, io: CliIO): Promise<number> {
  const name = values.profile ?? DEFAULT_PROFILE;
  if (values.webhookFromEnv) {
    const url = io.env.B24_WEBHOOK_URL;
    if (!url) throw new UsageError('--webhook-from-env needs B24_WEBHOOK_URL in the environment');
    const credentials = webhook(url); // validates the shape; errors never echo the code
    const path = writeProfile(io.env, { kind: 'webhook', name, webhookUrl: url });
    io.stderr.write(`Stored the webhook for ${credentials.portal} in profile "${name}" (${path}).\n`);
    return 0;
  }
  if (!values.portal) throw new UsageError('missing --portal, e.g. --portal example.bitrix24.com');
  const clientId = values.clientId ?? io.env.B24_CLIENT_ID;
  const clientSecret = values.clientSecret ?? io.env.B24_CLIENT_SECRET;
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  if (!clientSecret) throw new UsageError('missing client secret: set B24_CLIENT_SECRET (or pass --client-secret)');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got "${values.port}"`);
  const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  const portal = portalOrigin(values.portal);
  const tokenUrl = values.tokenUrl;

  const state = randomBytes(16).toString('hex');
  const listener = await listen(port);
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  try {
    const link = authorizeUrl({ portal, clientId, state, redirectUri });
    io.stderr.write(
      `Open this link to authorize b24 for ${portal}:\n\n  ${link}\n\nWaiting for the redirect to ${redirectUri} ...\n`,
    );
    if (values.open !== false) openBrowser(link);
    const code = await waitForCode(listener, state, timeoutSeconds * 1000);
    const tokens = await exchangeCode({ clientId, clientSecret, code, ...(tokenUrl ? { tokenUrl } : {}) });
    await saveLogin(
      io,
      name,
      {
        portal: tokens.clientEndpoint ? new URL(tokens.clientEndpoint).origin : portal,
        clientId,
        clientSecret,
        tokenUrl,
      },
      tokens,
    );
    io.stderr.write(`Logged in to ${portal} as user ${tokens.userId ?? '?'}; profile "${name}".\n`);
    return 0;
  } finally {
    listener.close();
    listener.closeAllConnections();
  }
}

async function saveLogin(
  io: CliIO,
  name: string,
  app: { portal: string; clientId: string; clientSecret: string; tokenUrl: string | undefined },
  tokens: TokenSet,
): Promise<void> {
  const store = tokenStore(io.env);
  const previous = await store.get(name);
  // A new login replaces whatever the profile held (compare-and-set on the version we read).
  await store.set(name, tokens, previous?.version ?? null);
  writeProfile(io.env, {
    kind: 'oauth',
    name,
    portal: app.portal,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    ...(app.tokenUrl ? { tokenUrl: app.tokenUrl } : {}),
  });
}

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Resolves with the code of the first redirect that carries our state; answers the browser. */
function waitForCode(server: Server, state: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no redirect within ${Math.round(timeoutMs / 1000)} s; run "b24 auth login" again`)),
      timeoutMs,
    );
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const answer = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${text}\n`);
      };
      if (url.searchParams.get('state') !== state) {
        // Not our request (or a forged one): refuse it and keep waiting for the real redirect.
        answer(400, 'b24: this authorization does not belong to the running "b24 auth login".');
        return;
      }
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      clearTimeout(timer);
      if (error || !code) {
        answer(400, 'b24: authorization was not granted.');
        reject(new Error(`the portal did not grant access (${error ?? 'no code in the redirect'})`));
        return;
      }
      answer(200, 'b24 is authorized. You can close this tab.');
      resolve(code);
    });
  });
}

function openBrowser(link: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [link], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no opener on this machine: the printed link is enough
    child.unref();
  } catch {
    // same as above
  }
}

/** Refresh tokens are valid for 180 days (the docs' OAuth auto-renewal page). */
const REFRESH_TOKEN_LIFETIME_MS = 180 * 24 * 3600 * 1000;

export async function status(values: { profile?: string | undefined }, io: CliIO): Promise<number> {
  const name = values.profile ?? DEFAULT_PROFILE;
  const profile = readProfile(io.env, name);
  if (!profile) throw new UsageError(`no profile "${name}": log in with "b24 auth login --profile ${name}"`);
  if (profile.kind === 'webhook') {
    printJson(io, { profile: name, kind: 'webhook', portal: webhook(profile.webhookUrl).portal });
    return 0;
  }
  const stored = await tokenStore(io.env).get(name);
  if (!stored)
    throw new UsageError(`profile "${name}" has no tokens: log in again with "b24 auth login --profile ${name}"`);
  const tokens = stored.tokens;
  const now = Date.now();
  const accessExpired = tokens.expiresAt <= now;
  // Each refresh returns a new refresh token, so it was issued with the current access token;
  // refresh tokens live 180 days (https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html).
  const issuedAt = tokens.expiresAt - tokens.expiresIn * 1000;
  const refreshExpiresAt = issuedAt + REFRESH_TOKEN_LIFETIME_MS;
  const refreshExpired = refreshExpiresAt <= now;
  printJson(io, {
    profile: name,
    kind: 'oauth',
    portal: profile.portal,
    memberId: tokens.memberId,
    userId: tokens.userId,
    scope: tokens.scope,
    // Usable without a new login: an expired access token renews itself on the next call.
    expired: refreshExpired,
    accessToken: accessExpired ? 'expired; renews itself on the next call' : 'valid',
    expiresAt: new Date(tokens.expiresAt).toISOString(),
    refreshTokenExpiresAt: new Date(refreshExpiresAt).toISOString(),
    ...(refreshExpired
      ? {
          next: `the refresh token has expired: run "b24 auth login${name === DEFAULT_PROFILE ? '' : ` --profile ${name}`}"`,
        }
      : {}),
  });
  return 0;
}

export async function logout(values: { profile?: string | undefined }, io: CliIO): Promise<number> {
  const name = values.profile ?? DEFAULT_PROFILE;
  const store = tokenStore(io.env);
  const hadTokens = (await store.get(name)) !== undefined;
  if (hadTokens) await store.delete(name);
  const hadProfile = deleteProfile(io.env, name);
  if (!hadTokens && !hadProfile) throw new UsageError(`no profile "${name}"`);
  io.stderr.write(`Logged out: profile "${name}" and its tokens are removed.\n`);
  return 0;
}
