/**
 * PHP request-variable semantics: `parse_str` for query strings and urlencoded bodies, the same
 * bracket rules for multipart field names, and `http_build_query` for what the portal sends out
 * (event POSTs). Every form value is a string, as in PHP.
 */

export type Params = Record<string, unknown>;

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
export function phpKeyPath(rawKey: string): (string | null)[] | undefined {
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
    const close = rest.indexOf(']', i + 1);
    if (close === -1) {
      // PHP: an unclosed '[' turns into '_' and the rest belongs to the top-level name.
      if (path.length === 0) nameTail = '_' + rest.slice(i + 1);
      break;
    }
    const segment = rest.slice(i + 1, close);
    path.push(segment === '' ? null : segment);
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

function nextIndex(target: Record<string, unknown>): string {
  let max = -1;
  for (const k of Object.keys(target)) if (/^(0|-?[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  return String(max + 1);
}

/** Assigns `value` at a PHP bracket path inside `root` (mutates). */
export function assignPhpPath(root: Params, path: readonly (string | null)[], value: unknown): void {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] ?? nextIndex(node);
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

/** PHP `parse_str` (without the final list conversion; see `finalizePhpArrays`). */
export function parseStrRaw(query: string, into: Params = {}): Params {
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = urldecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : urldecode(pair.slice(eq + 1));
    const path = phpKeyPath(rawKey);
    if (path) assignPhpPath(into, path, value);
  }
  return into;
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
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
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
