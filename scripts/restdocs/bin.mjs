#!/usr/bin/env node
// @ts-check
// node scripts/restdocs/bin.mjs --docs PATH [--schema DIR] [--dry-run] [--commit SHA] [--changeset-dir DIR] [--bootstrap]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sync } from './sync.mjs';

const usage =
  'usage: schema:sync --docs <b24restdocs checkout> [--schema <dir>] [--dry-run] [--commit <sha>] [--changeset-dir <dir>] [--bootstrap]';

function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        docs: { type: 'string' },
        schema: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        commit: { type: 'string' },
        'changeset-dir': { type: 'string' },
        bootstrap: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${/** @type {Error} */ (e).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.docs) {
    console.error(`--docs is required\n${usage}`);
    return 2;
  }
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const schema = resolve(values.schema ?? resolve(repoRoot, 'schema'));
  const started = Date.now();
  try {
    const r = sync({
      docs: resolve(values.docs),
      schema,
      dryRun: values['dry-run'],
      commit: values.commit,
      bootstrap: values.bootstrap,
      changesetDir: values['changeset-dir'] ? resolve(values['changeset-dir']) : resolve(schema, '..', '.changeset'),
    });
    console.log(r.text);
    console.log(
      values['dry-run']
        ? `dry run: nothing written (${r.methods} methods)`
        : `wrote ${r.written.length} file(s) under ${schema} (${r.methods} methods) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return 0;
  } catch (e) {
    console.error(`schema:sync failed: ${/** @type {Error} */ (e).message}`);
    return 1;
  }
}

process.exitCode = main();
