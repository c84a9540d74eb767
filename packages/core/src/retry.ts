/**
 * The retry policy as one pure function: given the failure, the attempt number and whether the
 * method is idempotent, say whether to try again and after how long. Table in README.md.
 */
import {
  B24NetworkError,
  B24OperatingLimitError,
  B24RateLimitError,
  B24ServerError,
  B24TimeoutError,
  REFUSED_CODES,
  type B24Error,
} from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). Auth recovery does not count. */
  maxRetries?: number;
  /** First back-off step in ms (default 500); doubles each retry. */
  baseDelayMs?: number;
  /** Upper bound of one back-off step (default 30 000). */
  maxDelayMs?: number;
  /** Longest single wait for a limit (429 reset, 503) before giving up instead (default 120 000). */
  maxWaitMs?: number;
  /** Random source in [0, 1) for jitter; tests make it deterministic. */
  random?: () => number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string; note?: string };

export interface RetryInput {
  error: B24Error;
  /** Attempts made so far (1 after the first failure). */
  attempt: number;
  /** The method's descriptor says repeating it is harmless. */
  idempotent: boolean;
  /** For limit errors: how long the limiter or server says to wait (ms). */
  limitWaitMs?: number;
  /** The limiter will make the next attempt wait by itself (rate limit with a bucket). */
  limiterActive?: boolean;
}

export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const step = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": at least half the step, so back-off still grows; the rest is random.
  return Math.round(step / 2 + (options.random ?? Math.random)() * (step / 2));
}

function isTransient(error: B24Error): boolean {
  return error instanceof B24NetworkError || error instanceof B24TimeoutError || error instanceof B24ServerError;
}

export function decideRetry(input: RetryInput, options: RetryOptions | false = {}): RetryDecision {
  const { error, attempt, idempotent } = input;
  if (options === false) return { retry: false, reason: 'retries are disabled' };
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitMs ?? 120_000;
  const transient = isTransient(error) || error instanceof B24RateLimitError || error instanceof B24OperatingLimitError;
  if (!transient) return { retry: false, reason: 'not a transient error' };
  if (attempt > maxRetries) {
    return { retry: false, reason: 'retry budget spent', note: `gave up after ${attempt} attempts` };
  }

  if (error instanceof B24RateLimitError || error instanceof B24OperatingLimitError) {
    // Refused before execution, so repeating is safe even for writes.
    let wait = input.limitWaitMs;
    if (wait === undefined)
      wait = input.limiterActive
        ? 0
        : backoffDelay(attempt, { ...options, baseDelayMs: Math.max(1000, options.baseDelayMs ?? 1000) });
    if (wait > maxWait) {
      return {
        retry: false,
        reason: 'limit wait too long',
        note: `the limit resets in ${Math.ceil(wait / 1000)} s, longer than retry.maxWaitMs`,
      };
    }
    return { retry: true, delayMs: wait, reason: error.code };
  }

  const refused = REFUSED_CODES.has(error.code) || !error.outcomeUnknown;
  if (!idempotent && !refused) {
    return {
      retry: false,
      reason: 'not idempotent',
      note: `outcome unknown: the request may have reached the server, and ${error.method} is not idempotent, so it was not repeated; check the portal before repeating it`,
    };
  }
  return { retry: true, delayMs: backoffDelay(attempt, options), reason: error.code };
}
