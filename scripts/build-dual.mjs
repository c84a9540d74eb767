#!/usr/bin/env node
// Builds the package in the current directory twice from the same sources:
// ESM into dist/esm and CommonJS into dist/cjs, each with its own declarations,
// so both `import` and `require` get matching types.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const formats = process.argv.includes('--esm-only') ? ['esm'] : ['esm', 'cjs'];

rmSync('dist', { recursive: true, force: true });
for (const format of formats) {
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', `dist/${format}`];
  if (format === 'cjs') {
    args.push('--module', 'commonjs', '--moduleResolution', 'node10', '--verbatimModuleSyntax', 'false');
  }
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  mkdirSync(`dist/${format}`, { recursive: true });
  writeFileSync(
    `dist/${format}/package.json`,
    JSON.stringify({ type: format === 'cjs' ? 'commonjs' : 'module' }) + '\n',
  );
}
