#!/usr/bin/env node
// npm run bench:typing [-- --runs N]
//
// What a user pays for the whole surface (1,659 methods in 41 domains), one domain against all:
//   a) tsc type-check time and memory of a consumer of `@b24kit/client/crm` vs one of the facade
//   b) minified, tree-shaken bundle size of a one-method program, subpath vs facade (rolldown)
//   c) a full `node scripts/codegen/bin.mjs` over every method
//   d) `turbo run build --filter=@b24kit/client`: cold, unchanged, and after a one-domain schema edit
// Everything runs in a temporary copy of the workspace (sources, schema, scripts; node_modules
// linked), so neither the checkout nor the packages other work is building are touched, and
// the consumers type-check against dist/ built in that copy. Prints a table and writes
// bench/typing/README.md.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:typing: --runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}

// GNU time reports the CPU seconds of a command and all its children, which a loaded machine
// skews far less than wall time; without it the CPU column is left empty.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'b24kit-bench-cpu';

/** Runs a command; resolves with its exit code, output, wall time in ms and CPU seconds. */
function exec(cmd, args, { cwd = root, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [file, argv] = gnuTime ? [gnuTime, ['-f', `${CPU_MARK} %U %S`, cmd, ...args]] : [cmd, args];
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const m = new RegExp(`^${CPU_MARK} ([\\d.]+) ([\\d.]+)$`, 'm').exec(stderr);
      resolve({
        code,
        stdout,
        stderr: stderr.replace(/^b24kit-bench-cpu .*\n?/m, ''),
        ms,
        cpuS: m ? Number(m[1]) + Number(m[2]) : NaN,
      });
    });
  });
}

function mustSucceed(what, r) {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- the workspace copy ---------------------------------------------------------------

/** Copies what a build needs; links the root node_modules except @b24kit, which points into the copy. */
function makeWorkspaceCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'b24kit-typing-'));
  for (const f of [
    'package.json',
    'pnpm-workspace.yaml',
    'pnpm-lock.yaml',
    'turbo.json',
    'tsconfig.base.json',
    '.gitignore',
  ]) {
    cpSync(join(root, f), join(dir, f));
  }
  const skip = new Set(['dist', '.turbo', 'results', 'coverage']);
  for (const d of ['schema', 'scripts', 'packages', 'bench']) {
    cpSync(join(root, d), join(dir, d), {
      recursive: true,
      verbatimSymlinks: true, // per-package node_modules hold relative links; keep them relative
      filter: (src) => !skip.has(basename(src)) && !src.endsWith('.tsbuildinfo'),
    });
  }
  mkdirSync(join(dir, 'node_modules', '@b24kit'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@b24kit') continue;
    symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  for (const pkg of readdirSync(join(root, 'node_modules', '@b24kit'))) {
    symlinkSync(join('..', '..', 'packages', pkg), join(dir, 'node_modules', '@b24kit', pkg));
  }
  return dir;
}

/** Turbo hashes through git (honouring .gitignore); outside a repository it would hash dist/ too. */
async function gitInit(ws) {
  const git = (...a) =>
    exec('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...a], {
      cwd: ws,
    });
  mustSucceed('git init', await git('init', '-q'));
  mustSucceed('git add', await git('add', '-A'));
  mustSucceed('git commit', await git('commit', '-q', '-m', 'bench copy'));
}

// ---- d) turbo ---------------------------------------------------------------------------

const turboBin = join(root, 'node_modules', '.bin', 'turbo');

async function turboBuild(ws, label) {
  const env = {
    ...process.env,
    PATH: `${join(ws, 'node_modules', '.bin')}:${process.env.PATH}`,
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
  };
  rmSync(join(ws, '.turbo', 'runs'), { recursive: true, force: true });
  const r = mustSucceed(
    `turbo run build (${label})`,
    await exec(
      turboBin,
      ['run', 'build', '--filter=@b24kit/client', '--summarize', '--output-logs=full', '--log-order=grouped'],
      { cwd: ws, env },
    ),
  );
  const summaryFile = readdirSync(join(ws, '.turbo', 'runs')).find((f) => f.endsWith('.json'));
  const summary = JSON.parse(readFileSync(join(ws, '.turbo', 'runs', summaryFile), 'utf8'));
  const tasks = summary.tasks.map((t) => ({
    id: t.taskId,
    cached: t.cache?.status === 'HIT',
    ms: (t.execution?.endTime ?? 0) - (t.execution?.startTime ?? 0),
  }));
  const updated = /updated (\d+) file/.exec(r.stdout)?.[1];
  return {
    label,
    ms: r.ms,
    cpuS: r.cpuS,
    tasks,
    generatedFilesUpdated: updated === undefined ? 0 : Number(updated),
    log: r.stdout,
  };
}

/** The one-domain schema change: a type description in crm (only crm/types.ts depends on it). */
function editOneDomain(ws) {
  const file = join(ws, 'schema', 'crm', 'deal.yaml');
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(/description: "([^"]*)"/, (_m, d) => `description: "${d} Edited by bench:typing."`);
  if (changed === text) throw new Error('bench:typing: found no description to edit in schema/crm/deal.yaml');
  writeFileSync(file, changed);
}

// ---- a) type-check ------------------------------------------------------------------------

const tsc = require.resolve('typescript/bin/tsc');

function diagnostic(out, name) {
  const m = new RegExp(`^${name}:\\s+([\\d.]+)(K|s)?$`, 'm').exec(out);
  if (!m) throw new Error(`tsc --extendedDiagnostics printed no "${name}"`);
  return Number(m[1]);
}

/** Lines of the .d.ts files tsc loaded from the workspace packages (not @types/node, undici). */
function ownDeclarationLines(listed, ws) {
  const own = listed.filter((f) => f.startsWith(join(ws, 'packages') + '/') && f.endsWith('.d.ts'));
  return { ownFiles: own.length, ownLines: own.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0) };
}

async function typeCheck(fixtureDir, ws, extra = []) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = mustSucceed(
      `tsc -p ${fixtureDir}`,
      await exec(process.execPath, [tsc, '-p', '.', '--extendedDiagnostics', '--listFiles', ...extra], {
        cwd: fixtureDir,
      }),
    );
    const listed = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('/'));
    samples.push({
      ...ownDeclarationLines(listed, ws),
      cpuS: r.cpuS,
      files: diagnostic(r.stdout, 'Files'),
      linesOfDefinitions: diagnostic(r.stdout, 'Lines of Definitions'),
      types: diagnostic(r.stdout, 'Types'),
      memoryMB: diagnostic(r.stdout, 'Memory used') / 1024,
      checkS: diagnostic(r.stdout, 'Check time'),
      totalS: diagnostic(r.stdout, 'Total time'),
    });
  }
  const pick = (k) => median(samples.map((s) => s[k]));
  return Object.fromEntries(Object.keys(samples[0]).map((k) => [k, pick(k)]));
}

// ---- b) bundle ------------------------------------------------------------------------------

async function loadRolldown() {
  // Not a direct dependency: the copy vite 8 (a root devDependency) brings.
  const fromVite = createRequire(require.resolve('vite/package.json'));
  return import(pathToFileURL(fromVite.resolve('rolldown')).href);
}

async function bundleSize(rolldown, entry) {
  // undici (core's HTTP client) is the same in both and not ours: left external, so the bytes
  // compared are b24kit's own.
  const external = [/^undici(\/|$)/, /^node:/, ...builtinModules.map((m) => new RegExp(`^${m}(/|$)`))];
  const bundle = await rolldown({ input: entry, platform: 'node', external, logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm', minify: true });
  await bundle.close();
  const code = output[0].code;
  // Each method value is built by a call whose first arguments are its name, scope and flags.
  const methods = new Set(
    [...code.matchAll(/\(["'`]([a-z]\w*(?:\.\w+)+)["'`],["'`][^"'`]*["'`],["'`][ina3d]*["'`]/g)].map((m) => m[1]),
  );
  return { bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length, methods: methods.size };
}

// ---- c) codegen -----------------------------------------------------------------------------

async function codegen(ws) {
  const samples = [];
  let methods = 0;
  let files = 0;
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'b24kit-codegen-'));
    const r = mustSucceed(
      'codegen',
      await exec(
        process.execPath,
        [join(ws, 'scripts', 'codegen', 'bin.mjs'), '--out', out, '--no-package', '--no-cli'],
        { cwd: ws },
      ),
    );
    samples.push({ s: r.ms / 1000, cpuS: r.cpuS });
    const written = readdirSync(out, { recursive: true }).filter((f) => f.endsWith('.ts'));
    files = written.length;
    methods = written
      .filter((f) => f.endsWith('methods.ts'))
      .reduce((n, f) => n + (readFileSync(join(out, f), 'utf8').match(/\bdef\(\s*'/g)?.length ?? 0), 0);
    bytes = written.reduce((n, f) => n + readFileSync(join(out, f)).length, 0);
    lines = written.reduce((n, f) => n + readFileSync(join(out, f), 'utf8').split('\n').length - 1, 0);
    rmSync(out, { recursive: true, force: true });
  }
  return {
    seconds: median(samples.map((x) => x.s)),
    cpuS: median(samples.map((x) => x.cpuS)),
    methods,
    files,
    bytes,
    lines,
  };
}

// ---- report ---------------------------------------------------------------------------------

const fmt = (n, digits = 1) =>
  Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n) => Math.round(n).toLocaleString('en-US');
const share = (part, whole) => (whole > 0 && Number.isFinite(part) ? `${Math.round((100 * part) / whole)}%` : '—');
const ratio = (all, one) => (one > 0 && Number.isFinite(all) ? `${fmt(all / one, 1)}×` : 'n/a');

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function taskRows(run) {
  return (
    run.tasks
      .filter((t) => !t.cached)
      .map((t) => `${t.id} ${fmt(t.ms / 1000)} s`)
      .join(', ') || 'none (all cached)'
  );
}

async function main() {
  const started = Date.now();
  console.log(`bench:typing: ${runs} run(s) per measurement; copying the workspace ...`);
  const ws = makeWorkspaceCopy();
  try {
    await gitInit(ws);
    console.log(`  workspace copy: ${ws}`);
    console.log('  d) turbo build, cold ...');
    const cold = await turboBuild(ws, 'cold');
    console.log('  d) turbo build, unchanged ...');
    const warm = await turboBuild(ws, 'unchanged');

    const fixtures = join(ws, 'bench', 'typing', 'fixtures');
    console.log('  a) type-check, one domain ...');
    const tcOne = await typeCheck(join(fixtures, 'one-domain'), ws);
    console.log('  a) type-check, one domain with a core caller ...');
    const tcCore = await typeCheck(join(fixtures, 'one-domain-with-core'), ws);
    console.log('  a) type-check, facade ...');
    const tcAll = await typeCheck(join(fixtures, 'facade'), ws);
    console.log('  a) type-check with skipLibCheck: false ...');
    const strictOne = await typeCheck(join(fixtures, 'one-domain'), ws, ['--skipLibCheck', 'false']);
    const strictAll = await typeCheck(join(fixtures, 'facade'), ws, ['--skipLibCheck', 'false']);

    console.log('  b) bundles ...');
    const { rolldown } = await loadRolldown();
    const bOne = await bundleSize(rolldown, join(fixtures, 'one-domain-with-core', 'index.ts'));
    const bAll = await bundleSize(rolldown, join(fixtures, 'facade', 'index.ts'));

    console.log('  c) codegen ...');
    const gen = await codegen(ws);

    console.log('  d) turbo build after a one-domain schema edit ...');
    editOneDomain(ws);
    const edited = await turboBuild(ws, 'one-domain edit');

    const results = { tcOne, tcCore, tcAll, strictOne, strictAll, bOne, bAll, gen, cold, warm, edited };
    const report = render(results);
    console.log(`\n${report.tables}\n`);
    writeFileSync(join(here, 'README.md'), report.readme);
    console.log(`wrote bench/typing/README.md (${fmt((Date.now() - started) / 1000, 0)} s)`);
  } finally {
    if (values.keep) console.log(`kept ${ws}`);
    else rmSync(ws, { recursive: true, force: true });
  }
}

function render({ tcOne, tcCore, tcAll, strictOne, strictAll, bOne, bAll, gen, cold, warm, edited }) {
  const typing = table(
    [
      [
        'type-check (tsc, median)',
        'one domain (crm, types-only path)',
        'facade (all domains)',
        'facade / one',
        'crm + a core caller',
        'facade / that',
      ],
      [
        'b24kit .d.ts files loaded',
        int(tcOne.ownFiles),
        int(tcAll.ownFiles),
        ratio(tcAll.ownFiles, tcOne.ownFiles),
        int(tcCore.ownFiles),
        ratio(tcAll.ownFiles, tcCore.ownFiles),
      ],
      [
        'b24kit .d.ts lines loaded',
        int(tcOne.ownLines),
        int(tcAll.ownLines),
        ratio(tcAll.ownLines, tcOne.ownLines),
        int(tcCore.ownLines),
        ratio(tcAll.ownLines, tcCore.ownLines),
      ],
      [
        'all .d.ts lines (with @types/node, undici)',
        int(tcOne.linesOfDefinitions),
        int(tcAll.linesOfDefinitions),
        ratio(tcAll.linesOfDefinitions, tcOne.linesOfDefinitions),
        int(tcCore.linesOfDefinitions),
        ratio(tcAll.linesOfDefinitions, tcCore.linesOfDefinitions),
      ],
      [
        'check time',
        `${fmt(tcOne.checkS, 2)} s`,
        `${fmt(tcAll.checkS, 2)} s`,
        ratio(tcAll.checkS, tcOne.checkS),
        `${fmt(tcCore.checkS, 2)} s`,
        ratio(tcAll.checkS, tcCore.checkS),
      ],
      [
        'total tsc time',
        `${fmt(tcOne.totalS, 2)} s`,
        `${fmt(tcAll.totalS, 2)} s`,
        ratio(tcAll.totalS, tcOne.totalS),
        `${fmt(tcCore.totalS, 2)} s`,
        ratio(tcAll.totalS, tcCore.totalS),
      ],
      [
        'tsc CPU time',
        `${fmt(tcOne.cpuS, 2)} s`,
        `${fmt(tcAll.cpuS, 2)} s`,
        ratio(tcAll.cpuS, tcOne.cpuS),
        `${fmt(tcCore.cpuS, 2)} s`,
        ratio(tcAll.cpuS, tcCore.cpuS),
      ],
      [
        'memory used',
        `${fmt(tcOne.memoryMB)} MB`,
        `${fmt(tcAll.memoryMB)} MB`,
        ratio(tcAll.memoryMB, tcOne.memoryMB),
        `${fmt(tcCore.memoryMB)} MB`,
        ratio(tcAll.memoryMB, tcCore.memoryMB),
      ],
      [
        'types created',
        int(tcOne.types),
        int(tcAll.types),
        ratio(tcAll.types, tcOne.types),
        int(tcCore.types),
        ratio(tcAll.types, tcCore.types),
      ],
      [
        'skipLibCheck false: check time',
        `${fmt(strictOne.checkS, 2)} s`,
        `${fmt(strictAll.checkS, 2)} s`,
        ratio(strictAll.checkS, strictOne.checkS),
      ],
      [
        'skipLibCheck false: tsc CPU time',
        `${fmt(strictOne.cpuS, 2)} s`,
        `${fmt(strictAll.cpuS, 2)} s`,
        ratio(strictAll.cpuS, strictOne.cpuS),
      ],
      [
        'skipLibCheck false: memory used',
        `${fmt(strictOne.memoryMB)} MB`,
        `${fmt(strictAll.memoryMB)} MB`,
        ratio(strictAll.memoryMB, strictOne.memoryMB),
      ],
      [
        'skipLibCheck false: types created',
        int(strictOne.types),
        int(strictAll.types),
        ratio(strictAll.types, strictOne.types),
      ],
    ].map((r) => (r.length === 4 ? [...r, '', ''] : r)),
  );
  const bundles = table([
    ['bundle (rolldown, minified)', 'one domain (crmDealList)', 'facade (b24.crm.deal.list)', 'facade / one'],
    ['bytes', int(bOne.bytes), int(bAll.bytes), ratio(bAll.bytes, bOne.bytes)],
    ['gzip bytes', int(bOne.gzipBytes), int(bAll.gzipBytes), ratio(bAll.gzipBytes, bOne.gzipBytes)],
    ['method descriptors inside', int(bOne.methods), int(bAll.methods), ratio(bAll.methods, bOne.methods)],
  ]);
  const builds = table([
    ['generate and build', 'wall time', 'CPU time', 'vs cold', 'tasks that ran (wall time each)'],
    [
      `codegen, all ${int(gen.methods)} methods (${int(gen.files)} files, ${int(gen.lines)} lines, ${fmt(gen.bytes / 1e6, 2)} MB)`,
      `${fmt(gen.seconds)} s`,
      `${fmt(gen.cpuS)} s`,
      '',
      'node scripts/codegen/bin.mjs --out <tmp>',
    ],
    [
      'turbo build --filter=@b24kit/client, cold',
      `${fmt(cold.ms / 1000)} s`,
      `${fmt(cold.cpuS)} s`,
      '100%',
      taskRows(cold),
    ],
    [
      'same, nothing changed',
      `${fmt(warm.ms / 1000)} s`,
      `${fmt(warm.cpuS)} s`,
      share(warm.ms, cold.ms),
      taskRows(warm),
    ],
    [
      'same, after editing one crm type description',
      `${fmt(edited.ms / 1000)} s`,
      `${fmt(edited.cpuS)} s`,
      share(edited.ms, cold.ms),
      taskRows(edited),
    ],
  ]);
  const tables = [typing, bundles, builds].join('\n\n');
  // What the numbers say, computed from them so it stays true when they change.
  const baseline = tcAll.linesOfDefinitions - tcAll.ownLines;
  const rebuiltNeedlessly = edited.tasks
    .filter((t) => !t.cached && /^@b24kit\/(core|auth)#build$/.test(t.id))
    .map((t) => t.id);
  const reading = [
    `- Types: the one-domain consumer on the types-only path loads ${int(tcOne.linesOfDefinitions)} declaration lines in all ` +
      `(${int(tcOne.ownLines)} of them b24kit's), the facade ${int(tcAll.linesOfDefinitions)} (${int(baseline)} of them @types/node and undici, ` +
      `which core's transport brings). tsc CPU differs by ${ratio(tcAll.cpuS, tcOne.cpuS)} and memory by ${ratio(tcAll.memoryMB, tcOne.memoryMB)}; ` +
      `with skipLibCheck false (every loaded .d.ts checked) by ${ratio(strictAll.cpuS, strictOne.cpuS)} CPU and ${ratio(strictAll.types, strictOne.types)} types. ` +
      `A program that builds its own core caller beside crm pays for core's types as the facade does ` +
      `(${ratio(tcAll.cpuS, tcCore.cpuS)} CPU, ${ratio(tcAll.memoryMB, tcCore.memoryMB)} memory).`,
    `- Bundle: the subpath import ships ${int(bOne.methods)} method descriptor(s) in ${int(bOne.gzipBytes)} gzip bytes; ` +
      `the facade ships all ${int(bAll.methods)} in ${int(bAll.gzipBytes)} (${ratio(bAll.gzipBytes, bOne.gzipBytes)}).`,
    `- Codegen writes all ${int(gen.methods)} methods in ${fmt(gen.seconds)} s (${fmt(gen.cpuS)} s CPU).`,
    `- After a one-domain schema edit turbo reran ${edited.tasks.filter((t) => !t.cached).length} of ${edited.tasks.length} tasks in ${fmt(edited.ms / 1000)} s.` +
      (rebuiltNeedlessly.length
        ? ` ${rebuiltNeedlessly.join(' and ')} ran although none of their inputs changed: in turbo.json every \`build\` depends on ` +
          `\`@b24kit/scripts#generate\`, so a new generate hash invalidates them too; only the packages that read generated files need that edge.`
        : ''),
  ].join('\n');
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const machine = `${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load average ${os
    .loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')}, Node ${process.version}`;
  const readme = `# bench/typing

What one domain costs a user compared with the whole surface, and how long generating and
rebuilding take. Written by \`npm run bench:typing\` (\`node bench/typing/run.mjs [--runs N] [--keep]\`).

- **Type-check** (\`tsc --extendedDiagnostics\`, median of ${runs}): \`fixtures/one-domain\` is a
  module that is handed a caller (\`MethodCaller\`) and calls \`crmDealList\` from
  \`@b24kit/client/crm\`: a domain's declarations load only that domain and the zero-import method
  runtime, no core, undici or @types/node. \`fixtures/one-domain-with-core\` also builds its caller
  with core's \`createCaller\` (so it loads core, undici and @types/node). \`fixtures/facade\` calls
  \`createClient(...).crm.deal.list\`. All: \`moduleResolution: nodenext\`, \`strict\`,
  \`skipLibCheck: true\` (tsc's default for new projects), \`types: []\` (what a program imports
  decides what loads).
  The "skipLibCheck false" rows pass \`--skipLibCheck false\`: a consumer that checks every
  .d.ts it loads pays for each domain it imports. CPU time is user+system of tsc (GNU time).
- **Bundle**: \`one-domain-with-core\` and \`facade\` bundled by rolldown (from vite 8), \`platform: node\`, minified,
  tree-shaken; undici stays external (identical in both, not ours). "method descriptors inside"
  counts the distinct dotted REST method names whose descriptors made it into the bundle.
- **Codegen**: \`node scripts/codegen/bin.mjs --out <empty tmp dir> --no-package\`, median of ${runs}.
- **Turbo**: \`turbo run build --filter=@b24kit/client\` (builds core, auth, runs generate, builds
  client) in a temporary copy of the workspace with its own cache: cold, again with nothing
  changed, then after editing one type description in \`schema/crm/deal.yaml\` (the generator
  rewrote ${edited.generatedFilesUpdated} file(s)). Task times come from \`--summarize\`.

Everything runs in a temporary copy of the workspace, and the consumers type-check against the
dist/ built there, so a concurrent build in the checkout cannot skew the numbers.

## Results

${when}; ${machine}. Wall times on a shared machine are noisy; compare the ratios.

${tables}

## Reading the numbers

${reading}
`;
  return { tables, readme };
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
