#!/usr/bin/env node
// @ts-check
// Brings a fresh clone to a runnable state with nothing but Node and npm:
// installs the workspace with a pinned pnpm (through npx), then generates and builds
// every package through turbo. Cheap when nothing changed: the install is skipped when
// the lockfile is unchanged and turbo replays cached builds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PNPM = 'pnpm@12.4.2';
const env = {
  ...process.env,
  PATH: join(root, 'node_modules', '.bin') + delimiter + process.env.PATH,
  TURBO_TELEMETRY_DISABLED: '1',
  COREPACK_INTEGRITY_KEYS: '0',
  npm_config_update_notifier: 'false',
};

/** @param {string} title @param {string} command @param {string[]} args */
function step(title, command, args) {
  process.stderr.write(`\n[setup] ${title}\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (run.status !== 0) {
    process.stderr.write(`[setup] failed: ${title} (exit ${run.status ?? run.signal})\n`);
    process.exit(run.status ?? 1);
  }
}

const stampFile = join(root, 'node_modules', '.b24kit-install-stamp');
const lock = readFileSync(join(root, 'pnpm-lock.yaml'));
const stamp = createHash('sha256').update(lock).update(process.version).digest('hex');
const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
if (!installed) {
  step('installing dependencies (pnpm, frozen lockfile)', 'npx', ['-y', PNPM, 'install', '--frozen-lockfile']);
  writeFileSync(stampFile, stamp);
}
// CI checks the committed generated code before anything regenerates it.
if (process.argv.includes('--install-only')) process.exit(0);
step('generating the client and building the packages (turbo)', join(root, 'node_modules', '.bin', 'turbo'), [
  'run',
  'build',
  '--output-logs=errors-only',
]);
