/**
 * One refresh per expiry per portal, however many calls and credentials objects are in flight.
 *
 * The gate of a portal lives in a module-level registry keyed by the token store and the
 * portal key, so every credentials object of that portal in this process shares it: the
 * first call that sees `expired_token` refreshes, the others wait and repeat with the new
 * token. Across processes, the store's compare-and-set and a re-read after `invalid_grant`
 * keep writers from losing a pair (see README, "Many processes").
 */
import { B24AuthError, ReauthorizationRequiredError, TokenStoreConflictError } from './errors.js';
import { refreshTokens } from './oauth-flow.js';
import type { TokenSet } from './token-set.js';
import type { RefreshOutcome, StoredTokens, TokenStore } from './token-store.js';

export type OnTokens = (tokens: TokenSet) => void | Promise<void>;

export interface RefreshContext {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenUrl?: string;
}

/** Shared state of one portal. */
export class PortalGate {
  readonly key: string;
  readonly store: TokenStore | undefined;
  current: TokenSet | undefined;
  /** Store version of `current`; null when not (yet) stored. */
  version: number | null = null;
  /** Resolves once `current` is known (a store read may be needed first). */
  ready: Promise<void> = Promise.resolve();
  /** Every onTokens callback registered for this portal, deduplicated by identity. */
  readonly listeners = new Set<OnTokens>();
  /** Client secrets and recent tokens, for redaction. */
  readonly secrets = new Set<string>();
  /** Number of refreshes this process made at the token endpoint (for tests and metrics). */
  refreshCount = 0;
  #inflight: Promise<void> | undefined;
  #failed: { refreshToken: string; error: ReauthorizationRequiredError } | undefined;

  constructor(key: string, store: TokenStore | undefined) {
    this.key = key;
    this.store = store;
  }

  /** Makes `tokens` current and remembers them for redaction. */
  adopt(tokens: TokenSet, version: number | null): void {
    this.current = tokens;
    this.version = version;
    this.remember(tokens);
  }

  remember(tokens: TokenSet): void {
    // Bounded: old tokens are dead, but they are still kept out of messages for a while.
    for (const s of [tokens.accessToken, tokens.refreshToken, tokens.applicationToken]) {
      if (!s) continue;
      this.secrets.delete(s);
      this.secrets.add(s);
    }
    while (this.secrets.size > 64) {
      const first = this.secrets.values().next().value;
      if (first === undefined) break;
      this.secrets.delete(first);
    }
  }

  /**
   * Called when a request carrying `usedAccessToken` failed with an expired or invalid token.
   * Resolves when a newer token is current (refreshing if nobody else did); rejects with
   * ReauthorizationRequiredError when the refresh token is dead.
   */
  async renew(usedAccessToken: string | undefined, context: RefreshContext, signal?: AbortSignal): Promise<void> {
    await this.ready;
    if (usedAccessToken !== undefined && this.current && usedAccessToken !== this.current.accessToken) return;
    if (!this.#inflight) {
      // Not bound to the caller's signal: other callers wait on the same refresh.
      this.#inflight = this.#refresh(context).finally(() => {
        this.#inflight = undefined;
      });
    }
    await abortable(this.#inflight, signal);
  }

  async #refresh(context: RefreshContext): Promise<void> {
    const start = this.current;
    if (!start) throw new B24AuthError('NO_TOKENS', `No tokens are known for portal ${this.key}`);
    if (this.store) {
      // Another process (or an install) may have stored a newer pair already.
      const stored = await this.store.get(this.key);
      if (stored && stored.tokens.accessToken !== start.accessToken) return this.adopt(stored.tokens, stored.version);
      if (stored) this.version = stored.version;
    }
    if (this.#failed && this.#failed.refreshToken === start.refreshToken) throw this.#failed.error;
    if (this.store?.refreshExclusive && this.version !== null)
      return this.#refreshExclusive(this.store, { tokens: start, version: this.version }, context);

    let next: TokenSet;
    try {
      next = await refreshTokens({
        ...context,
        refreshToken: start.refreshToken,
        previous: start,
        portalKey: this.key,
      });
      this.refreshCount++;
    } catch (error) {
      if (error instanceof ReauthorizationRequiredError) {
        // Lost a race with another process that used the same refresh token first?
        const stored = await this.store?.get(this.key);
        if (stored && stored.tokens.refreshToken !== start.refreshToken)
          return this.adopt(stored.tokens, stored.version);
        this.#failed = { refreshToken: start.refreshToken, error };
      }
      throw error;
    }
    this.remember(next);

    // Store first: the old refresh token is spent, the new pair must survive a crash.
    let version: number | null = null;
    if (this.store) {
      try {
        version = await this.store.set(this.key, next, this.version);
      } catch (error) {
        if (!(error instanceof TokenStoreConflictError)) {
          this.adopt(next, null);
          throw new B24AuthError(
            'TOKEN_STORE_FAILED',
            `Refreshed tokens of portal ${this.key} could not be stored; they are kept in memory only`,
            { cause: error },
          );
        }
        const winner: StoredTokens | undefined = await this.store.get(this.key);
        if (!winner) {
          throw new B24AuthError(
            'TOKENS_DELETED',
            `Tokens of portal ${this.key} were deleted while refreshing (application uninstalled?)`,
          );
        }
        // Someone wrote a pair meanwhile (an install or another process): converge on theirs.
        return this.adopt(winner.tokens, winner.version);
      }
    }
    return this.#deliver(next, version);
  }

  /**
   * A store shared across processes coordinates the refresh itself (TokenStore.refreshExclusive):
   * this process either refreshes under the store's lease or adopts the pair another one got.
   */
  async #refreshExclusive(store: TokenStore, current: StoredTokens, context: RefreshContext): Promise<void> {
    let obtained: TokenSet | undefined;
    let outcome: RefreshOutcome;
    try {
      outcome = await store.refreshExclusive!(this.key, current, async (tokens) => {
        obtained = await refreshTokens({
          ...context,
          refreshToken: tokens.refreshToken,
          previous: tokens,
          portalKey: this.key,
        });
        this.refreshCount++;
        this.remember(obtained);
        return obtained;
      });
    } catch (error) {
      if (error instanceof ReauthorizationRequiredError) {
        this.#failed = { refreshToken: current.tokens.refreshToken, error };
      } else if (obtained) {
        // The old refresh token is spent and the new pair exists only here: keep using it.
        this.adopt(obtained, null);
        throw new B24AuthError(
          'TOKEN_STORE_FAILED',
          `Refreshed tokens of portal ${this.key} could not be stored; they are kept in memory only`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!outcome.refreshedHere) return this.adopt(outcome.entry.tokens, outcome.entry.version);
    return this.#deliver(outcome.entry.tokens, outcome.entry.version);
  }

  /** Hands a pair this process obtained to the onTokens callbacks and makes it current. */
  async #deliver(next: TokenSet, version: number | null): Promise<void> {
    const failures: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        await listener(next);
      } catch (error) {
        failures.push(error);
      }
    }
    this.adopt(next, version);
    if (failures.length > 0) {
      throw new B24AuthError(
        'ON_TOKENS_FAILED',
        `onTokens callback failed for portal ${this.key}; the new tokens are in use in this process but your callback did not save them`,
        { cause: failures[0] },
      );
    }
  }

  /** Forgets a remembered invalid_grant (new tokens arrived by install or by hand). */
  clearFailure(): void {
    this.#failed = undefined;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

// Store-less credentials share gates too (keyed by client id and portal), so two objects
// built from the same saved pair do not both spend the same single-use refresh token.
const NO_STORE: object = {};
const registry = new WeakMap<object, Map<string, PortalGate>>();

/** The process-wide gate of a portal. */
export function gateFor(store: TokenStore | undefined, key: string, clientId: string): PortalGate {
  const owner = store ?? NO_STORE;
  let gates = registry.get(owner);
  if (!gates) registry.set(owner, (gates = new Map()));
  const id = store ? key : `${clientId}\u0000${key}`;
  let gate = gates.get(id);
  if (!gate) gates.set(id, (gate = new PortalGate(key, store)));
  return gate;
}
