import { webhook } from '@b24kit/auth';
import {
  adHocDescriptor,
  createCaller,
  type BatchItem,
  type BulkOptions,
  type BulkReport,
  type BatchOptions,
  type Caller,
  type CallerOptions,
  type CallOptions,
  type Credentials,
  type Envelope,
  type MethodDescriptor,
  type PaginateOptions,
} from '@b24kit/core';
import { createAllNamespaces, type AllNamespaces } from './generated/namespaces.js';
import { findDescriptor } from './generated/registry.js';
import { withMembers } from './method-caller.js';

/** Everything createCaller takes except the credentials, which come from `webhook` or `oauth`. */
export type ClientOptions = Omit<CallerOptions, 'credentials'> &
  ({ webhook: string | Credentials; oauth?: never } | { oauth: Credentials; webhook?: never });

/** A method by REST name (described or not) or by descriptor. */
export type MethodRef = string | MethodDescriptor;

/** One batch command: `[method, params]`. */
export type ClientBatchCommand = readonly [MethodRef, (object | readonly unknown[])?];
export type ClientBatchCommands = Readonly<Record<string, ClientBatchCommand>> | readonly ClientBatchCommand[];
export type ClientBatchResults<C extends ClientBatchCommands> = C extends readonly ClientBatchCommand[]
  ? BatchItem[]
  : { [K in keyof C]: BatchItem };

/** What the client adds besides the method tree. */
export interface ClientMembers {
  /** The core caller underneath (limits, retries, stats). */
  readonly caller: Caller;
  /** Calls any method, described or not; returns `result`. */
  call<R = unknown>(method: MethodRef, params?: object | readonly unknown[], options?: CallOptions): Promise<R>;
  /** Like `call`, but returns the whole envelope (`result`, `next`, `total`, `time`). */
  callEnvelope<R = unknown>(method: MethodRef, params?: object | readonly unknown[], options?: CallOptions): Promise<Envelope<R>>;
  /** Many commands in one request per 50; each gets its own result or error. */
  batch<C extends ClientBatchCommands>(commands: C, options?: BatchOptions): Promise<ClientBatchResults<C>>;
  /**
   * The same method for many rows (e.g. `crm.deal.add`), 50 to a batch request; one result per
   * row. A row whose outcome is unknown (the request may have run) is reported, never re-sent.
   */
  bulk<R = unknown>(method: MethodRef, rows: readonly (object | readonly unknown[] | undefined)[], options?: BulkOptions): Promise<BulkReport<R>>;
  /** Every row of a list method, page after page, in constant memory. */
  paginate<Row = Record<string, unknown>>(method: MethodRef, params?: object, options?: PaginateOptions): AsyncIterable<Row>;
  /** Closes the connections of this client. */
  close(): Promise<void>;
}

/** `b24.crm.deal.list(...)`, `b24.call(...)`, ... */
export type B24Client = AllNamespaces & ClientMembers;

/** Turns a method name into its descriptor: the schema's when described, else an ad-hoc one. */
export function descriptorOf(method: MethodRef): MethodDescriptor {
  if (typeof method !== 'string') return method;
  if (method.trim() === '') throw new TypeError('method name must be a non-empty string');
  return findDescriptor(method) ?? adHocDescriptor(method);
}

function credentialsOf(options: ClientOptions): Credentials {
  const w = (options as { webhook?: string | Credentials }).webhook;
  const o = (options as { oauth?: Credentials }).oauth;
  if (w !== undefined && o !== undefined) throw new TypeError('createClient: pass either webhook or oauth, not both');
  if (w !== undefined) return typeof w === 'string' ? webhook(w) : w;
  if (o !== undefined) return o;
  throw new TypeError('createClient: pass { webhook: url } or { oauth: credentials }');
}

/**
 * A Bitrix24 client: every described method as `b24.<rest.method.name>(params, options)`,
 * plus `call`, `callEnvelope`, `batch`, `paginate` and `close`.
 */
export function createClient(options: ClientOptions): B24Client {
  if (options === null || typeof options !== 'object') throw new TypeError('createClient: options must be an object');
  const { webhook: _w, oauth: _o, ...callerOptions } = options as ClientOptions & { webhook?: unknown; oauth?: unknown };
  return clientOnCaller(createCaller({ ...callerOptions, credentials: credentialsOf(options) }));
}

/** The client facade over an existing core caller (shares its limiter state, pools and stats). */
export function clientOnCaller(caller: Caller): B24Client {
  const members: ClientMembers = {
    caller,
    call: (method, params, callOptions) => caller.call(descriptorOf(method), params, callOptions),
    callEnvelope: (method, params, callOptions) => caller.callEnvelope(descriptorOf(method), params, callOptions),
    batch: <C extends ClientBatchCommands>(commands: C, batchOptions?: BatchOptions) => {
      const resolve = (c: ClientBatchCommand) => [descriptorOf(c[0]), c[1]] as const;
      const resolved = Array.isArray(commands)
        ? (commands as readonly ClientBatchCommand[]).map(resolve)
        : Object.fromEntries(Object.entries(commands as Record<string, ClientBatchCommand>).map(([k, c]) => [k, resolve(c)]));
      return caller.batch(resolved, batchOptions) as Promise<ClientBatchResults<C>>;
    },
    bulk: (method, rows, bulkOptions) => caller.bulk(descriptorOf(method), rows, bulkOptions),
    paginate: (method, params, paginateOptions) => caller.paginate(descriptorOf(method), params, paginateOptions),
    close: () => caller.close(),
  };
  const tree = createAllNamespaces(caller) as Record<string, unknown>;
  for (const [key, member] of Object.entries(members)) {
    const namespace = tree[key];
    if (namespace === undefined) continue;
    // A REST namespace named like a client member (`call.followup.list`) hangs off the member
    // function, so both `b24.call('x')` and `b24.call.followup.list()` work.
    if (typeof member !== 'function' || namespace === null || typeof namespace !== 'object') {
      throw new Error(`createClient: method namespace "${key}" clashes with a client member`);
    }
    withMembers(member as (...args: never[]) => unknown, namespace);
  }
  return Object.assign(tree, members) as unknown as B24Client;
}
