/**
 * Parser for PHP-style form bodies (`data[FIELDS][ID]=7&select[]=ID`), the encoding Bitrix24
 * uses for event and install POSTs. Every value stays a string, as on the wire.
 *
 * Hand-written rather than `qs` because this library keeps no dependency but undici; it is
 * linear in the body: each pair costs O(its key length), `a[]=` appends through a per-node
 * counter (not a scan of the keys), and every dimension is capped (bytes, pairs, depth, array
 * index), so a hostile body costs at most a pass over its bytes.
 */
import { B24AuthError } from './errors.js';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export interface ParseFormOptions {
  /** Most key/value pairs accepted (default 10 000). */
  readonly maxPairs?: number;
  /** Deepest bracket nesting accepted (default 32). */
  readonly maxDepth?: number;
  /** Largest body accepted, in UTF-16 code units (default 1 Mi). */
  readonly maxLength?: number;
  /** Largest list index, explicit (`a[7]`) or appended (`a[]`) (default 100 000). */
  readonly maxIndex?: number;
}

// Assigning these would reach Object.prototype; PHP has no such keys anyway.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

type Node = { [key: string]: Node | string };

// Work done by the parser, counted in units that each cost O(1): a pair read, a key segment
// split or walked, a node finished. Tests compare it across body sizes (linear = same ratio).
let steps = 0;

/** @internal Steps counted so far (tests only; not exported from the package). */
export function formParseSteps(): number {
  return steps;
}

/** Parses `application/x-www-form-urlencoded` text into nested objects and arrays. */
export function parsePhpForm(body: string, options: ParseFormOptions = {}): Record<string, FormValue> {
  const maxPairs = options.maxPairs ?? 10_000;
  const maxDepth = options.maxDepth ?? 32;
  const maxLength = options.maxLength ?? 1024 * 1024;
  const maxIndex = options.maxIndex ?? 100_000;
  if (body.length > maxLength)
    throw new B24AuthError('FORM_TOO_LARGE', `Form body is longer than ${maxLength} characters`);
  const root: Node = Object.create(null) as Node;
  // Next `[]` index per object node: PHP appends at (largest integer key + 1).
  const next = new WeakMap<Node, number>();
  let pairs = 0;
  for (const [rawKey, value] of new URLSearchParams(body)) {
    steps++;
    if (++pairs > maxPairs) throw new B24AuthError('FORM_TOO_LARGE', `Form body has more than ${maxPairs} fields`);
    const path = splitKey(rawKey, maxDepth + 1);
    if (!path) continue;
    if (path.length > maxDepth + 1)
      throw new B24AuthError('FORM_TOO_DEEP', `Form field nests deeper than ${maxDepth} levels`);
    if (path.some((p) => FORBIDDEN.has(p))) continue;
    assign(root, path, value, next, maxIndex);
  }
  return finish(root) as Record<string, FormValue>;
}

/**
 * `a[b][]` -> ['a', 'b', '']; a key whose brackets do not parse is taken literally, as PHP does.
 * Stops after `limit + 1` parts (the caller refuses those), so a deep key costs no more than its length.
 */
function splitKey(key: string, limit: number): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? undefined : [key];
  const base = key.slice(0, open);
  const parts = [base];
  const rest = key.slice(open);
  const segment = /\[([^\]]*)\]/y;
  let index = 0;
  while (index < rest.length && parts.length <= limit) {
    steps++;
    segment.lastIndex = index;
    const m = segment.exec(rest);
    // No well-formed bracket at all: the key is literal. After one, the rest is ignored, as PHP does.
    if (!m) return parts.length === 1 ? [key] : parts;
    parts.push(m[1] ?? '');
    index = segment.lastIndex;
  }
  return parts;
}

const INDEX = /^(0|[1-9]\d{0,15})$/;

function assign(root: Node, path: string[], value: string, next: WeakMap<Node, number>, maxIndex: number): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    steps++;
    let key = path[i] ?? '';
    const last = i === path.length - 1;
    if (key === '' && i > 0) key = String(next.get(node) ?? 0);
    if (INDEX.test(key)) {
      const n = Number(key);
      if (n > maxIndex)
        throw new B24AuthError('FORM_TOO_LARGE', `Form list index ${n > 1e9 ? 'beyond 1e9' : n} exceeds ${maxIndex}`);
      if (n + 1 > (next.get(node) ?? 0)) next.set(node, n + 1);
    }
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

/** Plain objects out; `{0:..,1:..}` with exactly the keys 0..n-1 becomes an array. */
function finish(node: Node | string): FormValue {
  steps++;
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k, i) => k === String(i)))
    return keys.map((k) => finish(node[k] as Node | string));
  const out: { [key: string]: FormValue } = {};
  for (const key of keys) out[key] = finish(node[key] as Node | string);
  return out;
}
