/**
 * PHP request-variable semantics: `parse_str` for query strings and urlencoded bodies, the same
 * bracket rules for multipart field names, and `http_build_query` for what the portal sends out
 * (event POSTs). Every form value is a string, as in PHP.
 */

import { errors } from './errors.js';

export type Params = Record<string, unknown>;

/**
 * Bounds on request parameters. Parsing is linear in the input (each pair costs O(its length);
 * `a[]=` appends through a cached next index instead of a scan of the keys), and these caps
 * turn hostile shapes into a 400 envelope instead of a stall, a stack overflow or a 500:
 * - nesting deeper than 64 levels (PHP's default `max_input_nesting_level`; PHP drops such a
 *   variable silently, the emulator names it);
 * - more than 100 000 form pairs in one query string or body (PHP's `max_input_vars` is 1000
 *   by default; the cloud's value is not documented, so the emulator is generous);
 * - more than 30 000 values in one call's parameters: SQLite binds at most 32 766 variables
 *   per statement, and a real portal's answer to such a call is not documented;
 * - parameter names that are names of `Object.prototype` members (`constructor`, `toString`,
 *   `__proto__`, ...), with or without a filter operator (`!toString`): no Bitrix24 parameter or
 *   field is so named (assumed from the docs' field lists), and JavaScript lookups would take
 *   them for built-ins.
 */
export const PARAM_LIMITS = { maxDepth: 64, maxPairs: 100_000, maxValues: 30_000 } as const;

export interface ParseLimits {
  readonly maxDepth?: number;
  readonly maxPairs?: number;
}

// Work counter for tests (each unit O(1)): pairs read, key segments split, path steps walked.
let steps = 0;

/** @internal Steps the form parser has counted so far (tests only). */
export function paramParseSteps(): number {
  return steps;
}

/** Decodes like PHP `urldecode`: `+` is a space, valid `%XX` become bytes, a malformed `%` stays. */
function urldecode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < plus.length; i++) {
      const c = plus[i]!;
      if (c === '%' && /^[0-9a-fA-F]{2}$/.test(plus.slice(i + 1, i + 3))) {
        bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(c, 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
}

/** Splits a PHP variable name into its path: `a[b][]` → ['a', 'b', null] (null = append). */
export function phpKeyPath(rawKey: string, maxDepth: number = PARAM_LIMITS.maxDepth): (string | null)[] | undefined {
  const key = rawKey.replace(/^ +/, '');
  const open = key.indexOf('[');
  let base: string;
  let rest: string;
  if (open === -1) {
    base = key;
    rest = '';
  } else {
    base = key.slice(0, open);
    rest = key.slice(open);
  }
  if (base === '') return undefined;
  const path: (string | null)[] = [];
  let i = 0;
  let nameTail = '';
  while (i < rest.length && rest[i] === '[') {
    steps++;
    const close = rest.indexOf(']', i + 1);
    if (close === -1) {
      // PHP: an unclosed '[' turns into '_' and the rest belongs to the top-level name.
      if (path.length === 0) nameTail = '_' + rest.slice(i + 1);
      break;
    }
    const segment = rest.slice(i + 1, close);
    path.push(segment === '' ? null : segment);
    // One segment past the limit is enough for the caller to refuse the key.
    if (path.length > maxDepth) break;
    i = close + 1;
    // PHP ignores anything after a closing ']' that does not open another segment.
    if (rest[i] !== '[') break;
  }
  // PHP turns spaces and dots in the top-level name into underscores.
  const top = (base + nameTail).replace(/[ .]/g, '_');
  return [top, ...path];
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const INDEX_KEY = /^(0|[1-9]\d*)$/;
// Next `[]` index per node. Filled by one scan the first time a node is appended to, then kept
// up to date on every write through assignPhpPath, so appends cost O(1), not O(keys).
const nextIndexOf = new WeakMap<object, number>();

function nextIndex(target: Record<string, unknown>): string {
  let next = nextIndexOf.get(target);
  if (next === undefined) {
    next = 0;
    for (const k of Object.keys(target)) {
      steps++;
      if (INDEX_KEY.test(k)) next = Math.max(next, Number(k) + 1);
    }
    nextIndexOf.set(target, next);
  }
  return String(next);
}

function noteKey(target: Record<string, unknown>, key: string): void {
  const next = nextIndexOf.get(target);
  if (next !== undefined && INDEX_KEY.test(key) && Number(key) + 1 > next) nextIndexOf.set(target, Number(key) + 1);
}

/** Assigns `value` at a PHP bracket path inside `root` (mutates). */
export function assignPhpPath(root: Params, path: readonly (string | null)[], value: unknown): void {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length; i++) {
    steps++;
    const seg = path[i] ?? nextIndex(node);
    noteKey(node, seg);
    if (i === path.length - 1) {
      setOwn(node, seg, value);
      return;
    }
    // Own properties only: `__proto__[x]=1` must not reach Object.prototype.
    const child = Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
    if (child === null || typeof child !== 'object' || Array.isArray(child)) {
      const fresh: Record<string, unknown> = {};
      setOwn(node, seg, fresh);
      node = fresh;
    } else {
      node = child as Record<string, unknown>;
    }
  }
}

/** PHP `parse_str` (without the final list conversion; see `finalizePhpArrays`), within `limits`. */
export function parseStrRaw(query: string, into: Params = {}, limits: ParseLimits = {}): Params {
  const maxDepth = limits.maxDepth ?? PARAM_LIMITS.maxDepth;
  const maxPairs = limits.maxPairs ?? PARAM_LIMITS.maxPairs;
  let pairs = 0;
  let from = 0;
  while (from <= query.length) {
    let to = query.indexOf('&', from);
    if (to === -1) to = query.length;
    const pair = query.slice(from, to);
    from = to + 1;
    steps++;
    if (pair === '') continue;
    if (++pairs > maxPairs) throw errors.argument(`Too many parameters: more than ${maxPairs} name=value pairs`);
    const eq = pair.indexOf('=');
    const rawKey = urldecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : urldecode(pair.slice(eq + 1));
    const path = phpKeyPath(rawKey, maxDepth);
    if (!path) continue;
    if (path.length > maxDepth + 1)
      throw errors.argument(`Parameter ${JSON.stringify(path[0])} nests deeper than ${maxDepth} levels`);
    assignPhpPath(into, path, value);
  }
  return into;
}

const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));
const FILTER_OPERATOR = /^[!=<>%@*~]+/;

/**
 * Refuses parameters beyond PARAM_LIMITS (depth, number of values, names of Object.prototype
 * members) with 400 ERROR_ARGUMENT naming the parameter. One iterative pass, no recursion.
 */
export function checkParams(params: Params): void {
  const stack: [unknown, number, string][] = [[params, 0, '']];
  let values = 0;
  while (stack.length > 0) {
    const [node, depth, where] = stack.pop()!;
    if (node === null || typeof node !== 'object') {
      if (++values > PARAM_LIMITS.maxValues)
        throw errors.argument(`Too many values: more than ${PARAM_LIMITS.maxValues} in one call`);
      continue;
    }
    const proto = Object.getPrototypeOf(node) as unknown;
    // Class instances (uploaded files) are values.
    if (!Array.isArray(node) && proto !== Object.prototype && proto !== null) {
      values++;
      continue;
    }
    if (depth > PARAM_LIMITS.maxDepth)
      throw errors.argument(
        `Parameter ${JSON.stringify(where.slice(0, 80))} nests deeper than ${PARAM_LIMITS.maxDepth} levels`,
      );
    for (const key of Object.keys(node)) {
      const name = where === '' ? key : `${where}[${key}]`;
      if (!Array.isArray(node) && OBJECT_MEMBERS.has(key.replace(FILTER_OPERATOR, ''))) {
        throw errors.argument(
          `Parameter name ${JSON.stringify(name.slice(0, 200))} is not allowed: it is the name of a JavaScript built-in`,
          key,
        );
      }
      stack.push([(node as Record<string, unknown>)[key], depth + 1, name]);
    }
  }
}

/**
 * PHP arrays whose keys are exactly 0..n-1 in order encode as JSON lists; turn such objects
 * into JS arrays so handlers and JSON output see what PHP would.
 */
export function finalizePhpArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(finalizePhpArrays);
  if (value === null || typeof value !== 'object') return value;
  // Only plain objects are PHP arrays; class instances (uploaded files) pass through.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: Record<string, unknown> = {};
  for (const k of keys) setOwn(out, k, finalizePhpArrays(obj[k]));
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => out[k]);
  return out;
}

/** Applies `finalizePhpArrays` below the top level: the parameter set itself stays an object. */
export function finalizeParams(params: Params): Params {
  const out: Params = {};
  for (const k of Object.keys(params)) setOwn(out, k, finalizePhpArrays(params[k]));
  return out;
}

/** PHP `parse_str`: query string → nested params; sequential-key arrays become lists. */
export function parseStr(query: string): Params {
  return finalizeParams(parseStrRaw(query));
}

function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function scalarToForm(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** PHP `http_build_query`: nested objects/arrays → `a%5Bb%5D=1&…`; null values are left out. */
export function httpBuildQuery(params: Readonly<Record<string, unknown>>): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      for (const [k, child] of entries) walk(`${prefix}[${k}]`, child);
      return;
    }
    const s = scalarToForm(v);
    if (s !== undefined) out.push(`${phpUrlencode(prefix)}=${phpUrlencode(s)}`);
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return out.join('&');
}

/** Looks a parameter up ignoring case, as legacy methods do (`FILTER`, `filter`, `Filter`). */
export function param(params: Params, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(params, name)) return params[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(params)) if (k.toLowerCase() === lower) return params[k];
  return undefined;
}
