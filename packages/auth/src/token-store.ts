/**
 * Where a portal's tokens live between calls and between runs. Every write is a
 * compare-and-set on a version, so two writers (two refreshes, an install racing a refresh,
 * two processes sharing a store) cannot silently overwrite each other.
 */
import { TokenStoreConflictError } from './errors.js';
import type { TokenSet } from './token-set.js';

export interface StoredTokens {
  readonly tokens: TokenSet;
  /** Increases on every write; pass it back to `set` as `expectedVersion`. */
  readonly version: number;
}

export interface TokenStore {
  /** The current entry of a portal (key: member_id, or domain when member_id is unknown). */
  get(key: string): Promise<StoredTokens | undefined>;
  /**
   * Writes `tokens` if the entry is still at `expectedVersion` (`null`: the entry must not
   * exist yet) and returns the new version. Throws TokenStoreConflictError otherwise.
   */
  set(key: string, tokens: TokenSet, expectedVersion: number | null): Promise<number>;
  /** Removes a portal's entry (uninstall). Missing entries are not an error. */
  delete(key: string): Promise<void>;
  /**
   * Optional, for stores shared by several processes or hosts (e.g. `@b24kit/redis`): one
   * refresh per expiry across all of them. Called with the entry whose access token expired.
   * The store calls `refresh` (which spends the single-use refresh token at the token endpoint)
   * only in the process that holds the entry's refresh lease, and only while the entry is still
   * at `current.version`; it stores the new pair with compare-and-set and resolves with it
   * (`refreshedHere: true`). Every other process waits for that pair and resolves with it
   * (`refreshedHere: false`) without sending the spent refresh token. When the refresh token is
   * refused, or a lease holder died after spending it, every waiter rejects with
   * ReauthorizationRequiredError instead of retrying.
   */
  refreshExclusive?(
    key: string,
    current: StoredTokens,
    refresh: (tokens: TokenSet) => Promise<TokenSet>,
  ): Promise<RefreshOutcome>;
}

/** What `TokenStore.refreshExclusive` resolves with. */
export interface RefreshOutcome {
  readonly entry: StoredTokens;
  /** True when `refresh` ran in this process and produced `entry`. */
  readonly refreshedHere: boolean;
}

/** Tokens kept in this process only; lost on exit. Good for tests and short scripts. */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, StoredTokens>();
  // Versions keep growing across delete/re-create, so a stale writer never matches by luck.
  #counter = 0;

  async get(key: string): Promise<StoredTokens | undefined> {
    return this.#entries.get(key);
  }

  async set(key: string, tokens: TokenSet, expectedVersion: number | null): Promise<number> {
    const current = this.#entries.get(key);
    if ((current?.version ?? null) !== expectedVersion) {
      throw new TokenStoreConflictError(key, expectedVersion, current?.version ?? null);
    }
    const version = ++this.#counter;
    this.#entries.set(key, { tokens: { ...tokens }, version });
    return version;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Keys of the stored portals. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  toString(): string {
    return `MemoryTokenStore(${this.#entries.size} portal(s))`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Writes `tokens` whatever version the entry has now (install: the portal just handed us
 * a fresh pair, which supersedes anything stored). Retries on concurrent writers.
 */
export async function overwriteTokens(store: TokenStore, key: string, tokens: TokenSet, attempts = 5): Promise<number> {
  for (let i = 0; ; i++) {
    const current = await store.get(key);
    try {
      return await store.set(key, tokens, current?.version ?? null);
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError) || i + 1 >= attempts) throw error;
    }
  }
}
