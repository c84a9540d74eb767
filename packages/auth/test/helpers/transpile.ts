/**
 * Child processes cannot import TypeScript sources on Node 20, so tests that spawn one
 * transpile the package's sources into a temp directory first (no type check, no build).
 * auth imports `@b24kit/core` (its error classes), so core's sources are transpiled beside it
 * (into `core/`) and bare imports are pointed at files: core's, and undici's entry.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const coreDir = fileURLToPath(new URL('../../../core/src/', import.meta.url));
const undiciEntry = pathToFileURL(createRequire(join(coreDir, 'index.ts')).resolve('undici')).href;

function transpileDir(from: string, outDir: string, rewrite: (text: string) => string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(from, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(join(outDir, name.replace(/\.ts$/, '.js')), rewrite(outputText));
  }
}

export function transpileSources(outDir: string): string {
  transpileDir(coreDir, join(outDir, 'core'), (text) => text.replace(/from '(undici)'/g, `from '${undiciEntry}'`));
  transpileDir(srcDir, outDir, (text) => text.replace(/from '@b24kit\/core'/g, "from './core/index.js'"));
  return outDir;
}
