/**
 * Client-side limits: the portal's leaky bucket (PROTOCOL.md §4.1) and each method's
 * operating-time budget (§4.2). Both only compute waits; the caller sleeps.
 */
import { randomUUID } from 'node:crypto';
import { B24ArgumentError } from './errors.js';
import type { TimeInfo } from './envelope.js';
import {
  mergeOperating,
  type BucketConfig,
  type LimiterStore,
  type OperatingFigure,
  type OperatingState,
} from './limiter-store.js';

export type LimiterPreset = 'standard' | 'enterprise';
export type LimiterOption = LimiterPreset | BucketConfig | false;

export const LIMITER_PRESETS: Readonly<Record<LimiterPreset, BucketConfig>> = {
  standard: { burst: 50, drainPerSecond: 2 },
  enterprise: { burst: 250, drainPerSecond: 5 },
};

export function resolveLimiter(option: LimiterOption | undefined): BucketConfig | undefined {
  if (option === false) return undefined;
  if (option === undefined) return LIMITER_PRESETS.standard;
  if (typeof option === 'string') {
    const preset = LIMITER_PRESETS[option];
    if (!preset)
      throw new B24ArgumentError(
        `unknown limiter preset '${String(option)}': use 'standard', 'enterprise', { burst, drainPerSecond } or false`,
      );
    return preset;
  }
  if (!(option.burst >= 1) || !(option.drainPerSecond > 0)) {
    throw new B24ArgumentError('limiter needs burst >= 1 and drainPerSecond > 0');
  }
  return option;
}

export interface OperatingBudgetOptions {
  /** The portal's operating-time limit per method in seconds (cloud example: 480). */
  limitSeconds?: number;
  /**
   * Fraction of the limit from which calls are slowed down (default 0.75): a method's calls
   * then go one at a time (with a store that counts calls in flight; see LimiterStore).
   */
  slowFrom?: number;
}

/** A call's reservation on one method's budget, settled when its answer is in. */
export interface OperatingHold {
  readonly method: string;
  readonly id: string | undefined;
}

/** What an answer's `time` block says about its own method (see OperatingFigure). */
export function figureOf(time: TimeInfo | undefined): OperatingFigure | undefined {
  if (!time || time.operating === undefined) return undefined;
  const cost = time.processing ?? time.duration;
  return {
    operating: time.operating,
    ...(time.operating_reset_at === undefined ? {} : { resetAt: time.operating_reset_at * 1000 }),
    ...(cost === undefined ? {} : { cost }),
  };
}

/** Minutes are the granularity of the server's buckets; used when the reset time is unknown. */
const BUCKET_MS = 60_000;

/**
 * Per-method operating-time budget. Fed by every `time` block; before a call it returns a
 * delay that grows as `operating` approaches the limit, reaching "wait for the reset" at it.
 */
export class OperatingBudget {
  readonly #store: LimiterStore;
  readonly #portal: string;
  readonly #limit: number;
  readonly #slowFrom: number;

  constructor(store: LimiterStore, portal: string, options: OperatingBudgetOptions = {}) {
    this.#store = store;
    this.#portal = portal;
    this.#limit = options.limitSeconds ?? 480;
    this.#slowFrom = options.slowFrom ?? 0.75;
  }

  #key(method: string): string {
    return `${this.#portal}|op|${method.toLowerCase()}`;
  }

  /**
   * Waits until each of `methods` (one entry per call, so a batch's repeats count) may be
   * called, reserving their expected cost; `wait` sleeps (and throws on abort). Every decision
   * is taken again after every sleep, since other callers (and processes) moved meanwhile.
   * The holds go to `settle` once the answer (or failure) is in.
   */
  async acquire(
    methods: readonly string[],
    now: () => number,
    wait: (ms: number) => Promise<void>,
    ttlMs: number,
  ): Promise<OperatingHold[]> {
    const calls = new Map<string, number>();
    for (const m of methods) calls.set(m, (calls.get(m) ?? 0) + 1);
    const store = this.#store;
    if (!store.acquireOperating || !store.settleOperating) {
      // A store without the gate: one delay from the last figure (no calls in flight known).
      let longest = 0;
      for (const m of calls.keys()) longest = Math.max(longest, await this.delayFor(m, now()));
      await wait(longest);
      return [...calls.keys()].map((method) => ({ method, id: undefined }));
    }
    const holds: OperatingHold[] = [];
    try {
      for (const [method, count] of [...calls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const ask = { id: randomUUID(), limit: this.#limit, slowFrom: this.#slowFrom, calls: count, ttlMs };
        for (;;) {
          const ms = await store.acquireOperating(this.#key(method), ask, now());
          if (!(ms > 0)) break;
          await wait(ms);
        }
        holds.push({ method, id: ask.id });
      }
    } catch (error) {
      await this.settle(holds, undefined, false, now());
      throw error;
    }
    return holds;
  }

  /**
   * Ends the holds of one request. `time`: the answer's block, for the request's own method;
   * `charge`: the request ran (or may have) without a figure of its own for a held method.
   */
  async settle(
    holds: readonly OperatingHold[],
    own: { method: string; time: TimeInfo | undefined } | undefined,
    charge: boolean,
    nowMs: number,
  ): Promise<void> {
    const store = this.#store;
    for (const hold of holds) {
      const figure = own && own.method === hold.method ? figureOf(own.time) : undefined;
      if (store.settleOperating) await store.settleOperating(this.#key(hold.method), hold.id, figure, charge, nowMs);
      else if (figure) await this.record(hold.method, own?.time);
    }
  }

  /**
   * Milliseconds to wait before calling `method`, from the last figure alone: for stores
   * without `acquireOperating`. It grows as `operating` approaches the limit, reaching "wait
   * for the reset" at it.
   */
  async delayFor(method: string, nowMs: number): Promise<number> {
    const state = await this.#store.getOperating(this.#key(method));
    if (!state) return 0;
    if (state.blockedUntil > nowMs) return state.blockedUntil - nowMs;
    // After the reset the reported figure is stale; one call will bring a fresh one.
    if (state.resetAt <= nowMs) return 0;
    const soft = this.#limit * this.#slowFrom;
    if (state.operating <= soft) return 0;
    const f = Math.min(1, (state.operating - soft) / (this.#limit - soft));
    return Math.ceil(f * f * (state.resetAt - nowMs));
  }

  /** Records a `time` block returned for `method` (a batch command's). */
  async record(method: string, time: TimeInfo | undefined): Promise<void> {
    const figure = figureOf(time);
    if (!figure) return;
    const key = this.#key(method);
    if (this.#store.settleOperating) {
      await this.#store.settleOperating(key, undefined, figure, false, 0);
      return;
    }
    await this.#store.setOperating(key, mergeOperating(await this.#store.getOperating(key), figure));
  }

  /** Last known reset time of `method`, for OPERATION_TIME_LIMIT errors. */
  async resetAt(method: string): Promise<Date | undefined> {
    const state = await this.#store.getOperating(this.#key(method));
    return state && state.resetAt > 0 ? new Date(state.resetAt) : undefined;
  }

  /**
   * The server answered 429: block the method until its reset (the last known
   * `operating_reset_at`, or the next minute bucket when that is unknown or past) and return
   * the wait in ms.
   */
  async blocked(method: string, nowMs: number): Promise<number> {
    const key = this.#key(method);
    const state: OperatingState = (await this.#store.getOperating(key)) ?? {
      operating: this.#limit,
      resetAt: 0,
      blockedUntil: 0,
    };
    const until = state.resetAt > nowMs ? state.resetAt : nowMs + BUCKET_MS;
    state.blockedUntil = Math.max(state.blockedUntil, until);
    state.operating = Math.max(state.operating, this.#limit);
    await this.#store.setOperating(key, state);
    return state.blockedUntil - nowMs;
  }
}

/** The portal's request bucket. */
export class RateLimiter {
  readonly #store: LimiterStore;
  readonly #key: string;
  readonly config: BucketConfig;

  constructor(store: LimiterStore, portal: string, config: BucketConfig) {
    this.#store = store;
    this.#key = `${portal}|rate`;
    this.config = config;
  }

  /** Reserves a slot; returns the ms to wait before sending. */
  async reserve(nowMs: number): Promise<number> {
    return this.#store.reserve(this.#key, this.config, nowMs);
  }

  /** Right before sending: ms to wait first, or 0 once the request is counted as in flight. */
  async admit(nowMs: number): Promise<number> {
    return (await this.#store.admit?.(this.#key, this.config, nowMs)) ?? 0;
  }

  /** The admitted request's answer (or failure) is in. */
  async release(nowMs: number): Promise<void> {
    await this.#store.release?.(this.#key, this.config, nowMs);
  }

  async overflow(nowMs: number): Promise<void> {
    await this.#store.overflow(this.#key, this.config, nowMs);
  }
}
