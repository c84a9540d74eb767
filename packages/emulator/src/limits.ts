/**
 * The two portal limits of PROTOCOL.md §4: the request-rate leaky bucket (503) and the
 * per-method operating-time budget (429). Both read the emulator clock, so tests can move time.
 */
import type { Clock } from './clock.js';

export type Plan = 'standard' | 'enterprise' | 'unlimited' | { readonly burst: number; readonly drainPerSec: number };

export function planLimits(plan: Plan): { burst: number; drainPerSec: number } | undefined {
  if (plan === 'unlimited') return undefined;
  if (plan === 'standard') return { burst: 50, drainPerSec: 2 };
  if (plan === 'enterprise') return { burst: 250, drainPerSec: 5 };
  if (!(plan.burst > 0) || !(plan.drainPerSec >= 0)) {
    throw new RangeError(`plan: burst must be > 0 and drainPerSec >= 0, got ${JSON.stringify(plan)}`);
  }
  return { burst: plan.burst, drainPerSec: plan.drainPerSec };
}

/** One counter per client address: +1 per request, drained continuously; over `burst` → refuse. */
export class LeakyBucket {
  private readonly levels = new Map<string, { level: number; at: number }>();
  private limits: { burst: number; drainPerSec: number } | undefined;

  constructor(
    plan: Plan,
    private readonly clock: Clock,
  ) {
    this.limits = planLimits(plan);
  }

  setPlan(plan: Plan): void {
    this.limits = planLimits(plan);
  }

  /** Counts one request; false when it must be refused (refused requests are not counted). */
  take(key: string): boolean {
    const lim = this.limits;
    if (!lim) return true;
    const now = this.clock.now();
    const cur = this.levels.get(key) ?? { level: 0, at: now };
    const level = Math.max(0, cur.level - ((now - cur.at) / 1000) * lim.drainPerSec);
    if (level + 1 > lim.burst) {
      this.levels.set(key, { level, at: now });
      return false;
    }
    this.levels.set(key, { level: level + 1, at: now });
    return true;
  }

  level(key: string): number {
    const lim = this.limits;
    const cur = this.levels.get(key);
    if (!lim || !cur) return 0;
    return Math.max(0, cur.level - ((this.clock.now() - cur.at) / 1000) * lim.drainPerSec);
  }
}

/** The portal's window: ten one-minute buckets (https://apidocs.bitrix24.com/limits.html). */
export const OPERATING_WINDOW_MS = 600_000;

interface Bucket {
  start: number;
  ms: number;
}

/**
 * Operating time per (application or webhook, method): ten one-minute buckets, each starting
 * at the first call of its minute and expiring ten minutes later (§4.2).
 */
export class OperatingMeter {
  private readonly buckets = new Map<string, Bucket[]>();
  private readonly bucketMs: number;

  constructor(
    private readonly clock: Clock,
    /** Milliseconds of processing allowed per window; Infinity disables the limit. */
    public limitMs: number,
    /**
     * The window (default ten minutes). Tests shrink it together with the limit to see several
     * resets in seconds; it keeps ten buckets of a tenth each.
     */
    private readonly windowMs = OPERATING_WINDOW_MS,
  ) {
    if (!(windowMs >= 10)) throw new RangeError(`operatingWindowMs must be at least 10, got ${windowMs}`);
    this.bucketMs = windowMs / 10;
  }

  private live(key: string): Bucket[] {
    const now = this.clock.now();
    const list = (this.buckets.get(key) ?? []).filter((b) => now - b.start < this.windowMs);
    this.buckets.set(key, list);
    return list;
  }

  /** Accumulated ms and the unix second the oldest bucket drops out (0 if none). */
  state(principal: string, method: string): { operatingMs: number; resetAt: number } {
    const list = this.live(`${principal}\n${method}`);
    const operatingMs = list.reduce((a, b) => a + b.ms, 0);
    const oldest = list[0];
    const resetAt = oldest
      ? Math.ceil((oldest.start + this.windowMs) / 1000)
      : Math.ceil((this.clock.now() + this.windowMs) / 1000);
    return { operatingMs, resetAt };
  }

  /** Checked before a call: the call that crosses the limit completes, the next one is refused. */
  blocked(principal: string, method: string): boolean {
    return this.state(principal, method).operatingMs > this.limitMs;
  }

  record(principal: string, method: string, ms: number): void {
    const key = `${principal}\n${method}`;
    const list = this.live(key);
    const now = this.clock.now();
    const last = list[list.length - 1];
    if (last && now - last.start < this.bucketMs) last.ms += ms;
    else list.push({ start: now, ms });
  }
}
