#!/usr/bin/env node
// @ts-check
// Agreement of a schema directory with the reference catalog (a catalog.json of docs facts, given with --catalog):
// share of catalog method names present, and of catalog params whose name and required flag
// the schema has. Measuring only: the importer never reads the catalog.
//   node scripts/restdocs/compare.mjs --schema DIR [--catalog FILE] [--verbose N] [--min-methods P --min-params P]
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSchema } from './schema-io.mjs';

/**
 * @param {Record<string, any>} methods schema method name -> entry
 * @param {{ methods: { method: string, params: { name: string, required?: boolean }[] }[] }} catalog
 */
export function agreement(methods, catalog) {
  const lower = new Map(Object.keys(methods).map((m) => [m.toLowerCase(), m]));
  let found = 0;
  let foundExact = 0;
  let params = 0;
  let names = 0;
  let both = 0;
  /** @type {string[]} */ const missingMethods = [];
  /** @type {string[]} */ const paramDiffs = [];
  for (const cm of catalog.methods) {
    // The server lowercases method names; the docs are not consistent in their casing.
    const key = methods[cm.method] ? cm.method : lower.get(cm.method.toLowerCase());
    if (key) {
      found++;
      if (key === cm.method) foundExact++;
    } else missingMethods.push(cm.method);
    const mine = key ? (methods[key]?.params ?? {}) : null;
    for (const p of cm.params) {
      params++;
      if (!mine) continue;
      const q = lookupParam(mine, p.name) ?? (/[*]/.test(p.name) && key && methods[key].openParams ? {} : undefined);
      if (!q) {
        paramDiffs.push(`${cm.method}: ${p.name} missing`);
        continue;
      }
      names++;
      if (Boolean(q.required) === Boolean(p.required)) both++;
      else
        paramDiffs.push(
          `${cm.method}: ${p.name} required ${Boolean(p.required)} in catalog, ${Boolean(q.required)} here`,
        );
    }
  }
  const pct = (/** @type {number} */ a, /** @type {number} */ b) => (b ? (100 * a) / b : 100);
  return {
    methods: { total: catalog.methods.length, found, foundExact, pct: pct(found, catalog.methods.length) },
    params: { total: params, names, namesPct: pct(names, params), both, bothPct: pct(both, params) },
    missingMethods,
    paramDiffs,
  };
}

/**
 * A catalog param name in the schema's params: `fields.X` and `X (GROUP)` are group members,
 * `UF_*`-style names are covered by `openParams`.
 * @param {Record<string, any>} params
 * @param {string} name
 */
function lookupParam(params, name) {
  if (params[name]) return params[name];
  const dotted = /^(\w+)\.(\w+)$/.exec(name);
  if (dotted) return params[/** @type {string} */ (dotted[1])]?.fields?.[/** @type {string} */ (dotted[2])];
  const paren = /^(\w+)\s*\((\w+)\)$/.exec(name);
  if (paren) return params[/** @type {string} */ (paren[2])]?.fields?.[/** @type {string} */ (paren[1])];
  return undefined;
}

function main() {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string' },
      catalog: { type: 'string' },
      verbose: { type: 'string', default: '0' },
      'min-methods': { type: 'string' },
      'min-params': { type: 'string' },
    },
  });
  if (!values.schema || !values.catalog) {
    console.error('usage: compare.mjs --schema DIR --catalog FILE [--verbose N]');
    return 2;
  }
  if (!existsSync(resolve(values.schema))) {
    console.error(`no schema directory at ${resolve(values.schema)}`);
    return 2;
  }
  const catalog = JSON.parse(readFileSync(resolve(values.catalog), 'utf8'));
  /** @type {Record<string, any>} */ const methods = {};
  for (const f of loadSchema(resolve(values.schema)).files.values()) Object.assign(methods, f.data.methods ?? {});
  const a = agreement(methods, catalog);
  console.log(`catalog commit: ${catalog.commit}`);
  console.log(
    `methods: ${a.methods.found}/${a.methods.total} = ${a.methods.pct.toFixed(2)}% (same spelling: ${a.methods.foundExact})`,
  );
  console.log(`param names: ${a.params.names}/${a.params.total} = ${a.params.namesPct.toFixed(2)}%`);
  console.log(`param names + required: ${a.params.both}/${a.params.total} = ${a.params.bothPct.toFixed(2)}%`);
  const n = Number(values.verbose);
  if (n > 0) {
    console.log(`\nmissing methods (${a.missingMethods.length}):\n  ${a.missingMethods.slice(0, n).join('\n  ')}`);
    console.log(`\nparam differences (${a.paramDiffs.length}):\n  ${a.paramDiffs.slice(0, n).join('\n  ')}`);
  }
  const minM = values['min-methods'] ? Number(values['min-methods']) : null;
  const minP = values['min-params'] ? Number(values['min-params']) : null;
  if ((minM !== null && a.methods.pct < minM) || (minP !== null && a.params.bothPct < minP)) return 1;
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('compare.mjs'))
  process.exitCode = main();
