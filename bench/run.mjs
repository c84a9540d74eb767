#!/usr/bin/env node
// `npm run bench`: export throughput of b24kit, the official SDK and @2bad/bitrix against the
// emulator, b24kit's per-call CPU overhead over a bare undici request, and b24kit's peak RSS.
// Each client runs in its own child process; the emulator lives in this process, so this
// process's event-loop busy time is the time the emulator spent serving.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '@b24kit/emulator';
import { startRedisServer } from './lib/redis-server.mjs';
import {
  boundTable,
  bucketBound,
  exportTable,
  fmtInt,
  fmtRatio,
  median,
  memoryTable,
  overheadTable,
  parseArgs,
  replaceResults,
  throughput,
} from './lib/report.mjs';

const here = new URL('.', import.meta.url).pathname;
let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (opts.help) {
  console.log(opts.help);
  process.exit(0);
}
const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const STANDARD = { burst: 50, drainPerSec: 2 };

/** Runs a child script; resolves with its last stdout line parsed as JSON, or {timedOut}. */
function child(script, arg, { env = {}, timeoutS } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--max-old-space-size=8192', `${here}child/${script}`, JSON.stringify(arg)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timedOut = false;
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const timer = timeoutS ? setTimeout(() => ((timedOut = true), proc.kill('SIGKILL')), timeoutS * 1000) : undefined;
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const elapsedS = (performance.now() - started) / 1000;
      if (timedOut) return resolve({ timedOut: true, elapsedS });
      const last = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(last ?? ''));
      } catch {
        resolve({ error: `child exited ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' / ')}`, elapsedS });
      }
    });
  });
}

// The packages' builds (dist/) may be rewritten by a build running at the same time; a child
// started in that gap cannot import them. Wait for the entry points before starting one.
const ENTRIES = ['core', 'auth', 'client'].map((p) => new URL(`../packages/${p}/dist/esm/index.js`, import.meta.url));

async function buildsReady() {
  for (let waited = 0; ENTRIES.some((u) => !existsSync(u)); waited += 2) {
    if (waited >= 300) throw new Error('the @b24kit packages are not built (run `npm run setup`)');
    if (waited === 0) log('waiting for the package builds (dist/) to reappear');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** One export run against `em`, with the bucket drained and the stats zeroed first. */
async function exportRun(em, size, client, runOpts = {}, retried = false) {
  const { windowS = 0, unlimited = false } = runOpts;
  await buildsReady();
  em.advanceTime(11 * 60_000); // drains the bucket and the 10-minute operating windows
  em.resetStats();
  const elu0 = performance.eventLoopUtilization();
  const res = await child(
    'export.mjs',
    { client, url: em.webhookUrl, n: size, windowS, unlimited },
    { env: em.tls ? { NODE_EXTRA_CA_CERTS: em.tls.certPath } : {}, timeoutS: opts.timeoutS },
  );
  const busy = performance.eventLoopUtilization(elu0);
  const s = em.stats();
  const run = {
    size,
    client,
    rows: res.rows ?? 0,
    elapsedS: res.elapsedS,
    windowed: Boolean(res.windowed),
    timedOut: Boolean(res.timedOut),
    error: res.error,
    cpuS: res.cpuS ?? 0,
    peakRssBytes: res.peakRssBytes,
    samples: res.samples ?? [],
    requests: s.requests,
    rateLimited: s.rateLimited,
    byStatus: s.byStatus,
    callsByMethod: s.callsByMethod,
    emuBusyS: busy.active / 1000,
    // Other work on this machine skews the times: the 1-minute load average at the end.
    loadAvg: os.loadavg()[0],
  };
  if (!run.error && !run.windowed && !run.timedOut && run.rows !== size) run.error = `read ${run.rows} rows of ${size}`;
  if (run.error?.includes('Cannot find module') && !retried) {
    log(`${client}: a package build vanished mid-start; running again`);
    return exportRun(em, size, client, runOpts, true);
  }
  const t = throughput(run);
  log(
    `${fmtInt(size)} ${client}${unlimited ? ' (unlimited plan)' : ''}: ${fmtInt(run.rows)} rows in ${run.elapsedS.toFixed(1)} s` +
      ` (${t.overall ? fmtInt(t.overall) : '—'} rows/s), ${run.requests} requests, ${run.rateLimited} × 503, emulator busy ${run.emuBusyS.toFixed(1)} s` +
      (run.error ? `, ERROR ${run.error}` : run.timedOut ? ', TIMED OUT' : ''),
  );
  return run;
}

const results = {
  when: new Date().toISOString(),
  opts: { ...opts, help: undefined },
  machine: machine(),
  runs: [],
  calib: {},
  bounds: {},
  overhead: {},
  redis: undefined,
};

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

if (opts.scenarios.includes('export') || opts.scenarios.includes('memory')) {
  const clients = opts.scenarios.includes('export') ? opts.clients : ['b24kit'];
  for (const size of opts.sizes) {
    // TLS for every client: the official SDK accepts only https webhooks, and a portal is https.
    const em = await startEmulator({ plan: 'unlimited', tls: true });
    try {
      const t0 = performance.now();
      await em.seed('crm.deal', size);
      log(`seeded ${fmtInt(size)} deals in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // Calibration: the emulator's own processing for a (near) minimal request sequence,
      // on the unlimited plan without latency.
      const cal = await exportRun(em, size, 'b24kit', { unlimited: true });
      results.calib[size] = {
        elapsedS: cal.elapsedS,
        emuBusyS: cal.emuBusyS,
        requests: cal.requests,
        error: cal.error,
      };
      const b = bucketBound(size, STANDARD);
      results.bounds[size] = { ...b, processingS: cal.emuBusyS };
      em.setPlan('standard');
      if (opts.latencyMs > 0) em.setLatency(opts.latencyMs);
      for (const client of clients) {
        results.runs.push(
          await exportRun(em, size, client, { windowS: opts.windowed.includes(client) ? opts.windowS : 0 }),
        );
      }
    } finally {
      await em.close();
    }
  }
}

if (opts.scenarios.includes('overhead')) {
  // Plain http, unlimited plan, no latency: only the client's own work differs.
  const em = await startEmulator({ plan: 'unlimited' });
  try {
    await buildsReady();
    await em.seed('crm.deal', 10);
    for (const [method, params] of [
      ['server.time', {}],
      ['crm.deal.get', { id: 1 }],
    ]) {
      const res = await child(
        'overhead.mjs',
        { url: em.webhookUrl, calls: opts.calls, rounds: opts.rounds, method, params },
        { timeoutS: opts.timeoutS },
      );
      if (res.error || res.timedOut) {
        log(`overhead ${method}: ${res.error ?? 'timed out'}`);
        continue;
      }
      results.overhead[method] = { ...res, calls: opts.calls, loadAvg: os.loadavg()[0] };
      const ratio = median(res.b24kit.map((x) => x.cpuUs)) / median(res.bare.map((x) => x.cpuUs));
      log(`overhead ${method}: b24kit ÷ bare CPU per call = ${fmtRatio(ratio)}`);
    }
  } finally {
    await em.close();
  }
}

if (opts.scenarios.includes('redis')) {
  // One export split over 4 processes that share the portal's limits through Redis, against the
  // same export in 1 process: both against the standard plan's bucket bound (plain http, no latency).
  const server = await startRedisServer();
  if (!server) {
    log('redis: redis-server is not installed; the Redis scenario is skipped (apt-get install redis-server)');
  } else {
    const em = await startEmulator({ plan: 'standard' });
    try {
      await buildsReady();
      const n = opts.redisRows;
      await em.seed('crm.deal', n);
      const bucketS = bucketBound(n, STANDARD).seconds;
      let runNo = 0;
      const part = async (parts, redisUrl) => {
        // Each run starts on a rested portal: the emulator's clock moves 11 minutes on, which
        // empties its bucket and operating window. The limits the processes share in Redis are
        // timed by Redis's own clock, which does not move, so each run gets a key namespace of
        // its own: otherwise a run would start behind the previous run's full bucket (the
        // calibration's 128 requests left it full, and the timed run then paced all of its
        // requests at 2 a second, with no burst).
        em.advanceTime(11 * 60_000);
        em.resetStats();
        const redisPrefix = `b24kit-bench:${++runNo}:`;
        const size = Math.ceil(n / parts);
        const elu0 = performance.eventLoopUtilization();
        const t0 = performance.now();
        const outs = await Promise.all(
          Array.from({ length: parts }, (_, i) =>
            child(
              'export-range.mjs',
              {
                url: em.webhookUrl,
                lo: i * size + 1,
                hi: Math.min(n, (i + 1) * size),
                ...(redisUrl ? { redisUrl, redisPrefix } : {}),
              },
              { timeoutS: opts.timeoutS },
            ),
          ),
        );
        const elapsedS = (performance.now() - t0) / 1000;
        const emuBusyS = performance.eventLoopUtilization(elu0).active / 1000;
        const s = em.stats();
        const row = {
          emuBusyS,
          processes: parts,
          redis: Boolean(redisUrl),
          rows: outs.reduce((a, o) => a + (o.rows ?? 0), 0),
          elapsedS,
          requests: s.requests,
          rateLimited: s.rateLimited,
          error:
            outs.find((o) => o.error || o.timedOut)?.error ?? (outs.some((o) => o.timedOut) ? 'timed out' : undefined),
        };
        log(
          `redis: ${n} rows in ${parts} process(es)${redisUrl ? ' sharing limits through Redis' : ''}: ${row.rows} rows in ${elapsedS.toFixed(1)} s, ${row.requests} requests, ${row.rateLimited} × 503, emulator busy ${emuBusyS.toFixed(1)} s${row.error ? `, ERROR ${row.error}` : ''}`,
        );
        return row;
      };
      // As for the export table: the bound is the bucket's time plus the emulator's own
      // processing, measured on the unlimited plan (nothing to wait for). One calibration at
      // the start ran cold (SQLite pages, JIT), at a load unlike the timed runs', and in one
      // process, while the split export asks the emulator for other (cheaper) work. So a
      // discarded warm-up run comes first, and each timed run is calibrated right before it by
      // the same export on the unlimited plan (the same split, the same limiter store): both
      // runs are held against the same bound, the bucket's time plus the emulator's processing
      // of that very export. The 1-minute load average is kept with every run.
      const calibrate = async (parts, url) => {
        em.setPlan('unlimited');
        const c = await part(parts, url);
        em.setPlan('standard');
        return {
          emuBusyS: c.emuBusyS,
          elapsedS: c.elapsedS,
          requests: c.requests,
          loadAvg: os.loadavg()[0],
          error: c.error,
        };
      };
      em.setPlan('unlimited');
      const warmup = await part(1, undefined);
      log(`redis: warm-up (discarded) ${warmup.elapsedS.toFixed(1)} s, emulator busy ${warmup.emuBusyS.toFixed(1)} s`);
      const runs = [];
      for (const url of [undefined, server.url]) {
        const parts = url ? 4 : 1;
        const calibration = await calibrate(parts, url);
        const run = await part(parts, url);
        const boundS = bucketS + calibration.emuBusyS;
        runs.push({ ...run, loadAvg: os.loadavg()[0], calibration, boundS });
        log(
          `redis: ${parts} process(es): ${run.elapsedS.toFixed(1)} s against the bound ${boundS.toFixed(1)} s (${(run.elapsedS / boundS).toFixed(2)}x)`,
        );
      }
      results.redis = {
        rows: n,
        bucketS,
        warmup: { elapsedS: warmup.elapsedS, emuBusyS: warmup.emuBusyS },
        runs,
      };
    } finally {
      await em.close();
      await server.close();
    }
  }
}

const markdown = render(results);
process.stdout.write(markdown + '\n');
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/${opts.write ? 'latest' : 'scratch'}.json`, JSON.stringify(results, null, 1) + '\n');
if (opts.write) {
  const path = `${here}README.md`;
  writeFileSync(path, replaceResults(readFileSync(path, 'utf8'), markdown));
  log(`wrote the results into ${path}`);
}

function render(r) {
  const m = r.machine;
  const parts = [
    `Run ${r.when.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.memGiB} GiB, ${m.os}, Node ${m.node}.`,
    `Command: \`npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\``,
  ];
  const goals = [];
  if (r.runs.length > 0 && r.opts.scenarios.includes('export')) {
    parts.push(
      `### Export throughput (standard plan: burst 50, 2 requests/s; latency ${r.opts.latencyMs} ms; https)`,
      exportTable(r.runs, r.bounds, r.opts.windowS),
      '#### The bound',
      boundTable(r.bounds, r.calib),
    );
    for (const size of r.opts.sizes) {
      const kit = r.runs.find((x) => x.size === size && x.client === 'b24kit');
      const b = r.bounds[size];
      if (kit && b && !kit.error && !kit.timedOut) {
        const ratio = kit.elapsedS / (b.seconds + b.processingS);
        const bucketOnly = b.seconds > 0 ? `; ${fmtRatio(kit.elapsedS / b.seconds)} the bucket time alone` : '';
        goals.push(
          `- ${fmtInt(size)} rows: b24kit took ${fmtRatio(ratio)} the bound${bucketOnly} (goal ≤ 1.2× the bound): ${ratio <= 1.2 ? 'met' : 'missed'}.`,
        );
      }
      const sdk = r.runs.find((x) => x.size === size && x.client === 'b24jssdk');
      if (kit && sdk && !kit.error && !sdk.error) {
        const k = throughput(kit).overall;
        const s = throughput(sdk);
        const verdict = size >= 1_000_000 ? (k / s.overall >= 10 ? ': met' : ': missed') : '';
        goals.push(
          `- ${fmtInt(size)} rows: b24kit read ${fmtRatio(k / s.overall)} the official SDK's rows/s` +
            (sdk.windowed
              ? ` (the SDK's average over its ${r.opts.windowS} s window, burst included; ${s.late ? fmtRatio(k / s.late) : '—'} against its rate in the window's second half)`
              : '') +
            ` (goal ≥ 10× on 1,000,000)${verdict}.`,
        );
      }
    }
  }
  if (r.runs.some((x) => x.client === 'b24kit') && r.opts.scenarios.includes('memory')) {
    parts.push('### Memory: b24kit export, peak RSS of the child process', memoryTable(r.runs));
  }
  if (Object.keys(r.overhead).length > 0) {
    parts.push('### Per-call overhead (unlimited plan, no latency, http; median of rounds)', overheadTable(r.overhead));
    for (const [method, o] of Object.entries(r.overhead)) {
      const ratio = median(o.b24kit.map((x) => x.cpuUs)) / median(o.bare.map((x) => x.cpuUs));
      goals.push(
        `- \`${method}\`: b24kit costs ${fmtRatio(ratio)} the CPU of a bare undici request (goal < 1.5×): ${ratio < 1.5 ? 'met' : 'missed'}.`,
      );
    }
  }
  if (r.redis) {
    const rd = r.redis;
    parts.push(
      `### Many processes: one export split over 4 processes sharing the limits through Redis (${fmtInt(rd.rows)} rows, standard plan; the bound of each run = the bucket's ${rd.bucketS.toFixed(1)} s + the emulator's processing of the same export, calibrated on the unlimited plan right before it, after a discarded warm-up)`,
      [
        '| processes | limits | rows | time | bound (bucket + processing) | × the bound | requests | 503s | load average (1 min) |',
        '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
        ...rd.runs.map(
          (x) =>
            `| ${x.processes} | ${x.redis ? 'Redis (@b24kit/redis)' : 'in process'} | ${fmtInt(x.rows)} | ${x.elapsedS.toFixed(1)} s | ${x.boundS.toFixed(1)} s (${rd.bucketS.toFixed(1)} + ${x.calibration.emuBusyS.toFixed(1)}) | ${x.boundS > 0 ? fmtRatio(x.elapsedS / x.boundS) : '—'} | ${x.requests} | ${x.rateLimited}${x.error ? ` (error: ${x.error})` : ''} | ${x.loadAvg.toFixed(2)} |`,
        ),
      ].join('\n'),
    );
    const four = rd.runs.find((x) => x.processes === 4);
    if (four && !four.error && four.boundS > 0) {
      const ratio = four.elapsedS / four.boundS;
      goals.push(
        `- ${fmtInt(rd.rows)} rows over 4 processes through Redis: ${fmtRatio(ratio)} the bound with ${four.rateLimited} × 503 (goal ≤ 1.15× the bound, 0 × 503): ${ratio <= 1.15 && four.rateLimited === 0 ? 'met' : 'missed'}.`,
      );
    }
  }
  if (goals.length > 0) parts.splice(2, 0, '### Goals', goals.join('\n'));
  return parts.join('\n\n');
}
