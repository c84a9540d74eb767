import { performance } from 'node:perf_hooks';

/**
 * The emulator's notion of "now". Real time plus an offset that tests move forward with
 * `advanceTime()`, so 30-second codes, 1-hour tokens and 10-minute windows can be tested
 * without waiting. Sleeps (latency, processing cost) still use real timers.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  /** Milliseconds since the epoch. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Unix seconds, as the wire uses for `expires`, `ts`, `operating_reset_at`. */
  unix(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime: expected a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }
}

/** ISO 8601 with offset, like PHP `date('c')` in the server timezone (we use UTC: `+00:00`). */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Sleeps at least `ms` (timers may fire a fraction early; simulated cost must not come out short). */
export async function sleep(ms: number): Promise<void> {
  if (!(ms > 0)) return;
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(left))));
  }
}
