#!/usr/bin/env node
// @ts-check
// Compares every method's result type with the documented response example kept beside its
// entity file (`<entity>.docs.json`), and prints the figures:
//   loose      the example shows the result's shape (an object with keys, or rows of objects)
//              while the result type says nothing about it (`object`, `any`, `object[]`, ...)
//   mismatches a value of the example whose wire type the result type contradicts (a string ID
//              typed integer, a number typed string, "Y"/"N" typed boolean, ...)
// node scripts/restdocs/result-check.mjs [--schema DIR] [--list]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSchema } from './schema-io.mjs';

const LOOSE = new Set(['object', 'any', 'object[]', 'any[]', 'Record<any>', 'Record<object>']);
const isObj = (/** @type {unknown} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * @param {string} schemaDir
 * @returns {{ methods: number, withExample: number, loose: string[], mismatches: string[] }}
 */
export function checkResults(schemaDir) {
  const { files } = loadSchema(schemaDir);
  /** @type {Map<string, Record<string, any>>} domain -> types (with _shared) */ const typesOf = new Map();
  /** @type {Record<string, any>} */ const shared = {};
  for (const [rel, f] of files) {
    const domain = /** @type {string} */ (rel.split('/')[0]);
    const into = domain === '_shared' ? shared : (typesOf.get(domain) ?? {});
    Object.assign(into, f.data.types ?? {});
    if (domain !== '_shared') typesOf.set(domain, into);
  }
  let methods = 0;
  let withExample = 0;
  /** @type {string[]} */ const loose = [];
  /** @type {string[]} */ const mismatches = [];
  for (const [rel, f] of files) {
    const domain = /** @type {string} */ (rel.split('/')[0]);
    let docs;
    try {
      docs = JSON.parse(readFileSync(join(schemaDir, `${rel}.docs.json`), 'utf8'));
    } catch {
      docs = { methods: {} };
    }
    const types = { ...shared, ...(typesOf.get(domain) ?? {}) };
    for (const [name, m] of Object.entries(f.data.methods ?? {})) {
      methods++;
      const ex = docs.methods?.[name]?.example;
      if (!isObj(ex) || !('result' in ex)) continue;
      withExample++;
      const result = ex.result;
      const t = String(m.result ?? 'any').trim();
      const shaped = (isObj(result) && Object.keys(result).length > 0) || (Array.isArray(result) && result.some(isObj));
      if (shaped && LOOSE.has(t)) loose.push(`${name}: ${t}`);
      walk(result, t, types, `${name} result`, mismatches, 0);
    }
  }
  return { methods, withExample, loose, mismatches };
}

/**
 * @param {unknown} v a value of the example
 * @param {string} t its schema type expression
 * @param {Record<string, any>} types
 * @param {string} path
 * @param {string[]} out
 * @param {number} depth
 * @param {string} [wire]
 */
function walk(v, t, types, path, out, depth, wire) {
  if (depth > 12 || v === null || v === undefined) return;
  const alts = t.split(/\s*\|\s*/).map((x) => x.trim());
  if (alts.length > 1) {
    // A union agrees when one member does.
    const ok = alts.some((a) => {
      /** @type {string[]} */ const tmp = [];
      walk(v, a, types, path, tmp, depth, wire);
      return tmp.length === 0;
    });
    if (!ok) out.push(`${path}: ${JSON.stringify(v).slice(0, 40)} is not ${t}`);
    return;
  }
  if (t.endsWith('[]')) {
    if (!Array.isArray(v)) {
      // PHP sends an empty array for an empty map; anything else is a mismatch.
      if (!(isObj(v) && Object.keys(/** @type {object} */ (v)).length === 0))
        out.push(`${path}: ${kind(v)} is not ${t}`);
      return;
    }
    for (const [i, x] of v.entries()) if (i < 20) walk(x, t.slice(0, -2), types, `${path}[${i}]`, out, depth + 1);
    return;
  }
  const rec = /^Record<(.+)>$/.exec(t);
  if (rec) {
    if (Array.isArray(v) && v.length === 0) return;
    if (!isObj(v)) return void out.push(`${path}: ${kind(v)} is not ${t}`);
    for (const [k, x] of Object.entries(/** @type {object} */ (v)))
      walk(x, /** @type {string} */ (rec[1]), types, `${path}.${k}`, out, depth + 1);
    return;
  }
  const named = types[t];
  if (named) {
    if (Array.isArray(v) && v.length === 0) return;
    if (!isObj(v)) return void out.push(`${path}: ${kind(v)} is not ${t}`);
    for (const [k, x] of Object.entries(/** @type {object} */ (v))) {
      const fd = named.fields?.[k];
      if (fd) walk(x, String(fd.type), types, `${path}.${k}`, out, depth + 1, fd.wire);
    }
    return;
  }
  const k = kind(v);
  const bad = (() => {
    switch (t) {
      case 'integer':
      case 'double':
        return wire === 'string' ? k !== 'string' && k !== 'number' : k !== 'number';
      case 'string':
      case 'date':
      case 'datetime':
        return k !== 'string';
      case 'boolean':
        return wire === 'yn' ? k !== 'string' : k !== 'boolean';
      case 'yn':
        return k !== 'string';
      case 'object':
        return k !== 'object' && !(Array.isArray(v) && v.length === 0);
      default:
        return false;
    }
  })();
  if (bad) out.push(`${path}: ${JSON.stringify(v).slice(0, 40)} is not ${t}${wire ? ` (wire ${wire})` : ''}`);
}

/** @param {unknown} v */
function kind(v) {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { schema: { type: 'string' }, list: { type: 'boolean', default: false } } });
  const schema = resolve(values.schema ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema'));
  const r = checkResults(schema);
  console.log(`methods: ${r.methods}; with a response example: ${r.withExample}`);
  console.log(`loosely typed results although the example shows the shape: ${r.loose.length}`);
  console.log(`wire-type mismatches against the examples: ${r.mismatches.length}`);
  if (values.list) {
    for (const x of r.loose) console.log(`  loose ${x}`);
    for (const x of r.mismatches) console.log(`  mismatch ${x}`);
  }
}
