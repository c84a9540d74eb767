/**
 * The packed tarballs, installed the way a user installs them, in a project outside the workspace.
 *
 * 1. The CLI installs without a compiler (issue 14): the packed core, auth, client and cli
 *    tarballs install with plain npm into a project whose PATH has node, npm and a shell but no
 *    C compiler, make or python; nothing native is built, `b24 --version` and `b24 --help` run
 *    there, and `b24 emulator` says how to add the emulator it lacks.
 * 2. Exact types in a strict project (issue 10): in the same project, strict tsc (the
 *    workspace's compiler) over the installed declarations reports an error on each of the six
 *    misspelled lines of the issue and none on their correct forms, and the client README's
 *    example (`res.deal.result` of a batch) compiles as written.
 *
 * Nothing comes from a registry: our packages are packed with pnpm (workspace: ranges become
 * versions, as publishing does), and their registry dependencies (undici, commander) and
 * @types/node are packed from the copies this workspace installed; npm installs all of them
 * with --offline, an empty cache and a registry URL that refuses connections.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['core', 'auth', 'client', 'cli'];
/** Registry packages the tarballs need, and where this workspace installed them. */
const THIRD_PARTY: ReadonlyArray<readonly [name: string, from: string]> = [
  ['undici', 'packages/core'],
  ['commander', 'packages/cli'],
  ['@types/node', '.'],
];
const npmCli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
let work: string;
let project: string;
let bin: string;
let tarballs: string[];

/** Where Node's lookup from `from` finds package `name` (its real directory). */
function packageDir(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed above ${from}`);
  }
}

/** Every file under `dir` whose name ends with `suffix` (a native addon is a `.node` file). */
function findFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'b24-install-'));
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  for (const name of PACKAGES) {
    // pnpm pack turns workspace: ranges into the real versions, as publishing does.
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], {
      cwd: join(root, 'packages', name),
      stdio: 'pipe',
      timeout: 240_000,
    });
  }
  const registryDirs = THIRD_PARTY.map(([name, from]) => packageDir(join(root, from), name));
  // @types/node's own dependency, from beside it.
  registryDirs.push(packageDir(registryDirs[2]!, 'undici-types'));
  execFileSync(process.execPath, [npmCli, 'pack', '--ignore-scripts', '--pack-destination', packs, ...registryDirs], {
    stdio: 'pipe',
    timeout: 240_000,
  });
  tarballs = readdirSync(packs).map((file) => join(packs, file));
  expect(tarballs).toHaveLength(PACKAGES.length + registryDirs.length);

  // A PATH with node, npm's interpreter and a shell only: no cc, gcc, g++, make or python.
  bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = () => ({
  PATH: bin,
  HOME: process.env.HOME ?? tmpdir(),
  npm_config_update_notifier: 'false',
  // Nothing listens on port 9 (discard) of loopback: a registry request fails instead of leaving.
  npm_config_registry: 'http://127.0.0.1:9/',
});

describe('npm install of the packed CLI and client, offline, with no compiler on PATH', () => {
  it('the PATH really has no build tools', () => {
    for (const tool of ['cc', 'gcc', 'g++', 'make', 'python3', 'python']) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: env() }).status, tool).not.toBe(0);
    }
  });

  it('installs, builds nothing native, and leaves the emulator out', () => {
    const result = spawnSync(
      process.execPath,
      [npmCli, 'install', '--offline', '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', ...tarballs],
      {
        cwd: project,
        env: env(),
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const modules = join(project, 'node_modules');
    expect(existsSync(join(modules, '@b24kit', 'cli', 'dist', 'esm', 'bin.js'))).toBe(true);
    expect(existsSync(join(modules, '@b24kit', 'client'))).toBe(true);
    expect(existsSync(join(modules, '@b24kit', 'emulator'))).toBe(false);
    expect(existsSync(join(modules, 'better-sqlite3'))).toBe(false);
    expect(findFiles(modules, '.node')).toEqual([]);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    expect(
      Object.entries(lock.packages)
        .filter(([, p]) => p.hasInstallScript)
        .map(([name]) => name),
    ).toEqual([]);
  }, 600_000);

  it('b24 --version and b24 --help run there', () => {
    const b24 = join(project, 'node_modules', '.bin', 'b24');
    const { version } = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(execFileSync(b24, ['--version'], { env: env(), encoding: 'utf8' })).toBe(`${version}\n`);
    expect(execFileSync(b24, ['--help'], { env: env(), encoding: 'utf8' })).toContain('auth login');
    expect(execFileSync(b24, ['methods', '--search', 'crm.deal.list'], { env: env(), encoding: 'utf8' })).toContain(
      'crm.deal.list',
    );
  });

  it('b24 emulator says how to add the emulator', () => {
    const b24 = join(project, 'node_modules', '.bin', 'b24');
    const result = spawnSync(b24, ['emulator'], { env: env(), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm install @b24kit/emulator');
    expect(result.stdout).toBe('');
  });
});

/**
 * The six snippets, each misspelled (an error expected on its line, naming the typo)
 * and correct (no error). Line numbers are computed, so the assertion is exact.
 */
const SNIPPETS: ReadonlyArray<readonly [code: string, typo?: string]> = [
  ["import { createClient } from '@b24kit/client';"],
  ["const b24 = createClient({ webhook: 'https://example.bitrix24.com/rest/1/0123456789abcdef/' });"],
  ['const id = 5;'],
  ['const deal = await b24.crm.deal.get({ id });  deal.TITLE;'],
  ["await b24.crm.deal.add({ fields: { TITLE: 'x' } });"],
  ["await b24.crm.deal.list({ select: ['ID'] });"],
  ['await b24.tasks.task.list({ filter: { RESPONSIBLE_ID: 1 } });'],
  ["await b24.call('crm.deal.list', {});"],
  ["for await (const row of b24.paginate('crm.deal.list', {})) { void row.TITLE; }"],
  ['deal.TITEL;', 'TITEL'],
  ["await b24.crm.deal.add({ fields: { TITEL: 'x' } });", 'TITEL'],
  ["await b24.crm.deal.list({ selct: ['ID'] });", 'selct'],
  ['await b24.tasks.task.list({ fitler: { RESPONSIBLE_ID: 1 } });', 'fitler'],
  ["await b24.call('crm.deal.lst', {});", 'crm.deal.lst'],
  ["for await (const row of b24.paginate('crm.deal.lst', {})) {}", 'crm.deal.lst'],
];

describe('a strict TypeScript project over the installed tarballs', () => {
  it('fails on each misspelled line of the issue, and only there; the README example compiles', () => {
    // The client README's first code block, verbatim.
    const readme = readFileSync(join(root, 'packages', 'client', 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('res.deal.result');
    writeFileSync(join(project, 'readme.mts'), example!);
    writeFileSync(join(project, 'issue.mts'), `${SNIPPETS.map(([code]) => code).join('\n')}\n`);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          skipLibCheck: false,
          types: ['node'],
          noEmit: true,
        },
        files: ['issue.mts', 'readme.mts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', project, '--listFiles', '--pretty', 'false'], {
      cwd: project,
      env: env(),
      encoding: 'utf8',
      timeout: 300_000,
    });
    const out = `${run.stdout}${run.stderr}`;
    // One diagnostic starts each `file(line,col): error TS...` line; the lines under it continue it.
    const errors: Array<{ file: string; line: number; text: string }> = [];
    for (const text of out.split('\n')) {
      const m = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(text);
      if (m) errors.push({ file: m[1]!, line: Number(m[2]), text: m[3]! });
      else if (errors.length > 0 && /^\s/.test(text)) errors[errors.length - 1]!.text += `\n${text}`;
    }
    const expected = SNIPPETS.flatMap(([, typo], i) => (typo ? [{ line: i + 1, typo }] : []));
    expect(expected).toHaveLength(6);
    expect(run.status, out).toBe(2);
    expect(
      errors.map((e) => `${e.file}:${e.line}`),
      out,
    ).toEqual(expected.map((e) => `issue.mts:${e.line}`));
    for (const [i, e] of expected.entries()) expect(errors[i]!.text).toContain(e.typo);
    // The declarations came from the installed tarballs, not from the workspace.
    const files = out.split('\n').filter((line) => line.endsWith('.d.ts'));
    const client = files.filter((f) => f.includes('/@b24kit/client/'));
    expect(client.length).toBeGreaterThan(0);
    for (const f of client) expect(realpathSync(f).startsWith(realpathSync(project))).toBe(true);
    expect(
      files.filter((f) => realpathSync(f).startsWith(realpathSync(root)) && !f.includes('/typescript/lib/')),
    ).toEqual([]);
  }, 300_000);
});
