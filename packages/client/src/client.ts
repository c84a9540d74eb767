import { webhook } from '@b24kit/auth';
import {
  adHocDescriptor,
  createCaller,
  B24ArgumentError,
  type BatchItem,
  type BatchOptions,
  type BatchRef,
  type BulkOptions,
  type BulkReport,
  type Caller,
  type CallerOptions,
  type CallOptions as CoreCallOptions,
  type Credentials,
  type Envelope,
  type MethodDescriptor,
  type PaginateOptions,
  type ParallelOptions,
} from '@b24kit/core';
import type { AllNamespaces, MethodMap, MethodName } from './generated/namespaces.js';
import { findDescriptor, registry } from './generated/registry.js';
import {
  buildTree,
  withMembers,
  type AlsoOf,
  type AnyMethod,
  type ArgsOf,
  type CallOptions,
  type Method,
  type MethodInfo,
  type ParamsOf,
  type NameCaseOf,
  type ResultOf,
  type RowOf,
  type SelectKeyOf,
  type Selected,
} from './method.js';

// method.ts repeats core's descriptor so that a domain's types need not load core: keep them one.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const descriptorsAgree: Same<MethodInfo, MethodDescriptor> = true;
void descriptorsAgree;

/** Everything createCaller takes except the credentials, which come from `webhook` or `oauth`. */
export type ClientOptions = Omit<CallerOptions, 'credentials'> &
  ({ webhook: string | Credentials; oauth?: never } | { oauth: Credentials; webhook?: never });

/**
 * A described method, by REST name (`'crm.deal.list'`) or by its value (`crmDealList`); a
 * descriptor built by hand (`descriptorOf('vendor.x.list')`) is accepted too, untyped. A name the
 * schema does not know fails to compile: call such a method with `b24.callUnknown`.
 */
export type MethodRef = MethodName | MethodInfo;
/** What a method takes and returns when nothing is known about it (a hand-built descriptor). */
export type UntypedMethod = Method<
  string,
  object | readonly unknown[] | undefined,
  unknown,
  { row: Record<string, unknown> }
>;
/** The method value a reference stands for. */
export type MethodOf<R> = R extends MethodName ? MethodMap[R] : R extends AnyMethod ? R : UntypedMethod;

/** The REST names of the described list methods (what `paginate` takes). */
export type ListMethodName = { [K in MethodName]: [RowOf<MethodMap[K]>] extends [never] ? never : K }[MethodName];

/**
 * The list methods whose rows follow their select param (the row has exactly what was selected),
 * by the name of that param (`select`, or `SELECT` on older methods).
 */
export type SelectListName<P extends string = 'select'> = {
  [K in ListMethodName]: SelectKeyOf<MethodMap[K]> extends P ? K : never;
}[ListMethodName];

/** A value inside a batch command may be a reference to an earlier command's result (`ref()`). */
export type WithRefs<T> = T extends readonly (infer E)[]
  ? readonly WithRefs<E>[] | BatchRef
  : T extends object
    ? { [K in keyof T]: WithRefs<T[K]> } | BatchRef
    : T | BatchRef;

/** The params `P` of a batch command given as `G`: references allowed, a name `P` lacks fails. */
export type CheckedParams<P, G> = (P extends object ? { [K in keyof P]: WithRefs<P[K]> } : P) & {
  [K in Exclude<keyof G, keyof P>]: never;
};

/** One batch command: `[method, params]`. */
export type ClientBatchCommand = readonly [MethodRef, (object | readonly unknown[])?];
export type ClientBatchCommands = Readonly<Record<string, ClientBatchCommand>> | readonly ClientBatchCommand[];
/** Each command checked against its method: params known by name, references allowed. */
export type CheckedCommands<C extends ClientBatchCommands> = {
  readonly [K in keyof C]: C[K] extends readonly [infer R extends MethodRef, (infer G)?]
    ? {} extends ParamsOf<MethodOf<R>>
      ? readonly [R, CheckedParams<ParamsOf<MethodOf<R>>, G>?]
      : readonly [R, CheckedParams<ParamsOf<MethodOf<R>>, G>]
    : C[K];
};
export type ClientBatchResults<C extends ClientBatchCommands> = {
  -readonly [K in keyof C]: C[K] extends readonly [infer R extends MethodRef, ...unknown[]]
    ? BatchItem<ResultOf<MethodOf<R>>>
    : BatchItem;
};

/** What the client adds besides the method tree. */
export interface ClientMembers {
  /** The core caller underneath (limits, retries, stats). */
  readonly caller: Caller;
  /** Calls a described method by name or value; returns its `result`, typed. */
  call<R extends MethodRef>(method: R, ...args: ArgsOf<ParamsOf<MethodOf<R>>>): Promise<ResultOf<MethodOf<R>>>;
  /** Like `call`, but returns the whole envelope (`result`, `next`, `total`, `time`). */
  callEnvelope<R extends MethodRef>(
    method: R,
    ...args: ArgsOf<ParamsOf<MethodOf<R>>>
  ): Promise<Envelope<ResultOf<MethodOf<R>>>>;
  /**
   * The escape hatch for a method the schema does not describe yet (`'vendor.method'`), or a
   * descriptor built by hand: nothing is typed, and params are checked only if the schema knows
   * the name (Bitrix24 names are case-insensitive). Prefer `call` for described methods.
   */
  callUnknown<Result = unknown>(
    method: string | MethodInfo,
    params?: object | readonly unknown[],
    options?: CallOptions,
  ): Promise<NoInfer<Result>>;
  /** Many commands in one request per 50; each gets its own typed result or error. */
  batch<const C extends ClientBatchCommands>(
    commands: C & CheckedCommands<C>,
    options?: BatchOptions,
  ): Promise<ClientBatchResults<C>>;
  /**
   * The same method for many rows (e.g. `crm.deal.add`), 50 to a batch request; one result per
   * row. A row whose outcome is unknown (the request may have run) is reported, never re-sent.
   */
  bulk<R extends MethodRef>(
    method: R,
    rows: readonly (ParamsOf<MethodOf<R>> | undefined)[],
    options?: BulkOptions,
  ): Promise<BulkReport<ResultOf<MethodOf<R>>>>;
  /**
   * Every row of a list method, page after page, in constant memory. Where rows follow `select`,
   * each row has exactly the selected fields.
   */
  paginate<R extends SelectListName, const S extends string = never>(
    method: R,
    params?: ParamsOf<MethodMap[R]> & { readonly select?: readonly S[] },
    options?: PaginateOptions,
  ): AsyncIterable<Selected<RowOf<MethodMap[R]>, S, NameCaseOf<MethodMap[R]>, AlsoOf<MethodMap[R]>>>;
  paginate<R extends SelectListName<'SELECT'>, const S extends string = never>(
    method: R,
    params?: ParamsOf<MethodMap[R]> & { readonly SELECT?: readonly S[] },
    options?: PaginateOptions,
  ): AsyncIterable<Selected<RowOf<MethodMap[R]>, S, NameCaseOf<MethodMap[R]>, AlsoOf<MethodMap[R]>>>;
  paginate<R extends ListMethodName | MethodInfo>(
    method: R,
    params?: ParamsOf<MethodOf<R>>,
    options?: PaginateOptions,
  ): AsyncIterable<RowOf<MethodOf<R>>>;
  /** Like `paginate`, with several keyset chains at once (large tables); rows arrive out of order. */
  paginateParallel<R extends SelectListName, const S extends string = never>(
    method: R,
    params?: ParamsOf<MethodMap[R]> & { readonly select?: readonly S[] },
    options?: ParallelOptions,
  ): AsyncIterable<Selected<RowOf<MethodMap[R]>, S, NameCaseOf<MethodMap[R]>, AlsoOf<MethodMap[R]>>>;
  paginateParallel<R extends SelectListName<'SELECT'>, const S extends string = never>(
    method: R,
    params?: ParamsOf<MethodMap[R]> & { readonly SELECT?: readonly S[] },
    options?: ParallelOptions,
  ): AsyncIterable<Selected<RowOf<MethodMap[R]>, S, NameCaseOf<MethodMap[R]>, AlsoOf<MethodMap[R]>>>;
  paginateParallel<R extends ListMethodName | MethodInfo>(
    method: R,
    params?: ParamsOf<MethodOf<R>>,
    options?: ParallelOptions,
  ): AsyncIterable<RowOf<MethodOf<R>>>;
  /** Closes the connections of this client. */
  close(): Promise<void>;
}

/** `b24.crm.deal.list(...)`, `b24.call(...)`, ... */
export type B24Client = AllNamespaces & ClientMembers;

/** Turns a method name into its descriptor: the schema's when described, else an ad-hoc one. */
export function descriptorOf(method: string | MethodInfo): MethodDescriptor {
  if (typeof method !== 'string') return method;
  if (method.trim() === '') throw new B24ArgumentError('method name must be a non-empty string');
  return findDescriptor(method) ?? adHocDescriptor(method);
}

function credentialsOf(options: ClientOptions): Credentials {
  const w = (options as { webhook?: string | Credentials }).webhook;
  const o = (options as { oauth?: Credentials }).oauth;
  if (w !== undefined && o !== undefined)
    throw new B24ArgumentError('createClient: pass either webhook or oauth, not both');
  if (w !== undefined) return typeof w === 'string' ? webhook(w) : w;
  if (o !== undefined) return o;
  throw new B24ArgumentError('createClient: pass { webhook: url } or { oauth: credentials }');
}

/**
 * A Bitrix24 client: every described method as `b24.<rest.method.name>(params, options)`,
 * plus `call`, `callEnvelope`, `callUnknown`, `batch`, `bulk`, `paginate` and `close`.
 */
export function createClient(options: ClientOptions): B24Client {
  if (options === null || typeof options !== 'object')
    throw new B24ArgumentError('createClient: options must be an object');
  const {
    webhook: _w,
    oauth: _o,
    ...callerOptions
  } = options as ClientOptions & { webhook?: unknown; oauth?: unknown };
  return clientOnCaller(createCaller({ ...callerOptions, credentials: credentialsOf(options) }));
}

type Loose = (method: string | MethodInfo, params?: object, options?: CoreCallOptions) => unknown;

/** The client facade over an existing core caller (shares its limiter state, pools and stats). */
export function clientOnCaller(caller: Caller): B24Client {
  const call: Loose = (method, params, o) => caller.call(descriptorOf(method), params, o);
  const callEnvelope: Loose = (method, params, o) => caller.callEnvelope(descriptorOf(method), params, o);
  const members = {
    caller,
    call,
    callEnvelope,
    callUnknown: ((method, params, o) => caller.call(descriptorOf(method), params, o)) as Loose,
    batch: (commands: ClientBatchCommands, batchOptions?: BatchOptions) => {
      const resolve = (c: ClientBatchCommand) => [descriptorOf(c[0]), c[1]] as const;
      const resolved = Array.isArray(commands)
        ? (commands as readonly ClientBatchCommand[]).map(resolve)
        : Object.fromEntries(
            Object.entries(commands as Record<string, ClientBatchCommand>).map(([k, c]) => [k, resolve(c)]),
          );
      return caller.batch(resolved, batchOptions);
    },
    bulk: (method: string | MethodInfo, rows: readonly (object | undefined)[], o?: BulkOptions) =>
      caller.bulk(descriptorOf(method), rows, o),
    paginate: (method: string | MethodInfo, params?: object, o?: PaginateOptions) =>
      caller.paginate(descriptorOf(method), params, o),
    paginateParallel: (method: string | MethodInfo, params?: object, o?: ParallelOptions) =>
      caller.paginateParallel(descriptorOf(method), params, o),
    close: () => caller.close(),
  };
  const tree = buildTree(caller, Object.values(registry));
  for (const [key, member] of Object.entries(members)) {
    const namespace = tree[key];
    if (namespace === undefined) continue;
    // A REST namespace named like a client member (`call.followup.list`) hangs off the member
    // function, so both `b24.call('x')` and `b24.call.followup.list()` work.
    if (typeof member !== 'function' || namespace === null || typeof namespace !== 'object') {
      throw new B24ArgumentError(`createClient: method namespace "${key}" clashes with a client member`);
    }
    withMembers(member as (...args: never[]) => unknown, namespace);
  }
  return Object.assign(tree, members) as unknown as B24Client;
}
