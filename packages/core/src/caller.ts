/**
 * The façade: `createCaller` composes the engine (the request path, engine.ts and pipeline.ts)
 * with batch, bulk and paginate, which build on it. Nothing here sends a request itself.
 */
import { runBatch, type BatchCommands, type BatchOptions, type BatchResults } from './batch.js';
import { runBulk, type BulkOptions, type BulkReport } from './bulk.js';
import type { Credentials } from './credentials.js';
import type { MethodDescriptor } from './descriptor.js';
import { createEngine, type CallOptions, type EngineOptions } from './engine.js';
import type { Envelope } from './envelope.js';
import type { CallerStats } from './hooks.js';
import { callIdempotent } from './idempotency.js';
import { paginate, paginateParallel, type PaginateOptions, type ParallelOptions } from './paginate.js';

export type { CallOptions } from './engine.js';

export type CallerOptions = EngineOptions;

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
  bulk<R = unknown>(
    descriptor: MethodDescriptor,
    rows: readonly (object | readonly unknown[] | undefined)[],
    options?: BulkOptions,
  ): Promise<BulkReport<R>>;
  paginate<Row = Record<string, unknown>>(
    descriptor: MethodDescriptor,
    params?: object,
    options?: PaginateOptions,
  ): AsyncIterable<Row>;
  /** Keyset paging over several id ranges at once; every row once, in no particular order. */
  paginateParallel<Row = Record<string, unknown>>(
    descriptor: MethodDescriptor,
    params?: object,
    options?: ParallelOptions,
  ): AsyncIterable<Row>;
  stats(): CallerStats;
  close(): Promise<void>;
}

export function createCaller(options: CallerOptions): Caller {
  const engine = createEngine(options);
  const callEnvelope = <R>(
    descriptor: MethodDescriptor,
    params?: object,
    options?: CallOptions,
  ): Promise<Envelope<R>> =>
    engine.send<R>(
      {
        descriptor,
        budgetMethods: [descriptor.method],
        idempotent: callIdempotent(descriptor, params),
        body: params ?? {},
        params,
      },
      options,
    );
  return {
    credentials: engine.credentials,
    callEnvelope,
    call: async <R>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<R> =>
      (await callEnvelope<R>(descriptor, params, options)).result,
    batch: (commands, options) => runBatch(engine, commands, options),
    bulk: (descriptor, rows, options) => runBulk(engine, descriptor, rows, options),
    paginate: (descriptor, params, options) => paginate(engine, descriptor, params, options),
    paginateParallel: (descriptor, params, options) => paginateParallel(engine, descriptor, params, options),
    stats: () => ({ ...engine.stats, operating: { ...engine.stats.operating } }),
    close: () => engine.close(),
  };
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
