#!/usr/bin/env node
// @ts-check
// Everything generated from schema/, in one command:
//   node scripts/generate.mjs           rewrite packages/client/src/generated, the CLI's method catalog
//                                       (packages/cli/src/generated/catalog.ts, from the same model)
//                                       the emulator's method table, and the OPI tables built from
//                                       docs/opi-functions.tsv and the schema (docs/opi-parity.md,
//                                       packages/cli/src/opi/functions.ts)
//   node scripts/generate.mjs --check   fail (exit 1) when either is stale; prints the fix command
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let failed = false;
// The OPI tables read the schema and the generated method index, so they run after codegen.
for (const script of ['codegen/bin.mjs', 'emulator-method-table.mjs', 'opi-table.mjs', 'opi-cli-table.mjs']) {
  const run = spawnSync(process.execPath, [join(here, script), ...args], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
