// The release, end to end, against a real npm registry on loopback.
// A copy of this checkout (its files as they are now, without node_modules or dist) is installed
// from pnpm's store, given a changeset, and released with `npm run release` exactly as a
// maintainer would, into a verdaccio started here with its own storage and no uplinks. Then a
// consumer project outside the workspace installs @b24kit/client and @b24kit/cli of that version
// with plain npm, with a PATH that holds no C compiler, and runs an ES module, a CommonJS program
// and `b24 call` against an emulator; a second consumer type-checks the emulator's public types
// under strict tsc.
// Slow by nature (a full build of the copy): minutes, not seconds.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
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
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MINUTES = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking this process (the emulator answers from here). */
function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOk(r: Run, what: string): void {
  expect(r.code, `${what} failed:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-8000)}`).toBe(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The checkout's files as they are in the working tree (tracked and new, not ignored). */
function copyCheckout(to: string): void {
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const file of list) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
}

/** Every public package of a checkout (packages/*), name -> version. */
function publicPackages(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, 'packages')).sort()) {
    const file = join(dir, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; private?: boolean };
    if (!pkg.private) out[pkg.name] = pkg.version;
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'b24kit-registry-'));
const checkout = join(work, 'checkout');
const consumer = join(work, 'consumer');
const typesConsumer = join(work, 'types-consumer');
const pnpm = join(root, 'node_modules', '.bin', 'pnpm');
const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm']).toString().trim());
/** npm's own cache, so packages from the public registry (undici, @types/node) come from disk when they can. */
const npmCache = execFileSync(process.execPath, [npmCli, 'config', 'get', 'cache']).toString().trim();
let registry = '';
let verdaccio: ChildProcess | undefined;
let portal: Emulator | undefined;
let release: Run;
let versions: Record<string, string> = {};
/** Environment for npm in the consumers: only node on PATH (no C compiler), our npmrc, our cache. */
let npmEnv: NodeJS.ProcessEnv = {};

async function startRegistry(): Promise<void> {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const dir = join(work, 'registry');
  mkdirSync(dir, { recursive: true });
  // No uplinks: @b24kit/* exists only here; nothing is proxied to another registry.
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@b24kit/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'server:',
      '  keepAliveTimeout: 5',
      'log: { type: stdout, format: pretty, level: warn }',
      'web: { enable: false }',
      '',
    ].join('\n'),
  );
  const bin = join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  verdaccio = spawn(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  verdaccio.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  verdaccio.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 600; i++) {
    if (verdaccio.exitCode !== null) throw new Error(`verdaccio exited (${verdaccio.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${registry}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`verdaccio did not answer on ${registry}:\n${log}`);
}

/** Adds a user the way `npm adduser` does and returns its token. */
async function registryToken(): Promise<string> {
  const name = 'release-test';
  const response = await fetch(`${registry}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'release-test-password', type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token)
    throw new Error(`verdaccio refused the user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

beforeAll(async () => {
  await startRegistry();
  const token = await registryToken();
  const host = registry.replace(/^http:/, '');
  const npmrc = join(work, 'npmrc');
  writeFileSync(npmrc, `${host}:_authToken=${token}\n@b24kit:registry=${registry}\n`);

  copyCheckout(checkout);
  // A changeset of our own, so the test releases something whatever .changeset/ holds today.
  const packages = Object.keys(publicPackages(checkout));
  writeFileSync(
    join(checkout, '.changeset', 'registry-test.md'),
    `---\n${packages.map((n) => `"${n}": patch`).join('\n')}\n---\n\nReleased by the registry test.\n`,
  );
  const env = { ...process.env, npm_config_userconfig: npmrc, CI: 'true', FORCE_COLOR: '0' };
  expectOk(
    await run(pnpm, ['install', '--frozen-lockfile', '--offline'], { cwd: checkout, env }),
    'pnpm install (copy)',
  );
  release = await run(process.execPath, ['scripts/release/release.mjs', '--registry', registry, '--yes'], {
    cwd: checkout,
    env,
  });
  expectOk(release, 'npm run release');
  versions = publicPackages(checkout);

  // A consumer with nothing but node on its PATH: no C compiler, no pnpm, no workspace.
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh')); // npm runs install scripts with `sh`; a shell is not a compiler
  npmEnv = {
    HOME: work,
    PATH: bin,
    npm_config_userconfig: npmrc,
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  portal = await startEmulator();
}, 30 * MINUTES);

afterAll(async () => {
  await portal?.close();
  verdaccio?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run release, into a registry on loopback', () => {
  it('versions every package from the changesets and writes their CHANGELOGs', () => {
    for (const [name, version] of Object.entries(versions)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      const dir = readdirSync(join(checkout, 'packages')).find((d) => {
        const file = join(checkout, 'packages', d, 'package.json');
        return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name;
      });
      const changelog = readFileSync(join(checkout, 'packages', dir ?? '?', 'CHANGELOG.md'), 'utf8');
      expect(changelog, `${name} CHANGELOG.md`).toContain(`## ${version}`);
      expect(changelog).toContain('Released by the registry test.');
    }
    expect(existsSync(join(checkout, '.changeset', 'registry-test.md'))).toBe(false);
    // core, auth and client are one fixed group: their versions never skew
    expect(new Set([versions['@b24kit/core'], versions['@b24kit/auth'], versions['@b24kit/client']]).size).toBe(1);
  });

  it('checks every tarball and publishes every package, announcing each new tag', async () => {
    expect(release.stderr).toMatch(
      /check: @b24kit\/client@\S+: \d+ files, \d+ KiB packed: contents, publint and are-the-types-wrong all clean/,
    );
    for (const [name, version] of Object.entries(versions)) {
      expect(release.stdout).toContain(`New tag: ${name}@${version}`);
      const doc = (await (await fetch(`${registry}${name.replace('/', '%2f')}`)).json()) as {
        versions: Record<string, { dependencies?: Record<string, string>; repository?: { url?: string } }>;
        'dist-tags': Record<string, string>;
      };
      expect(doc['dist-tags'].latest, name).toBe(version);
      const manifest = doc.versions[version];
      expect(manifest?.repository?.url).toMatch(/^git\+https:\/\//);
      for (const range of Object.values(manifest?.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
    }
  });
});

describe('a consumer outside the workspace, plain npm, no C compiler on PATH', () => {
  beforeAll(async () => {
    mkdirSync(consumer, { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
    const client = `@b24kit/client@${versions['@b24kit/client']}`;
    const cli = `@b24kit/cli@${versions['@b24kit/cli']}`;
    const install = await run(process.execPath, [npmCli, 'install', '--prefer-offline', client, cli], {
      cwd: consumer,
      env: npmEnv,
    });
    expectOk(install, `npm install ${client} ${cli}`);
  }, 10 * MINUTES);

  it('installs what the registry published, from its tarballs', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    for (const name of ['@b24kit/client', '@b24kit/cli', '@b24kit/core', '@b24kit/auth']) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry?.version, name).toBe(versions[name]);
      expect(entry?.resolved, name).toContain(registry.replace(/\/$/, ''));
    }
    expect(existsSync(join(consumer, 'node_modules', '@b24kit', 'client', 'LICENSE'))).toBe(true);
  });

  it('runs an ES module program', async () => {
    writeFileSync(
      join(consumer, 'main.mjs'),
      [
        "import { createClient } from '@b24kit/client';",
        "import { crmDealList } from '@b24kit/client/crm';",
        'const b24 = createClient({ webhook: process.env.B24_WEBHOOK_URL });',
        'const time = await b24.server.time();',
        "const id = await b24.crm.deal.add({ fields: { TITLE: 'ESM from the registry' } });",
        "const rows = await crmDealList(b24.caller, { filter: { ID: id }, select: ['ID', 'TITLE'] });",
        'await b24.close();',
        "console.log(JSON.stringify({ time, titles: rows.map((r) => r.TITLE), from: import.meta.resolve('@b24kit/client') }));",
        '',
      ].join('\n'),
    );
    const r = await run(process.execPath, ['main.mjs'], {
      cwd: consumer,
      env: { ...npmEnv, B24_WEBHOOK_URL: portal!.webhookUrl },
    });
    expectOk(r, 'node main.mjs');
    const out = JSON.parse(r.stdout.trim()) as { time: string; titles: string[]; from: string };
    expect(out.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(out.titles).toEqual(['ESM from the registry']);
    expect(out.from).toContain('/consumer/node_modules/@b24kit/client/dist/esm/');
  });

  it('runs a CommonJS program', async () => {
    writeFileSync(
      join(consumer, 'main.cjs'),
      [
        "const { createClient } = require('@b24kit/client');",
        "const crm = require('@b24kit/client/crm');",
        'async function main() {',
        '  const b24 = createClient({ webhook: process.env.B24_WEBHOOK_URL });',
        "  const id = await b24.crm.deal.add({ fields: { TITLE: 'CJS from the registry' } });",
        "  const rows = await crm.crmDealList(b24.caller, { filter: { ID: id }, select: ['ID', 'TITLE'] });",
        '  await b24.close();',
        "  console.log(JSON.stringify({ titles: rows.map((r) => r.TITLE), from: require.resolve('@b24kit/client') }));",
        '}',
        'main().catch((e) => { console.error(e); process.exitCode = 1; });',
        '',
      ].join('\n'),
    );
    const r = await run(process.execPath, ['main.cjs'], {
      cwd: consumer,
      env: { ...npmEnv, B24_WEBHOOK_URL: portal!.webhookUrl },
    });
    expectOk(r, 'node main.cjs');
    const out = JSON.parse(r.stdout.trim()) as { titles: string[]; from: string };
    expect(out.titles).toEqual(['CJS from the registry']);
    expect(out.from).toContain('/consumer/node_modules/@b24kit/client/dist/cjs/');
  });

  it('runs `b24 --version` and `b24 call` from the installed bin', async () => {
    const b24 = join(consumer, 'node_modules', '.bin', 'b24');
    const version = await run(b24, ['--version'], { cwd: consumer, env: npmEnv });
    expectOk(version, 'b24 --version');
    expect(version.stdout.trim()).toContain(versions['@b24kit/cli']);
    const call = await run(b24, ['call', 'server.time', '--webhook', portal!.webhookUrl], {
      cwd: consumer,
      env: npmEnv,
    });
    expectOk(call, 'b24 call server.time');
    expect(call.stdout).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    // the webhook's secret code never reaches the terminal
    const code = new URL(portal!.webhookUrl).pathname.split('/').filter(Boolean).pop()!;
    expect(`${call.stdout}${call.stderr}`).not.toContain(code);
  });
});

describe("the emulator's public types in a strict consumer", () => {
  it(
    'type-checks an import of @b24kit/emulator with strict tsc (no TS7016)',
    async () => {
      mkdirSync(typesConsumer, { recursive: true });
      writeFileSync(
        join(typesConsumer, 'package.json'),
        JSON.stringify({ name: 'types-consumer', private: true, type: 'module' }),
      );
      // --ignore-scripts: only the declarations matter here, not the native SQLite build.
      const install = await run(
        process.execPath,
        [
          npmCli,
          'install',
          '--prefer-offline',
          '--ignore-scripts',
          `@b24kit/emulator@${versions['@b24kit/emulator']}`,
          '@types/node@20',
        ],
        { cwd: typesConsumer, env: npmEnv },
      );
      expectOk(install, 'npm install @b24kit/emulator');
      writeFileSync(
        join(typesConsumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            skipLibCheck: false,
            types: ['node'],
          },
          include: ['main.ts'],
        }),
      );
      writeFileSync(
        join(typesConsumer, 'main.ts'),
        [
          "import { startEmulator, type Emulator } from '@b24kit/emulator';",
          'const portal: Emulator = await startEmulator();',
          'const url: string = portal.webhookUrl;',
          'void url;',
          'await portal.close();',
          '',
        ].join('\n'),
      );
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const r = await run(process.execPath, [tsc, '-p', '.'], { cwd: typesConsumer, env: npmEnv });
      expect(r.code, `tsc:\n${r.stdout}${r.stderr}`).toBe(0);
    },
    10 * MINUTES,
  );
});
