/**
 * The engine: core's steps of the request path (see pipeline.ts for the stack and how to add a
 * step) bound to one set of credentials, one transport and one set of limits. `batch`, `bulk`
 * and `paginate` build on its small `Engine` surface; `caller.ts` only composes them.
 */
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { MethodDescriptor } from './descriptor.js';
import { decodeResponse, type Envelope, type TimeInfo } from './envelope.js';
import {
  B24ArgumentError,
  B24AbortError,
  B24AccessDeniedError,
  B24Error,
  B24NetworkError,
  B24NotFoundError,
  B24OperatingLimitError,
  B24PortalMovedError,
  B24RateLimitError,
  B24TimeoutError,
  RECOVERABLE_AUTH_CODES,
} from './errors.js';
import type { CallerStats, Hooks, Logger } from './hooks.js';
import { removesByName, usesIdempotencyKey } from './idempotency.js';
import {
  OperatingBudget,
  RateLimiter,
  resolveLimiter,
  type LimiterOption,
  type OperatingBudgetOptions,
} from './limiter.js';
import { sharedMemoryStore, type LimiterStore } from './limiter-store.js';
import {
  arrangeSteps,
  compose,
  type CallOptions,
  type Exchange,
  type Next,
  type RequestContext,
  type Step,
  type StepSpec,
} from './pipeline.js';
import { decideRetry, type RetryOptions } from './retry.js';
import { failureStage, Transport, type TransportResponse } from './transport.js';
import { validateParams } from './validate.js';

export type { CallOptions, Exchange } from './pipeline.js';

export interface EngineOptions {
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
  /** Extra steps of the request path (tracing, logging, request changes); see pipeline.ts. */
  steps?: readonly StepSpec[];
}

/** What an exchange went through, for builders that need it (batch: NotFound after a repeat). */
export interface SendReport {
  attempts: number;
  /** An attempt before the last one may have run on the server. */
  uncertain: boolean;
}

/** The internal surface batch, bulk and paginate build on. */
export interface Engine {
  send<R>(exchange: Exchange, options?: CallOptions, report?: SendReport): Promise<Envelope<R>>;
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

const REPORT = Symbol('report');

/** One call's context; `state` is made on first use (most calls never touch it). */
class Context implements RequestContext {
  attempt = 1;
  idempotent: boolean;
  uncertain = false;
  readonly headers: Record<string, string> = {};
  readonly signal: AbortSignal | undefined;
  prepared?: RequestContext['prepared'];
  request?: RequestContext['request'];
  response?: RequestContext['response'];
  envelope?: RequestContext['envelope'];
  limitWaitMs?: number;
  #state: Map<string | symbol, unknown> | undefined;

  constructor(
    readonly exchange: Exchange,
    readonly method: string,
    readonly options: CallOptions,
    readonly timeoutMs: number,
  ) {
    this.idempotent = exchange.idempotent;
    this.signal = options.signal;
  }

  get state(): Map<string | symbol, unknown> {
    this.#state ??= new Map();
    return this.#state;
  }

  /** The state map when something was put in it (no allocation otherwise). */
  peek(key: symbol): unknown {
    return this.#state?.get(key);
  }
}

export class EngineImpl implements Engine {
  readonly credentials: Credentials;
  readonly #options: EngineOptions;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #rate: RateLimiter | undefined;
  readonly #budget: OperatingBudget | undefined;
  /** Origins a portal moved from -> to (accepted moves only), applied to later requests. */
  readonly #moved = new Map<string, string>();
  readonly #run: Next;
  readonly stats: CallerStats = { requests: 0, retries: 0, waits: 0, waitedMs: 0, redirects: 0, operating: {} };

  constructor(options: EngineOptions) {
    if (!options || typeof options.credentials?.prepare !== 'function') {
      throw new B24ArgumentError('createCaller: options.credentials with prepare() is required');
    }
    this.credentials = options.credentials;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#transport = new Transport({ dispatcher: options.dispatcher, userAgent: options.userAgent });
    const store = options.limiterStore ?? sharedMemoryStore();
    const bucket = resolveLimiter(options.limiter);
    this.#rate = bucket && new RateLimiter(store, options.credentials.portal, bucket);
    this.#budget =
      options.operating === false
        ? undefined
        : new OperatingBudget(store, options.credentials.portal, options.operating ?? {});
    this.#run = compose(arrangeSteps(this.#coreSteps(), options.steps));
  }

  // ---- the small surface for batch, bulk and paginate -------------------------------------

  redact(text: string): string {
    try {
      return this.credentials.redact(text);
    } catch {
      return '[redaction failed]';
    }
  }

  validate(descriptor: MethodDescriptor, params: unknown, options?: { validate?: boolean }): void {
    if ((options?.validate ?? this.#options.validate) !== false) validateParams(descriptor, params);
  }

  async recordTime(method: string, time: TimeInfo | undefined): Promise<void> {
    if (time?.operating !== undefined) this.stats.operating[method] = time.operating;
    await this.#budget?.record(method, time);
  }

  async operatingBlocked(method: string): Promise<void> {
    await this.#budget?.blocked(method, this.#clock.now());
  }

  async send<R>(exchange: Exchange, options: CallOptions = {}, report?: SendReport): Promise<Envelope<R>> {
    const timeoutMs = options.timeout ?? this.#options.timeout ?? 60_000;
    const method = exchange.descriptor.method;
    if (!(timeoutMs > 0)) throw new B24ArgumentError(`${method}: timeout must be a positive number of ms`);
    const ctx = new Context(exchange, method, options, timeoutMs);
    if (report) ctx.state.set(REPORT, report);
    await this.#run(ctx);
    return ctx.envelope as Envelope<R>;
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  // ---- helpers ------------------------------------------------------------------------------

  log(line: string): void {
    this.#options.logger?.debug(this.redact(line));
  }

  #hook<K extends keyof Hooks>(name: K, event: Parameters<NonNullable<Hooks[K]>>[0]): void {
    const fn = this.#options.hooks?.[name] as ((e: typeof event) => void) | undefined;
    if (!fn) return;
    try {
      fn(event);
    } catch (error) {
      this.log(`hook ${name} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A transport failure as a B24Error, with no secret in it. */
  #failure(
    method: string,
    raw: unknown,
    timedOut: boolean,
    timeoutMs: number,
    userSignal: AbortSignal | undefined,
    inFlight = false,
  ): B24Error {
    if (raw instanceof B24Error) return raw;
    if (userSignal?.aborted && !timedOut) {
      // Aborted while the request was on the wire: the server may have run it (never repeated).
      return new B24AbortError({
        method,
        code: 'ABORTED',
        description: inFlight
          ? 'the call was aborted by its signal while its request was under way'
          : 'the call was aborted by its signal before anything was sent',
        cause: userSignal.reason,
        outcomeUnknown: inFlight,
      });
    }
    const stage = failureStage(raw);
    const message = raw instanceof Error ? this.redact(raw.message) : this.redact(String(raw));
    const code =
      raw && typeof raw === 'object' && typeof (raw as { code?: unknown }).code === 'string'
        ? (raw as { code: string }).code
        : undefined;
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

  /** Sleeps for a limit or a back-off; an abort becomes a B24AbortError (nothing sent). */
  async #sleep(ctx: RequestContext, ms: number): Promise<void> {
    try {
      await this.#clock.sleep(ms, ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) throw this.#failure(ctx.method, error, false, ctx.timeoutMs, ctx.signal);
      throw error;
    }
  }

  async #wait(ctx: RequestContext, kind: 'rate' | 'operating', ms: number): Promise<void> {
    if (ms <= 0) return;
    this.stats.waits++;
    this.stats.waitedMs += ms;
    this.#hook('onLimit', { method: ctx.method, kind, waitMs: ms });
    this.log(`${ctx.method}: waiting ${ms} ms for the ${kind === 'rate' ? 'request bucket' : 'operating-time budget'}`);
    await this.#sleep(ctx, ms);
  }

  #applyMoves(url: string): string {
    if (this.#moved.size === 0) return url;
    const parsed = new URL(url);
    const to = this.#moved.get(parsed.origin);
    return to ? to + url.slice(parsed.origin.length) : url;
  }

  // ---- core steps ---------------------------------------------------------------------------

  #coreSteps(): Step[] {
    return [
      { name: 'validate', handle: (ctx, next) => this.#validateStep(ctx, next) },
      { name: 'idempotency', handle: (ctx, next) => this.#idempotencyStep(ctx, next) },
      { name: 'retry', handle: (ctx, next) => this.#retryStep(ctx, next) },
      { name: 'limits', handle: (ctx, next) => this.#limitsStep(ctx, next) },
      { name: 'credentials', handle: (ctx, next) => this.#credentialsStep(ctx, next) },
      { name: 'decode', handle: (ctx, next) => this.#decodeStep(ctx, next) },
      { name: 'send', handle: (ctx) => this.#sendStep(ctx) },
    ];
  }

  async #validateStep(ctx: RequestContext, next: Next): Promise<void> {
    if (ctx.signal?.aborted) throw this.#failure(ctx.method, ctx.signal.reason, false, ctx.timeoutMs, ctx.signal);
    if ('params' in ctx.exchange) this.validate(ctx.exchange.descriptor, ctx.exchange.params, ctx.options);
    return next(ctx);
  }

  /** One key for every attempt of a REST 3.0 write, so the portal runs it at most once. */
  async #idempotencyStep(ctx: RequestContext, next: Next): Promise<void> {
    if (
      usesIdempotencyKey(ctx.exchange.descriptor) &&
      !Object.keys(ctx.headers).some((h) => h.toLowerCase() === 'idempotency-key')
    ) {
      ctx.headers['Idempotency-Key'] = randomUUID();
      ctx.idempotent = true;
    }
    return next(ctx);
  }

  async #retryStep(ctx: RequestContext, next: Next): Promise<void> {
    let recovered = false;
    const report = (ctx instanceof Context ? ctx.peek(REPORT) : ctx.state.get(REPORT)) as SendReport | undefined;
    for (;;) {
      if (report) {
        report.attempts = ctx.attempt;
        report.uncertain = ctx.uncertain;
      }
      let error: B24Error;
      try {
        ctx.limitWaitMs = undefined;
        await next(ctx);
        return;
      } catch (raw) {
        if (!(raw instanceof B24Error)) throw raw;
        error = raw;
      }
      if (error instanceof B24AbortError || error instanceof B24PortalMovedError) throw error;

      if (RECOVERABLE_AUTH_CODES.has(error.code) && !recovered && this.credentials.recover && ctx.prepared) {
        recovered = true;
        // The server refused before executing, so repeating is safe even for writes.
        if (await this.credentials.recover(error.code, ctx.prepared, ctx.signal)) {
          this.log(`${ctx.method}: credentials recovered from ${error.code}, repeating`);
          continue; // a recovery is not a retry
        }
      }

      // A removal repeated after a lost answer that now finds nothing most likely removed it
      // the first time: not a failure, but not a known success either.
      if (
        ctx.uncertain &&
        error instanceof B24NotFoundError &&
        removesByName(ctx.method) &&
        error.code !== 'ERROR_METHOD_NOT_FOUND'
      ) {
        throw new B24NotFoundError({
          method: ctx.method,
          code: error.code,
          status: error.status,
          description: error.description,
          outcomeUnknown: true,
          attempts: ctx.attempt,
          note: 'probably done, outcome unknown: an earlier attempt may have removed it before its answer was lost',
        });
      }

      const decision = decideRetry(
        {
          error,
          attempt: ctx.attempt,
          idempotent: ctx.idempotent,
          limitWaitMs: ctx.limitWaitMs,
          limiterActive: this.#rate !== undefined,
        },
        this.#options.retry ?? {},
      );
      if (!decision.retry) {
        const final = ctx.attempt > 1 || decision.note ? error.withAttempts(ctx.attempt, decision.note) : error;
        // An earlier attempt may have run although this one was refused.
        throw ctx.uncertain && !final.outcomeUnknown ? markUnknown(final) : final;
      }
      if (error.outcomeUnknown) ctx.uncertain = true;
      this.stats.retries++;
      this.#hook('onRetry', {
        method: ctx.method,
        attempt: ctx.attempt,
        delayMs: decision.delayMs,
        reason: decision.reason,
        error,
      });
      this.log(`${ctx.method}: attempt ${ctx.attempt} failed with ${error.code}; retrying in ${decision.delayMs} ms`);
      await this.#sleep(ctx, decision.delayMs);
      ctx.attempt++;
    }
  }

  async #limitsStep(ctx: RequestContext, next: Next): Promise<void> {
    const { exchange } = ctx;
    const now = (): number => this.#clock.now();
    // The bucket's wait first: it can be long behind a queue of calls, and an operating
    // reservation taken before it could expire before the request leaves. The reservation is
    // kept for as long as the request may take, plus a minute.
    if (this.#rate) await this.#wait(ctx, 'rate', await this.#rate.reserve(now()));
    const holds = this.#budget
      ? await this.#budget.acquire(
          exchange.budgetMethods,
          now,
          (ms) => this.#wait(ctx, 'operating', ms),
          ctx.timeoutMs + 60_000,
        )
      : [];
    try {
      await next(ctx);
    } catch (error) {
      // Refused by a limit, or failed before sending: not run. Any other answer ran the
      // method, and a request lost on the way may have: its reserved cost is kept as spent.
      const refused = error instanceof B24RateLimitError || error instanceof B24OperatingLimitError;
      const ran = !refused && (ctx.response !== undefined || (error instanceof B24Error && error.outcomeUnknown));
      await this.#budget?.settle(holds, undefined, ran, now());
      if (error instanceof B24RateLimitError) {
        await this.#rate?.overflow(now());
        ctx.limitWaitMs = ctx.response ? retryAfterMs(ctx.response.headers, now()) : undefined;
      } else if (error instanceof B24OperatingLimitError) {
        let wait = 0;
        if (this.#budget)
          for (const m of new Set(exchange.budgetMethods)) wait = Math.max(wait, await this.#budget.blocked(m, now()));
        const limitWaitMs =
          (ctx.response ? retryAfterMs(ctx.response.headers, now()) : undefined) ?? (this.#budget ? wait : undefined);
        ctx.limitWaitMs = limitWaitMs;
        const resetAt = limitWaitMs === undefined ? undefined : new Date(now() + limitWaitMs);
        throw new B24OperatingLimitError({
          method: ctx.method,
          code: error.code,
          description: error.description,
          status: error.status,
          resetAt,
        });
      }
      throw error;
    }
    // A batch's own time is not counted (§4.2): its commands' figures are fed by runBatch, and
    // until then their reserved cost counts as spent.
    const own = exchange.budgetMethods.includes(ctx.method);
    const time = ctx.envelope?.time;
    if (own && time?.operating !== undefined) this.stats.operating[ctx.method] = time.operating;
    await this.#budget?.settle(holds, own ? { method: ctx.method, time } : undefined, true, now());
  }

  async #credentialsStep(ctx: RequestContext, next: Next): Promise<void> {
    const prepared = await this.credentials.prepare(ctx.exchange.descriptor, ctx.signal);
    ctx.prepared = prepared;
    const headers = prepared.headers ? { ...prepared.headers, ...ctx.headers } : { ...ctx.headers };
    ctx.request = { url: this.#applyMoves(prepared.url), headers, body: JSON.stringify(ctx.exchange.body) };
    return next(ctx);
  }

  async #decodeStep(ctx: RequestContext, next: Next): Promise<void> {
    const started = this.#clock.now();
    ctx.response = undefined;
    ctx.envelope = undefined;
    await next(ctx);
    const response = ctx.response as TransportResponse | undefined;
    if (!response)
      throw new B24Error({
        method: ctx.method,
        code: 'NO_RESPONSE',
        description: 'a step before send returned without a response',
      });
    const decoded = decodeResponse<unknown>(response.status, response.text, {
      method: ctx.method,
      redact: (t) => this.redact(t),
    });
    if (this.#options.hooks?.onResponse) {
      this.#hook('onResponse', {
        method: ctx.method,
        url: this.redact(ctx.request?.url ?? ''),
        attempt: ctx.attempt,
        status: response.status,
        durationMs: this.#clock.now() - started,
        ...(decoded.ok
          ? decoded.envelope.time
            ? { time: decoded.envelope.time }
            : {}
          : { errorCode: decoded.error.code }),
      });
    }
    if (!decoded.ok) throw decoded.error;
    ctx.envelope = decoded.envelope;
  }

  /** One attempt on the wire: admitted by the bucket, bounded by the timeout, redirects checked. */
  async #sendStep(ctx: RequestContext): Promise<void> {
    const request = ctx.request;
    if (!request)
      throw new B24Error({ method: ctx.method, code: 'NO_REQUEST', description: 'the credentials step did not run' });
    const { signal, method, timeoutMs } = ctx;
    if (this.#rate) {
      for (
        let wait = await this.#rate.admit(this.#clock.now());
        wait > 0;
        wait = await this.#rate.admit(this.#clock.now())
      ) {
        await this.#wait(ctx, 'rate', wait);
      }
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutMarker('timeout'));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      ctx.response = await this.#exchange(ctx, request, controller.signal);
    } catch (raw) {
      throw this.#failure(method, raw, timedOut, timeoutMs, signal, true);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      await this.#rate?.release(this.#clock.now());
    }
  }

  /**
   * POST, following a redirect to another host only when it is the same portal moved: never
   * from https to http, and only when the credentials accept the target (a webhook: an https
   * Bitrix24 cloud host or a configured domain; OAuth: what the OAuth server confirms). A
   * refused move throws B24PortalMovedError before anything is sent to the target.
   */
  async #exchange(
    ctx: RequestContext,
    request: { url: string; headers: Record<string, string>; body: string },
    signal: AbortSignal,
  ): Promise<TransportResponse> {
    const { method, attempt } = ctx;
    let url = request.url;
    for (let hop = 0; ; hop++) {
      this.stats.requests++;
      if (this.#options.hooks?.onRequest)
        this.#hook('onRequest', { method, url: this.redact(url), attempt, bodyBytes: Buffer.byteLength(request.body) });
      this.log(`-> ${method} attempt ${attempt} POST ${url}`);
      const started = this.#clock.now();
      const response = await this.#transport.send({ url, headers: request.headers, body: request.body, signal });
      const location = headerValue(response.headers, 'location');
      if (!REDIRECTS.has(response.status) || !location) {
        this.log(`<- ${method} HTTP ${response.status} in ${this.#clock.now() - started} ms`);
        return response;
      }
      const from = new URL(url);
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        throw new B24PortalMovedError({
          method,
          code: 'PORTAL_MOVED',
          status: response.status,
          targetHost: '(unreadable Location)',
          description: 'the portal redirected to an unreadable address; nothing was sent there',
        });
      }
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
        throw new B24Error({
          method,
          code: 'TOO_MANY_REDIRECTS',
          status: response.status,
          description: `more than ${MAX_REDIRECTS} redirects between hosts`,
        });
      }
      const refusal = await this.#moveRefusal(from, target, ctx);
      if (refusal) {
        this.log(`${method}: refused to follow a redirect to ${target.host}: ${refusal}`);
        throw new B24PortalMovedError({
          method,
          code: 'PORTAL_MOVED',
          status: response.status,
          targetHost: target.host,
          description: `the portal redirected to ${target.host}, ${refusal}; nothing was sent there`,
        });
      }
      this.stats.redirects++;
      this.#moved.set(from.origin, target.origin);
      this.#hook('onRedirect', { method, fromOrigin: from.origin, toOrigin: target.origin });
      this.log(`${method}: portal moved from ${from.origin} to ${target.origin}`);
      try {
        this.credentials.moved?.(target.origin);
      } catch (error) {
        this.log(`credentials.moved threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      // Credentials that re-point themselves after a move (OAuth) may carry new auth: re-prepare.
      const prepared = await this.credentials.prepare(ctx.exchange.descriptor, ctx.signal);
      ctx.prepared = prepared;
      request = {
        ...request,
        headers: prepared.headers ? { ...prepared.headers, ...ctx.headers } : { ...ctx.headers },
      };
      // The Location names the new host; the path stays the one the credentials build.
      const path = new URL(prepared.url);
      url = target.origin + path.pathname + path.search;
    }
  }

  /** Why a cross-host redirect is not followed, or undefined to follow it. */
  async #moveRefusal(from: URL, target: URL, ctx: RequestContext): Promise<string | undefined> {
    if (target.protocol !== 'https:' && from.protocol === 'https:') return 'which is not https';
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      return `whose scheme ${target.protocol} is not https`;
    if (!this.credentials.acceptMove) return 'and these credentials follow no portal moves';
    let accepted: boolean;
    try {
      accepted = await this.credentials.acceptMove(target.origin, ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) throw this.#failure(ctx.method, error, false, ctx.timeoutMs, ctx.signal);
      return `and confirming the move failed (${error instanceof Error ? this.redact(error.message) : 'unknown error'})`;
    }
    return accepted ? undefined : 'which these credentials do not accept as the same portal moved';
  }
}

/** A copy of `error` marked outcome-unknown (an earlier attempt may have run). */
function markUnknown<E extends B24Error>(error: E): E {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as E;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  Object.defineProperty(copy, 'outcomeUnknown', { value: true, enumerable: true });
  return copy;
}

export function createEngine(options: EngineOptions): EngineImpl {
  return new EngineImpl(options);
}
