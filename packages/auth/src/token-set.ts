/** The typed pair of OAuth tokens and what the authorization server says about them. */
import { B24AuthError, TokenEndpointError } from './errors.js';
import { portalOrigin } from './portal.js';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires, epoch milliseconds. */
  readonly expiresAt: number;
  /** Lifetime in seconds as the server announced it (usually 3600). */
  readonly expiresIn: number;
  /** The portal's host name, e.g. `example.bitrix24.com` (never the auth server's). */
  readonly domain: string;
  /** The portal's stable id; keys everything per portal. */
  readonly memberId: string;
  /** Granted scopes, comma separated as the server sends them. */
  readonly scope: string;
  /** `https://PORTAL/rest/`: where REST calls go. */
  readonly clientEndpoint: string;
  /** `https://oauth.bitrix.info/rest/`. */
  readonly serverEndpoint: string;
  /** The user the tokens act for; null when the server did not say. */
  readonly userId: number | null;
  /** App status: L(ocal), F(ree), D(emo), T(rial), P(aid); '' when unknown. */
  readonly status: string;
  /** Per application per portal secret that authenticates events (from install). */
  readonly applicationToken?: string;
}

/** Tokens as a user may have them at hand (e.g. from a database), before normalization. */
export interface TokenInput {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Portal host or origin; either this or `clientEndpoint` is required. */
  readonly domain?: string;
  readonly clientEndpoint?: string;
  readonly expiresAt?: number;
  readonly expiresIn?: number;
  readonly memberId?: string;
  readonly scope?: string;
  readonly serverEndpoint?: string;
  readonly userId?: number | null;
  readonly status?: string;
  readonly applicationToken?: string;
}

const DEFAULT_SERVER_ENDPOINT = 'https://oauth.bitrix.info/rest/';

/** Fills in a full TokenSet from what the user has; the portal must be known. */
export function toTokenSet(input: TokenInput, now = Date.now()): TokenSet {
  if (!input || typeof input !== 'object')
    throw new B24AuthError('INVALID_TOKENS', 'tokens must be an object with accessToken and refreshToken');
  if (typeof input.accessToken !== 'string' || input.accessToken === '') {
    throw new B24AuthError('INVALID_TOKENS', 'tokens.accessToken is missing or empty');
  }
  if (typeof input.refreshToken !== 'string' || input.refreshToken === '') {
    throw new B24AuthError('INVALID_TOKENS', 'tokens.refreshToken is missing or empty');
  }
  let origin: string;
  if (input.clientEndpoint) {
    origin = endpointOrigin(input.clientEndpoint, 'tokens.clientEndpoint');
  } else if (input.domain) {
    origin = portalOrigin(input.domain, 'tokens.domain');
  } else {
    throw new B24AuthError('INVALID_TOKENS', 'tokens must name the portal: set domain or clientEndpoint');
  }
  const expiresIn = input.expiresIn ?? 3600;
  return {
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
    expiresAt: input.expiresAt ?? now + expiresIn * 1000,
    expiresIn,
    domain: new URL(origin).host,
    memberId: input.memberId ?? '',
    scope: input.scope ?? '',
    clientEndpoint: input.clientEndpoint ?? `${origin}/rest/`,
    serverEndpoint: input.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT,
    userId: input.userId ?? null,
    status: input.status ?? '',
    ...(input.applicationToken ? { applicationToken: input.applicationToken } : {}),
  };
}

/** Origin of a `https://PORTAL/rest/` endpoint. */
export function endpointOrigin(endpoint: string, what: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new B24AuthError('INVALID_TOKENS', `${what} is not an absolute URL`);
  }
  return portalOrigin(url.origin, what);
}

/** Origin of the portal the tokens belong to, e.g. `https://example.bitrix24.com`. */
export function tokenPortal(tokens: TokenSet): string {
  return endpointOrigin(tokens.clientEndpoint, 'clientEndpoint');
}

/** Key under which a portal's tokens are stored: member_id when known, else the domain. */
export function portalKey(tokens: Pick<TokenSet, 'memberId' | 'domain'>): string {
  return tokens.memberId || tokens.domain;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Builds a TokenSet from a token-endpoint answer (`access_token`, `client_endpoint`, ...).
 * The answer's `domain` is the auth server's, so the portal comes from `client_endpoint`.
 * `previous` carries over what the token endpoint does not repeat (application token).
 */
export function tokenSetFromWire(body: Record<string, unknown>, now: number, previous?: Partial<TokenSet>): TokenSet {
  const accessToken = str(body['access_token']);
  const refreshToken = str(body['refresh_token']);
  if (!accessToken || !refreshToken) {
    throw new TokenEndpointError(
      'INVALID_TOKEN_RESPONSE',
      'Token endpoint answered without access_token or refresh_token',
      200,
    );
  }
  const clientEndpoint = str(body['client_endpoint']) ?? previous?.clientEndpoint;
  let domain: string | undefined;
  if (clientEndpoint) domain = new URL(endpointOrigin(clientEndpoint, 'client_endpoint')).host;
  else {
    const wireDomain = str(body['domain']);
    // `oauth.bitrix.info` (or the emulator's auth host) is not the portal.
    domain = previous?.domain ?? (wireDomain && !wireDomain.startsWith('oauth.') ? wireDomain : undefined);
  }
  if (!domain) {
    throw new TokenEndpointError(
      'INVALID_TOKEN_RESPONSE',
      'Token endpoint answer does not name the portal (no client_endpoint)',
      200,
    );
  }
  const expiresIn = num(body['expires_in']) ?? 3600;
  const expires = num(body['expires']);
  const userId = num(body['user_id']);
  const applicationToken = str(body['application_token']) ?? previous?.applicationToken;
  return {
    accessToken,
    refreshToken,
    // `expires` is the server's unix expiry; without it count from now.
    expiresAt: expires !== undefined ? expires * 1000 : now + expiresIn * 1000,
    expiresIn,
    domain,
    memberId: str(body['member_id']) ?? previous?.memberId ?? '',
    scope: str(body['scope']) ?? previous?.scope ?? '',
    clientEndpoint: clientEndpoint ?? `https://${domain}/rest/`,
    serverEndpoint: str(body['server_endpoint']) ?? previous?.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT,
    userId: userId ?? previous?.userId ?? null,
    status: str(body['status']) ?? previous?.status ?? '',
    ...(applicationToken ? { applicationToken } : {}),
  };
}
