import { systemErrorsByCode } from './errors.js';
import type { MethodName } from './names.js';

/**
 * Deterministic fault injection. Each rule draws from its own stream: the n-th request that
 * matches rule i gets the number hash(seed, i, n), so the same seed and the same sequence of
 * calls per method give the same faults, whatever else runs in between.
 */

export type FaultKind = '500' | '503' | 'reset' | 'slow' | 'truncated' | 'malformed' | 'error';

export interface FaultRule {
  readonly kind: FaultKind;
  /** Probability in [0, 1]. */
  readonly rate: number;
  /**
   * Restrict to these methods (case-insensitive); all REST calls otherwise. Typed by the schema:
   * a name it does not describe goes through `unknownName('vendor.method')`.
   */
  readonly methods?: readonly MethodName[];
  /** For 'error': any system error code of PROTOCOL.md §3.3, sent with its documented status. */
  readonly code?: string;
  /** For 'slow': added delay in ms (default 1000). */
  readonly delayMs?: number;
}

export interface FaultOptions {
  readonly seed?: number;
  readonly rules: readonly FaultRule[];
}

/** splitmix32-style integer hash → [0, 1). */
function unitHash(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(c + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return h / 4294967296;
}

/** A rule as the injector keeps it: method names lower-cased. */
type MatchRule = Omit<FaultRule, 'methods'> & { readonly methods?: readonly string[] };

const KINDS = new Set<FaultKind>(['500', '503', 'reset', 'slow', 'truncated', 'malformed', 'error']);

export class FaultInjector {
  /** The rules with their method names lower-cased (matching is case-insensitive). */
  private rules: readonly MatchRule[] = [];
  private seed = 0;
  private counters: number[] = [];

  constructor(options?: FaultOptions) {
    this.set(options);
  }

  set(options: FaultOptions | undefined): void {
    const rules = options?.rules ?? [];
    for (const r of rules) {
      if (!KINDS.has(r.kind))
        throw new RangeError(
          `faults: unknown kind ${JSON.stringify(r.kind)}; expected one of ${[...KINDS].join(', ')}`,
        );
      if (r.kind === 'error' && !(r.code && systemErrorsByCode[r.code])) {
        throw new RangeError(
          `faults: kind 'error' needs a system error code, one of ${Object.keys(systemErrorsByCode).join(', ')}`,
        );
      }
      if (!(r.rate >= 0 && r.rate <= 1)) throw new RangeError(`faults: rate must be within [0, 1], got ${r.rate}`);
    }
    this.rules = rules.map((r) => ({ ...r, ...(r.methods ? { methods: r.methods.map((m) => m.toLowerCase()) } : {}) }));
    this.seed = (options?.seed ?? 1) >>> 0;
    this.counters = this.rules.map(() => 0);
  }

  /** The fault for this call, or undefined; the first matching rule that fires wins. */
  pick(method: string): Omit<FaultRule, 'methods'> | undefined {
    const m = method.toLowerCase();
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (rule.methods && !rule.methods.includes(m)) continue;
      const n = this.counters[i]!;
      this.counters[i] = n + 1;
      if (unitHash(this.seed, i, n) < rule.rate) return rule;
    }
    return undefined;
  }
}
