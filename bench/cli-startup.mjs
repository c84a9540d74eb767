#!/usr/bin/env node
// How fast `b24` starts, as a ratio to a bare `node -e 1` measured in the same run
// (the goal: `b24 --version` within 2x). Runs are interleaved after a warm-up, like
// hyperfine, so that load on the machine hits both sides alike.
//
//   node bench/cli-startup.mjs [--runs 30]      (build the CLI first: npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const bin = fileURLToPath(new URL('../packages/cli/dist/esm/bin.js', import.meta.url));
if (!existsSync(bin)) {
  console.error('build the CLI first: npm run build');
  process.exit(1);
}

const cases = [
  ['node -e 1', ['-e', '1']],
  ['b24 --version', [bin, '--version']],
  ['b24 --help', [bin, '--help']],
  ['b24 call --help', [bin, 'call', '--help']],
  ['b24 crm deal list --help', [bin, 'crm', 'deal', 'list', '--help']],
];

function once(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

for (const [, args] of cases) for (let i = 0; i < 3; i += 1) once(args); // warm-up (disk cache)
const times = cases.map(() => []);
for (let run = 0; run < RUNS; run += 1) cases.forEach(([, args], i) => times[i].push(once(args)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const base = median(times[0]);
console.log(`${RUNS} interleaved runs each, node ${process.version}`);
console.log(
  `${'command'.padEnd(26)} ${'median'.padStart(9)} ${'mean ± sd'.padStart(17)} ${'min'.padStart(8)}  ratio to node -e 1 (median)`,
);
cases.forEach(([name], i) => {
  const t = times[i];
  console.log(
    `${name.padEnd(26)} ${median(t).toFixed(1).padStart(7)}ms ${`${mean(t).toFixed(1)} ± ${sd(t).toFixed(1)}`.padStart(15)}ms ${Math.min(
      ...t,
    )
      .toFixed(1)
      .padStart(6)}ms  ${(median(t) / base).toFixed(2)}x`,
  );
});
