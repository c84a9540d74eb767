/** Observation points of the request path. Every URL and text in them is already redacted. */
import type { B24Error } from './errors.js';
import type { TimeInfo } from './envelope.js';

export interface RequestEvent {
  method: string;
  /** Redacted request URL. */
  url: string;
  attempt: number;
  bodyBytes: number;
}

export interface ResponseEvent {
  method: string;
  url: string;
  attempt: number;
  status: number;
  durationMs: number;
  time?: TimeInfo;
  /** Wire or core error code when the answer was an error. */
  errorCode?: string;
}

export interface RetryEvent {
  method: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  reason: string;
  error: B24Error;
}

export interface LimitEvent {
  method: string;
  /** `rate`: the portal's request bucket; `operating`: the method's operating-time budget. */
  kind: 'rate' | 'operating';
  waitMs: number;
}

export interface RedirectEvent {
  method: string;
  fromOrigin: string;
  toOrigin: string;
}

export interface Hooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onRetry?(event: RetryEvent): void;
  onLimit?(event: LimitEvent): void;
  /** A portal answered with a redirect to another host (a renamed portal, PROTOCOL.md §1.7). */
  onRedirect?(event: RedirectEvent): void;
}

/** Anything with a `debug(line)` method: console, pino, debug(...). */
export interface Logger {
  debug(message: string): void;
}

export interface CallerStats {
  /** HTTP requests sent (attempts, including redirects followed). */
  requests: number;
  retries: number;
  /** Times a limit made a call wait, and the total of those waits. */
  waits: number;
  waitedMs: number;
  redirects: number;
  /** Last reported `time.operating` per method, in seconds. */
  operating: Record<string, number>;
}
