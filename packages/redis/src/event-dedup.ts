/**
 * auth's EventDedupStore in Redis: the replicas of an app behind a load balancer share one
 * record of the events they received, so a delivery is handled once however many replicas it
 * reaches (and a replayed copy is refused). The event's identity is auth's `eventKey` (portal,
 * event, handler, ts, data and the delivery's token, hashed); this store only remembers keys,
 * each with `SET key 1 NX PX ttl`, which is atomic.
 */
import type { EventDedupStore } from '@b24kit/auth';
import { RedisConnection, type RedisTarget } from './connection.js';
import { RedisUnavailableError } from './errors.js';
import { B24ArgumentError } from '@b24kit/core';

export type RedisEventDedupStoreOptions = RedisTarget & {
  /** Prepended to auth's keys, which already begin with `b24kit:event:` (default: nothing). */
  readonly prefix?: string;
  /**
   * Without Redis: `'reject'` (default) throws, and the app answers 500, so the event is not
   * handled; `'accept'` handles it (a duplicate may then run twice, and a replay is not caught).
   * Bitrix24 does not deliver an event again, so `'accept'` loses fewer events.
   */
  readonly whenUnavailable?: 'reject' | 'accept';
  /** Called with the RedisUnavailableError each time `'accept'` lets an event through unchecked. */
  readonly onError?: (error: unknown) => void;
};

export class RedisEventDedupStore implements EventDedupStore {
  readonly connection: RedisConnection;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #whenUnavailable: 'reject' | 'accept';
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(options: RedisEventDedupStoreOptions) {
    const { connection, owned } = RedisConnection.of(options, 'RedisEventDedupStore');
    this.connection = connection;
    this.#owned = owned;
    this.#prefix = options.prefix ?? '';
    if (
      options.whenUnavailable !== undefined &&
      options.whenUnavailable !== 'reject' &&
      options.whenUnavailable !== 'accept'
    ) {
      throw new B24ArgumentError(
        `RedisEventDedupStore: whenUnavailable must be 'reject' or 'accept', got ${JSON.stringify(options.whenUnavailable)}`,
      );
    }
    this.#whenUnavailable = options.whenUnavailable ?? 'reject';
    this.#onError = options.onError;
  }

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    if (typeof key !== 'string' || key === '') throw new B24ArgumentError('RedisEventDedupStore: key is empty');
    const ttl = Math.max(1, Math.ceil(ttlMs));
    try {
      const reply = await this.connection.command<string | null>('event dedup', [
        'SET',
        `${this.#prefix}${key}`,
        '1',
        'NX',
        'PX',
        String(ttl),
      ]);
      return reply === 'OK';
    } catch (error) {
      if (!(error instanceof RedisUnavailableError) || this.#whenUnavailable === 'reject') throw error;
      try {
        this.#onError?.(error);
      } catch {
        // A failing reporter must not drop the event.
      }
      return true;
    }
  }

  async connect(): Promise<void> {
    await this.connection.command('event dedup', ['PING']);
  }

  async close(): Promise<void> {
    if (this.#owned) await this.connection.close();
  }

  toString(): string {
    return `RedisEventDedupStore(${this.connection.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
