/**
 * `batch`: many commands in one HTTP request (PROTOCOL.md §5). Each command becomes a
 * `method?query` string in PHP-bracket syntax; more than 50 are sent in chunks of 50; each
 * command gets its own result or B24Error back (errors are returned, not thrown).
 */
import type { CallOptions, Engine, SendReport } from './engine.js';
import type { MethodDescriptor } from './descriptor.js';
import { decodeErrorBody, decodeTime, type TimeInfo } from './envelope.js';
import { B24Error, B24NotFoundError, B24OperatingLimitError, B24ServerError, B24ValidationError } from './errors.js';
import { commandsIdempotent, removesByName } from './idempotency.js';
import { encodeQuery, QueryEncodingError } from './encode-query.js';
import { BatchRef } from './ref.js';

/** `[descriptor, params]` */
export type BatchCommand = readonly [MethodDescriptor, (object | readonly unknown[])?];
export type BatchCommands = Readonly<Record<string, BatchCommand>> | readonly BatchCommand[];

export type BatchItem<R = unknown> =
  | { ok: true; result: R; total?: number; next?: number; time?: TimeInfo }
  | { ok: false; error: B24Error };

export type BatchResults<C extends BatchCommands> = C extends readonly BatchCommand[]
  ? BatchItem[]
  : { [K in keyof C]: BatchItem };

export interface BatchOptions extends CallOptions {
  /** Stop at the first failing command (the server's `halt=1`); later ones are not run. */
  halt?: boolean;
}

/** The server's limit on commands per batch request. */
export const BATCH_LIMIT = 50;

const BATCH_DESCRIPTOR_BASE = { method: 'batch', scope: '', batchable: false, appOnly: false, apiVersion: 2 } as const;

interface Entry {
  key: string;
  descriptor: MethodDescriptor;
  params: object | readonly unknown[] | undefined;
}

function collectRefs(value: unknown, out: BatchRef[]): void {
  if (value instanceof BatchRef) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectRefs(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date))
    for (const v of Object.values(value)) collectRefs(v, out);
}

function toEntries(commands: BatchCommands): Entry[] {
  const pairs: [string, unknown][] = Array.isArray(commands)
    ? commands.map((c, i) => [String(i), c])
    : Object.entries(commands as Record<string, unknown>);
  return pairs.map(([key, command]) => {
    if (!Array.isArray(command) || typeof command[0]?.method !== 'string') {
      throw new B24ValidationError({ method: 'batch', problems: [`command '${key}' must be [descriptor, params]`] });
    }
    return { key, descriptor: command[0] as MethodDescriptor, params: command[1] as Entry['params'] };
  });
}

/** Checks every command and encodes it; throws B24ValidationError before anything is sent. */
export function encodeBatch(
  commands: BatchCommands,
  validate: (d: MethodDescriptor, p: unknown) => void,
): { entries: Entry[]; cmds: string[] } {
  const entries = toEntries(commands);
  const problems: string[] = [];
  const position = new Map<string, number>();
  const cmds: string[] = [];
  entries.forEach((entry, i) => {
    const { key, descriptor } = entry;
    // `$result[key]` references are matched up to the first space or bracket.
    if (key === '' || /[\s[\]]/.test(key))
      problems.push(`command key '${key}' must be non-empty without spaces or brackets`);
    if (!descriptor.batchable) problems.push(`command '${key}': ${descriptor.method} cannot run inside batch`);
    if (descriptor.apiVersion !== 2)
      problems.push(`command '${key}': ${descriptor.method} is REST 3.0 and cannot run in a classic batch`);
    try {
      validate(descriptor, entry.params);
    } catch (error) {
      if (error instanceof B24ValidationError)
        problems.push(...error.problems.map((p) => `command '${key}' (${descriptor.method}): ${p}`));
      else throw error;
    }
    const refs: BatchRef[] = [];
    collectRefs(entry.params, refs);
    for (const r of refs) {
      const at = position.get(r.command);
      if (at === undefined) {
        const later = entries.some((e) => e.key === r.command);
        problems.push(
          `command '${key}' refers to '${r.command}', which ${later ? 'comes later (a reference must point back)' : 'is not a command of this batch'}`,
        );
      } else if (Math.floor(at / BATCH_LIMIT) !== Math.floor(i / BATCH_LIMIT)) {
        problems.push(
          `command '${key}' refers to '${r.command}' in an earlier request: batches over ${BATCH_LIMIT} commands are sent in chunks of ${BATCH_LIMIT} and references cannot cross chunks`,
        );
      }
    }
    position.set(key, i);
    try {
      const query = encodeQuery(entry.params);
      cmds.push(query === '' ? descriptor.method : `${descriptor.method}?${query}`);
    } catch (error) {
      if (error instanceof QueryEncodingError) problems.push(`command '${key}': ${error.message}`);
      else throw error;
    }
  });
  if (problems.length > 0) throw new B24ValidationError({ method: 'batch', problems, note: 'nothing was sent' });
  return { entries, cmds };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** `result_*` parts are objects keyed by command, or `[]` when empty (PHP), or lists. */
function part(container: unknown, key: string): { found: boolean; value: unknown } {
  if (!isRecord(container)) return { found: false, value: undefined };
  return key in container
    ? { found: true, value: (container as Record<string, unknown>)[key] }
    : { found: false, value: undefined };
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/**
 * A command's error in a batch that was repeated after an unknown outcome: the first request
 * may have run it. A removal that now finds nothing is "probably done, outcome unknown".
 */
function afterRepeat(error: B24Error): B24Error {
  if (error.outcomeUnknown) return error;
  const probablyDone =
    error instanceof B24NotFoundError && removesByName(error.method) && error.code !== 'ERROR_METHOD_NOT_FOUND';
  const Class = Object.getPrototypeOf(error).constructor as new (
    init: ConstructorParameters<typeof B24Error>[0],
  ) => B24Error;
  return new Class({
    method: error.method,
    code: error.code,
    status: error.status,
    description: error.description,
    outcomeUnknown: true,
    note: probablyDone
      ? 'probably done, outcome unknown: the batch was repeated after its answer was lost, and an earlier run may have removed it'
      : 'outcome unknown: the batch was repeated after its answer was lost, and an earlier run may have executed this command',
  });
}

function notRun(entry: Entry): BatchItem {
  return {
    ok: false,
    error: new B24Error({
      method: entry.descriptor.method,
      code: 'BATCH_NOT_EXECUTED',
      description: 'not executed: an earlier command failed and halt was set',
    }),
  };
}

/**
 * Sends the commands. `validate: false` is for core's own commands (paginate adds `order`,
 * `filter` and `start`, which a descriptor's param list need not name).
 */
export async function runBatch<C extends BatchCommands>(
  engine: Engine,
  commands: C,
  options: BatchOptions = {},
  validate = true,
): Promise<BatchResults<C>> {
  const { entries, cmds } = encodeBatch(commands, validate ? (d, p) => engine.validate(d, p, options) : () => {});
  const items: BatchItem[] = [];
  let halted = false;
  for (let from = 0; from < entries.length; from += BATCH_LIMIT) {
    const chunk = entries.slice(from, from + BATCH_LIMIT);
    if (halted) {
      items.push(...chunk.map(notRun));
      continue;
    }
    const cmd: Record<string, string> = {};
    chunk.forEach((e, i) => (cmd[e.key] = cmds[from + i] ?? ''));
    // A batch request is idempotent only when all its commands are (idempotency.ts).
    const idempotent = commandsIdempotent(chunk.map((e) => e.descriptor));
    const report: SendReport = { attempts: 0, uncertain: false };
    const envelope = await engine.send<unknown>(
      {
        descriptor: { ...BATCH_DESCRIPTOR_BASE, idempotent },
        // One entry per command: the operating budget reserves each command's cost.
        budgetMethods: chunk.map((e) => e.descriptor.method),
        idempotent,
        body: { halt: options.halt ? 1 : 0, cmd },
      },
      options,
      report,
    );
    const outer = envelope.result;
    if (!isRecord(outer) || Array.isArray(outer)) {
      throw new B24ServerError({
        method: 'batch',
        code: 'INVALID_RESPONSE',
        description: 'batch result is not an object',
        outcomeUnknown: true,
      });
    }
    for (const entry of chunk) {
      const method = entry.descriptor.method;
      const time = decodeTime(part(outer.result_time, entry.key).value);
      if (time) await engine.recordTime(method, time);
      const err = part(outer.result_error, entry.key);
      if (err.found) {
        let error =
          decodeErrorBody(err.value, undefined, { method, redact: (t) => engine.redact(t) }) ??
          new B24ServerError({
            method,
            code: 'INVALID_RESPONSE',
            description: 'unreadable error entry in batch response',
          });
        if (report.uncertain) error = afterRepeat(error);
        if (error instanceof B24OperatingLimitError) await engine.operatingBlocked(method);
        items.push({ ok: false, error });
        if (options.halt) halted = true;
        continue;
      }
      const res = part(outer.result, entry.key);
      if (!res.found) {
        items.push(
          halted
            ? notRun(entry)
            : {
                ok: false,
                error: new B24ServerError({
                  method,
                  code: 'BATCH_MISSING_RESULT',
                  description: 'the batch response has no result for this command',
                  outcomeUnknown: true,
                }),
              },
        );
        continue;
      }
      const item: BatchItem = { ok: true, result: res.value };
      const total = toInt(part(outer.result_total, entry.key).value);
      const next = toInt(part(outer.result_next, entry.key).value);
      if (total !== undefined) item.total = total;
      if (next !== undefined) item.next = next;
      if (time) item.time = time;
      items.push(item);
    }
  }
  if (Array.isArray(commands)) return items as BatchResults<C>;
  const out: Record<string, BatchItem> = {};
  entries.forEach((e, i) => (out[e.key] = items[i] as BatchItem));
  return out as BatchResults<C>;
}
