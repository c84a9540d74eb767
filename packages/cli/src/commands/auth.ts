import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { authorizeUrl, exchangeCode, refreshTokens, type TokenSet } from '@b24kit/auth';
import { parse, printJson, UsageError, type CliIO } from '../io.js';
import { login, logout, status } from '../login.js';
import { tokenSummary } from '../tokens.js';

const HELP = `Usage:
  b24 auth login --portal P --client-id ID [--client-secret S] [--profile NAME] [--port N]
                 [--token-url URL] [--no-open] [--timeout SECONDS]
  b24 auth login --webhook-from-env [--profile NAME]   store B24_WEBHOOK_URL in a profile
  b24 auth status [--profile NAME]
  b24 auth logout [--profile NAME]
  b24 auth url --portal P --client-id ID [--state S] [--redirect-uri URL]
  b24 auth exchange --code CODE [--client-id ID] [--token-url URL] [--out FILE]
  b24 auth refresh [--client-id ID] [--token-url URL] [--out FILE]

The client secret is read from B24_CLIENT_SECRET and the refresh token from
B24_REFRESH_TOKEN, so neither lands in shell history. Tokens are never printed:
--out FILE writes the full token set to FILE (mode 0600).
`;

export async function authCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'url') return url(rest, io);
  if (sub === 'login') return login(rest, io);
  if (sub === 'status') return status(rest, io);
  if (sub === 'logout') return logout(rest, io);
  if (sub === 'exchange' || sub === 'refresh') return tokens(sub, rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(HELP);
    return sub === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown auth command "${sub}" (expected login, status, logout, url, exchange or refresh)`);
}

async function url(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, {
    portal: { type: 'string' },
    'client-id': { type: 'string' },
    state: { type: 'string' },
    'redirect-uri': { type: 'string' },
  });
  const portal = values.portal;
  const clientId = values['client-id'] ?? io.env.B24_CLIENT_ID;
  if (!portal) throw new UsageError('missing --portal, e.g. --portal example.bitrix24.com');
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  const link = authorizeUrl({
    portal,
    clientId,
    // A state ties the redirect to this request (CSRF); make one when none is given.
    state: values.state ?? randomBytes(12).toString('hex'),
    ...(values['redirect-uri'] === undefined ? {} : { redirectUri: values['redirect-uri'] }),
  });
  io.stdout.write(`${link}\n`);
  return 0;
}

async function tokens(kind: 'exchange' | 'refresh', args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, {
    code: { type: 'string' },
    'client-id': { type: 'string' },
    'token-url': { type: 'string' },
    out: { type: 'string' },
  });
  const clientId = values['client-id'] ?? io.env.B24_CLIENT_ID;
  const clientSecret = io.env.B24_CLIENT_SECRET;
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  if (!clientSecret) throw new UsageError('missing client secret: set B24_CLIENT_SECRET');
  const tokenUrl = values['token-url'] === undefined ? {} : { tokenUrl: values['token-url'] };
  let set: TokenSet;
  if (kind === 'exchange') {
    if (!values.code) throw new UsageError('missing --code (the code from the authorize redirect)');
    set = await exchangeCode({ clientId, clientSecret, code: values.code, ...tokenUrl });
  } else {
    const refreshToken = io.env.B24_REFRESH_TOKEN;
    if (!refreshToken) throw new UsageError('missing refresh token: set B24_REFRESH_TOKEN');
    set = await refreshTokens({ clientId, clientSecret, refreshToken, ...tokenUrl });
  }
  if (values.out) writeFileSync(values.out, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600 });
  printJson(io, tokenSummary(set, values.out));
  return 0;
}
