// One export run in its own process (fresh limiter state, its own RSS).
// argv[2]: JSON {client, url, n, windowS}. Prints one JSON line with the outcome on stdout.
import { readFileSync } from 'node:fs';
import { exporters } from './exporters.mjs';

const { client, url, n, windowS, unlimited = false } = JSON.parse(process.argv[2] ?? '{}');
const exporter = exporters[client];
if (!exporter) {
  console.error(`unknown client '${client}'; known: ${Object.keys(exporters).join(', ')}`);
  process.exit(2);
}

/** Peak resident set size of this process so far, in bytes (Linux; falls back to a sample). */
function peakRss() {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {}
  return process.memoryUsage().rss;
}

// Module loading is not part of the export (see exporters.mjs).
await exporter.load?.();

let rows = 0;
const samples = []; // [seconds since start, rows so far], about one per second
const started = performance.now();
const deadline = windowS > 0 ? started + windowS * 1000 : Infinity;
let lastSample = started;
const cpu0 = process.cpuUsage();

/** Called by an exporter after each chunk; returns false once the time window is over. */
function progress(count) {
  rows += count;
  const now = performance.now();
  if (now - lastSample >= 1000) {
    samples.push([(now - started) / 1000, rows]);
    lastSample = now;
  }
  return now < deadline;
}

let error;
try {
  await exporter(url, progress, { unlimited });
} catch (e) {
  error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
const elapsedS = (performance.now() - started) / 1000;
samples.push([elapsedS, rows]);
const cpu = process.cpuUsage(cpu0);
const out = {
  client,
  n,
  rows,
  elapsedS,
  windowed: windowS > 0 && rows < n && !error,
  cpuS: (cpu.user + cpu.system) / 1e6,
  peakRssBytes: peakRss(),
  samples,
  error,
};
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
