// @ts-check
// Event pages -> schema `events:` entries (the docs facts of an event; the three-way merge in
// sync.mjs puts them into schema/<domain>/events.yaml). The shape of `data` is inferred from the
// page's payload example, every leaf a string (event bodies are PHP form fields); the words
// (scope, summary, field descriptions) come from the page's text and tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPages } from './discover.mjs';
import { parseEventPage } from './event-page.mjs';
import { scanPage } from './markdown.mjs';
import { docUrl } from './model.mjs';
import { parseLooseJson } from './page.mjs';

/** @typedef {Record<string, any>} Obj */
/** @typedef {{ wire: string, spelling: string, doc: string, entry: Obj }} EventFacts */

const validName = (/** @type {string} */ n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n);
const isPlainObject = (/** @type {unknown} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// Docs examples show one portal's body: only small objects are trusted to always carry every field.
const TRUSTED_FIELDS = 6;
// An event name as the docs write it: onCrmDealAdd, ONCRMDEALADD, OnAppInstall.
const EVENT_TOKEN = /(?<![\w.])(on[A-Z][A-Za-z0-9_]*|On[A-Z][A-Za-z0-9_]*|ON[A-Z0-9_]{3,})(?![\w.])/g;

/**
 * Whether a page path can hold an event: a folder called `events`, or an `on-*.md` page.
 * @param {string} doc
 */
export function isEventPath(doc) {
  if (/(^|\/)index\.md$/.test(doc)) return false;
  return /\/events\//.test(doc) || /\/on-[^/]+\.md$/.test(doc);
}

/**
 * The event of one page, or null (an overview, a method page in an events folder).
 * @param {string} source
 * @param {string} doc
 * @returns {EventFacts | null}
 */
export function parseEventFacts(source, doc) {
  const page = scanPage(source);
  const title = /^#\s+(.+)$/m.exec(source)?.[1] ?? '';
  let payload;
  for (const c of page.code) {
    if (!/^\s*\{/.test(c.text)) continue;
    const v = parseLooseJson(c.text);
    if (isPlainObject(v) && typeof v.event === 'string' && 'data' in v) {
      payload = v;
      break;
    }
  }
  const titleTokens = [...title.matchAll(EVENT_TOKEN)].map((m) => /** @type {string} */ (m[0]));
  // The payload names the event on the wire; the title may name it otherwise (`onDeleting`).
  const wire = String(payload?.event ?? titleTokens[titleTokens.length - 1] ?? '').toUpperCase();
  if (!wire || !validName(wire)) return null;
  // The docs' spelling: the title's, else the page's most used one, else the wire name.
  /** @type {Map<string, number>} */ const counts = new Map();
  for (const m of source.matchAll(EVENT_TOKEN))
    if (m[0].toUpperCase() === wire) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  const spelling =
    titleTokens.find((t) => t.toUpperCase() === wire && t !== wire) ??
    [...counts].filter(([t]) => t !== wire).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ??
    wire;
  const words = parseEventPage(source);
  const describe = describer(words.descriptions);
  /** @type {Obj} */ const entry = {};
  if (words.scopes[0]) entry.scope = words.scopes[0];
  entry.docUrl = docUrl(doc);
  entry.description = words.summary || `Sent as ${wire}.`;
  if (!payload) {
    // No documented example: nothing is known about the fields, so data stays open.
    entry.data = {};
    entry.dataOpen = true;
  } else {
    const d = payload.data;
    if (isPlainObject(d)) {
      const { fields, open } = group(d, [], describe);
      entry.data = fields;
      if (open) entry.dataOpen = true;
    } else if (Array.isArray(d)) entry.data = d.length ? { type: 'any' } : {};
    else entry.data = 'string';
  }
  if (doc.includes('/outdated/')) entry.deprecated = true;
  return { wire, spelling, doc, entry };
}

/**
 * Every event documented in a docs checkout, by wire name (the first page of a name wins).
 * @param {string} root
 * @returns {Map<string, EventFacts>}
 */
export function discoverEvents(root) {
  /** @type {Map<string, EventFacts>} */ const out = new Map();
  for (const doc of listPages(root)) {
    if (!isEventPath(doc)) continue;
    const source = readFileSync(join(root, doc), 'utf8');
    const f = parseEventFacts(source, doc);
    if (!f || out.has(f.wire)) continue;
    out.set(f.wire, f);
  }
  return out;
}

/** Description lookup by dotted path inside `data`; nested tables name paths from their group. @param {Map<string, string>} descriptions */
function describer(descriptions) {
  return (/** @type {string[]} */ path) => {
    for (let i = 0; i < path.length; i++) {
      // The full path, then shorter tails ("connector.line_id" inside DATA[]), never a lone leaf name out of context.
      if (i > 0 && path.length - i < 2) break;
      const hit = descriptions.get(path.slice(i).join('.'));
      if (hit) return hit;
    }
    return undefined;
  };
}

/**
 * @param {Obj} obj @param {string[]} path @param {(path: string[]) => string | undefined} describe
 * @returns {{ fields: Obj, open: boolean }}
 */
function group(obj, path, describe, present = (/** @type {string} */ _k) => true) {
  const keys = Object.keys(obj);
  const trust = keys.length <= TRUSTED_FIELDS;
  /** @type {Obj} */ const fields = {};
  let open = false;
  for (const k of keys) {
    if (!validName(k)) {
      open = true;
      continue;
    }
    const v = obj[k];
    const f = field(v, [...path, k], describe);
    const known = v !== null && !(Array.isArray(v) && v.length === 0);
    fields[k] = trust && known && present(k) ? { type: f.type, required: true, ...rest(f) } : f;
  }
  return { fields, open };
}

/** @param {Obj} f */
function rest(f) {
  const { type: _t, ...others } = f;
  return others;
}

/**
 * @param {unknown} v @param {string[]} path @param {(path: string[]) => string | undefined} describe
 * @returns {Obj}
 */
function field(v, path, describe) {
  const description = describe(path);
  const withDoc = (/** @type {Obj} */ f) => {
    const { type, ...others } = f;
    return { type, ...(description ? { description } : {}), ...others };
  };
  if (Array.isArray(v)) {
    // An empty array is not sent at all in a form body: nothing to type.
    if (v.length === 0) return withDoc({ type: 'any' });
    if (v.every(isPlainObject)) {
      // Rows of one list: the union of their fields, required only where every row has it.
      /** @type {Obj} */ const merged = {};
      for (const row of v) for (const [k, x] of Object.entries(row)) if (!(k in merged)) merged[k] = x;
      const inAll = (/** @type {string} */ k) => v.every((row) => k in row);
      const g = group(merged, path, describe, inAll);
      return withDoc({ type: 'object[]', fields: g.fields, ...(g.open ? { open: true } : {}) });
    }
    return withDoc({ type: v.some((x) => x !== null && typeof x === 'object') ? 'any[]' : 'string[]' });
  }
  if (isPlainObject(v)) {
    const o = /** @type {Obj} */ (v);
    const keys = Object.keys(o);
    // Empty, or keyed by ids ({"13": ...}): a map, not a record with fixed fields.
    if (keys.length === 0 || keys.every((k) => /^\d+$/.test(k))) return withDoc({ type: 'object' });
    const g = group(o, path, describe);
    return withDoc({ type: 'object', fields: g.fields, ...(g.open ? { open: true } : {}) });
  }
  return withDoc({ type: v === null ? 'any' : 'string' });
}
