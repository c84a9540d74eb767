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

/**
 * What core remembers about one method's operating time
 * (https://apidocs.bitrix24.com/limits.html, "Resource Intensity Limits").
 */
export interface OperatingState {
  /** Seconds reported in the last `time.operating` (plus calls answered without a figure). */
  operating: number;
  /** Epoch ms of `time.operating_reset_at`; 0 when unknown. */
  resetAt: number;
  /** Epoch ms until which the method is blocked after a 429; 0 when not blocked. */
  blockedUntil: number;
  /**
   * Expected charge of one call in seconds: a maximum of the calls' `time.processing` that
   * decays by a tenth per answer (absent until an answer said it).
   */
  cost?: number;
}

/** One call's (or one batch's calls of a method) claim on the method's operating budget. */
export interface OperatingAsk {
  /** Unique id of the reservation, handed back to `settleOperating`. */
  readonly id: string;
  /** The limit in seconds (cloud example: 480). */
  readonly limit: number;
  /** Fraction of the limit from which the method's calls go one at a time. */
  readonly slowFrom: number;
  /** Calls of the method the request makes (a batch may hold several). */
  readonly calls: number;
  /** A reservation never settled (its process died) stops counting after this long. */
  readonly ttlMs: number;
}

/** What an answer said about its method's operating time. */
export interface OperatingFigure {
  /** `time.operating`, seconds. */
  readonly operating?: number;
  /** `time.operating_reset_at` in epoch ms. */
  readonly resetAt?: number;
  /** This call's `time.processing` (or `duration`), seconds. */
  readonly cost?: number;
}

/** Decay of the expected cost per answer (see OperatingState.cost). */
export const COST_DECAY = 0.9;

/**
 * Merges an answer's figure into the state. Answers of one method arrive out of order (across
 * processes too), so a figure never replaces a newer one: within one window (same reset time)
 * the larger figure wins, a later window replaces an earlier one; a block is kept.
 */
export function mergeOperating(previous: OperatingState | undefined, figure: OperatingFigure): OperatingState {
  const state: OperatingState = previous ? { ...previous } : { operating: 0, resetAt: 0, blockedUntil: 0 };
  if (figure.operating !== undefined) {
    const reset = figure.resetAt ?? state.resetAt;
    if (!previous || reset > state.resetAt) {
      state.operating = figure.operating;
      state.resetAt = reset;
    } else if (reset === state.resetAt) {
      state.operating = Math.max(state.operating, figure.operating);
    }
  }
  if (figure.cost !== undefined && figure.cost >= 0) {
    state.cost = Math.max(figure.cost, (state.cost ?? 0) * COST_DECAY);
  }
  return state;
}

/**
 * The operating-time gate, in one pure rule that every store applies atomically (the Redis
 * store's script is the same rule in Lua). Returns ms to wait before asking again, or 0: go,
 * with `ask.calls` x the expected cost reserved until the answer settles it.
 *
 * The server checks the accumulated figure before each call and refuses the method (429) once
 * it exceeds the limit. The last reported figure plus the cost of every call still in flight
 * is an upper bound of the server's figure (it only grows by calls, and falls when a bucket
 * drops out), so a call goes only when that bound plus its own cost stays within the limit:
 * the server's figure then never passes the limit and no call is refused.
 * - Blocked after a 429: wait for the block's end.
 * - Cost not known yet: one call at a time learns it.
 * - From `slowFrom` of the limit on, one call at a time, each against the figure of the last.
 * - Full: wait for the oldest bucket's reset (`operating_reset_at`); after it the figure is
 *   stale (some bucket dropped out, how much is unknown) and one call brings a fresh one.
 * Waits that depend on answers in flight are polls, short against a call's cost.
 */
export function operatingWait(
  state: OperatingState | undefined,
  inFlight: { readonly count: number; readonly reserved: number },
  ask: Pick<OperatingAsk, 'limit' | 'slowFrom' | 'calls'>,
  nowMs: number,
): number {
  if (state && state.blockedUntil > nowMs) return state.blockedUntil - nowMs;
  const cost = state?.cost;
  const poll = Math.min(1000, Math.max(25, Math.ceil(((cost ?? 0.4) * 1000) / 4)));
  if (!state || cost === undefined) return inFlight.count === 0 ? 0 : poll;
  const bound = state.operating + inFlight.reserved + cost * ask.calls;
  if (bound <= ask.limit * ask.slowFrom) return 0;
  if (inFlight.count > 0) return poll;
  if (bound <= ask.limit) return 0;
  if (state.resetAt > nowMs) return state.resetAt - nowMs;
  return 0;
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
  /**
   * Optional operating-time gate (`operatingWait`), atomic per key: returns ms to wait before
   * asking again, or 0 with `ask.calls` x the expected cost reserved under `ask.id`. A store
   * shared by processes counts every process's reservations. Implement with `settleOperating`;
   * without both, core falls back to a delay computed from the last figure alone.
   */
  acquireOperating?(key: string, ask: OperatingAsk, nowMs: number): MaybePromise<number>;
  /**
   * Ends a reservation (`id` undefined: none) and merges `figure` (mergeOperating). `charge`:
   * the call ran (or may have) but its answer carried no figure of its own (a batch, whose
   * commands' figures come separately, or an error), so its reserved cost is added to the state.
   */
  settleOperating?(
    key: string,
    id: string | undefined,
    figure: OperatingFigure | undefined,
    charge: boolean,
    nowMs: number,
  ): MaybePromise<void>;
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

interface Reservation {
  readonly cost: number;
  readonly expiresAt: number;
}

export class MemoryLimiterStore implements LimiterStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #operating = new Map<string, OperatingState>();
  readonly #reservations = new Map<string, Map<string, Reservation>>();

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

  #live(key: string, nowMs: number): Map<string, Reservation> {
    const held = this.#reservations.get(key) ?? new Map<string, Reservation>();
    for (const [id, r] of held) if (r.expiresAt <= nowMs) held.delete(id);
    this.#reservations.set(key, held);
    return held;
  }

  acquireOperating(key: string, ask: OperatingAsk, nowMs: number): number {
    const held = this.#live(key, nowMs);
    let reserved = 0;
    for (const r of held.values()) reserved += r.cost;
    const state = this.#operating.get(key);
    const wait = operatingWait(state, { count: held.size, reserved }, ask, nowMs);
    if (wait > 0) return wait;
    held.set(ask.id, { cost: (state?.cost ?? 0) * ask.calls, expiresAt: nowMs + ask.ttlMs });
    return 0;
  }

  settleOperating(
    key: string,
    id: string | undefined,
    figure: OperatingFigure | undefined,
    charge: boolean,
    nowMs: number,
  ): void {
    const held = this.#live(key, nowMs);
    const reservation = id === undefined ? undefined : held.get(id);
    if (id !== undefined) held.delete(id);
    if (held.size === 0) this.#reservations.delete(key);
    let state = this.#operating.get(key);
    if (figure) state = mergeOperating(state, figure);
    else if (charge && reservation && state) state = { ...state, operating: state.operating + reservation.cost };
    if (state) this.#operating.set(key, state);
  }
}

const GLOBAL_KEY = Symbol.for('b24kit.limiterStore');

/** The process-wide store, shared even by two loaded copies of @b24kit/core. */
export function sharedMemoryStore(): LimiterStore {
  const g = globalThis as Record<symbol, unknown>;
  g[GLOBAL_KEY] ??= new MemoryLimiterStore();
  return g[GLOBAL_KEY] as LimiterStore;
}
