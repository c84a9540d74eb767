import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { RestError } from './errors.js';

/**
 * The cloud interrupts a REST request that runs longer than 60 seconds, batch included
 * (https://apidocs.bitrix24.com/settings/performance/limits.html, "Request Execution Time
 * Limit"). The emulator caps the simulated processing time (time model, per-method costs) of
 * one HTTP request at this limit. Since the cost of a call is known before its sleep, a call
 * that would take the request past the limit does not sleep at all: it fails at once with
 * 504 REQUEST_TIMEOUT. The docs do not say what a cut request answers; 504 is assumed (an
 * interrupted request, whose outcome is unknown: the work ran before the cost was slept).
 */
export const REQUEST_TIME_LIMIT_MS = 60_000;

/** What a pending sleep rejects with when the emulator closes; the request's socket is dropped. */
export class EmulatorClosedError extends Error {
  constructor() {
    super('The emulator is closing');
    this.name = 'EmulatorClosedError';
  }
}

/** Simulated processing time one request may still spend. */
class TimeBudget {
  constructor(
    readonly limitMs: number,
    public spentMs = 0,
  ) {}
}

const budgets = new AsyncLocalStorage<TimeBudget>();

/** Runs `fn` (one HTTP request) with its own budget of simulated processing time. */
export function withTimeBudget<T>(limitMs: number, fn: () => T): T {
  return budgets.run(new TimeBudget(limitMs), fn);
}

export function requestTimeout(limitMs: number, wantedMs: number): RestError {
  return new RestError(
    'REQUEST_TIMEOUT',
    `Request processing would exceed ${limitMs / 1000} s (simulated cost ${(wantedMs / 1000).toFixed(1)} s); the portal interrupts such requests`,
    504,
  );
}

/**
 * The emulator's notion of "now". Real time plus an offset that tests move forward with
 * `advanceTime()`, so 30-second codes, 1-hour tokens and 10-minute windows can be tested
 * without waiting. Sleeps (latency, processing cost) still use real timers, and `stop()`
 * ends every pending sleep at once (close, SIGTERM).
 */
export class Clock {
  private offsetMs = 0;
  private readonly stopper = new AbortController();

  constructor(
    private readonly base: () => number = Date.now,
    /** Simulated processing time allowed per request (outside a request: per call). */
    public requestLimitMs: number = REQUEST_TIME_LIMIT_MS,
  ) {}

  /** Milliseconds since the epoch. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Unix seconds, as the wire uses for `expires`, `ts`, `operating_reset_at`. */
  unix(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advanceTime: expected a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  /** Sleeps `ms`, or rejects as soon as the clock is stopped. */
  sleep(ms: number): Promise<void> {
    return sleep(ms, this.stopper.signal);
  }

  /**
   * Spends simulated processing time: charged to the current request's budget, then slept.
   * Past the budget nothing is slept and REQUEST_TIMEOUT is thrown.
   */
  async spend(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const budget = budgets.getStore();
    const limit = budget?.limitMs ?? this.requestLimitMs;
    const spent = budget?.spentMs ?? 0;
    if (spent + ms > limit) throw requestTimeout(limit, spent + ms);
    if (budget) budget.spentMs += ms;
    await this.sleep(ms);
  }

  /** Ends every pending and future sleep (the emulator is closing). */
  stop(): void {
    this.stopper.abort(new EmulatorClosedError());
  }
}

/** ISO 8601 with offset, like PHP `date('c')` in the server timezone (we use UTC: `+00:00`). */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

// setTimeout fires at once for delays above 2^31 - 1 ms; longer sleeps go in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sleeps at least `ms` (timers may fire a fraction early; simulated cost must not come out
 * short). With `signal`, rejects with its reason as soon as it aborts.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0)) return;
  signal?.throwIfAborted();
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(left))));
      function done() {
        signal?.removeEventListener('abort', abort);
        resolve();
      }
      function abort() {
        clearTimeout(timer);
        reject(signal!.reason);
      }
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
