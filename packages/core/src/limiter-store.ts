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
  /** The server said the bucket overflowed: mark it full. */
  overflow(key: string, config: BucketConfig, nowMs: number): MaybePromise<void>;
  getOperating(key: string): MaybePromise<OperatingState | undefined>;
  setOperating(key: string, state: OperatingState): MaybePromise<void>;
}

interface Bucket {
  /** Fill level at `at`; above capacity it counts requests queued for later. */
  level: number;
  at: number;
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
    const bucket = this.#buckets.get(key) ?? { level: 0, at: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.level = Math.max(0, bucket.level - elapsed * config.drainPerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
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

  overflow(key: string, config: BucketConfig, nowMs: number): void {
    const bucket = this.#drained(key, config, nowMs);
    bucket.level = Math.max(bucket.level, capacityOf(config));
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
