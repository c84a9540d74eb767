import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A clone with nothing beside it builds, demos and tests: no tracked file may point at reference
// data outside the repository (the docs catalog, the OPI list, a docs checkout) or at an absolute
// path of one machine. The facts the project needs are committed data made by its own tools.
const repo = join(import.meta.dirname, '../..');
const OUTSIDE = [
  /\.\.\/shared(\/|['"`\s]|$)/,
  /shared\/bitrix24-rest/,
  /\bB24_REST_REF\b/,
  /(^|[\s'"`(=])\/work\//,
  /(^|[\s'"`(=])\/home\/[a-z]/,
  /(^|[\s'"`(=])\/root\//,
  /\/tmp\/b24restdocs/,
];

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => !/\.(png|jpg|ico|woff2?|lock)$/.test(f) && f !== 'pnpm-lock.yaml');
}

describe('the repository is self-contained', () => {
  it('no tracked file names reference data outside it or an absolute path of a machine', () => {
    const hits: string[] = [];
    for (const file of trackedTextFiles()) {
      let text: string;
      try {
        text = readFileSync(join(repo, file), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      text.split('\n').forEach((line, i) => {
        for (const pattern of OUTSIDE)
          if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('the check itself finds such a path', () => {
    // Built from parts, so that this file itself names no path outside the repository.
    const up = ['..', 'shared'].join('/');
    const machine = ['', 'work', 'shared'].join('/');
    const sample = [`const dir = '${up}/bitrix24-rest';`, `readFileSync('${machine}/catalog.json')`, `cd ${up}`];
    expect(sample.filter((line) => OUTSIDE.some((p) => p.test(line)))).toHaveLength(3);
    // A sibling module whose name starts with "shared" is not outside the repository.
    expect(OUTSIDE.some((p) => p.test("import { sharedLimits } from '../shared-limits.js';"))).toBe(false);
  });
});
