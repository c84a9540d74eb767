/** No package's source has an import cycle (type-only imports included: they are coupling too). */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative import specifiers of a file (`import ... from './x.js'`, `export ... from`, `import('./x.js')`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm))
    found.push(m[1]!);
  return found;
}

function resolveImport(from: string, spec: string, known: Set<string>): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base.replace(/\.cjs$/, '.cts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** Every cycle found by a depth-first walk, as a list of files relative to the root. */
function findCycles(files: string[]): string[][] {
  const known = new Set(files);
  const edges = new Map(
    files.map((f) => [
      f,
      relativeImports(f)
        .map((s) => resolveImport(f, s, known))
        .filter((x): x is string => x !== undefined),
    ]),
  );
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of edges.get(f) ?? []) {
      if (state.get(to) === 'open')
        cycles.push(
          [...stack.slice(stack.indexOf(to)), to].map((p) => (p.startsWith(root) ? p.slice(root.length + 1) : p)),
        );
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

describe('import graph', () => {
  const packages = readdirSync(join(root, 'packages')).filter((p) => {
    try {
      return statSync(join(root, 'packages', p, 'src')).isDirectory();
    } catch {
      return false;
    }
  });

  it('walks every package', () => {
    expect(packages).toEqual(expect.arrayContaining(['core', 'auth', 'client', 'cli', 'emulator']));
  });

  it('finds a cycle when there is one (the walker works)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24kit-graph-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { C } from './c.js';\nexport const b = 1;\n");
      writeFileSync(join(dir, 'c.ts'), "export type C = 1;\nexport { a } from './a.js';\n");
      const cycles = findCycles(sourceFiles(dir));
      expect(cycles).toHaveLength(1);
      expect(cycles[0]!.map((f) => f.split('/').pop())).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['core', 'auth', 'client', 'cli', 'emulator'])('packages/%s/src has no import cycle', (pkg) => {
    expect(findCycles(sourceFiles(join(root, 'packages', pkg, 'src')))).toEqual([]);
  });

  it('no other package has one either', () => {
    const cycles = packages.flatMap((p) => findCycles(sourceFiles(join(root, 'packages', p, 'src'))));
    expect(cycles).toEqual([]);
  });
});
