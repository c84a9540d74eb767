#!/usr/bin/env node
// @ts-check
// `npm run release`: the whole release in one command, the same on a laptop, in CI and in the
// registry test (test-projects/test/registry.test.ts):
//   1. version   `changeset version` applies the pending changesets (versions, CHANGELOG.md)
//   2. build     `generate --check`, then every package through turbo
//   3. pack      `pnpm pack` per public package (rewrites workspace: ranges to versions)
//   4. check     each tarball: our contents check, publint, are-the-types-wrong
//   5. publish   `npm publish <tarball>` in dependency order, skipping versions already there;
//                prints `New tag: name@version` (the changesets action makes GitHub releases of
//                those lines) and tags the commit
// `--dry-run` does all of it except the upload (npm publish --dry-run), then puts back the files
// `changeset version` wrote, so the tree is as it was. Every flag is checked before anything runs:
// an unknown one (even `--help` misspelled) stops the release instead of starting it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { checkPackage } from './check-package.mjs';
import { readTarball } from './tarball.mjs';

const USAGE = `Usage: npm run release -- [options]

Versions the packages from the pending changesets, builds, packs, checks and publishes them.

Options:
  --dry-run          do everything but the upload; restore the versioned files afterwards
  --registry <url>   publish to this registry (default: npm's configured registry)
  --tag <name>       npm dist-tag to publish under (default: latest)
  --out <dir>        where the tarballs are written (default: .b24kit-tmp/release)
  --no-git-tag       do not create git tags for the published versions
  --allow-dirty      release from a working tree with uncommitted changes
  --yes              do not ask before publishing (CI sets this)
  --help             print this and do nothing else
`;

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const require = createRequire(import.meta.url);
/** @param {string} name */
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 1) {
  process.stderr.write(`[release] ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      registry: { type: 'string' },
      tag: { type: 'string', default: 'latest' },
      out: { type: 'string', default: join(root, '.b24kit-tmp', 'release') },
      'no-git-tag': { type: 'boolean', default: false },
      'allow-dirty': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
} catch (error) {
  fail(`${/** @type {Error} */ (error).message}\n\n${USAGE}`, 2);
}
const opts = parsed.values;
if (opts.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const dryRun = Boolean(opts['dry-run']);
const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  TURBO_TELEMETRY_DISABLED: '1',
  npm_config_update_notifier: 'false',
};

/**
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, capture?: boolean, allowFail?: boolean }} [o]
 */
function run(title, command, args, o = {}) {
  if (title) process.stderr.write(`[release] ${title}\n`);
  const r = spawnSync(command, args, {
    cwd: o.cwd ?? root,
    env,
    encoding: 'utf8',
    stdio: o.capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) fail(`${title || command}: ${r.error.message}`);
  if (r.status !== 0 && !o.allowFail) {
    if (o.capture) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    fail(`${title || [command, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const registryArgs = opts.registry ? ['--registry', opts.registry] : [];
const registry = opts.registry ?? run('', 'npm', ['config', 'get', 'registry'], { capture: true }).stdout.trim();
const isGit = run('', 'git', ['rev-parse', '--is-inside-work-tree'], { capture: true, allowFail: true }).status === 0;

// ---- the public packages, in dependency order -------------------------------------------------

/** @typedef {{ dir: string, name: string, version: string, pkg: Record<string, any> }} Workspace */
/** @returns {Workspace[]} */
function publicPackages() {
  /** @type {Map<string, Workspace>} */
  const byName = new Map();
  for (const entry of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.private) continue;
    byName.set(pkg.name, { dir: join(root, 'packages', entry), name: pkg.name, version: pkg.version, pkg });
  }
  /** @type {Workspace[]} */
  const ordered = [];
  /** @type {Set<string>} */
  const seen = new Set();
  /** @param {Workspace} ws @param {string[]} path */
  const visit = (ws, path) => {
    if (seen.has(ws.name)) return;
    if (path.includes(ws.name)) fail(`dependency cycle: ${[...path, ws.name].join(' -> ')}`);
    const { pkg } = ws;
    const deps = { ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
    for (const dep of Object.keys(deps).sort()) {
      const other = byName.get(dep);
      if (other) visit(other, [...path, ws.name]);
    }
    seen.add(ws.name);
    ordered.push(ws);
  };
  for (const ws of byName.values()) visit(ws, []);
  return ordered;
}

// ---- 0. before anything changes ----------------------------------------------------------------

if (isGit && !opts['allow-dirty'] && !dryRun) {
  const status = run('', 'git', ['status', '--porcelain'], { capture: true }).stdout.trim();
  if (status) fail(`the working tree has uncommitted changes; commit them or pass --allow-dirty:\n${status}`);
}
if (!dryRun) {
  const who = run('', 'npm', ['whoami', ...registryArgs], { capture: true, allowFail: true });
  if (who.status !== 0) {
    fail(
      `not logged in to ${registry}: run \`npm login --registry ${registry}\` (CI: set NODE_AUTH_TOKEN), or use --dry-run`,
    );
  }
  process.stderr.write(`[release] publishing to ${registry} as ${who.stdout.trim()}\n`);
}

// ---- 1. version --------------------------------------------------------------------------------

const changesetDir = join(root, '.changeset');
const pending = existsSync(changesetDir)
  ? readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md')
  : [];
/** Files `changeset version` may write or delete, as they were (undefined: absent). */
/** @type {Map<string, string | undefined>} */
const before = new Map();
if (dryRun) {
  for (const ws of publicPackages()) {
    for (const f of ['package.json', 'CHANGELOG.md']) {
      const file = join(ws.dir, f);
      before.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    }
  }
  for (const f of pending) before.set(join(changesetDir, f), readFileSync(join(changesetDir, f), 'utf8'));
}
function restore() {
  for (const [file, text] of before) {
    if (text === undefined) rmSync(file, { force: true });
    else writeFileSync(file, text);
  }
  before.clear();
}
if (dryRun) {
  process.on('exit', restore);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      restore();
      process.exit(130);
    });
  }
}

if (pending.length > 0) {
  run(`1/5 version: applying ${pending.length} changeset(s)`, bin('changeset'), ['version']);
} else {
  process.stderr.write('[release] 1/5 version: no pending changesets; releasing the versions in package.json\n');
}
// New versions in the manifests: refresh the install once, before turbo starts several
// `pnpm run build` at a time (each would otherwise try to re-install on its own).
run('1/5 version: refresh the install', bin('pnpm'), ['install', '--frozen-lockfile', '--prefer-offline']);
const packages = publicPackages();
process.stderr.write(`[release] packages: ${packages.map((p) => `${p.name}@${p.version}`).join(', ')}\n`);

// ---- 2. build ----------------------------------------------------------------------------------

run('2/5 build: generated code matches the schema', process.execPath, [
  join(root, 'scripts', 'generate.mjs'),
  '--check',
]);
run('2/5 build: every package (turbo)', bin('turbo'), ['run', 'build', '--output-logs=errors-only']);

// ---- 3. pack -----------------------------------------------------------------------------------

const out = opts.out ?? join(root, '.b24kit-tmp', 'release');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
/** @type {{ ws: Workspace, tarball: string }[]} */
const packed = [];
for (const ws of packages) {
  const r = run(`3/5 pack: ${ws.name}`, bin('pnpm'), ['pack', '--pack-destination', out, '--json'], {
    cwd: ws.dir,
    capture: true,
  });
  const file = readdirSync(out).find((f) => f === `${ws.name.replace(/^@/, '').replace('/', '-')}-${ws.version}.tgz`);
  if (!file) fail(`pnpm pack wrote no tarball for ${ws.name}@${ws.version}:\n${r.stdout}${r.stderr}`);
  packed.push({ ws, tarball: join(out, file) });
}

// ---- 4. check ----------------------------------------------------------------------------------

const publint = /** @type {typeof import('publint')} */ (await import(require.resolve('publint')));
const { formatMessage } = /** @type {typeof import('publint/utils')} */ (
  await import(require.resolve('publint/utils'))
);
let problems = 0;
for (const { ws, tarball } of packed) {
  const files = readTarball(tarball);
  const own = checkPackage(files);
  const lint = await publint.publint({
    pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer },
    strict: true,
    level: 'warning',
  });
  const pkgJson = JSON.parse(/** @type {Buffer} */ (files.get('package.json')).toString('utf8'));
  const lintLines = lint.messages.map((m) => `publint ${m.type}: ${formatMessage(m, pkgJson) ?? m.code}`);
  // ESM-only packages (no `require` condition) are checked for what they promise: ESM resolution.
  const esmOnly = !JSON.stringify(pkgJson.exports ?? {}).includes('"require"');
  // Dual packages get attw's default (strict) profile: node10, node16 from CJS and ESM, bundler.
  const types = run('', bin('attw'), [tarball, '--format', 'ascii', ...(esmOnly ? ['--profile', 'esm-only'] : [])], {
    capture: true,
    allowFail: true,
  });
  const size = statSync(tarball).size;
  const found = [
    ...own,
    ...lintLines,
    ...(types.status === 0 ? [] : [`are-the-types-wrong:\n${types.stdout}${types.stderr}`]),
  ];
  process.stderr.write(
    `[release] 4/5 check: ${ws.name}@${ws.version}: ${files.size} files, ${(size / 1024).toFixed(0)} KiB packed: ` +
      `${found.length ? `${found.length} problem(s)` : 'contents, publint and are-the-types-wrong all clean'}\n`,
  );
  for (const line of found) process.stderr.write(`  - ${line}\n`);
  problems += found.length;
}
if (problems > 0) fail(`${problems} problem(s) in the tarballs; nothing was published`);

// ---- 5. publish --------------------------------------------------------------------------------

if (!dryRun && !opts.yes && !process.env.CI) {
  if (!process.stdin.isTTY) fail('not a terminal: pass --yes to publish without asking');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(
    `[release] publish ${packed.length} package(s) to ${registry} under "${opts.tag}"? [y/N] `,
  );
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) fail('stopped before publishing; nothing was uploaded');
}

/** @param {Workspace} ws */
function alreadyPublished(ws) {
  const r = run('', 'npm', ['view', `${ws.name}@${ws.version}`, 'version', '--json', ...registryArgs], {
    capture: true,
    allowFail: true,
  });
  return r.status === 0 && r.stdout.trim() !== '';
}

/** @type {string[]} */
const published = [];
for (const { ws, tarball } of packed) {
  const id = `${ws.name}@${ws.version}`;
  if (alreadyPublished(ws)) {
    process.stderr.write(`[release] 5/5 publish: ${id} is already on ${registry}; skipped\n`);
    continue;
  }
  const args = ['publish', tarball, '--access', 'public', '--tag', opts.tag ?? 'latest', ...registryArgs];
  if (dryRun) args.push('--dry-run');
  run(`5/5 publish${dryRun ? ' (dry run: no upload)' : ''}: ${id} (${relative(root, tarball)})`, 'npm', args, {
    capture: dryRun,
  });
  if (dryRun) continue;
  published.push(id);
  process.stdout.write(`New tag: ${id}\n`);
}

if (!dryRun && published.length > 0 && isGit && !opts['no-git-tag']) {
  for (const id of published) run('', 'git', ['tag', '-a', id, '-m', id], { allowFail: true });
  process.stderr.write(`[release] tagged ${published.join(', ')}; push the tags with \`git push --follow-tags\`\n`);
}
if (dryRun) {
  restore();
  process.stderr.write(
    `[release] dry run done: nothing uploaded; tarballs in ${relative(root, out) || out}; versioned files restored\n`,
  );
} else {
  process.stderr.write(`[release] done: ${published.length} package(s) published to ${registry}\n`);
}
