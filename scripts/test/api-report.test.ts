// The API report check (scripts/api-report.mjs) on a package of its own making: a new export
// that is not in the committed report fails the check and leaves the report alone; --update
// writes it. The real packages are checked by .ci/run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiReport } from '../api-report.mjs';

const dir = mkdtempSync(join(tmpdir(), 'b24kit-api-report-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = join(dir, 'dist', 'esm', 'index.d.ts');
const pkg = { dir, name: '@b24kit/fake', entry };
const report = join(dir, 'api', 'fake.api.md');

describe('api-report', () => {
  it('writes the report with --update, then a new export fails the check', () => {
    mkdirSync(join(dir, 'dist', 'esm'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@b24kit/fake', version: '1.0.0' }));
    writeFileSync(entry, '/** Adds. */\nexport declare function add(a: number, b: number): number;\n');

    const first = apiReport(pkg, true);
    expect(first.errors).toBe(0);
    const written = readFileSync(report, 'utf8');
    expect(written).toContain('export function add(a: number, b: number): number;');
    expect(apiReport(pkg, false)).toMatchObject({ changed: false, errors: 0 });

    // an accidental export, the way `withMembers` became public
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}export declare function withMembers(): void;\n`);
    const check = apiReport(pkg, false);
    expect(check.changed).toBe(true);
    expect(readFileSync(report, 'utf8')).toBe(written);

    expect(apiReport(pkg, true).changed).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('export function withMembers(): void;');
  }, 120_000);
});
