#!/usr/bin/env node
// @ts-check
// The OPI parity list as project data: docs/opi-functions.tsv holds every function of the
// Bitrix24 library of the Open Integrations Package (region, function, REST method, params
// `Name:Type:Default:cliflag`, kind). Everything that needs the list (docs/opi-parity.md, the
// CLI's `b24 opi` table, their tests) reads this committed file and nothing outside the
// repository. When OPI changes, a maintainer imports a new list with this script, which checks
// its form before anything is written:
//
//   node scripts/opi-functions.mjs import path/to/list.tsv    check and write docs/opi-functions.tsv
//   node scripts/opi-functions.mjs check                      check the committed file
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const opiFunctionsFile = join(root, 'docs', 'opi-functions.tsv');

const HEADER = ['region', 'function', 'rest_method', 'params', 'kind'];
const KINDS = new Set(['remote', 'auth', 'local-helper']);

/**
 * @typedef {{ region: string, name: string, rest: string, params: string, kind: string }} OpiRow
 */

/**
 * Parses the TSV text, naming the line of every problem (all of them, not only the first).
 * @param {string} text
 * @param {string} [source]
 * @returns {OpiRow[]}
 */
export function parseOpiFunctions(text, source = 'opi-functions.tsv') {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const problems = [];
  if ((lines[0] ?? '') !== HEADER.join('\t')) problems.push(`${source}:1: the header must be ${HEADER.join(' TAB ')}`);
  /** @type {OpiRow[]} */
  const rows = [];
  const seen = new Set();
  lines.slice(1).forEach((line, i) => {
    const at = `${source}:${i + 2}`;
    const cols = line.split('\t');
    if (cols.length !== HEADER.length)
      return void problems.push(`${at}: ${cols.length} columns, expected ${HEADER.length}`);
    const [region = '', name = '', rest = '', params = '', kind = ''] = cols;
    if (!/^[A-Za-z]+$/.test(region)) problems.push(`${at}: region "${region}" is not a word`);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) problems.push(`${at}: function name "${name}" is not an identifier`);
    if (seen.has(name.toLowerCase())) problems.push(`${at}: function ${name} is listed twice`);
    seen.add(name.toLowerCase());
    if (!KINDS.has(kind)) problems.push(`${at}: kind "${kind}" is not one of ${[...KINDS].join(', ')}`);
    if (kind === 'remote' && !/^[a-z][A-Za-z0-9_.]*[A-Za-z0-9]( |$)/.test(rest))
      problems.push(`${at}: remote function ${name} names no REST method ("${rest}")`);
    for (const p of params.split(';').filter(Boolean)) {
      if (p.split(':').length < 4) problems.push(`${at}: param "${p}" is not Name:Type:Default:cliflag`);
    }
    rows.push({ region, name, rest, params, kind });
  });
  if (problems.length > 0) throw new Error(`bad OPI function list:\n  ${problems.join('\n  ')}`);
  return rows;
}

/** The committed list. @returns {OpiRow[]} */
export function readOpiFunctions() {
  return parseOpiFunctions(readFileSync(opiFunctionsFile, 'utf8'), 'docs/opi-functions.tsv');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, path] = process.argv.slice(2);
  try {
    if (command === 'import' && path) {
      const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n');
      const rows = parseOpiFunctions(text, path);
      writeFileSync(opiFunctionsFile, text);
      console.log(
        `wrote docs/opi-functions.tsv: ${rows.length} functions; now run node scripts/opi-table.mjs and node scripts/opi-cli-table.mjs`,
      );
    } else if (command === 'check') {
      console.log(`docs/opi-functions.tsv: ${readOpiFunctions().length} functions, well formed`);
    } else {
      console.error('usage: node scripts/opi-functions.mjs import PATH | check');
      process.exit(2);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
