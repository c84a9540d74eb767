// The events step of the slice: every event of the docs catalog (name, page, documented payload
// example) -> `events:` entries in schema/<domain>/events.yaml. The shape of `data` is inferred
// from the example, with every leaf a string (event bodies are PHP form fields); words (scope,
// summary, field descriptions) come from the event's page when the docs checkout has it.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Document, parseDocument } from 'yaml';
import { parseEventPage } from '../restdocs/event-page.mjs';
import { fileOfDoc } from '../restdocs/model.mjs';
import { renderEntityFile, writeText } from '../restdocs/schema-io.mjs';
import { sharedRestDir } from '../shared-ref.mjs';

/**
 * @typedef {{ event: string, doc: string, docUrl?: string, payloadExample?: any }} CatalogEvent
 * @typedef {{ spellings?: Record<string, string>, domains?: Record<string, string>, data?: Record<string, unknown> }} EventOverrides
 * @typedef {Record<string, any>} Obj
 */

const validName = (/** @type {string} */ n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n);
const isPlainObject = (/** @type {unknown} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// Docs examples show one portal's body: only small objects are trusted to always carry every field.
const TRUSTED_FIELDS = 6;

/**
 * @param {{ events: CatalogEvent[] }} catalog
 * @param {{ docsDir?: string, overrides?: EventOverrides }} [opts]
 * @returns {Map<string, Record<string, Obj>>} domain -> event name -> schema entry
 */
export function buildEvents(catalog, opts = {}) {
  const o = opts.overrides ?? {};
  /** @type {Map<string, Record<string, Obj>>} */ const out = new Map();
  /** @type {Map<string, string>} */ const seen = new Map();
  for (const e of catalog.events) {
    const payload = isPlainObject(e.payloadExample) ? e.payloadExample : undefined;
    // The page's own payload names the event on the wire; the catalog name may be a page title.
    const wire = (typeof payload?.event === 'string' ? payload.event : e.event).toUpperCase();
    const name = o.spellings?.[wire] ?? e.event;
    if (name.toUpperCase() !== wire) {
      throw new Error(`event ${e.event} (${e.doc}): its payload says ${wire}; add its spelling to spellings in event-overrides.mjs`);
    }
    if (seen.has(wire)) throw new Error(`event ${wire} is documented twice: ${seen.get(wire)} and ${e.doc}`);
    seen.set(wire, e.doc);
    const domain = o.domains?.[wire] ?? /** @type {string} */ (fileOfDoc(e.doc, '').split('/')[0]);
    const pagePath = opts.docsDir ? join(opts.docsDir, e.doc) : undefined;
    const page = pagePath && existsSync(pagePath) ? parseEventPage(readFileSync(pagePath, 'utf8')) : undefined;
    const describe = describer(page?.descriptions ?? new Map());

    /** @type {Obj} */ const entry = {};
    if (page?.scopes[0]) entry.scope = page.scopes[0];
    if (e.docUrl) entry.docUrl = e.docUrl;
    entry.description = page?.summary || `Sent as ${wire}.`;
    if (o.data?.[wire] !== undefined) entry.data = structuredClone(o.data[wire]);
    else if (!payload || !('data' in payload)) {
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
    if (e.doc.includes('/outdated/')) entry.deprecated = true;
    const events = out.get(domain) ?? {};
    events[name] = entry;
    out.set(domain, events);
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

const HEADER = '# Events written by scripts/schema-slice/events.mjs from the docs catalog, the event pages and\n# event-overrides.mjs. Re-run the slice after changing the overrides; hand edits here last until then.\n';

/**
 * Replaces every `events:` section under `schemaDir` with `byDomain`, in `<domain>/events.yaml`
 * (joining a file of that name that holds methods, such as events/events.yaml).
 * @param {string} schemaDir
 * @param {Map<string, Record<string, Obj>>} byDomain
 * @returns {string[]} files written or removed, relative to schemaDir
 */
export function writeEvents(schemaDir, byDomain) {
  /** @type {string[]} */ const touched = [];
  const sorted = (/** @type {Obj} */ o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)));
  /** @type {Set<string>} */ const targets = new Set([...byDomain.keys()].map((d) => `${d}/events.yaml`));
  for (const domain of readdirSync(schemaDir).sort()) {
    const dir = join(schemaDir, domain);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      const rel = `${domain}/${file}`;
      if (!file.endsWith('.yaml') || targets.has(rel)) continue;
      const doc = parseDocument(readFileSync(join(dir, file), 'utf8'));
      const data = doc.toJS() ?? {};
      if (!data.events) continue;
      // Events that moved elsewhere (or are gone) leave their old file.
      const { events: _gone, ...others } = data;
      if (!others.methods && !others.types) rmSync(join(dir, file));
      else writeText(join(dir, file), renderEntityFile(doc, others));
      touched.push(rel);
    }
  }
  for (const [domain, events] of [...byDomain].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rel = `${domain}/events.yaml`;
    const path = join(schemaDir, rel);
    const existing = existsSync(path) ? parseDocument(readFileSync(path, 'utf8')) : null;
    const doc = existing ?? new Document({});
    if (!existing) doc.commentBefore = HEADER.trimEnd().split('\n').map((l) => l.replace(/^# ?/, ' ')).join('\n');
    const data = existing?.toJS() ?? {};
    if (writeText(path, renderEntityFile(doc, { ...data, events: sorted(events) }))) touched.push(rel);
  }
  return touched;
}

// `node scripts/schema-slice/events.mjs [catalog dir]`: the events step alone (slice.mjs runs it too).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const refDir = process.argv[2] ?? sharedRestDir();
  const docsDir = process.env.B24_DOCS ?? '/tmp/b24restdocs';
  const catalog = JSON.parse(readFileSync(join(refDir, 'catalog.json'), 'utf8'));
  const overrides = await import('./event-overrides.mjs');
  const byDomain = buildEvents(catalog, { ...(existsSync(join(docsDir, 'api-reference')) ? { docsDir } : {}), overrides });
  const touched = writeEvents(join(root, 'schema'), byDomain);
  console.log(`events: ${[...byDomain.values()].reduce((n, e) => n + Object.keys(e).length, 0)} in ${byDomain.size} domains; ${touched.length} file(s) changed`);
}
