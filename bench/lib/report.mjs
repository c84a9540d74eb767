// Pure helpers of the benchmark: the physical bound, statistics, argument parsing and the
// Markdown rendering. No I/O here, so bench/test can pin them.

/** Rows per page of a classic list method, and pages per batch request. */
export const PAGE_ROWS = 50;
export const BATCH_PAGES = 50;

/**
 * The least time any client needs to read `rows` rows through a leaky bucket: at best one
 * request carries a batch of 50 pages of 50 rows; the first `burst` requests pass at once,
 * every further one waits for the bucket to drain one slot.
 */
export function bucketBound(rows, { burst = 50, drainPerSec = 2, rowsPerRequest = PAGE_ROWS * BATCH_PAGES } = {}) {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!(burst > 0) || !(drainPerSec > 0)) throw new RangeError('burst and drainPerSec must be positive');
  const minRequests = Math.ceil(rows / rowsPerRequest);
  return { minRequests, seconds: Math.max(0, (minRequests - burst) / drainPerSec) };
}

export function median(values) {
  if (values.length === 0) throw new RangeError('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Rows per second between the first sample at or after `fromS` and the last sample
 * (samples are `[seconds, rowsSoFar]`, ascending). Undefined when that span is empty.
 */
export function rateBetween(samples, fromS, minSpanS = 1) {
  const first = samples.find(([t]) => t >= fromS);
  const last = samples[samples.length - 1];
  // A client that hands over every row at the end has no rate in between.
  if (!first || !last || last[0] - first[0] < minSpanS) return undefined;
  return (last[1] - first[1]) / (last[0] - first[0]);
}

export function fmtInt(n) {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function fmtNum(n, digits = 1) {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  return n >= 1000 ? fmtInt(n) : n.toFixed(digits);
}

export function fmtRatio(r) {
  if (r === undefined || r === null || !Number.isFinite(r)) return '—';
  return `${r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function fmtMiB(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}

/** A Markdown table; `align` holds 'l' or 'r' per column (default 'l'). */
export function renderTable(headers, rows, align = []) {
  const esc = (cell) =>
    String(cell ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\n/g, ' ');
  const line = (cells) => `| ${cells.map(esc).join(' | ')} |`;
  for (const row of rows) {
    if (row.length !== headers.length)
      throw new RangeError(`a row has ${row.length} cells for ${headers.length} columns`);
  }
  const rule = headers.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [line(headers), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Puts `content` between the result markers of `readme` (appends them when absent). */
export function replaceResults(readme, content) {
  const block = `${RESULTS_START}\n${content.trim()}\n${RESULTS_END}`;
  const a = readme.indexOf(RESULTS_START);
  const b = readme.indexOf(RESULTS_END);
  if (a === -1 && b === -1) return `${readme.trimEnd()}\n\n${block}\n`;
  if (a === -1 || b === -1 || b < a) throw new Error('bench README: result markers are missing or out of order');
  return readme.slice(0, a) + block + readme.slice(b + RESULTS_END.length);
}

const SCENARIOS = ['export', 'overhead', 'memory', 'redis'];
const CLIENTS = ['b24kit', 'b24kit-parallel', 'b24jssdk', '2bad'];

const FULL = {
  scenarios: SCENARIOS,
  sizes: [100_000, 1_000_000],
  clients: ['b24kit', 'b24jssdk', '2bad'],
  windowed: ['b24jssdk'],
  windowS: 120,
  timeoutS: 600,
  latencyMs: 40,
  calls: 5000,
  rounds: 7,
  /** Rows of the Redis scenario's export (1 process, then 4 sharing the limits through Redis). */
  redisRows: 300_000,
  write: true,
};
const QUICK = {
  ...FULL,
  sizes: [10_000, 150_000],
  windowS: 20,
  timeoutS: 300,
  calls: 1000,
  rounds: 3,
  redisRows: 150_000,
};

const HELP = `usage: npm run bench -- [options]
  --quick              small sizes (10,000 and 150,000 rows), 20 s windows, fewer calls
  --scenarios=a,b      of ${SCENARIOS.join(', ')} (default: all)
  --sizes=N,M          rows seeded per export run (default 100000,1000000)
  --clients=a,b        of ${CLIENTS.join(', ')} (default b24kit,b24jssdk,2bad)
  --windowed=a,b       clients run for a fixed time window instead of to the end (default b24jssdk)
  --window=S           the window in seconds (default 120; quick 20)
  --timeout=S          a run still going after S seconds is stopped and reported so (default 600)
  --latency=MS         emulator latency per request (default 40)
  --calls=N --rounds=N per-call overhead: calls per round, rounds (default 5000, 7)
  --redis-rows=N       rows of the Redis scenario: one export, then the same split over 4 processes
                       sharing the limits through Redis (default 300000; quick 150000)
  --no-write           print the tables, leave bench/README.md alone`;

function list(value, allowed, flag) {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error(`${flag}: expected a comma-separated list`);
  for (const item of items) {
    if (allowed && !allowed.includes(item))
      throw new Error(`${flag}: unknown '${item}' (known: ${allowed.join(', ')})`);
  }
  return items;
}

function positiveInt(value, flag) {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag}: expected a positive integer, got '${value}'`);
  return n;
}

/** Parses the command line; throws an Error naming the bad flag. `help: true` for --help. */
export function parseArgs(argv) {
  const opts = { ...(argv.includes('--quick') ? QUICK : FULL) };
  for (const arg of argv) {
    const [flag, value] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const need = () => {
      if (value === undefined || value === '') throw new Error(`${flag} needs a value (${flag}=...)`);
      return value;
    };
    switch (flag) {
      case '--quick':
        break;
      case '--help':
      case '-h':
        return { ...opts, help: HELP };
      case '--no-write':
        opts.write = false;
        break;
      case '--scenarios':
        opts.scenarios = list(need(), SCENARIOS, flag);
        break;
      case '--sizes':
        opts.sizes = list(need(), undefined, flag).map((s) => positiveInt(s, flag));
        break;
      case '--clients':
        opts.clients = list(need(), CLIENTS, flag);
        break;
      case '--windowed':
        opts.windowed = value === '' ? [] : list(need(), CLIENTS, flag);
        break;
      case '--window':
        opts.windowS = positiveInt(need(), flag);
        break;
      case '--timeout':
        opts.timeoutS = positiveInt(need(), flag);
        break;
      case '--latency':
        opts.latencyMs = value === '0' ? 0 : positiveInt(need(), flag);
        break;
      case '--calls':
        opts.calls = positiveInt(need(), flag);
        break;
      case '--redis-rows':
        opts.redisRows = positiveInt(need(), flag);
        break;
      case '--rounds':
        opts.rounds = positiveInt(need(), flag);
        break;
      default:
        throw new Error(`unknown option '${arg}'\n${HELP}`);
    }
  }
  return opts;
}

/** Throughput of one run: rows per second, over the whole run and over its second half. */
export function throughput(run) {
  // A stopped or failed run delivered nothing to measure (a client may hand over rows only at the end).
  if (!(run.elapsedS > 0) || run.timedOut || run.error) return { overall: undefined, late: undefined };
  return { overall: run.rows / run.elapsedS, late: rateBetween(run.samples ?? [], run.elapsedS / 2) };
}

/** How a run ended, as the table shows it. */
export function runKind(run, windowS) {
  if (run.error) return `failed: ${run.error.slice(0, 80)}`;
  if (run.timedOut) return `stopped at ${Math.round(run.elapsedS)} s, unfinished`;
  if (run.windowed) return `**${windowS} s window** (not run to the end)`;
  return 'full';
}

/**
 * The export table. `runs`: results with {size, client, rows, elapsedS, windowed, timedOut,
 * error, requests, rateLimited, emuBusyS, cpuS, peakRssBytes, samples}; `bounds`: per size
 * {seconds, minRequests, processingS}.
 */
export function exportTable(runs, bounds, windowS) {
  const headers = [
    'rows',
    'client',
    'run',
    'rows read',
    'rows/s',
    'rows/s (2nd half)',
    'b24kit ÷ client',
    'HTTP requests',
    '503s',
    'time',
    'bound',
    'time ÷ bound',
    'emulator busy',
    'client CPU',
    'peak RSS',
    'load avg',
  ];
  const rows = [];
  for (const run of runs) {
    const kit = runs.find((r) => r.size === run.size && r.client === 'b24kit' && !r.error && !r.timedOut);
    const t = throughput(run);
    const kitRate = kit ? throughput(kit).overall : undefined;
    const bound = bounds[run.size];
    const complete = !run.error && !run.timedOut && !run.windowed;
    const boundS = bound ? bound.seconds + bound.processingS : undefined;
    rows.push([
      fmtInt(run.size),
      run.client,
      runKind(run, windowS),
      fmtInt(run.rows),
      fmtNum(t.overall, 0),
      fmtNum(t.late, 0),
      kitRate && t.overall ? fmtRatio(kitRate / t.overall) : '—',
      fmtInt(run.requests),
      fmtInt(run.rateLimited),
      `${run.elapsedS.toFixed(1)} s`,
      complete && boundS !== undefined ? `${boundS.toFixed(1)} s` : '—',
      complete && boundS ? fmtRatio(run.elapsedS / boundS) : '—',
      `${run.emuBusyS.toFixed(1)} s`,
      `${run.cpuS.toFixed(1)} s`,
      run.peakRssBytes ? fmtMiB(run.peakRssBytes) : '—',
      run.loadAvg === undefined ? '—' : run.loadAvg.toFixed(1),
    ]);
  }
  return renderTable(headers, rows, ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** The bound's parts per size. `calib` per size: {elapsedS, emuBusyS, requests} on the unlimited plan. */
export function boundTable(bounds, calib) {
  const headers = [
    'rows',
    'least requests',
    'bucket time',
    'emulator processing',
    'bound',
    'b24kit on the unlimited plan (requests, time)',
  ];
  const rows = Object.keys(bounds).map((size) => {
    const b = bounds[size];
    const c = calib[size];
    return [
      fmtInt(Number(size)),
      fmtInt(b.minRequests),
      `${b.seconds.toFixed(1)} s`,
      `${b.processingS.toFixed(1)} s`,
      `${(b.seconds + b.processingS).toFixed(1)} s`,
      c ? `${fmtInt(c.requests)}, ${c.elapsedS.toFixed(1)} s` : '—',
    ];
  });
  return renderTable(headers, rows, ['r', 'r', 'r', 'r', 'r', 'l']);
}

/** Per-call overhead: `results` per method {bare: [{cpuUs, wallUs}], b24kit: [...]}. */
export function overheadTable(results) {
  const headers = [
    'method',
    'bare undici CPU/call',
    'b24kit CPU/call',
    'b24kit ÷ bare (CPU)',
    'bare wall/call',
    'b24kit wall/call',
    'rounds × calls',
    'load avg',
  ];
  const rows = Object.entries(results).map(([method, r]) => {
    const bareCpu = median(r.bare.map((x) => x.cpuUs));
    const kitCpu = median(r.b24kit.map((x) => x.cpuUs));
    return [
      method,
      `${bareCpu.toFixed(0)} µs`,
      `${kitCpu.toFixed(0)} µs`,
      fmtRatio(kitCpu / bareCpu),
      `${median(r.bare.map((x) => x.wallUs)).toFixed(0)} µs`,
      `${median(r.b24kit.map((x) => x.wallUs)).toFixed(0)} µs`,
      `${r.bare.length} × ${fmtInt(r.calls)}`,
      r.loadAvg === undefined ? '—' : r.loadAvg.toFixed(1),
    ];
  });
  return renderTable(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** Peak RSS of b24kit exports by size, with the growth relative to the smallest size. */
export function memoryTable(runs) {
  const kit = runs.filter((r) => r.client === 'b24kit' && !r.error).sort((a, b) => a.size - b.size);
  const base = kit[0];
  const headers = ['rows', 'peak RSS (VmHWM)', 'vs smallest', 'rows read', 'time'];
  const rows = kit.map((r) => [
    fmtInt(r.size),
    fmtMiB(r.peakRssBytes),
    base ? fmtRatio(r.peakRssBytes / base.peakRssBytes) : '—',
    fmtInt(r.rows),
    `${r.elapsedS.toFixed(1)} s`,
  ]);
  return renderTable(headers, rows, ['r', 'r', 'r', 'r', 'r']);
}
