/**
 * Replay refusal for app events. Bitrix24 events carry no id and no signature: the only
 * secret is `application_token` (PROTOCOL.md §2.7, https://apidocs.bitrix24.com/api-reference/events/safe-event-handlers.html),
 * so a captured event POST can be sent again as is. The app handler refuses a second copy
 * of the same event within a window, and refuses events whose `ts` lies outside that window
 * (after the window a copy could no longer be recognised).
 *
 * The store is an interface so that app replicas can share it (`@b24kit/redis` implements it
 * with `SET key 1 NX PX ttl`); the in-memory default serves one process.
 */
import { createHash } from 'node:crypto';
import type { FormValue } from './php-form.js';

export interface EventDedupStore {
  /**
   * Records `key` for `ttlMs` milliseconds. Resolves `true` when this call recorded it first
   * (the key was not present), `false` when it was already recorded and has not expired.
   * Must be atomic among everyone who shares the store.
   */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
}

export interface MemoryEventDedupStoreOptions {
  /** Most keys kept (default 100 000); beyond it the oldest are forgotten first. */
  readonly maxEntries?: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** One process's memory: keys in insertion order, expired ones dropped from the front. */
export class MemoryEventDedupStore implements EventDedupStore {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryEventDedupStoreOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    // Every key gets the same window, so expiry follows insertion order (amortised O(1)).
    for (const [k, until] of this.#seen) {
      if (until > now && this.#seen.size < this.#max) break;
      this.#seen.delete(k);
    }
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    this.#seen.delete(key);
    this.#seen.set(key, now + ttlMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}

/**
 * The identity of one delivery: portal, event, handler binding, `ts`, the data and the
 * access token the portal put in `auth`. Two genuine events that agree on all of these (same
 * object, same second, same token) cannot be told apart by anyone; handlers of such events
 * re-read the object, so dropping the second copy loses nothing.
 */
export function eventKey(memberId: string, form: Record<string, FormValue>): string {
  const auth = form['auth'];
  const accessToken = auth && typeof auth === 'object' && !Array.isArray(auth) ? auth['access_token'] : undefined;
  const material = JSON.stringify([
    memberId,
    form['event'],
    form['event_handler_id'] ?? null,
    form['ts'] ?? null,
    form['data'] ?? null,
    typeof accessToken === 'string' ? accessToken : null,
  ]);
  // Hashed, so no token sits in a shared store.
  return `b24kit:event:${createHash('sha256').update(material).digest('hex')}`;
}
