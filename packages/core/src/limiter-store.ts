/**
 * Where limiter state lives. Core ships an in-memory store shared by every caller in the
 * process; a store shared between processes (Redis, SQL) implements the same interface, with
 * `reserve` atomic per key.
 */

export interface BucketConfig {
  /** Requests the bucket holds before the server refuses (X in PROTOCOL.md §4.1). */
  readonly burst: number;
  /** Requests drained per second (Y). */
  readonly drainPerSecond: number;
}

/** What core remembers about one method's operating time (PROTOCOL.md §4.2). */
export interface OperatingState {
  /** Seconds reported in the last `time.operating`. */
  operating: number;
  /** Epoch ms of `time.operating_reset_at`; 0 when unknown. */
  resetAt: number;
  /** Epoch ms until which the method is blocked after a 429; 0 when not blocked. */
  blockedUntil: number;
}

type MaybePromise<T> = T | Promise<T>;

export interface LimiterStore {
  /**
   * Takes one request slot from bucket `key` and returns how many ms the caller must wait
   * before sending (0: now). The slot is reserved either way, so concurrent callers queue.
   */
  reserve(key: string, config: BucketConfig, nowMs: number): MaybePromise<number>;
  /**
   * Optional last gate, right before a request goes out: returns ms to wait first, or 0 and
   * counts the request as in flight. `release` is called when its answer (or failure) is in.
   * `reserve` schedules requests when they are made, but a request can leave later than
   * scheduled (a busy event loop, a token refresh) and reach the server later still, so a group
   * can arrive closer together than the schedule said. The gate counts a request as filling the
   * bucket from the moment it leaves and draining only from when its answer is in; the server
   * counts it somewhere in between, so the server's level never exceeds this one.
   * Implement both or neither.
   */
  admit?(key: string, config: BucketConfig, nowMs: number): MaybePromise<number>;
  release?(key: string, config: BucketConfig, nowMs: number): MaybePromise<void>;
  /** The server said the bucket overflowed: mark it full. */
  overflow(key: string, config: BucketConfig, nowMs: number): MaybePromise<void>;
  getOperating(key: string): MaybePromise<OperatingState | undefined>;
  setOperating(key: string, state: OperatingState): MaybePromise<void>;
}

interface Bucket {
  /** Fill level at `at`; above capacity it counts requests queued for later. */
  level: number;
  at: number;
  /** Requests admitted and not answered yet (see `admit`). */
  inFlight: number;
  /** Level of the answered requests, drained from when their answers came in, at `doneAt`. */
  done: number;
  doneAt: number;
}

/**
 * Usable slots: the server drains in whole steps each second while this model drains
 * continuously, so the model can be up to one second's drain ahead of the server. Keeping
 * that much headroom means steady use never overflows the server's bucket.
 */
export function capacityOf(config: BucketConfig): number {
  return Math.max(1, config.burst - Math.ceil(config.drainPerSecond));
}

export class MemoryLimiterStore implements LimiterStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #operating = new Map<string, OperatingState>();

  #drained(key: string, config: BucketConfig, nowMs: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { level: 0, at: nowMs, inFlight: 0, done: 0, doneAt: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.level = Math.max(0, bucket.level - elapsed * config.drainPerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    const doneElapsed = Math.max(0, nowMs - bucket.doneAt) / 1000;
    bucket.done = Math.max(0, bucket.done - doneElapsed * config.drainPerSecond);
    bucket.doneAt = Math.max(bucket.doneAt, nowMs);
    this.#buckets.set(key, bucket);
    return bucket;
  }

  reserve(key: string, config: BucketConfig, nowMs: number): number {
    const bucket = this.#drained(key, config, nowMs);
    const capacity = capacityOf(config);
    bucket.level += 1;
    const excess = bucket.level - capacity;
    return excess <= 0 ? 0 : Math.ceil((excess / config.drainPerSecond) * 1000);
  }

  admit(key: string, config: BucketConfig, nowMs: number): number {
    const bucket = this.#drained(key, config, nowMs);
    const excess = bucket.inFlight + bucket.done + 1 - capacityOf(config);
    if (excess > 0) {
      // Answers still to come cannot drain yet; look again after one drain step at least.
      return Math.ceil((Math.max(1, Math.min(excess, bucket.done)) / config.drainPerSecond) * 1000);
    }
    bucket.inFlight += 1;
    return 0;
  }

  release(key: string, config: BucketConfig, nowMs: number): void {
    const bucket = this.#drained(key, config, nowMs);
    bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    bucket.done += 1;
  }

  overflow(key: string, config: BucketConfig, nowMs: number): void {
    const bucket = this.#drained(key, config, nowMs);
    bucket.level = Math.max(bucket.level, capacityOf(config));
    bucket.done = Math.max(bucket.done, capacityOf(config) - bucket.inFlight);
  }

  getOperating(key: string): OperatingState | undefined {
    const state = this.#operating.get(key);
    return state && { ...state };
  }

  setOperating(key: string, state: OperatingState): void {
    this.#operating.set(key, { ...state });
  }
}

const GLOBAL_KEY = Symbol.for('b24kit.limiterStore');

/** The process-wide store, shared even by two loaded copies of @b24kit/core. */
export function sharedMemoryStore(): LimiterStore {
  const g = globalThis as Record<symbol, unknown>;
  g[GLOBAL_KEY] ??= new MemoryLimiterStore();
  return g[GLOBAL_KEY] as LimiterStore;
}
