#!/usr/bin/env node
// @ts-check
// Writes packages/emulator/src/generated/method-table.ts: for every method in schema/, what the
// emulator needs to answer it without a hand-written domain (scope, flags, params with types,
// the result type expression, list shape) plus the documented response example and error codes
// that the docs sync stored beside each entity file (schema/<domain>/<entity>.docs.json), and
// the entity types by domain, and the events (scope and documented payload fields), which the
// generic tables raise on add/update/delete. The emulator reads only this file at run time.
//
//   node scripts/emulator-method-table.mjs           rewrite the file
//   node scripts/emulator-method-table.mjs --check   exit 1 when the file is stale
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schema');
const outFile = join(root, 'packages/emulator/src/generated/method-table.ts');

/**
 * @param {string} dir
 * @returns {string[]}
 */
function yamlFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (name.endsWith('.yaml') && name !== 'SOURCE.yaml') out.push(full);
  }
  return out;
}

/**
 * name -> [type, required 0|1, nested fields?] (nested groups recurse).
 * @param {Record<string, any> | undefined} params
 * @returns {Record<string, Array<string | number | Record<string, unknown>>>}
 */
function compactParams(params) {
  /** @type {Record<string, Array<string | number | Record<string, unknown>>>} */
  const out = {};
  for (const [name, spec] of Object.entries(params ?? {})) {
    const type = String(spec?.type ?? (spec?.fields ? 'object' : 'any'));
    /** @type {Array<string | number | Record<string, unknown>>} */
    const entry = [type, spec?.required ? 1 : 0];
    if (spec?.fields) entry.push(compactParams(spec.fields));
    out[name] = entry;
  }
  return out;
}

/** @param {Record<string, unknown>} obj */
const sortKeys = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** @type {Record<string, Record<string, unknown>>} */
const types = {};
/** @type {Record<string, Record<string, unknown>>} */
const methods = {};
/** @type {Record<string, Record<string, unknown>>} */
const events = {};
for (const file of yamlFiles(schemaDir)) {
  const rel = relative(schemaDir, file).split(/[\\/]/);
  const domain = /** @type {string} */ (rel[0]);
  const doc = parse(readFileSync(file, 'utf8')) ?? {};
  for (const [name, t] of Object.entries(doc.types ?? {})) {
    /** @type {Record<string, unknown[]>} */
    const fields = {};
    for (const [f, fd] of Object.entries(t.fields ?? {})) {
      /** @type {unknown[]} */
      const entry = [String(fd.type), fd.required ? 1 : 0];
      if (fd.wire) entry.push(fd.wire);
      fields[f] = entry;
    }
    (types[domain] ??= {})[name] = t.open ? { f: fields, o: 1 } : { f: fields };
  }
  for (const [name, spec] of Object.entries(doc.events ?? {})) {
    // `data` is a table of payload fields; one event documents only a type name (kept as no fields).
    const data = spec?.data && typeof spec.data === 'object' ? compactParams(spec.data) : {};
    events[name] = { s: String(spec?.scope ?? ''), p: data };
  }
  const docsFile = file.replace(/\.yaml$/, '.docs.json');
  const docs = existsSync(docsFile) ? (JSON.parse(readFileSync(docsFile, 'utf8')).methods ?? {}) : {};
  for (const [name, spec] of Object.entries(doc.methods ?? {})) {
    /** @type {Record<string, unknown>} */
    const m = { d: domain, s: String(spec.scope), r: String(spec.result ?? 'any'), p: compactParams(spec.params) };
    if (spec.appOnly) m.a = 1;
    if (spec.batchable === false) m.b = 0;
    if (spec.apiVersion === 3) m.v = 3;
    if (spec.openParams) m.op = 1;
    if (spec.list) m.l = spec.list;
    const facts = docs[name];
    const ex = facts?.example;
    if (ex && typeof ex === 'object' && !Array.isArray(ex)) {
      if ('result' in ex) m.x = ex.result;
      else {
        // A few documented examples leave out the `result` wrapper ({"measures": [...], "total": 4,
        // "time": {...}}): what is left beside total/next/time is the result.
        const rest = Object.fromEntries(
          Object.entries(ex).filter(([k]) => !['time', 'total', 'next', 'error', 'error_description'].includes(k)),
        );
        if (Object.keys(rest).length && !('error' in ex)) m.x = rest;
      }
      if (typeof ex.total === 'number') m.xt = ex.total;
    }
    if (Array.isArray(facts?.errors) && facts.errors.length) {
      m.e = facts.errors.map((/** @type {any} */ e) =>
        e.status
          ? [String(e.code ?? ''), String(e.message ?? ''), e.status]
          : [String(e.code ?? ''), String(e.message ?? '')],
      );
    }
    methods[name] = m;
  }
}

const table = { types: sortKeys(types), methods: sortKeys(methods), events: sortKeys(events) };
const json = JSON.stringify(table);
const text = [
  '// Generated by scripts/emulator-method-table.mjs from schema/ (YAML and .docs.json). DO NOT EDIT.',
  '// One JSON text, parsed once on first use by src/schema/table.ts.',
  `export const methodTableJson = ${JSON.stringify(json)};`,
  '',
].join('\n');

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outFile, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('packages/emulator/src/generated/method-table.ts is stale: run npm run generate');
    process.exit(1);
  }
} else {
  writeFileSync(outFile, text);
  console.log(
    `${Object.keys(methods).length} methods (${(text.length / 1e6).toFixed(1)} MB) -> ${relative(root, outFile)}`,
  );
}
