/**
 * Parser for PHP-style form bodies (`data[FIELDS][ID]=7&select[]=ID`), the encoding Bitrix24
 * uses for event and install POSTs. Every value stays a string, as on the wire.
 */
import { B24AuthError } from './errors.js';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export interface ParseFormOptions {
  /** Most key/value pairs accepted (default 10 000). */
  readonly maxPairs?: number;
  /** Deepest bracket nesting accepted (default 32). */
  readonly maxDepth?: number;
}

// Assigning these would reach Object.prototype; PHP has no such keys anyway.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

type Node = { [key: string]: Node | string };

/** Parses `application/x-www-form-urlencoded` text into nested objects and arrays. */
export function parsePhpForm(body: string, options: ParseFormOptions = {}): Record<string, FormValue> {
  const maxPairs = options.maxPairs ?? 10_000;
  const maxDepth = options.maxDepth ?? 32;
  const root: Node = Object.create(null) as Node;
  let pairs = 0;
  for (const [rawKey, value] of new URLSearchParams(body)) {
    if (++pairs > maxPairs) throw new B24AuthError('FORM_TOO_LARGE', `Form body has more than ${maxPairs} fields`);
    const path = splitKey(rawKey);
    if (!path) continue;
    if (path.length > maxDepth + 1) throw new B24AuthError('FORM_TOO_DEEP', `Form field nests deeper than ${maxDepth} levels`);
    if (path.some((p) => FORBIDDEN.has(p))) continue;
    assign(root, path, value);
  }
  return finish(root) as Record<string, FormValue>;
}

/** `a[b][]` -> ['a', 'b', '']; a key whose brackets do not parse is taken literally, as PHP does. */
function splitKey(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? undefined : [key];
  const base = key.slice(0, open);
  const parts = [base];
  const rest = key.slice(open);
  const segment = /\[([^\]]*)\]/y;
  let index = 0;
  while (index < rest.length) {
    segment.lastIndex = index;
    const m = segment.exec(rest);
    // No well-formed bracket at all: the key is literal. After one, the rest is ignored, as PHP does.
    if (!m) return parts.length === 1 ? [key] : parts;
    parts.push(m[1] ?? '');
    index = segment.lastIndex;
  }
  return parts;
}

function assign(root: Node, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let key = path[i] ?? '';
    const last = i === path.length - 1;
    if (key === '' && i > 0) key = String(nextIndex(node));
    if (last) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (typeof child === 'object') node = child;
    else {
      // A scalar followed by a nested key is replaced, as PHP does.
      const fresh = Object.create(null) as Node;
      node[key] = fresh;
      node = fresh;
    }
  }
}

function nextIndex(node: Node): number {
  let max = -1;
  for (const key of Object.keys(node)) if (/^(0|[1-9]\d*)$/.test(key)) max = Math.max(max, Number(key));
  return max + 1;
}

/** Plain objects out; `{0:..,1:..}` with exactly the keys 0..n-1 becomes an array. */
function finish(node: Node | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => finish(node[k] as Node | string));
  const out: { [key: string]: FormValue } = {};
  for (const key of keys) out[key] = finish(node[key] as Node | string);
  return out;
}
