// The generated client type-checks (tsc --noEmit over packages/client: src incl. generated, and test).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

it('tsc --noEmit passes over packages/client', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'packages', 'client', 'tsconfig.json'), '--noEmit'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
