import { randomBytes } from 'node:crypto';
import { authorizeUrl, exchangeCode, refreshTokens, type TokenSet } from '@b24kit/auth';
import { printJson, UsageError, type CliIO } from '../io.js';
import { writePrivateFile } from '../secure-file.js';
import { tokenSummary } from '../tokens.js';

type Opts = Record<string, string | undefined>;

/** `b24 auth url`: the authorize link of an application. */
export async function authUrl(opts: Opts, io: CliIO): Promise<number> {
  const portal = opts.portal;
  const clientId = opts.clientId ?? io.env.B24_CLIENT_ID;
  if (!portal) throw new UsageError('missing --portal, e.g. --portal example.bitrix24.com');
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  const link = authorizeUrl({
    portal,
    clientId,
    // A state ties the redirect to this request (CSRF); make one when none is given.
    state: opts.state ?? randomBytes(12).toString('hex'),
    ...(opts.redirectUri === undefined ? {} : { redirectUri: opts.redirectUri }),
  });
  io.stdout.write(`${link}\n`);
  return 0;
}

/** `b24 auth exchange` and `b24 auth refresh`: a token set, saved with --out, never printed. */
export async function authTokens(kind: 'exchange' | 'refresh', opts: Opts, io: CliIO): Promise<number> {
  const clientId = opts.clientId ?? io.env.B24_CLIENT_ID;
  const clientSecret = io.env.B24_CLIENT_SECRET;
  if (!clientId) throw new UsageError('missing --client-id (or B24_CLIENT_ID)');
  if (!clientSecret) throw new UsageError('missing client secret: set B24_CLIENT_SECRET');
  const tokenUrl = opts.tokenUrl === undefined ? {} : { tokenUrl: opts.tokenUrl };
  let set: TokenSet;
  if (kind === 'exchange') {
    if (!opts.code) throw new UsageError('missing --code (the code from the authorize redirect)');
    set = await exchangeCode({ clientId, clientSecret, code: opts.code, ...tokenUrl });
  } else {
    const refreshToken = io.env.B24_REFRESH_TOKEN;
    if (!refreshToken) throw new UsageError('missing refresh token: set B24_REFRESH_TOKEN');
    set = await refreshTokens({ clientId, clientSecret, refreshToken, ...tokenUrl });
  }
  if (opts.out) writePrivateFile(opts.out, `${JSON.stringify(set, null, 2)}\n`, io.stderr);
  printJson(io, tokenSummary(set, opts.out));
  return 0;
}
