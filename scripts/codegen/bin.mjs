#!/usr/bin/env node
// @ts-check
// `npm run generate` writes packages/client/src/generated from schema/;
// `npm run generate -- --check` only compares and exits 1 on any difference (CI).
// --schema/--out/--package/--cli point it elsewhere (tests); --no-package leaves package.json alone,
// --no-cli the CLI's method catalog (packages/cli/src/generated/catalog.ts), --no-emulator the
// emulator's name types (packages/emulator/src/generated/names.ts).
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './generate.mjs';
import { SchemaError } from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let values;
try {
  ({ values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      schema: { type: 'string', default: join(root, 'schema') },
      out: { type: 'string', default: join(root, 'packages', 'client', 'src', 'generated') },
      package: { type: 'string', default: join(root, 'packages', 'client', 'package.json') },
      'no-package': { type: 'boolean', default: false },
      cli: { type: 'string', default: join(root, 'packages', 'cli', 'src', 'generated', 'catalog.ts') },
      'no-cli': { type: 'boolean', default: false },
      emulator: { type: 'string', default: join(root, 'packages', 'emulator', 'src', 'generated', 'names.ts') },
      'no-emulator': { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  console.error(`generate: ${/** @type {Error} */ (e).message} (usage: generate [--check])`);
  process.exit(2);
}
const outDir = resolve(values.out);
const schemaDir = resolve(values.schema);

try {
  const { changed, files } = generate({
    schemaDir,
    outDir,
    ...(values['no-package'] ? {} : { packageJson: resolve(values.package) }),
    ...(values['no-cli'] ? {} : { cliCatalog: resolve(values.cli) }),
    ...(values['no-emulator'] ? {} : { emulatorNames: resolve(values.emulator) }),
    jsonSchema: join(root, 'schema', 'schema.json'),
    check: values.check,
  });
  const shown = (/** @type {string} */ f) => relative(process.cwd(), join(outDir, f)) || f;
  if (values.check) {
    if (changed.length) {
      console.error(
        `generated code is out of date with ${relative(process.cwd(), schemaDir) || 'schema'}/ (${changed.length} file${changed.length === 1 ? '' : 's'} differ):`,
      );
      for (const f of changed) console.error(`  ${shown(f)}`);
      console.error('fix: npm run generate   (then commit the result)');
      process.exit(1);
    }
    console.log(`generated code is up to date (${files} files)`);
  } else {
    console.log(
      changed.length
        ? `updated ${changed.length} file(s):\n${changed.map((f) => `  ${shown(f)}`).join('\n')}`
        : `nothing to do (${files} files up to date)`,
    );
  }
} catch (e) {
  if (e instanceof SchemaError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
