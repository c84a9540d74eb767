#!/usr/bin/env node
// @ts-check
// Result fields the server always returns, from the documented response examples: a field the
// example of a get-like method (`*.get`, `*.current`) shows is always returned, so the entity
// type marks it `required: true`; where the example shows null, its type gets `| null`. Types are
// reached from the method's result type through nested objects and arrays (`{ task: Task }`,
// `User[]`), and a type shown by several examples (or by several rows of one) is required only in
// the fields every one of them shows.
//
// The docs do not say when a field is left out, so what the examples cannot tell stays in the
// schema by hand and this script respects it:
//   type  `optionalReason` alone        the whole type is left as it is (the reason says why)
//   type  `optionalReason` + `alwaysReturned: [names]`   only those names may become required
//   field `optionalReason`              the field stays optional
// and fields named like a portal's own fields (user fields `UF_*`, see PORTAL_SPECIFIC) stay optional.
// The script only adds marks (a `required` written by hand, or by an earlier run, stays), so it is
// idempotent; the docs sync runs it after every merge (scripts/restdocs/sync.mjs), so new fields
// and new examples get their marks, and `--check` fails when the schema lacks a mark it would add.
//
// node scripts/restdocs/required-fields.mjs [--schema DIR] [--check]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSchema, renderEntityFile, writeText } from './schema-io.mjs';

/** A method whose documented example is one full object (or rows of full objects). */
export const GET_LIKE = /\.(get|current)$/i;

/**
 * Names of fields that exist only on the portal the example was taken from: user fields
 * (`UF_CRM_...`, `ufCrm...`), links to a portal's own smart processes (`PARENT_ID_1220`,
 * `parentId1222`) and catalog properties (`property258`). They stay optional whatever the example shows.
 */
export const PORTAL_SPECIFIC = /^(UF_|uf[A-Z_]|PARENT_ID_\d|parentId\d|PROPERTY_\d|property\d)/;

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Members of a union type expression (top level only: no generics contain `|` here). @param {string} t */
const members = (t) =>
  String(t)
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * @typedef {{ seen: number, present: Map<string, number>, nulls: Set<string>, from: Set<string> }} Observation
 * @typedef {{ type: string, field: string, change: 'required' | 'null' }} Change
 */

/**
 * Marks the always-returned fields of every type a get-like example shows. Mutates `data`.
 * @param {Map<string, Record<string, any>>} data schema file contents by `domain/entity`
 * @param {Map<string, Record<string, any>>} examples `<entity>.docs.json` `methods` by `domain/entity`
 * @returns {Change[]} what was added (empty when the schema already has every mark)
 */
export function markRequired(data, examples) {
  /** @type {Map<string, Record<string, any>>} `domain/Type` -> type entry (`_shared/` for shared) */
  const typeAt = new Map();
  for (const [rel, d] of data) {
    const domain = /** @type {string} */ (rel.split('/')[0]);
    for (const [name, t] of Object.entries(d.types ?? {})) if (isObj(t)) typeAt.set(`${domain}/${name}`, t);
  }
  const resolveType = (/** @type {string} */ domain, /** @type {string} */ name) =>
    typeAt.has(`${domain}/${name}`)
      ? `${domain}/${name}`
      : typeAt.has(`_shared/${name}`)
        ? `_shared/${name}`
        : undefined;

  /** @type {Map<string, Observation>} */ const seen = new Map();
  /**
   * @param {unknown} v @param {string} expr @param {string} domain @param {string} method @param {number} depth
   */
  const walk = (v, expr, domain, method, depth) => {
    if (depth > 8 || v === null || v === undefined) return;
    for (const m of members(expr)) {
      if (m === 'null') continue;
      if (m.endsWith('[]')) {
        if (Array.isArray(v)) for (const x of v) walk(x, m.slice(0, -2), domain, method, depth + 1);
        if (Array.isArray(v)) return;
        continue;
      }
      const key = resolveType(domain, m);
      if (!key || !isObj(v)) continue;
      const t = /** @type {Record<string, any>} */ (typeAt.get(key));
      const o = seen.get(key) ?? { seen: 0, present: new Map(), nulls: new Set(), from: new Set() };
      o.seen++;
      o.from.add(method);
      for (const [k, x] of Object.entries(v)) {
        const fd = t.fields?.[k];
        if (!isObj(fd)) continue;
        o.present.set(k, (o.present.get(k) ?? 0) + 1);
        if (x === null) o.nulls.add(k);
        else if (typeof x === 'object') walk(x, String(fd.type), key.split('/')[0] ?? domain, method, depth + 1);
      }
      seen.set(key, o);
      return;
    }
  };

  for (const [rel, d] of [...data].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const domain = /** @type {string} */ (rel.split('/')[0]);
    const ex = examples.get(rel) ?? {};
    for (const [name, m] of Object.entries(d.methods ?? {})) {
      if (!GET_LIKE.test(name) || !isObj(m)) continue;
      const example = ex[name]?.example;
      if (!isObj(example) || !('result' in example)) continue;
      walk(example.result, String(m.result ?? 'any'), domain, name, 0);
    }
  }

  /** @type {Change[]} */ const changes = [];
  for (const [key, o] of [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = /** @type {Record<string, any>} */ (typeAt.get(key));
    const only = Array.isArray(t.alwaysReturned) ? new Set(t.alwaysReturned.map(String)) : null;
    if (t.optionalReason && !only) continue;
    for (const [field, fd] of Object.entries(t.fields ?? {})) {
      if (!isObj(fd) || fd.optionalReason || PORTAL_SPECIFIC.test(field)) continue;
      if (only && !only.has(field)) continue;
      const count = o.present.get(field) ?? 0;
      if (count !== o.seen) continue;
      if (fd.required !== true) {
        fd.required = true;
        changes.push({ type: key, field, change: 'required' });
      }
      if (
        o.nulls.has(field) &&
        !members(String(fd.type)).includes('null') &&
        !/^(any|any\[\])$/.test(String(fd.type))
      ) {
        fd.type = `${fd.type} | null`;
        changes.push({ type: key, field, change: 'null' });
      }
    }
  }
  return changes;
}

/**
 * Runs over a schema directory: reads every entity file and its `.docs.json`, marks, writes back
 * (through the YAML document model, so layout and comments stay) unless `check`.
 * @param {string} schemaDir
 * @param {{ check?: boolean }} [opts]
 * @returns {{ changes: Change[], written: string[] }}
 */
export function runOnSchema(schemaDir, opts = {}) {
  const { files } = loadSchema(schemaDir);
  /** @type {Map<string, Record<string, any>>} */ const data = new Map();
  /** @type {Map<string, Record<string, any>>} */ const examples = new Map();
  for (const [rel, f] of files) {
    data.set(rel, f.data);
    const p = join(schemaDir, `${rel}.docs.json`);
    if (existsSync(p)) examples.set(rel, JSON.parse(readFileSync(p, 'utf8')).methods ?? {});
  }
  const changes = markRequired(data, examples);
  /** @type {string[]} */ const written = [];
  if (!opts.check) {
    const touched = new Set(changes.map((c) => c.type.split('/')[0]));
    for (const [rel, f] of files) {
      if (!touched.has(/** @type {string} */ (rel.split('/')[0]))) continue;
      if (writeText(f.path, renderEntityFile(f.doc, f.data))) written.push(`${rel}.yaml`);
    }
  }
  return { changes, written };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { schema: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const schema = resolve(values.schema ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema'));
  const { changes, written } = runOnSchema(schema, { check: values.check });
  const req = changes.filter((c) => c.change === 'required').length;
  const nul = changes.length - req;
  const types = new Set(changes.map((c) => c.type)).size;
  if (values.check) {
    if (changes.length) {
      console.error(
        `required-fields: ${req} field(s) shown by a get example are not required, ${nul} shown null lack | null (${types} types); run node scripts/restdocs/required-fields.mjs`,
      );
      for (const c of changes.slice(0, 40)) console.error(`  ${c.type}.${c.field}: ${c.change}`);
      process.exit(1);
    }
    console.log('required-fields: every always-returned field is marked');
  } else {
    console.log(
      `required-fields: ${req} field(s) made required, ${nul} made nullable, in ${types} types; ${written.length} file(s) written`,
    );
  }
}
