import { randomBytes } from 'node:crypto';
import { authorizeUrl, exchangeCode, refreshTokens, type TokenSet } from '@b24kit/auth';
import { printJson, UsageError, type CliIO } from '../io.js';
import { preparePrivateFile } from '../secure-file.js';
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
  if (kind === 'exchange' && !opts.code) throw new UsageError('missing --code (the code from the authorize redirect)');
  const refreshToken = io.env.B24_REFRESH_TOKEN;
  if (kind === 'refresh' && !refreshToken) throw new UsageError('missing refresh token: set B24_REFRESH_TOKEN');
  // Checked before the code or refresh token is spent.
  const file = opts.out ? preparePrivateFile(opts.out, io.stderr) : undefined;
  let set: TokenSet;
  try {
    set =
      kind === 'exchange'
        ? await exchangeCode({ clientId, clientSecret, code: opts.code!, ...tokenUrl })
        : await refreshTokens({ clientId, clientSecret, refreshToken: refreshToken!, ...tokenUrl });
  } catch (error) {
    file?.discard();
    throw error;
  }
  file?.write(`${JSON.stringify(set, null, 2)}\n`);
  printJson(io, tokenSummary(set, opts.out));
  return 0;
}
