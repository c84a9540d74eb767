// `generate --check` on the committed tree, and on a copy with a hand edit.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'scripts', 'codegen', 'bin.mjs');
const generated = join(root, 'packages', 'client', 'src', 'generated');
const tmp = mkdtempSync(join(tmpdir(), 'b24-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

// Each test spawns the generator (seconds each on a loaded machine), some twice.
describe('generate --check', { timeout: 120_000 }, () => {
  it('is clean on the committed generated code', () => {
    const r = run('--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  it('fails on a hand edit, a stray file and a deleted file, naming each and the fix command', () => {
    const copy = join(tmp, 'generated');
    cpSync(generated, copy, { recursive: true });
    appendFileSync(join(copy, 'crm', 'types.ts'), '// hand edit\n');
    writeFileSync(join(copy, 'crm', 'extra.ts'), 'export {};\n');
    unlinkSync(join(copy, 'tasks', 'index.ts'));
    const r = run('--check', '--out', copy, '--no-package', '--no-cli', '--no-emulator');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/crm\/types\.ts/);
    expect(r.stderr).toMatch(/crm\/extra\.ts/);
    expect(r.stderr).toMatch(/tasks\/index\.ts/);
    expect(r.stderr).toMatch(/3 files differ/);
    expect(r.stderr).toMatch(/fix: npm run generate/);
  });

  it('generate repairs the copy, after which --check passes', () => {
    const copy = join(tmp, 'generated');
    const w = run('--out', copy, '--no-package', '--no-cli', '--no-emulator');
    expect(w.status).toBe(0);
    expect(w.stdout).toMatch(/updated 3 file/);
    expect(run('--check', '--out', copy, '--no-package', '--no-cli', '--no-emulator').status).toBe(0);
  });

  it('reports schema errors with file and line and exits 1', () => {
    const schema = join(tmp, 'schema');
    cpSync(join(root, 'schema'), schema, { recursive: true });
    appendFileSync(join(schema, 'crm', 'deal.yaml'), '  crm.deal.bogus:\n    scope: crm\n');
    const r = run(
      '--check',
      '--schema',
      schema,
      '--out',
      join(tmp, 'out'),
      '--no-package',
      '--no-cli',
      '--no-emulator',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /schema\/crm\/deal\.yaml:\d+:\d+ methods\.crm\.deal\.bogus: must have required property 'result'/,
    );
  });

  it('rejects unknown arguments', () => {
    const r = run('--chek');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--chek'/);
  });
});
