/**
 * The request path: validate -> limits -> credentials -> transport -> decode -> retry.
 * `createCaller` binds it to one set of credentials; batch and paginate are built on it.
 */
import type { Dispatcher } from 'undici';
import { runBatch, type BatchCommands, type BatchOptions, type BatchResults } from './batch.js';
import { runBulk, type BulkOptions, type BulkReport } from './bulk.js';
import { systemClock, type Clock } from './clock.js';
import type { Credentials, PreparedRequest } from './credentials.js';
import type { MethodDescriptor } from './descriptor.js';
import { decodeResponse, type Envelope, type TimeInfo } from './envelope.js';
import {
  B24AbortError,
  B24AccessDeniedError,
  B24Error,
  B24NetworkError,
  B24OperatingLimitError,
  B24RateLimitError,
  B24TimeoutError,
  RECOVERABLE_AUTH_CODES,
} from './errors.js';
import type { CallerStats, Hooks, Logger } from './hooks.js';
import { OperatingBudget, RateLimiter, resolveLimiter, type LimiterOption, type OperatingBudgetOptions } from './limiter.js';
import { sharedMemoryStore, type LimiterStore } from './limiter-store.js';
import { paginate, paginateParallel, type PaginateOptions, type ParallelOptions } from './paginate.js';
import { decideRetry, type RetryOptions } from './retry.js';
import { failureStage, Transport, type TransportResponse } from './transport.js';
import { validateParams } from './validate.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds for one HTTP attempt (headers and body); overrides the caller's default. */
  timeout?: number;
  /** Check params against the descriptor before sending (default: the caller's `validate`). */
  validate?: boolean;
}

export interface CallerOptions {
  credentials: Credentials;
  /** Default per-attempt timeout in ms (default 60 000, the cloud's own execution limit). */
  timeout?: number;
  /** Retry policy options, or false for no retries at all. */
  retry?: RetryOptions | false;
  /** The portal's request bucket: a preset, custom numbers, or false to switch it off. */
  limiter?: LimiterOption;
  /** Per-method operating-time budget, or false to switch it off. */
  operating?: OperatingBudgetOptions | false;
  /** Where limiter state lives (default: one in-memory store shared by the whole process). */
  limiterStore?: LimiterStore;
  hooks?: Hooks;
  logger?: Logger;
  /** An undici dispatcher used for every request instead of core's own pools. */
  dispatcher?: Dispatcher;
  /** Check params against the descriptor before sending (default true). */
  validate?: boolean;
  /** Time source for limits and back-off (tests). */
  clock?: Clock;
  /** Sent as User-Agent (default `b24kit`). */
  userAgent?: string;
}

export interface Caller {
  readonly credentials: Credentials;
  call<R = unknown>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<R>;
  callEnvelope<R = unknown>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<Envelope<R>>;
  batch<C extends BatchCommands>(commands: C, options?: BatchOptions): Promise<BatchResults<C>>;
  /**
   * One method for many rows, up to 50 per batch request; one result per row, by index. A request
   * that may have run is never repeated for a non-idempotent method: its rows come back with
   * `outcomeUnknown: true` (and in `report.unknown`). Resolves, also on abort; throws only for bad
   * input (nothing sent).
   */
  bulk<R = unknown>(descriptor: MethodDescriptor, rows: readonly (object | readonly unknown[] | undefined)[], options?: BulkOptions): Promise<BulkReport<R>>;
  paginate<Row = Record<string, unknown>>(descriptor: MethodDescriptor, params?: object, options?: PaginateOptions): AsyncIterable<Row>;
  /** Keyset paging over several id ranges at once; every row once, in no particular order. */
  paginateParallel<Row = Record<string, unknown>>(descriptor: MethodDescriptor, params?: object, options?: ParallelOptions): AsyncIterable<Row>;
  stats(): CallerStats;
  close(): Promise<void>;
}

/** What one HTTP exchange is about: the method the server runs and those counted for operating time. */
export interface Exchange {
  descriptor: MethodDescriptor;
  /** Methods whose operating budget must allow this request (a batch lists its commands). */
  budgetMethods: readonly string[];
  /** Whether the whole exchange may be repeated after it may have reached the server. */
  idempotent: boolean;
  body: unknown;
}

/** The internal surface batch and paginate build on. */
export interface Engine {
  send<R>(exchange: Exchange, options?: CallOptions): Promise<Envelope<R>>;
  /** Feeds a `time` block returned for `method` (batch: each command's result_time). */
  recordTime(method: string, time: TimeInfo | undefined): Promise<void>;
  /** The server refused `method` for operating time (inside a batch). */
  operatingBlocked(method: string): Promise<void>;
  validate(descriptor: MethodDescriptor, params: unknown, options?: { validate?: boolean }): void;
  /** Removes the credentials' secrets from a text. */
  redact(text: string): string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

class TimeoutMarker extends Error {}

function headerValue(headers: TransportResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as ms: seconds or an HTTP date. */
function retryAfterMs(headers: TransportResponse['headers'], nowMs: number): number | undefined {
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

class CallerImpl implements Caller, Engine {
  readonly credentials: Credentials;
  readonly #options: CallerOptions;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #rate: RateLimiter | undefined;
  readonly #budget: OperatingBudget | undefined;
  /** Origins a portal moved from -> to, learnt from redirects, applied to later requests. */
  readonly #moved = new Map<string, string>();
  readonly #stats: CallerStats = { requests: 0, retries: 0, waits: 0, waitedMs: 0, redirects: 0, operating: {} };

  constructor(options: CallerOptions) {
    if (!options || typeof options.credentials?.prepare !== 'function') {
      throw new TypeError('createCaller: options.credentials with prepare() is required');
    }
    this.credentials = options.credentials;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#transport = new Transport({ dispatcher: options.dispatcher, userAgent: options.userAgent });
    const store = options.limiterStore ?? sharedMemoryStore();
    const bucket = resolveLimiter(options.limiter);
    this.#rate = bucket && new RateLimiter(store, options.credentials.portal, bucket);
    this.#budget = options.operating === false ? undefined : new OperatingBudget(store, options.credentials.portal, options.operating ?? {});
  }

  redact(text: string): string {
    return this.#redact(text);
  }

  #redact(text: string): string {
    try {
      return this.credentials.redact(text);
    } catch {
      return '[redaction failed]';
    }
  }

  #log(line: string): void {
    this.#options.logger?.debug(this.#redact(line));
  }

  #hook<K extends keyof Hooks>(name: K, event: Parameters<NonNullable<Hooks[K]>>[0]): void {
    const fn = this.#options.hooks?.[name] as ((e: typeof event) => void) | undefined;
    if (!fn) return;
    try {
      fn(event);
    } catch (error) {
      this.#log(`hook ${name} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  validate(descriptor: MethodDescriptor, params: unknown, options?: { validate?: boolean }): void {
    if ((options?.validate ?? this.#options.validate) !== false) validateParams(descriptor, params);
  }

  async call<R>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<R> {
    return (await this.callEnvelope<R>(descriptor, params, options)).result;
  }

  async callEnvelope<R>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<Envelope<R>> {
    this.validate(descriptor, params, options);
    return this.send<R>(
      { descriptor, budgetMethods: [descriptor.method], idempotent: descriptor.idempotent, body: params ?? {} },
      options,
    );
  }

  batch<C extends BatchCommands>(commands: C, options?: BatchOptions): Promise<BatchResults<C>> {
    return runBatch(this, commands, options);
  }

  bulk<R>(descriptor: MethodDescriptor, rows: readonly (object | readonly unknown[] | undefined)[], options?: BulkOptions): Promise<BulkReport<R>> {
    return runBulk<R>(this, descriptor, rows, options);
  }

  paginate<Row>(descriptor: MethodDescriptor, params?: object, options?: PaginateOptions): AsyncIterable<Row> {
    return paginate<Row>(this, descriptor, params, options);
  }

  paginateParallel<Row>(descriptor: MethodDescriptor, params?: object, options?: ParallelOptions): AsyncIterable<Row> {
    return paginateParallel<Row>(this, descriptor, params, options);
  }

  stats(): CallerStats {
    return { ...this.#stats, operating: { ...this.#stats.operating } };
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async recordTime(method: string, time: TimeInfo | undefined): Promise<void> {
    if (time?.operating !== undefined) this.#stats.operating[method] = time.operating;
    await this.#budget?.record(method, time);
  }

  async operatingBlocked(method: string): Promise<void> {
    await this.#budget?.blocked(method, this.#clock.now());
  }

  async #wait(method: string, kind: 'rate' | 'operating', ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0) return;
    this.#stats.waits++;
    this.#stats.waitedMs += ms;
    this.#hook('onLimit', { method, kind, waitMs: ms });
    this.#log(`${method}: waiting ${ms} ms for the ${kind === 'rate' ? 'request bucket' : 'operating-time budget'}`);
    await this.#clock.sleep(ms, signal);
  }

  async #waitForLimits(exchange: Exchange, signal: AbortSignal | undefined): Promise<void> {
    if (this.#budget) {
      let longest = 0;
      for (const m of exchange.budgetMethods) longest = Math.max(longest, await this.#budget.delayFor(m, this.#clock.now()));
      await this.#wait(exchange.descriptor.method, 'operating', longest, signal);
    }
    if (this.#rate) await this.#wait(exchange.descriptor.method, 'rate', await this.#rate.reserve(this.#clock.now()), signal);
  }

  /** The bucket's last look right before sending (see LimiterStore.admit). */
  async #admit(method: string, signal: AbortSignal | undefined): Promise<void> {
    if (!this.#rate) return;
    for (let wait = await this.#rate.admit(this.#clock.now()); wait > 0; wait = await this.#rate.admit(this.#clock.now())) {
      await this.#wait(method, 'rate', wait, signal);
    }
  }

  #applyMoves(url: string): string {
    if (this.#moved.size === 0) return url;
    const parsed = new URL(url);
    const to = this.#moved.get(parsed.origin);
    return to ? to + url.slice(parsed.origin.length) : url;
  }

  /** One attempt: POST, following a portal move (another host) but not a same-host redirect. */
  async #exchange(method: string, prepared: PreparedRequest, body: string, signal: AbortSignal, attempt: number): Promise<TransportResponse> {
    let url = this.#applyMoves(prepared.url);
    for (let hop = 0; ; hop++) {
      this.#stats.requests++;
      if (this.#options.hooks?.onRequest) this.#hook('onRequest', { method, url: this.#redact(url), attempt, bodyBytes: Buffer.byteLength(body) });
      this.#log(`-> ${method} attempt ${attempt} POST ${url}`);
      const started = this.#clock.now();
      const response = await this.#transport.send({ url, headers: prepared.headers, body, signal });
      const location = headerValue(response.headers, 'location');
      if (!REDIRECTS.has(response.status) || !location) {
        this.#log(`<- ${method} HTTP ${response.status} in ${this.#clock.now() - started} ms`);
        return response;
      }
      const from = new URL(url);
      const target = new URL(location, url);
      if (target.origin === from.origin) {
        // A same-host redirect (e.g. to a licence page) means the portal cannot serve REST now.
        throw new B24AccessDeniedError({
          method,
          code: 'PORTAL_UNAVAILABLE',
          status: response.status,
          description: `the portal redirected to ${target.pathname === from.pathname ? 'the same page' : 'another page on the same host'} (licence expired or portal unavailable)`,
        });
      }
      if (hop >= MAX_REDIRECTS) {
        throw new B24Error({ method, code: 'TOO_MANY_REDIRECTS', status: response.status, description: `more than ${MAX_REDIRECTS} redirects between hosts` });
      }
      this.#stats.redirects++;
      this.#moved.set(from.origin, target.origin);
      this.#hook('onRedirect', { method, fromOrigin: from.origin, toOrigin: target.origin });
      this.#log(`${method}: portal moved from ${from.origin} to ${target.origin}`);
      try {
        this.credentials.moved?.(target.origin);
      } catch (error) {
        this.#log(`credentials.moved threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      url = target.href;
    }
  }

  /** A transport failure as a B24Error, with no secret in it. */
  #failure(method: string, raw: unknown, timedOut: boolean, timeoutMs: number, userSignal: AbortSignal | undefined, inFlight = false): B24Error {
    if (raw instanceof B24Error) return raw;
    if (userSignal?.aborted && !timedOut) {
      // Aborted while the request was on the wire: the server may have run it (never repeated).
      return new B24AbortError({
        method,
        code: 'ABORTED',
        description: inFlight ? 'the call was aborted by its signal while its request was under way' : 'the call was aborted by its signal before anything was sent',
        cause: userSignal.reason,
        outcomeUnknown: inFlight,
      });
    }
    const stage = failureStage(raw);
    const message = raw instanceof Error ? this.#redact(raw.message) : this.#redact(String(raw));
    const code = raw && typeof raw === 'object' && typeof (raw as { code?: unknown }).code === 'string' ? (raw as { code: string }).code : undefined;
    const cause = Object.assign(new Error(message), code ? { code } : {});
    if (timedOut) {
      return new B24TimeoutError({
        method,
        code: 'TIMEOUT',
        description: `no answer within ${timeoutMs} ms`,
        outcomeUnknown: true,
      });
    }
    return new B24NetworkError({
      method,
      code: 'NETWORK_ERROR',
      description: `${code ?? 'connection failed'}: ${message}`,
      outcomeUnknown: stage === 'maybe-sent',
      cause,
    });
  }

  async send<R>(exchange: Exchange, options: CallOptions = {}): Promise<Envelope<R>> {
    const { descriptor } = exchange;
    const method = descriptor.method;
    const signal = options.signal;
    const timeoutMs = options.timeout ?? this.#options.timeout ?? 60_000;
    if (!(timeoutMs > 0)) throw new TypeError(`${method}: timeout must be a positive number of ms`);
    const body = JSON.stringify(exchange.body);
    let recovered = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.#failure(method, signal.reason, false, timeoutMs, signal);
      try {
        await this.#waitForLimits(exchange, signal);
      } catch (error) {
        if (signal?.aborted) throw this.#failure(method, error, false, timeoutMs, signal);
        throw error;
      }
      const prepared = await this.credentials.prepare(descriptor, signal);
      try {
        await this.#admit(method, signal);
      } catch (error) {
        if (signal?.aborted) throw this.#failure(method, error, false, timeoutMs, signal);
        throw error;
      }
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new TimeoutMarker('timeout'));
      }, timeoutMs);
      const onAbort = (): void => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });

      let error: B24Error;
      let limitWaitMs: number | undefined;
      const started = this.#clock.now();
      try {
        const response = await this.#exchange(method, prepared, body, controller.signal, attempt);
        const decoded = decodeResponse<R>(response.status, response.text, { method, redact: (t) => this.#redact(t) });
        if (this.#options.hooks?.onResponse) this.#hook('onResponse', {
          method,
          url: this.#redact(prepared.url),
          attempt,
          status: response.status,
          durationMs: this.#clock.now() - started,
          ...(decoded.ok ? (decoded.envelope.time ? { time: decoded.envelope.time } : {}) : { errorCode: decoded.error.code }),
        });
        if (decoded.ok) {
          // A batch's own time is not counted (§4.2); its commands' times are fed by runBatch.
          if (exchange.budgetMethods.includes(method)) await this.recordTime(method, decoded.envelope.time);
          return decoded.envelope;
        }
        error = decoded.error;
        if (error instanceof B24RateLimitError) {
          await this.#rate?.overflow(this.#clock.now());
          limitWaitMs = retryAfterMs(response.headers, this.#clock.now());
        } else if (error instanceof B24OperatingLimitError) {
          let wait = 0;
          if (this.#budget) for (const m of exchange.budgetMethods) wait = Math.max(wait, await this.#budget.blocked(m, this.#clock.now()));
          limitWaitMs = retryAfterMs(response.headers, this.#clock.now()) ?? (this.#budget ? wait : undefined);
          const resetAt = limitWaitMs === undefined ? undefined : new Date(this.#clock.now() + limitWaitMs);
          error = new B24OperatingLimitError({ method, code: error.code, description: error.description, status: error.status, resetAt });
        }
      } catch (raw) {
        error = this.#failure(method, raw, timedOut, timeoutMs, signal, true);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        await this.#rate?.release(this.#clock.now());
      }
      if (error instanceof B24AbortError) throw error;

      if (RECOVERABLE_AUTH_CODES.has(error.code) && !recovered && this.credentials.recover) {
        recovered = true;
        // The server refused before executing, so repeating is safe even for writes.
        if (await this.credentials.recover(error.code, prepared, signal)) {
          this.#log(`${method}: credentials recovered from ${error.code}, repeating`);
          attempt--; // a recovery is not a retry
          continue;
        }
      }

      const decision = decideRetry(
        { error, attempt, idempotent: exchange.idempotent, limitWaitMs, limiterActive: this.#rate !== undefined },
        this.#options.retry ?? {},
      );
      if (!decision.retry) throw attempt > 1 || decision.note ? error.withAttempts(attempt, decision.note) : error;
      this.#stats.retries++;
      this.#hook('onRetry', { method, attempt, delayMs: decision.delayMs, reason: decision.reason, error });
      this.#log(`${method}: attempt ${attempt} failed with ${error.code}; retrying in ${decision.delayMs} ms`);
      try {
        await this.#clock.sleep(decision.delayMs, signal);
      } catch (error) {
        if (signal?.aborted) throw this.#failure(method, error, false, timeoutMs, signal);
        throw error;
      }
    }
  }
}

export function createCaller(options: CallerOptions): Caller {
  return new CallerImpl(options);
}

/** Callers made by the one-shot `call`, one per credentials object, so pools are reused. */
const oneShotCallers = new WeakMap<Credentials, Caller>();

/** One call without keeping a caller: `call(descriptor, params, { credentials })`. */
export function call<R = unknown>(
  descriptor: MethodDescriptor,
  params: object | undefined,
  options: CallOptions & { credentials: Credentials },
): Promise<R> {
  const { credentials, ...callOptions } = options;
  let caller = oneShotCallers.get(credentials);
  if (!caller) {
    caller = createCaller({ credentials });
    oneShotCallers.set(credentials, caller);
  }
  return caller.call<R>(descriptor, params, callOptions);
}
