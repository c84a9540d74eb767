/**
 * A lock shared by processes and hosts, for work that one replica must do at a time, such as
 * draining a portal's offline event queue:
 *
 *   const lock = new RedisLock({ url });
 *   const run = await lock.run(`offline:${memberId}`, (signal) =>
 *     app.consumeOfflineEvents(memberId, handler, { signal }));
 *   if (!run.acquired) console.log('another replica is consuming');
 *
 * The holder renews the lock while its work runs; if it dies, the lock runs out after `ttlMs`.
 * If renewing fails (Redis away longer than the lock lives, or the lock was taken over), the
 * work's signal is aborted so that it stops between steps: the offline consumer stops before
 * its next batch, and rows it reserved but did not clear stay in the portal's queue for the
 * next run (the consumer only clears what its handler finished).
 */
import { ownerId, RedisConnection, type RedisTarget } from './connection.js';
import { RedisUnavailableError } from './errors.js';
import { B24ArgumentError, B24Error } from '@b24kit/core';

export type RedisLockOptions = RedisTarget & {
  /** Prefix of every key (default `b24kit:`). */
  readonly prefix?: string;
  /** Lifetime of the lock without renewal (ms, default 30 000); renewed every third of it. */
  readonly ttlMs?: number;
};

export interface RunOptions {
  /** Wait up to this long for the lock when another holder has it (ms, default 0: do not wait). */
  readonly waitMs?: number;
  /** Aborts the wait, and is passed on to the work. */
  readonly signal?: AbortSignal;
}

export type RunResult<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/** KEYS: lock. ARGV: owner, ttl. Renews (1) or reports the lock lost (0). */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: lock. ARGV: owner. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class LockLostError extends B24Error {
  static override readonly kind: string = 'LockLostError';
  constructor(name: string) {
    super({
      method: '@b24kit/redis lock',
      code: 'LOCK_LOST',
      description: `The lock "${name}" was lost while its work ran (Redis away longer than the lock lives, or it was taken over)`,
    });
  }
}

export class RedisLock {
  readonly connection: RedisConnection;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #owner = ownerId();
  #seq = 0;

  constructor(options: RedisLockOptions) {
    const { connection, owned } = RedisConnection.of(options, 'RedisLock');
    this.connection = connection;
    this.#owned = owned;
    this.#prefix = options.prefix ?? 'b24kit:';
    this.#ttlMs = options.ttlMs ?? 30_000;
    if (!(this.#ttlMs >= 300)) throw new B24ArgumentError('RedisLock: ttlMs must be at least 300 ms');
  }

  /**
   * Runs `work` while holding the lock `name`, and resolves `{ acquired: true, value }`; resolves
   * `{ acquired: false }` without running it when another holder keeps the lock for longer than
   * `waitMs`. Throws RedisUnavailableError when Redis cannot be reached (nothing ran).
   */
  async run<T>(
    name: string,
    work: (signal: AbortSignal) => Promise<T>,
    options: RunOptions = {},
  ): Promise<RunResult<T>> {
    if (typeof name !== 'string' || name === '') throw new B24ArgumentError('RedisLock: name is empty');
    const key = `${this.#prefix}lock:{${name}}`;
    const owner = `${this.#owner}:${++this.#seq}`;
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      options.signal?.throwIfAborted();
      const got = await this.connection.command<string | null>('lock', [
        'SET',
        key,
        owner,
        'NX',
        'PX',
        String(this.#ttlMs),
      ]);
      if (got === 'OK') break;
      if (Date.now() >= deadline) return { acquired: false };
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(10, deadline - Date.now()))));
    }
    const lost = new AbortController();
    const onAbort = () => lost.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let lastRenewed = Date.now();
    const timer = setInterval(
      () => {
        this.connection.script<number>('lock', RENEW, [key], [owner, this.#ttlMs]).then(
          (renewed) => {
            if (Number(renewed) === 1) lastRenewed = Date.now();
            else lost.abort(new LockLostError(name));
          },
          (error: unknown) => {
            // Redis away: the lock may still be ours until it expires; past that, it is not.
            if (!(error instanceof RedisUnavailableError) || Date.now() - lastRenewed >= this.#ttlMs)
              lost.abort(new LockLostError(name));
          },
        );
      },
      Math.max(100, Math.floor(this.#ttlMs / 3)),
    );
    try {
      return { acquired: true, value: await work(lost.signal) };
    } finally {
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
      try {
        await this.connection.script('lock', RELEASE, [key], [owner]);
      } catch {
        // It expires on its own.
      }
    }
  }

  async close(): Promise<void> {
    if (this.#owned) await this.connection.close();
  }

  toString(): string {
    return `RedisLock(${this.connection.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
