#!/usr/bin/env node
// `npm run generate` writes packages/client/src/generated from schema/;
// `npm run generate -- --check` only compares and exits 1 on any difference (CI).
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';
import { SchemaError } from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length) {
  console.error(`generate: unknown argument ${unknown[0]} (usage: generate [--check])`);
  process.exit(2);
}

try {
  const { changed, files } = generate({
    schemaDir: join(root, 'schema'),
    outDir: join(root, 'packages', 'client', 'src', 'generated'),
    packageJson: join(root, 'packages', 'client', 'package.json'),
    check,
  });
  if (check) {
    if (changed.length) {
      console.error(`generated code is out of date with schema/ (${changed.length} file${changed.length === 1 ? '' : 's'} differ):`);
      for (const f of changed) console.error(`  packages/client/src/generated/${f}`.replace('generated/../', ''));
      console.error('fix: npm run generate   (then commit the result)');
      process.exit(1);
    }
    console.log(`generated code is up to date (${files} files)`);
  } else {
    console.log(changed.length ? `updated ${changed.length} file(s): ${changed.join(', ')}` : `nothing to do (${files} files up to date)`);
  }
} catch (e) {
  if (e instanceof SchemaError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
