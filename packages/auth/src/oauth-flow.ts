/**
 * The three OAuth helpers of an application: the authorize link, code exchange and refresh
 * against the authorization server (`https://oauth.bitrix.info/oauth/token/` by default).
 */
import { request } from 'undici';
import { B24AuthError, InvalidUrlError, ReauthorizationRequiredError, TokenEndpointError } from './errors.js';
import { checkScheme, portalOrigin } from './portal.js';
import { redactSecrets } from './redact.js';
import { tokenSetFromWire, type TokenSet } from './token-set.js';

export const DEFAULT_TOKEN_URL = 'https://oauth.bitrix.info/oauth/token/';

export interface AuthorizeUrlOptions {
  /** `example.bitrix24.com`, `https://example.bitrix24.com/` or `http://127.0.0.1:PORT` (tests). */
  readonly portal: string;
  readonly clientId: string;
  /** Opaque value the portal returns with the code; check it to stop CSRF. */
  readonly state: string;
  /** Optional; the portal normally uses the redirect URI of the app card. */
  readonly redirectUri?: string;
}

/** `https://PORTAL/oauth/authorize/?client_id=...&state=...`. */
export function authorizeUrl(options: AuthorizeUrlOptions): string {
  const origin = portalOrigin(options.portal, 'portal');
  requireText(options.clientId, 'clientId');
  requireText(options.state, 'state');
  const query = new URLSearchParams({ client_id: options.clientId, state: options.state });
  if (options.redirectUri !== undefined) {
    requireText(options.redirectUri, 'redirectUri');
    query.set('redirect_uri', options.redirectUri);
  }
  return `${origin}/oauth/authorize/?${query.toString()}`;
}

export interface TokenRequestOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Token endpoint; default `https://oauth.bitrix.info/oauth/token/`. */
  readonly tokenUrl?: string;
  readonly signal?: AbortSignal;
  /** Abort the token request after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
}

export interface ExchangeCodeOptions extends TokenRequestOptions {
  /** The `code` the portal sent to the redirect URI (it lives 30 s). */
  readonly code: string;
}

export interface RefreshTokensOptions extends TokenRequestOptions {
  readonly refreshToken: string;
  /** Fields the token endpoint does not repeat (e.g. applicationToken) are copied from here. */
  readonly previous?: Partial<TokenSet>;
  /** Names the portal in a ReauthorizationRequiredError; defaults to the previous member_id/domain. */
  readonly portalKey?: string;
}

/** Trades an authorization code for the first token pair. */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<TokenSet> {
  requireText(options.code, 'code');
  const body = await tokenRequest(options, { grant_type: 'authorization_code', code: options.code }, [options.code]);
  return tokenSetFromWire(body, Date.now());
}

/**
 * Trades a refresh token for a new pair. Refresh tokens are single-use: store the new pair
 * before using it. `invalid_grant` raises ReauthorizationRequiredError.
 */
export async function refreshTokens(options: RefreshTokensOptions): Promise<TokenSet> {
  requireText(options.refreshToken, 'refreshToken');
  try {
    const body = await tokenRequest(options, { grant_type: 'refresh_token', refresh_token: options.refreshToken }, [
      options.refreshToken,
    ]);
    return tokenSetFromWire(body, Date.now(), options.previous);
  } catch (error) {
    if (error instanceof TokenEndpointError && error.code === 'invalid_grant') {
      const key = options.portalKey ?? (options.previous?.memberId || options.previous?.domain || 'unknown');
      throw new ReauthorizationRequiredError(key, error.status);
    }
    throw error;
  }
}

const HINTS: Record<string, string> = {
  invalid_grant: 'the code or refresh token is invalid, expired or already used',
  invalid_client: 'check client_id and client_secret, and that the application is installed on the portal',
  invalid_request: 'the token request was malformed',
  invalid_scope: 'the requested scope exceeds the application card',
  insufficient_scope: 'the requested scope exceeds the application card',
  PAYMENT_REQUIRED: 'the trial or paid period of the application has ended',
  WRONG_CLIENT: 'check client_id and client_secret',
};

async function tokenRequest(
  options: TokenRequestOptions,
  grant: Record<string, string>,
  extraSecrets: string[],
): Promise<Record<string, unknown>> {
  requireText(options.clientId, 'clientId');
  requireText(options.clientSecret, 'clientSecret');
  const endpoint = tokenEndpoint(options.tokenUrl);
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries({ ...grant, client_id: options.clientId, client_secret: options.clientSecret })) {
    url.searchParams.set(k, v);
  }
  const secrets = [options.clientSecret, ...extraSecrets];
  const where = `${url.origin}${url.pathname}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  let status: number;
  let text: string;
  try {
    // The docs specify GET with the parameters in the query string.
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.any(signals),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    const reason = (error as { code?: string; name?: string }).code ?? (error as Error).name ?? 'error';
    // The cause is kept out: undici errors may carry the request URL, which holds secrets.
    throw new TokenEndpointError('TOKEN_ENDPOINT_UNREACHABLE', `Token endpoint ${where} did not answer (${reason})`, 0);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TokenEndpointError(
      'INVALID_TOKEN_RESPONSE',
      `Token endpoint ${where} answered HTTP ${status} with a body that is not JSON`,
      status,
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new TokenEndpointError(
      'INVALID_TOKEN_RESPONSE',
      `Token endpoint ${where} answered HTTP ${status} with an unexpected JSON shape`,
      status,
    );
  }
  const record = body as Record<string, unknown>;
  const code = typeof record['error'] === 'string' ? record['error'] : status >= 400 ? `HTTP_${status}` : undefined;
  if (code !== undefined) {
    const description =
      typeof record['error_description'] === 'string' ? redactSecrets(record['error_description'], secrets) : '';
    const hint = HINTS[code];
    const message =
      `Token endpoint refused the ${grant['grant_type']} request: ${code}` +
      (description ? ` (${description})` : '') +
      (hint ? `; ${hint}` : '');
    throw new TokenEndpointError(code, message, status);
  }
  return record;
}

function tokenEndpoint(tokenUrl: string | undefined): string {
  const text = tokenUrl ?? DEFAULT_TOKEN_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidUrlError('tokenUrl is not an absolute URL');
  }
  checkScheme(url, 'tokenUrl');
  return url.toString();
}

function requireText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new B24AuthError('INVALID_ARGUMENT', `${name} is missing or empty`);
}
