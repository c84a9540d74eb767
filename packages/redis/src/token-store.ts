/**
 * auth's TokenStore in Redis, for an OAuth app whose processes run on several hosts. Writes are
 * compare-and-set on a version (a Lua script), and `refreshExclusive` adds a refresh lease:
 * across every process, one of them spends the single-use refresh token per expiry; the others
 * wait for the new pair (pub/sub, with polling as a backstop) and never send the spent token.
 *
 * A lease holder renews its lease while its token request runs. When it dies, the lease runs
 * out (leaseMs) and a waiter takes over. Whether the dead holder's request reached the token
 * endpoint cannot be known: if it did, the stored refresh token is spent, the new pair died with
 * the holder, and the taker's refresh is refused (`invalid_grant`). The taker then marks that
 * version as refused, and every process rejects with ReauthorizationRequiredError: the
 * application must be authorized again. Nobody retries a refused token, so this never loops.
 *
 * Keys (one hash tag per portal key):
 *   PREFIX tokens:{KEY}          hash: version, tokens (JSON)
 *   PREFIX tokens:{KEY}:seq      the last version handed out (kept after delete, so versions never repeat)
 *   PREFIX tokens:{KEY}:lease    who is refreshing (host:pid:random), with a TTL
 *   PREFIX tokens:{KEY}:refused  the version whose refresh token was refused (invalid_grant)
 *   PREFIX tokens:changed        pub/sub channel: "KEY" after every write, delete or refusal
 * Tokens are stored as they are: use a Redis that only the application can reach (ACL, TLS).
 */
import {
  B24AuthError,
  ReauthorizationRequiredError,
  TokenStoreConflictError,
  type RefreshOutcome,
  type StoredTokens,
  type TokenSet,
  type TokenStore,
} from '@b24kit/auth';
import { ownerId, RedisConnection, type RedisTarget } from './connection.js';
import { RedisUnavailableError } from './errors.js';
import { B24ArgumentError } from '@b24kit/core';

export type RedisTokenStoreOptions = RedisTarget & {
  /** Prefix of every key (default `b24kit:`). */
  readonly prefix?: string;
  /**
   * Lifetime of a refresh lease (ms, default 10 000). The holder renews it every third of this
   * while its token request runs, so it only bounds how long the others wait for a holder that died.
   */
  readonly leaseMs?: number;
  /** The longest a process waits for another's refresh before failing (ms, default 60 000). */
  readonly waitMs?: number;
  /** How often a waiter looks at the entry when no message arrives (ms, default 500). */
  readonly pollMs?: number;
};

/**
 * KEYS: entry, seq, refused. ARGV: expected version ('' = must not exist), tokens JSON, channel, key.
 * Returns {1, version} or {0, current version or ''}.
 */
const SET = `
local cur = redis.call('HGET', KEYS[1], 'version')
if (cur or '') ~= ARGV[1] then return {0, cur or ''} end
local t = redis.call('TIME')
local floor = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('INCR', KEYS[2])
if v < floor then
  v = floor
  redis.call('SET', KEYS[2], v)
end
redis.call('HSET', KEYS[1], 'version', v, 'tokens', ARGV[2])
redis.call('DEL', KEYS[3])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return {1, v}
`;

/** KEYS: entry, refused. ARGV: channel, key. */
const DELETE = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 0
`;

/**
 * KEYS: entry, lease, refused. ARGV: expected version, owner, lease ms.
 * Returns {'changed', version or '', tokens or ''} | {'refused'} | {'acquired'} | {'held', pttl}.
 */
const ACQUIRE = `
local cur = redis.call('HMGET', KEYS[1], 'version', 'tokens')
if (cur[1] or '') ~= ARGV[1] then return {'changed', cur[1] or '', cur[2] or ''} end
if redis.call('GET', KEYS[3]) == ARGV[1] then return {'refused'} end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {'acquired'} end
local owner = redis.call('GET', KEYS[2])
if owner == ARGV[2] then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return {'acquired'}
end
return {'held', redis.call('PTTL', KEYS[2])}
`;

/** KEYS: lease. ARGV: owner, lease ms. Renews the lease if it is still ours. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: lease. ARGV: owner. Gives the lease up if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: entry, refused, lease. ARGV: version, owner, channel, key. The refresh token of `version`
 * was refused: remember it (a day) so that nobody sends it again, and tell the waiters.
 */
const REFUSE = `
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1], 'EX', 86400)
end
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 0
`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisTokenStore implements TokenStore {
  readonly connection: RedisConnection;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #pollMs: number;
  readonly #owner = ownerId();
  /** Waiters per key, woken by a message on the channel. */
  readonly #waiters = new Map<string, Set<() => void>>();
  #unsubscribe: (() => void) | undefined;

  constructor(options: RedisTokenStoreOptions) {
    const { connection, owned } = RedisConnection.of(options, 'RedisTokenStore');
    this.connection = connection;
    this.#owned = owned;
    this.#prefix = options.prefix ?? 'b24kit:';
    this.#leaseMs = atLeast(options.leaseMs, 10_000, 300, 'leaseMs');
    this.#waitMs = atLeast(options.waitMs, 60_000, 1, 'waitMs');
    this.#pollMs = atLeast(options.pollMs, 500, 10, 'pollMs');
  }

  #keys(key: string) {
    if (typeof key !== 'string' || key === '') throw new B24AuthError('INVALID_ARGUMENT', 'token store key is empty');
    const entry = `${this.#prefix}tokens:{${key}}`;
    return { entry, seq: `${entry}:seq`, lease: `${entry}:lease`, refused: `${entry}:refused` };
  }

  get #channel(): string {
    return `${this.#prefix}tokens:changed`;
  }

  async get(key: string): Promise<StoredTokens | undefined> {
    const [version, tokens] = await this.connection.command<(string | null)[]>('token store', [
      'HMGET',
      this.#keys(key).entry,
      'version',
      'tokens',
    ]);
    return parseEntry(key, version ?? null, tokens ?? null);
  }

  async set(key: string, tokens: TokenSet, expectedVersion: number | null): Promise<number> {
    const k = this.#keys(key);
    const [ok, version] = await this.connection.script<[number, string | number]>(
      'token store',
      SET,
      [k.entry, k.seq, k.refused],
      [expectedVersion === null ? '' : String(expectedVersion), JSON.stringify(tokens), this.#channel, key],
    );
    if (ok !== 1) throw new TokenStoreConflictError(key, expectedVersion, version === '' ? null : Number(version));
    return Number(version);
  }

  async delete(key: string): Promise<void> {
    const k = this.#keys(key);
    await this.connection.script('token store', DELETE, [k.entry, k.refused], [this.#channel, key]);
  }

  async refreshExclusive(
    key: string,
    current: StoredTokens,
    refresh: (tokens: TokenSet) => Promise<TokenSet>,
  ): Promise<RefreshOutcome> {
    const k = this.#keys(key);
    const deadline = Date.now() + this.#waitMs;
    this.#listen();
    for (;;) {
      const reply = await this.connection.script<string[]>(
        'token store',
        ACQUIRE,
        [k.entry, k.lease, k.refused],
        [String(current.version), this.#owner, this.#leaseMs],
      );
      const [state] = reply;
      if (state === 'changed') {
        const entry = parseEntry(key, reply[1] || null, reply[2] || null);
        if (!entry)
          throw new B24AuthError(
            'TOKENS_DELETED',
            `Tokens of portal ${key} were deleted while refreshing (application uninstalled?)`,
          );
        return { entry, refreshedHere: false };
      }
      if (state === 'refused') {
        throw new ReauthorizationRequiredError(
          key,
          400,
          'another process had this refresh token refused, or spent it and stopped before storing the new pair',
        );
      }
      if (state === 'acquired') return this.#refreshHolding(key, current, refresh);
      // Held by another process: wait for its pair, a refusal, or the lease to run out.
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new B24AuthError(
          'REFRESH_WAIT_TIMEOUT',
          `Waited ${this.#waitMs} ms for another process to refresh the tokens of portal ${key}; its lease is still held (the token endpoint may be very slow)`,
        );
      }
      const pttl = Number(reply[1]);
      await this.#wait(key, Math.max(10, Math.min(this.#pollMs, left, pttl > 0 ? pttl + 5 : this.#pollMs)));
    }
  }

  /** This process holds the lease: refresh, store with compare-and-set, give the lease up. */
  async #refreshHolding(
    key: string,
    current: StoredTokens,
    refresh: (tokens: TokenSet) => Promise<TokenSet>,
  ): Promise<RefreshOutcome> {
    const k = this.#keys(key);
    const renew = setInterval(
      () => {
        this.connection.script('token store', RENEW, [k.lease], [this.#owner, this.#leaseMs]).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    let next: TokenSet;
    try {
      next = await refresh(current.tokens);
    } catch (error) {
      clearInterval(renew);
      if (error instanceof ReauthorizationRequiredError) {
        await this.#bestEffort(() =>
          this.connection.script(
            'token store',
            REFUSE,
            [k.entry, k.refused, k.lease],
            [String(current.version), this.#owner, this.#channel, key],
          ),
        );
      } else {
        await this.#bestEffort(() => this.connection.script('token store', RELEASE, [k.lease], [this.#owner]));
      }
      throw error;
    }
    try {
      // The old refresh token is spent: storing the new pair matters more than anything else, so
      // a Redis that is away (a restart) is given the whole lease time to come back.
      const version = await this.#retrying(() => this.set(key, next, current.version), Date.now() + this.#leaseMs);
      return { entry: { tokens: next, version }, refreshedHere: true };
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError)) throw error;
      // Someone wrote without the lease (an install): theirs supersedes ours.
      const winner = await this.get(key);
      if (!winner)
        throw new B24AuthError(
          'TOKENS_DELETED',
          `Tokens of portal ${key} were deleted while refreshing (application uninstalled?)`,
        );
      return { entry: winner, refreshedHere: false };
    } finally {
      clearInterval(renew);
      await this.#bestEffort(() => this.connection.script('token store', RELEASE, [k.lease], [this.#owner]));
    }
  }

  async #retrying<T>(fn: () => Promise<T>, until: number): Promise<T> {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        if (!(error instanceof RedisUnavailableError) || Date.now() >= until) throw error;
        await sleep(100);
      }
    }
  }

  async #bestEffort(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch {
      // The lease expires on its own; waiters poll.
    }
  }

  #listen(): void {
    this.#unsubscribe ??= this.connection.subscribe(this.#channel, (key) => {
      for (const wake of this.#waiters.get(key) ?? []) wake();
    });
  }

  /** Resolves after `ms`, or earlier when the entry of `key` changes. */
  #wait(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(key);
      if (!set) this.#waiters.set(key, (set = new Set()));
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  /** Connects now (otherwise the first use does); throws RedisUnavailableError when Redis cannot be reached. */
  async connect(): Promise<void> {
    await this.connection.command('token store', ['PING']);
  }

  /** Closes the connection this store opened (a shared `connection` is left to its owner). */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#owned) await this.connection.close();
  }

  toString(): string {
    return `RedisTokenStore(${this.connection.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function parseEntry(key: string, version: string | null, tokens: string | null): StoredTokens | undefined {
  if (version === null && tokens === null) return undefined;
  let parsed: unknown;
  try {
    parsed = tokens === null ? undefined : JSON.parse(tokens);
  } catch {
    parsed = undefined;
  }
  const t = parsed as Partial<TokenSet> | undefined;
  if (
    !t ||
    typeof t !== 'object' ||
    typeof t.accessToken !== 'string' ||
    typeof t.refreshToken !== 'string' ||
    !Number.isFinite(Number(version))
  ) {
    throw new B24AuthError(
      'TOKEN_STORE_CORRUPT',
      `Redis entry of portal ${key} lacks a version or tokens; it was not written by RedisTokenStore`,
    );
  }
  return { version: Number(version), tokens: t as TokenSet };
}

function atLeast(value: number | undefined, fallback: number, min: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= min))
    throw new B24ArgumentError(`RedisTokenStore: ${name} must be a number of ms >= ${min}`);
  return value;
}
