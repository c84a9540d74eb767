/**
 * `batch` (PROTOCOL.md §5): up to 50 `"method?query"` commands, each parsed with PHP
 * `parse_str`, run in order under the outer call's auth, with `$result[...]`-style references
 * to earlier commands and `halt`. Always 200 once the batch call itself is authorized.
 */
import { RestError, errors } from '../errors.js';
import { finalizeParams, param, parseStrRaw, type Params } from '../params.js';
import type { CallOutcome, InvokeOptions } from '../dispatcher.js';
import type { AuthContext, Domain } from './types.js';

export const BATCH_MAX_LENGTH = 50;

type Invoke = (method: string, params: Params, auth: AuthContext, opts: InvokeOptions) => Promise<CallOutcome>;

/** PHP arrays in JSON: empty → [], keys 0..n-1 → list, else object (§5.3). */
function phpJson(map: Map<string, unknown>): unknown {
  if (map.size === 0) return [];
  const keys = [...map.keys()];
  if (keys.every((k, i) => k === String(i))) return keys.map((k) => map.get(k));
  return Object.fromEntries(map);
}

const REF_WHOLE = /^\$(result|next|total|time|error)((?:\[[^\]]*\])+)$/i;
const REF_ANY = /\$(result|next|total|time|error)((?:\[[^\]\s]*\])+)/gi;

interface Sources {
  result: Map<string, unknown>;
  next: Map<string, unknown>;
  total: Map<string, unknown>;
  time: Map<string, unknown>;
  error: Map<string, unknown>;
}

/** Walks `[a][b]…`; a missing segment stops the walk at the last node found, without error ([src] §5.2). */
function resolve(src: Sources, kind: string, pathText: string): unknown {
  const segs = [...pathText.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  const map = src[kind.toLowerCase() as keyof Sources];
  let node: unknown = Object.fromEntries(map);
  for (const seg of segs) {
    if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, seg)) {
      node = (node as Record<string, unknown>)[seg];
    } else break;
  }
  return node;
}

function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return '1';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return undefined;
}

function substituteString(src: Sources, s: string): unknown {
  const whole = REF_WHOLE.exec(s);
  if (whole) return resolve(src, whole[1]!, whole[2]!);
  return s.replace(REF_ANY, (all, kind: string, path: string) => scalarText(resolve(src, kind, path)) ?? all);
}

function substitute(src: Sources, v: unknown): unknown {
  if (typeof v === 'string') return substituteString(src, v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const key = k.includes('$') ? String(scalarText(substituteString(src, k)) ?? k) : k;
      out[key] = substitute(src, x);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(src, x));
  return v;
}

function truthy(v: unknown): boolean {
  return (
    v === true || v === 1 || v === '1' || (typeof v === 'string' && ['true', 'y', 'yes'].includes(v.toLowerCase()))
  );
}

export function batchDomain(invoke: Invoke): Domain {
  return (api) => {
    api.method({
      name: 'batch',
      scope: 'basic',
      batchable: false,
      handler: async (ctx) => {
        const cmd = param(ctx.params, 'cmd');
        const halt = truthy(param(ctx.params, 'halt'));
        if (cmd === undefined || cmd === null || typeof cmd !== 'object') {
          throw new RestError('ERROR_ARGUMENT', "Parameter 'cmd' must be an object or a list of commands", 400, {
            argument: 'cmd',
          });
        }
        const entries: [string, unknown][] = Array.isArray(cmd)
          ? cmd.map((c, i) => [String(i), c])
          : Object.entries(cmd);
        const src: Sources = {
          result: new Map(),
          next: new Map(),
          total: new Map(),
          time: new Map(),
          error: new Map(),
        };
        for (let i = 0; i < entries.length; i++) {
          const [key, command] = entries[i]!;
          if (i >= BATCH_MAX_LENGTH) {
            src.error.set(key, errors.batchLengthExceeded().toBody());
            if (halt) break;
            continue;
          }
          // A non-string command is skipped silently ([src] §5.1).
          if (typeof command !== 'string') continue;
          const q = command.indexOf('?');
          const method = (q === -1 ? command : command.slice(0, q)).trim();
          const raw = q === -1 ? {} : parseStrRaw(command.slice(q + 1));
          const params = finalizeParams(substitute(src, raw) as Params);
          try {
            const out = await invoke(method, params, ctx.auth, { inBatch: true });
            src.result.set(key, out.result);
            if (out.total !== undefined) src.total.set(key, out.total);
            if (out.next !== undefined) src.next.set(key, out.next);
            src.time.set(key, out.time);
          } catch (err) {
            const e = err instanceof RestError ? err : new RestError('ERROR_CORE', String(err), 400);
            src.error.set(key, e.toBody());
            if (halt) break;
          }
        }
        return {
          result: {
            result: phpJson(src.result),
            result_error: phpJson(src.error),
            result_total: phpJson(src.total),
            result_next: phpJson(src.next),
            result_time: phpJson(src.time),
          },
        };
      },
    });
  };
}

/**
 * REST 3.0 batch: a bare JSON array `[{method, query}]`, `result` in the same order (§1.6;
 * https://apidocs.bitrix24.com/api-reference/rest-v3.html#batch).
 *
 * The docs show only the success answer: `result` is the array of the commands' results, with
 * no `result_error` beside it, so there is no place for one command's error. The official JS
 * SDK (the vendor's own client) reads it that way and says so in its README: a REST 3.0 batch
 * is all-or-nothing, and when any command fails the whole call fails with that error. The
 * emulator follows: a failing command's error (code, message, `validation`, HTTP status) is
 * the answer of the whole batch. Where the docs are silent, assumed:
 * - commands run in order and the first failure stops the batch; commands after it do not
 *   run, and what the commands before it changed stays (nothing says the batch is a
 *   transaction, and the REST 2 batch is not one);
 * - a malformed batch (an item without a string `method`, more than 50 items) is refused
 *   before any command runs.
 */
export function batchV3Domain(invoke: Invoke): Domain {
  return (api) => {
    api.method({
      name: 'batch',
      scope: 'basic',
      apiVersion: 3,
      batchable: false,
      handler: async (ctx) => {
        if (param(ctx.params, 'cmd') !== undefined) {
          throw new RestError(
            'BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION',
            'REST 3.0 batch takes a JSON array of {method, query}, not cmd',
            400,
          );
        }
        const items = Object.keys(ctx.params)
          .filter((k) => /^\d+$/.test(k))
          .sort((a, b) => Number(a) - Number(b))
          .map((k) => ctx.params[k]);
        if (items.length > BATCH_MAX_LENGTH) throw errors.batchLengthExceeded();
        const commands = items.map((raw, i) => {
          const item = raw as { method?: unknown; query?: unknown } | null;
          if (!item || typeof item !== 'object' || Array.isArray(item) || typeof item.method !== 'string') {
            throw new RestError(
              'BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION',
              `Batch item ${i} needs a string "method"`,
              400,
            );
          }
          const query =
            item.query && typeof item.query === 'object' && !Array.isArray(item.query) ? (item.query as Params) : {};
          return { method: item.method, query };
        });
        const results: unknown[] = [];
        for (const { method, query } of commands) {
          try {
            results.push((await invoke(method, query, ctx.auth, { inBatch: true, apiVersion: 3 })).result);
          } catch (err) {
            // All-or-nothing: the first failing command's error is the batch's answer.
            throw err instanceof RestError ? err : new RestError('ERROR_CORE', String(err), 400);
          }
        }
        return { result: results };
      },
    });
  };
}
