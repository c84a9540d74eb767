/**
 * The CLI installs without a compiler (issue 14): the packed core, auth, client and cli
 * tarballs install with plain npm into a project outside the workspace whose PATH has node,
 * npm and a shell but no C compiler, make or python; nothing native is built, `b24 --version`
 * and `b24 --help` run there, and `b24 emulator` says how to add the emulator it lacks.
 *
 * Packages come from the local tarballs; their registry dependencies (undici, commander) from
 * npm's cache where it has them (--prefer-offline). The release tests publish to a local
 * registry separately; this one needs no registry of ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
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
const npmCli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
let work: string;
let project: string;
let bin: string;
let tarballs: string[];

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
  tarballs = readdirSync(packs).map((file) => join(packs, file));
  expect(tarballs).toHaveLength(PACKAGES.length);

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

const env = () => ({ PATH: bin, HOME: process.env.HOME ?? tmpdir(), npm_config_update_notifier: 'false' });

describe('npm install of the packed CLI and client, with no compiler on PATH', () => {
  it('the PATH really has no build tools', () => {
    for (const tool of ['cc', 'gcc', 'g++', 'make', 'python3', 'python']) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: env() }).status, tool).not.toBe(0);
    }
  });

  it('installs, builds nothing native, and leaves the emulator out', () => {
    const result = spawnSync(
      process.execPath,
      [npmCli, 'install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs],
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
