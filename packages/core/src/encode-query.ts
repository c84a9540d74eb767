/**
 * PHP-bracket query encoding (PROTOCOL.md §1.4), as `http_build_query` would write it and
 * `parse_str` reads it: `fields[TITLE]=x&select[]=ID`. Used for batch commands, where the
 * wire format is a query string. A query string has no way to say null, an empty array or an
 * empty object, so those are refused instead of being silently dropped or changed.
 */
import { B24ArgumentError } from './errors.js';
import { BatchRef } from './ref.js';

export class QueryEncodingError extends B24ArgumentError {
  static override readonly kind: string = 'QueryEncodingError';
  /** Bracket path of the offending value, e.g. `fields[UF_LIST]`. */
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`cannot encode '${path}' as a query string: ${reason}`, { code: 'QUERY_ENCODING' });
    this.path = path;
  }
}

function encodeKey(path: readonly string[]): string {
  const [head = '', ...rest] = path;
  return encodeURIComponent(head) + rest.map((k) => `[${encodeURIComponent(k)}]`).join('');
}

function readable(path: readonly string[]): string {
  const [head = '', ...rest] = path;
  return head + rest.map((k) => `[${k}]`).join('');
}

function scalar(value: unknown, path: readonly string[]): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new QueryEncodingError(readable(path), `${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // PHP reads '0' as false and '1' as true; the string 'false' would be truthy.
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new QueryEncodingError(readable(path), 'invalid Date');
    return value.toISOString();
  }
  if (value instanceof BatchRef) return value.toString();
  return undefined;
}

function walk(value: unknown, path: string[], out: string[]): void {
  if (value === undefined) return; // absent, as in JSON.stringify
  if (value === null)
    throw new QueryEncodingError(
      readable(path),
      'null has no query-string form (omit the key or send an empty string)',
    );
  const s = scalar(value, path);
  if (s !== undefined) {
    out.push(`${encodeKey(path)}=${encodeURIComponent(s)}`);
    return;
  }
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new QueryEncodingError(readable(path), `a ${typeof value} is not data`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new QueryEncodingError(readable(path), 'an empty array has no query-string form');
    value.forEach((item, i) => {
      if (item === undefined)
        throw new QueryEncodingError(readable([...path, String(i)]), 'undefined inside an array would shift indexes');
      walk(item, [...path, String(i)], out);
    });
    return;
  }
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      throw new QueryEncodingError(
        readable(path),
        `${(value as object).constructor?.name ?? 'object'} is not a plain object`,
      );
    }
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) throw new QueryEncodingError(readable(path), 'an empty object has no query-string form');
    for (const [k, v] of entries) walk(v, [...path, k], out);
    return;
  }
  throw new QueryEncodingError(readable(path), `unsupported value of type ${typeof value}`);
}

/**
 * Encodes params as a PHP-bracket query string (without a leading `?`). Arrays use explicit
 * indexes (`select[0]=ID`), which parse_str reads exactly like `select[]=ID`. Booleans become
 * `1`/`0`. Throws QueryEncodingError for null, empty arrays/objects, NaN and non-plain objects.
 * Positional params (an array at the top) encode as `0=...&1=...`.
 */
export function encodeQuery(params: object | readonly unknown[] | undefined): string {
  if (params === undefined) return '';
  const out: string[] = [];
  if (Array.isArray(params)) {
    params.forEach((v, i) => walk(v, [String(i)], out));
  } else {
    for (const [k, v] of Object.entries(params)) walk(v, [k], out);
  }
  return out.join('&');
}
