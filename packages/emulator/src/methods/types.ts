/**
 * The interface between the emulator core and method handlers. A domain file
 * (src/methods/<domain>.ts) exports a `Domain`: a function that registers methods, events and
 * seedable entities through `DomainApi`. Nothing in the core names a domain's methods.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Params } from '../params.js';

export interface AuthContext {
  readonly type: 'webhook' | 'oauth';
  /** The user the call runs as. */
  readonly userId: number;
  /** Granted scopes (lowercase). */
  readonly scopes: readonly string[];
  /** OAuth application, when `type` is 'oauth'. */
  readonly clientId?: string;
  /** Key of the operating-time budget: one per application or webhook (§4.2). */
  readonly principal: string;
  /** The access token of the call (OAuth only); used to sign download links. */
  readonly accessToken?: string;
}

export interface TimeModel {
  /** Microseconds of processing per row counted for `total` (lists with start >= 0). */
  readonly countRowUs: number;
  /** Microseconds per row skipped by an offset (`start`). */
  readonly skipRowUs: number;
  /** Fixed extra processing per call, by lowercase method name ('*' for all). */
  readonly perMethodMs: Readonly<Record<string, number>>;
}

/** What a handler can use of the portal. */
export interface Portal {
  readonly db: Database.Database;
  readonly clock: Clock;
  /** `http://127.0.0.1:PORT` (https with TLS). */
  readonly baseUrl: string;
  readonly memberId: string;
  readonly timeModel: TimeModel;
  /** Raises an event: online handlers get a POST, offline bindings get a queue row. */
  raiseEvent(name: string, data: Record<string, unknown>, by?: AuthContext): void;
  /** Stores bytes and returns the file id. */
  saveFile(name: string, bytes: Buffer, type?: string): number;
  readFile(id: number): { name: string; type: string; bytes: Buffer } | undefined;
  /** A link that serves the stored bytes, signed with the caller's auth (§8.3). */
  downloadUrl(fileId: number, auth: AuthContext): string;
  /** A one-time link for a two-step upload (§8.2); `onUpload` turns the bytes into the result. */
  uploadUrl(auth: AuthContext, onUpload: (file: { name: string; type: string; bytes: Buffer }) => unknown): string;
}

export interface CallContext {
  /** Lowercase method name. */
  readonly method: string;
  readonly params: Params;
  readonly auth: AuthContext;
  readonly portal: Portal;
  /** Adds simulated processing time (ms); the core sleeps it before answering. */
  spend(ms: number): void;
}

/** `total` and `next` are moved to the top level of the envelope, as the server does (§3.1). */
export interface MethodResult {
  readonly result: unknown;
  readonly total?: number;
  readonly next?: number;
}

export type MethodHandler = (ctx: CallContext) => MethodResult | Promise<MethodResult>;

export interface MethodSpec {
  /** As the docs write it; matched case-insensitively. */
  readonly name: string;
  /** Scope needed ('basic' = any token or webhook may call). */
  readonly scope: string;
  readonly handler: MethodHandler;
  /** Only an OAuth application may call it; webhooks get WRONG_AUTH_TYPE. */
  readonly appOnly?: boolean;
  /** Refused inside batch with ERROR_BATCH_METHOD_NOT_ALLOWED (default true). */
  readonly batchable?: boolean;
  /** Served under /rest/api/ (REST 3.0) instead of /rest/. */
  readonly apiVersion?: 2 | 3;
  /**
   * `stateful` (default): the method keeps and reads state. `example`: it checks its params
   * against the schema and answers the documented response example (src/schema/generic.ts).
   */
  readonly kind?: 'stateful' | 'example';
}

/** Fills a table with `count` rows quickly; returns the number inserted. */
export type Seeder = (count: number, fields?: Readonly<Record<string, unknown>>) => number;

export interface DomainApi {
  readonly portal: Portal;
  method(spec: MethodSpec): void;
  /** Declares an event name that `event.bind` accepts. */
  event(name: string): void;
  /** Makes `emulator.seed(name, n)` work for an entity. */
  seeder(name: string, seeder: Seeder): void;
}

export type Domain = (api: DomainApi) => void;
