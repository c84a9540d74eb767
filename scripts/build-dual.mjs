#!/usr/bin/env node
// @ts-check
// Builds the package in the current directory twice from the same sources:
// ESM into dist/esm and CommonJS into dist/cjs, each with its own declarations,
// so both `import` and `require` get matching types.
// The two tsc runs share nothing but the sources and each uses one core, so they run side by
// side; each one's output is printed whole when it ends, so errors do not interleave.
// Source maps carry their sources (inlineSources): src/ is not published, so a map that only
// pointed at ../../src/*.ts would be dead weight. Declaration maps are left out for the same
// reason (they can only point at the unpublished .ts files). `--no-source-maps` leaves maps
// out altogether: the client's generated stubs are readable as emitted, and their maps with
// sources would double the package.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const formats = process.argv.includes('--esm-only') ? ['esm'] : ['esm', 'cjs'];
const maps = process.argv.includes('--no-source-maps')
  ? ['--sourceMap', 'false', '--declarationMap', 'false']
  : ['--sourceMap', '--inlineSources', '--declarationMap', 'false'];

/** @param {string} format @returns {Promise<{ format: string, status: number, output: string }>} */
function build(format) {
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', `dist/${format}`, ...maps];
  if (format === 'cjs') {
    args.push('--module', 'commonjs', '--moduleResolution', 'node10', '--verbatimModuleSyntax', 'false');
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ format, status: 1, output: `${output}${e.message}\n` }));
    child.on('close', (status) => resolve({ format, status: status ?? 1, output }));
  });
}

rmSync('dist', { recursive: true, force: true });
let failed = 0;
for (const { format, status, output } of await Promise.all(formats.map(build))) {
  if (output) process.stdout.write(formats.length > 1 ? `[${format}] ${output}` : output);
  if (status !== 0) {
    failed ||= status;
    continue;
  }
  mkdirSync(`dist/${format}`, { recursive: true });
  writeFileSync(
    `dist/${format}/package.json`,
    JSON.stringify({ type: format === 'cjs' ? 'commonjs' : 'module' }) + '\n',
  );
}
if (failed) process.exit(failed);
