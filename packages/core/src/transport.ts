/**
 * HTTP over undici: one keep-alive Pool per origin, JSON POST bodies, abortable. It returns
 * every response as is (redirects included); deciding what a status means is the caller's job.
 */
import { B24Error } from './errors.js';
import { Pool, type Dispatcher } from 'undici';

export interface TransportRequest {
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** JSON text sent as `application/json`. */
  body: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface TransportOptions {
  /** Use this dispatcher for every origin instead of core's own pools (proxies, tests). */
  dispatcher?: Dispatcher;
  /** Connections per origin (default 10). */
  connections?: number;
  userAgent?: string;
}

export class Transport {
  readonly #pools = new Map<string, Pool>();
  readonly #options: TransportOptions;
  #closed = false;

  readonly #targets = new Map<string, { origin: string; path: string }>();
  readonly #headers: Record<string, string>;

  constructor(options: TransportOptions = {}) {
    this.#options = options;
    this.#headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'b24kit',
    };
  }

  #dispatcherFor(origin: string): Dispatcher {
    if (this.#options.dispatcher) return this.#options.dispatcher;
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: this.#options.connections ?? 10, keepAliveTimeout: 10_000 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Origin and path of each endpoint URL, parsed once: a client calls few distinct URLs. */
  #target(url: string): { origin: string; path: string } {
    let target = this.#targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      if (this.#targets.size >= 1000) this.#targets.clear();
      this.#targets.set(url, target);
    }
    return target;
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    if (this.#closed)
      throw new B24Error({ method: 'transport', code: 'CLIENT_CLOSED', description: 'the client was closed' });
    const { origin, path } = this.#target(req.url);
    const response = await this.#dispatcherFor(origin).request({
      origin,
      path,
      method: 'POST',
      headers: req.headers && hasKeys(req.headers) ? { ...this.#headers, ...req.headers } : this.#headers,
      body: req.body,
      signal: req.signal,
      // Timeouts are enforced by the caller's signal, which spans headers and body.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Where a failed send stands: never left this machine, or possibly reached the server. */
export type FailureStage = 'not-sent' | 'maybe-sent';

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
]);

/** Error codes (own and of causes), used to classify transport failures. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (e as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connect
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner));
  }
  return codes;
}

export function failureStage(error: unknown): FailureStage {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c)) ? 'not-sent' : 'maybe-sent';
}
