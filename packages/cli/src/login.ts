import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeUrl, exchangeCode, portalOrigin, webhook, type TokenSet } from '@b24kit/auth';
import { parse, printJson, UsageError, type CliIO } from './io.js';
import { DEFAULT_PROFILE, deleteProfile, readProfile, tokenStore, writeProfile } from './profiles.js';

/**
 * `b24 auth login`: the authorization-code flow with a loopback redirect. The authorize URL
 * goes to stderr (and to a browser when one can be opened); the redirect lands on a one-shot
 * listener on 127.0.0.1, the code is exchanged and the pair stored in the profile.
 */
export async function login(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, {
    portal: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    profile: { type: 'string' },
    port: { type: 'string' },
    'token-url': { type: 'string' },
    'no-open': { type: 'boolean' },
    timeout: { type: 'string' },
    'webhook-from-env': { type: 'boolean' },
  });
  const name = values.profile ?? DEFAULT_PROFILE;
  if (values['webhook-from-env']) {
    const url = io.env.B24_WEBHOOK_URL;
    if (!url) throw new UsageError('--webhook-from-env needs B24_WEBHOOK_URL in the environment');
    const credentials = webhook(url); // validates the shape; errors never echo the code
    const path = writeProfile(io.env, { kind: 'webhook', name, webhookUrl: url });
    io.stderr.write(`Stored the webhook for ${credentials.portal} in profile "${name}" (${path}).\n`);
    return 0;
  }
  if (!values.portal) throw new UsageError('missing --portal, e.g. --portal example.bitrix24.com');
  const clientId = values['client-id'] ?? io.env.B24_CLIENT_ID;
  const clientSecret = values['client-secret'] ?? io.env.B24_CLIENT_SECRET;
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  if (!clientSecret) throw new UsageError('missing client secret: set B24_CLIENT_SECRET (or pass --client-secret)');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got "${values.port}"`);
  const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  const portal = portalOrigin(values.portal);
  const tokenUrl = values['token-url'];

  const state = randomBytes(16).toString('hex');
  const listener = await listen(port);
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  try {
    const link = authorizeUrl({ portal, clientId, state, redirectUri });
    io.stderr.write(`Open this link to authorize b24 for ${portal}:\n\n  ${link}\n\nWaiting for the redirect to ${redirectUri} ...\n`);
    if (!values['no-open']) openBrowser(link);
    const code = await waitForCode(listener, state, timeoutSeconds * 1000);
    const tokens = await exchangeCode({ clientId, clientSecret, code, ...(tokenUrl ? { tokenUrl } : {}) });
    await saveLogin(io, name, { portal: tokens.clientEndpoint ? new URL(tokens.clientEndpoint).origin : portal, clientId, clientSecret, tokenUrl }, tokens);
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
    const timer = setTimeout(() => reject(new Error(`no redirect within ${Math.round(timeoutMs / 1000)} s; run "b24 auth login" again`)), timeoutMs);
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

export async function status(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, { profile: { type: 'string' } });
  const name = values.profile ?? DEFAULT_PROFILE;
  const profile = readProfile(io.env, name);
  if (!profile) throw new UsageError(`no profile "${name}": log in with "b24 auth login --profile ${name}"`);
  if (profile.kind === 'webhook') {
    printJson(io, { profile: name, kind: 'webhook', portal: webhook(profile.webhookUrl).portal });
    return 0;
  }
  const stored = await tokenStore(io.env).get(name);
  if (!stored) throw new UsageError(`profile "${name}" has no tokens: log in again with "b24 auth login --profile ${name}"`);
  const tokens = stored.tokens;
  const expiresAt = new Date(tokens.expiresAt);
  printJson(io, {
    profile: name,
    kind: 'oauth',
    portal: profile.portal,
    memberId: tokens.memberId,
    userId: tokens.userId,
    scope: tokens.scope,
    expiresAt: expiresAt.toISOString(),
    expired: expiresAt.getTime() <= Date.now(),
    // The access token renews itself on the next call while the refresh token is valid.
  });
  return 0;
}

export async function logout(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, { profile: { type: 'string' } });
  const name = values.profile ?? DEFAULT_PROFILE;
  const store = tokenStore(io.env);
  const hadTokens = (await store.get(name)) !== undefined;
  if (hadTokens) await store.delete(name);
  const hadProfile = deleteProfile(io.env, name);
  if (!hadTokens && !hadProfile) throw new UsageError(`no profile "${name}"`);
  io.stderr.write(`Logged out: profile "${name}" and its tokens are removed.\n`);
  return 0;
}
