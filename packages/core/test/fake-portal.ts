/**
 * A tiny list-and-batch portal for core's tests: one list method over a table of rows, and
 * `batch` with PHP parse_str parsing and `$result[...]` substitution as PROTOCOL.md §5.2 states
 * it (a missing path segment stops the walk where it is; a whole-value reference is replaced by
 * the raw value, which may be an array). It is deliberately small; the full emulator lives in
 * packages/emulator.
 */
import type { ServerResponse } from 'node:http';
import { json, methodOf, startServer, type Hit, type TestServer } from './helpers.js';

type Row = Record<string, unknown>;
type Params = Record<string, unknown>;

export interface FakeListOptions {
  method?: string;
  ids: number[];
  /** '' (result is the array) or 'items' (result.items). */
  rowsPath?: '' | 'items';
  idField?: string;
  /** Legacy methods send ids as strings. */
  stringIds?: boolean;
  /** Extra per-row fields, e.g. a STAGE to filter on. */
  extra?: (id: number) => Row;
  /** Answer without `total` (as some list methods do). */
  noTotal?: boolean;
}

export interface FakePortal extends TestServer {
  listCalls: Params[];
  batchCalls: number;
  rows: Row[];
}

/** PHP parse_str: brackets build nested maps, `[]` appends; every value is a string. */
export function parseStr(query: string): Params {
  const out: Params = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!m) continue;
    const keys = [m[1]!, ...[...(m[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
    let node: Record<string, unknown> = out;
    keys.forEach((k, i) => {
      const key = k === '' ? String(Object.keys(node).length) : k;
      if (i === keys.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

/** §5.2 substitution of `$result[cmd][a][b]` in one value. */
function substitute(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const walk = (expr: string): { found: boolean; value: unknown } => {
      const segs = [...expr.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!);
      const [cmd, ...path] = segs;
      if (cmd === undefined || !(cmd in results)) return { found: false, value: undefined };
      let cur = results[cmd];
      for (const s of path) {
        if (cur && typeof cur === 'object' && s in (cur as object)) cur = (cur as Record<string, unknown>)[s];
        else break; // a missing segment stops the walk here, no error
      }
      return { found: true, value: cur };
    };
    const whole = /^\$result((?:\[[^\]]*\])+)$/i.exec(value);
    if (whole) {
      const r = walk(whole[1]!);
      return r.found ? r.value : value;
    }
    return value.replace(/\$result((?:\[[^\]\s]*\])+)/gi, (all, expr: string) => {
      const r = walk(expr);
      return r.found && (typeof r.value === 'string' || typeof r.value === 'number') ? String(r.value) : all;
    });
  }
  if (value && typeof value === 'object') {
    const out: Params = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, results);
    return out;
  }
  return value;
}

export async function startFakePortal(options: FakeListOptions): Promise<FakePortal> {
  const method = options.method ?? 'crm.deal.list';
  const idField = options.idField ?? 'ID';
  const rows: Row[] = [...options.ids]
    .sort((a, b) => a - b)
    .map((id) => ({ [idField]: options.stringIds === false ? id : String(id), ...(options.extra?.(id) ?? {}) }));
  const portal = (await startServer()) as FakePortal;
  portal.listCalls = [];
  portal.batchCalls = 0;
  portal.rows = rows;

  const num = (v: unknown): number | undefined => {
    if (Array.isArray(v) || (v && typeof v === 'object')) return undefined; // nonsense bound: ignored
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };

  const list = (params: Params): { result: unknown; next?: number; total?: number } => {
    portal.listCalls.push(params);
    // Legacy methods read parameter names in any case (the docs send FILTER, ORDER).
    const filter = (params.filter ?? params.FILTER ?? {}) as Params;
    let selected = rows.filter((row) => {
      const id = Number(row[idField]);
      for (const [key, want] of Object.entries(filter)) {
        const m = /^(>=|<=|>|<|)(.+)$/.exec(key)!;
        const [, op, field] = m;
        if (field === idField) {
          const b = num(want);
          if (b === undefined) continue;
          if (
            (op === '>' && !(id > b)) ||
            (op === '>=' && !(id >= b)) ||
            (op === '<' && !(id < b)) ||
            (op === '<=' && !(id <= b))
          )
            return false;
          if (op === '' && id !== b) return false;
        } else if (op === '' && field !== undefined && String(row[field]) !== String(want)) return false;
      }
      return true;
    });
    const order = (params.order ?? params.ORDER ?? {}) as Params;
    if (String(order[idField] ?? 'ASC').toUpperCase() === 'DESC') selected = [...selected].reverse();
    const start = Number(params.start ?? 0);
    const page = selected.slice(Math.max(0, start), Math.max(0, start) + 50);
    const result = options.rowsPath === 'items' ? { items: page } : page;
    if (start < 0) return { result, total: 0 };
    const more = start + page.length < selected.length;
    return {
      result,
      ...(options.noTotal ? {} : { total: selected.length }),
      ...(more ? { next: start + page.length } : {}),
    };
  };

  portal.handle((hit: Hit, res: ServerResponse) => {
    const m = methodOf(hit);
    const body = (hit.body ?? {}) as Params;
    if (m === method) return json(res, 200, list(body));
    if (m !== 'batch')
      return json(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    portal.batchCalls++;
    const cmd = body.cmd as Record<string, string>;
    const halt = Number(body.halt) === 1;
    const results: Record<string, unknown> = {};
    const errors: Record<string, unknown> = {};
    const totals: Record<string, number> = {};
    const nexts: Record<string, number> = {};
    const times: Record<string, unknown> = {};
    for (const [key, line] of Object.entries(cmd)) {
      const q = line.indexOf('?');
      const name = q < 0 ? line : line.slice(0, q);
      const params = substitute(parseStr(q < 0 ? '' : line.slice(q + 1)), results) as Params;
      times[key] = { start: 1, finish: 1.01, duration: 0.01, operating: 1.5, operating_reset_at: 2_000_000_000 };
      if (name === method) {
        const r = list(params);
        results[key] = r.result;
        if (r.total !== undefined) totals[key] = r.total;
        if (r.next !== undefined) nexts[key] = r.next;
      } else if (name === 'fail.me') {
        errors[key] = { error: 'ERROR_ARGUMENT', error_description: `bad ${params.what ?? ''}` };
        if (halt) break;
      } else if (name === 'echo') {
        results[key] = params;
      } else {
        errors[key] = { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' };
        if (halt) break;
      }
    }
    // PHP serialises empty maps as [].
    const php = (o: Record<string, unknown>) => (Object.keys(o).length === 0 ? [] : o);
    json(res, 200, {
      result: {
        result: php(results),
        result_error: php(errors),
        result_total: php(totals),
        result_next: php(nexts),
        result_time: php(times),
      },
      time: { operating: 0 },
    });
  });
  return portal;
}
