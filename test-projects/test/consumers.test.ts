// The consumer projects in test-projects/ import the BUILT packages through the workspace
// node_modules and their `exports` maps, the way users do. Each one is type-checked by tsc
// (node16 resolution for the ESM and CommonJS ones, bundler resolution for the bundled one),
// built, run as a child process against its own emulator, and its JSON line checked.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const projects = join(root, 'test-projects');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = (pkg: string, ...rest: string[]) => join(root, 'packages', pkg, 'dist', ...rest);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Type-checks (and for node16 projects, compiles) one project; returns the files tsc loaded. */
async function typecheck(project: string): Promise<string[]> {
  const r = await run([tsc, '-p', '.', '--listFiles'], join(projects, project));
  // tsc prints diagnostics on stdout; show them when it fails.
  expect(r.code, `tsc -p test-projects/${project}:\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

interface Report {
  format: string;
  time: string;
  id: number;
  titles: string[];
  resolved?: { client: string; crm: string };
}

async function execute(project: string, file: string): Promise<Report> {
  const r = await run([join('dist', file)], join(projects, project));
  expect(r.code, `node test-projects/${project}/dist/${file}:\n${r.stderr}`).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Report;
}

function expectCalls(report: Report, format: string, title: string): void {
  expect(report.format).toBe(format);
  // server.time answers an ISO 8601 date-time with an offset
  expect(report.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  expect(Number.isInteger(report.id) && report.id > 0).toBe(true);
  expect(report.titles).toEqual([title]);
}

const posix = (p: string) => p.split(sep).join('/');

beforeAll(() => {
  const needed = [
    dist('core', 'esm', 'index.js'),
    dist('core', 'cjs', 'index.js'),
    dist('auth', 'cjs', 'index.js'),
    dist('client', 'esm', 'index.d.ts'),
    dist('client', 'cjs', 'generated', 'crm', 'index.d.ts'),
    dist('emulator', 'esm', 'index.js'),
  ];
  const missing = needed.filter((f) => !existsSync(f));
  if (missing.length)
    throw new Error(`test-projects need the built packages (run: npm run build); missing ${missing.join(', ')}`);
});

describe('consumer projects over the built packages', { timeout: 240_000 }, () => {
  it('ESM: import from @b24kit/client and @b24kit/client/crm (node16 types -> dist/esm)', async () => {
    const files = (await typecheck('esm')).map(posix);
    expect(files).toContain(posix(dist('client', 'esm', 'index.d.ts')));
    expect(files).toContain(posix(dist('client', 'esm', 'generated', 'crm', 'index.d.ts')));
    expect(files.filter((f) => f.includes('/packages/client/dist/cjs/'))).toEqual([]);

    const report = await execute('esm', 'main.mjs');
    expectCalls(report, 'esm', 'ESM consumer');
    expect(report.resolved?.client).toMatch(/\/packages\/client\/dist\/esm\/index\.js$/);
    expect(report.resolved?.crm).toMatch(/\/packages\/client\/dist\/esm\/generated\/crm\/index\.js$/);
  });

  it('CommonJS: require(@b24kit/client) and require(@b24kit/client/crm) (node16 types -> dist/cjs)', async () => {
    const files = (await typecheck('cjs')).map(posix);
    expect(files).toContain(posix(dist('client', 'cjs', 'index.d.ts')));
    expect(files).toContain(posix(dist('client', 'cjs', 'generated', 'crm', 'index.d.ts')));
    expect(files.filter((f) => f.includes('/packages/client/dist/esm/'))).toEqual([]);

    const compiled = readFileSync(join(projects, 'cjs', 'dist', 'main.cjs'), 'utf8');
    expect(compiled).toContain('require("@b24kit/client")');
    expect(compiled).toContain('require("@b24kit/client/crm")');

    const report = await execute('cjs', 'main.cjs');
    expectCalls(report, 'cjs', 'CJS consumer');
    expect(posix(report.resolved?.client ?? '')).toMatch(/\/packages\/client\/dist\/cjs\/index\.js$/);
    expect(posix(report.resolved?.crm ?? '')).toMatch(/\/packages\/client\/dist\/cjs\/generated\/crm\/index\.js$/);
  });

  it('bundler: subpath imports type-check per domain and bundle without the other domains', async () => {
    const files = (await typecheck('bundler')).map(posix);
    const clientTypes = files.filter((f) => f.includes('/packages/client/dist/'));
    expect(clientTypes).toContain(posix(dist('client', 'esm', 'generated', 'crm', 'index.d.ts')));
    // only the two domains it imports (app, crm), never the facade that pulls in all 41
    const domains = new Set(clientTypes.map((f) => /\/generated\/([^/]+)\//.exec(f)?.[1]).filter(Boolean));
    expect([...domains].sort()).toEqual(['app', 'crm']);
    expect(clientTypes).not.toContain(posix(dist('client', 'esm', 'index.d.ts')));

    const build = await run(['build.mjs'], join(projects, 'bundler'));
    expect(build.code, build.stderr).toBe(0);
    const bundle = readFileSync(join(projects, 'bundler', 'dist', 'main.mjs'), 'utf8');
    expect(bundle).not.toMatch(/["']@b24kit\/(client|core|auth)/); // bundled in, not imported
    for (const used of ['server.time', 'crm.deal.add', 'crm.deal.list']) expect(bundle).toContain(used);
    for (const unused of ['crm.deal.update', 'crm.lead.add', 'tasks.task.add']) expect(bundle).not.toContain(unused);

    expectCalls(await execute('bundler', 'main.mjs'), 'bundle', 'bundled consumer');
  });
});
