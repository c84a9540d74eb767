/**
 * OAuth credentials: calls go to `https://PORTAL/rest/METHOD.json` (REST 3.0:
 * `/rest/api/METHOD`) with `Authorization: Bearer <token>`; an expired token is refreshed once
 * per portal and core repeats the call.
 */
import type { Credentials, MethodDescriptor, PreparedRequest } from '@b24kit/core';
import { B24AuthError, TokenStoreConflictError } from './errors.js';
import { gateFor, type OnTokens, type PortalGate } from './refresh-gate.js';
import { inspectSymbol, redactSecrets } from './redact.js';
import { portalKey, tokenPortal, toTokenSet, type TokenInput, type TokenSet } from './token-set.js';
import type { TokenStore } from './token-store.js';

export interface OAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * The pair to start from. With a `store` that already holds this portal, the stored pair
   * wins (it may be newer); an empty store is seeded with these.
   */
  readonly tokens: TokenSet | TokenInput;
  /** Token endpoint; default `https://oauth.bitrix.info/oauth/token/`. */
  readonly tokenUrl?: string;
  readonly store?: TokenStore;
  /** Called with every new pair this process obtains, before any call uses it. */
  readonly onTokens?: OnTokens;
}

export interface OAuthFromStoreOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly store: TokenStore;
  /** member_id (or domain) the tokens are stored under. */
  readonly key: string;
  readonly tokenUrl?: string;
  readonly onTokens?: OnTokens;
}

export interface OAuthCredentials extends Credentials {
  readonly kind: 'oauth';
  readonly clientId: string;
  /** member_id, or the domain when the member_id is unknown. */
  readonly portalKey: string;
  /** The pair in use now. Holds secrets: do not log it. */
  tokens(): Promise<TokenSet>;
  /** Refreshes now, unless another refresh already replaced `accessToken`. */
  refresh(signal?: AbortSignal): Promise<TokenSet>;
  toJSON(): { kind: 'oauth'; portal: string; portalKey: string; clientId: string };
}

/** How long a move target the OAuth server did not confirm is refused without asking again. */
const MOVE_RECHECK_MS = 10 * 60_000;

/** Auth errors after which a new access token can help. */
const REFRESHABLE = new Set(['expired_token', 'invalid_token']);

export function oauth(options: OAuthOptions): OAuthCredentials {
  requireClient(options);
  const seed = toTokenSet(options.tokens);
  const key = portalKey(seed);
  const gate = gateFor(options.store, key, options.clientId);
  if (options.store) {
    if (!gate.current) {
      gate.adopt(seed, null);
      gate.ready = seedStore(gate, options.store, seed);
      // Awaited by every prepare; this only keeps an unobserved failure from crashing the process.
      gate.ready.catch(() => undefined);
    }
  } else if (!gate.current || !gate.secrets.has(seed.refreshToken)) {
    // A pair this gate has never seen is newer (e.g. the app was authorized again).
    gate.adopt(seed, null);
    gate.clearFailure();
  }
  return new OAuth(options, gate, tokenPortal(seed));
}

/** OAuth credentials of a portal whose tokens are in a store (e.g. after an install). */
export async function oauthFromStore(options: OAuthFromStoreOptions): Promise<OAuthCredentials> {
  requireClient(options);
  const gate = gateFor(options.store, options.key, options.clientId);
  await gate.ready;
  const stored = await options.store.get(options.key);
  if (!stored) {
    throw new B24AuthError(
      'NO_TOKENS',
      `No tokens stored for portal ${options.key}: the application is not installed there (or was uninstalled)`,
    );
  }
  if (!gate.current || stored.version !== gate.version) gate.adopt(stored.tokens, stored.version);
  return new OAuth(options, gate, tokenPortal(stored.tokens));
}

async function seedStore(gate: PortalGate, store: TokenStore, seed: TokenSet): Promise<void> {
  const stored = await store.get(gate.key);
  if (stored) return gate.adopt(stored.tokens, stored.version);
  try {
    gate.adopt(seed, await store.set(gate.key, seed, null));
  } catch (error) {
    if (!(error instanceof TokenStoreConflictError)) throw error;
    const winner = await store.get(gate.key);
    if (winner) gate.adopt(winner.tokens, winner.version);
  }
}

function requireClient(options: { clientId: string; clientSecret: string }): void {
  if (typeof options?.clientId !== 'string' || options.clientId === '')
    throw new B24AuthError('INVALID_ARGUMENT', 'clientId is missing or empty');
  if (typeof options.clientSecret !== 'string' || options.clientSecret === '') {
    throw new B24AuthError('INVALID_ARGUMENT', 'clientSecret is missing or empty');
  }
}

class OAuth implements OAuthCredentials {
  readonly kind = 'oauth' as const;
  readonly clientId: string;
  readonly #clientSecret: string;
  readonly #tokenUrl: string | undefined;
  readonly #gate: PortalGate;
  #portal: string;
  /** Move targets the OAuth server did not confirm, until when they are refused unasked. */
  readonly #refusedMoves = new Map<string, number>();

  constructor(
    options: { clientId: string; clientSecret: string; tokenUrl?: string; onTokens?: OnTokens },
    gate: PortalGate,
    portal: string,
  ) {
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#tokenUrl = options.tokenUrl;
    this.#gate = gate;
    this.#portal = portal;
    if (options.onTokens) gate.listeners.add(options.onTokens);
  }

  get portal(): string {
    return this.#portal;
  }

  get portalKey(): string {
    return this.#gate.key;
  }

  async tokens(): Promise<TokenSet> {
    await this.#gate.ready;
    const current = this.#gate.current;
    if (!current) throw new B24AuthError('NO_TOKENS', `No tokens are known for portal ${this.#gate.key}`);
    return current;
  }

  async prepare(descriptor: MethodDescriptor): Promise<PreparedRequest> {
    const { accessToken } = await this.tokens();
    const url =
      descriptor.apiVersion === 3
        ? `${this.#portal}/rest/api/${descriptor.method}`
        : `${this.#portal}/rest/${descriptor.method}.json`;
    return { url, headers: { Authorization: `Bearer ${accessToken}` } };
  }

  async recover(code: string, failed: PreparedRequest, signal?: AbortSignal): Promise<boolean> {
    if (!REFRESHABLE.has(code)) return false;
    await this.#gate.renew(bearerOf(failed), this.#context(), signal);
    return true;
  }

  async refresh(signal?: AbortSignal): Promise<TokenSet> {
    const before = await this.tokens();
    await this.#gate.renew(before.accessToken, this.#context(), signal);
    return this.tokens();
  }

  redact(text: string): string {
    return redactSecrets(String(text), [this.#clientSecret, ...this.#gate.secrets]);
  }

  /**
   * A redirect to another host is only a claim by whoever answered. The portal has moved when the
   * OAuth server says so: the tokens' `client_endpoint` (from a refresh, made now unless the
   * current pair already names the target) must be `targetOrigin`.
   */
  async acceptMove(targetOrigin: string, signal?: AbortSignal): Promise<boolean> {
    let target: string;
    try {
      target = new URL(targetOrigin).origin;
    } catch {
      return false;
    }
    const before = await this.tokens();
    if (portalOf(before) !== target) {
      // A host the OAuth server did not confirm lately is refused without asking again, so a
      // portal (or a man in the middle) that keeps redirecting cannot make every call refresh.
      const refusedUntil = this.#refusedMoves.get(target);
      if (refusedUntil !== undefined && refusedUntil > Date.now()) return false;
      await this.#gate.renew(before.accessToken, this.#context(), signal);
    }
    const confirmed = portalOf(await this.tokens());
    if (confirmed !== target) {
      if (this.#refusedMoves.size >= 16) this.#refusedMoves.clear();
      this.#refusedMoves.set(target, Date.now() + MOVE_RECHECK_MS);
      return false;
    }
    this.#portal = confirmed;
    return true;
  }

  moved(newOrigin: string): void {
    // The move was confirmed in acceptMove, which already re-pointed these credentials.
    if (new URL(newOrigin).origin !== this.#portal) {
      throw new B24AuthError(
        'PORTAL_MOVE_UNCONFIRMED',
        'OAuth credentials move only to the portal the OAuth server names (client_endpoint)',
      );
    }
  }

  #context() {
    return {
      clientId: this.clientId,
      clientSecret: this.#clientSecret,
      ...(this.#tokenUrl ? { tokenUrl: this.#tokenUrl } : {}),
    };
  }

  toString(): string {
    return `OAuthCredentials(${this.#portal}, portal key ${this.#gate.key}, client ${this.clientId})`;
  }

  toJSON(): { kind: 'oauth'; portal: string; portalKey: string; clientId: string } {
    return { kind: 'oauth', portal: this.#portal, portalKey: this.#gate.key, clientId: this.clientId };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function portalOf(tokens: TokenSet): string | undefined {
  try {
    return tokenPortal(tokens);
  } catch {
    return undefined;
  }
}

function bearerOf(request: PreparedRequest): string | undefined {
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') return value.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}
