#!/usr/bin/env node
// Bundles main.ts into dist/main.mjs with rolldown (minified, tree-shaken), resolving the
// @b24kit packages through their `exports` maps to the built dist/esm files.
// rolldown is not a direct dependency: it comes with vite 8 (a root devDependency), so it is
// resolved from vite's own location. The emulator stays external: it loads a native SQLite addon.
import { createRequire } from 'node:module';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

async function loadRolldown() {
  const fromVite = createRequire(createRequire(import.meta.url).resolve('vite/package.json'));
  return import(pathToFileURL(fromVite.resolve('rolldown')).href);
}

const { rolldown } = await loadRolldown();
const external = [/^@b24kit\/emulator$/, /^node:/, ...builtinModules.map((m) => new RegExp(`^${m}(/|$)`))];
const bundle = await rolldown({ input: join(here, 'main.ts'), platform: 'node', external, logLevel: 'warn' });
const { output } = await bundle.write({ file: join(here, 'dist', 'main.mjs'), format: 'esm', minify: true });
await bundle.close();
console.log(`bundled ${output[0].fileName}: ${Buffer.byteLength(output[0].code)} bytes`);
