import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without type declarations
import * as report from '../lib/report.mjs';

const {
  bucketBound,
  median,
  rateBetween,
  renderTable,
  replaceResults,
  parseArgs,
  exportTable,
  memoryTable,
  overheadTable,
  RESULTS_START,
  RESULTS_END,
} = report;

describe('bucketBound', () => {
  it('charges only the requests beyond the burst, at the drain rate', () => {
    expect(bucketBound(1_000_000)).toEqual({ minRequests: 400, seconds: 175 });
    expect(bucketBound(100_000)).toEqual({ minRequests: 40, seconds: 0 });
    expect(bucketBound(150_000)).toEqual({ minRequests: 60, seconds: 5 });
  });
  it('rounds a partial batch up to a whole request', () => {
    expect(bucketBound(127_501).minRequests).toBe(52);
    expect(bucketBound(127_501).seconds).toBe(1);
  });
  it('follows other plans', () => {
    expect(bucketBound(1_000_000, { burst: 250, drainPerSec: 5 })).toEqual({ minRequests: 400, seconds: 30 });
  });
  it('rejects nonsense', () => {
    expect(() => bucketBound(-1)).toThrow(/non-negative integer/);
    expect(() => bucketBound(10, { drainPerSec: 0 })).toThrow(/positive/);
  });
});

describe('statistics', () => {
  it('median of odd and even counts, unsorted input untouched', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
  it('rate over the later part of a run', () => {
    const samples = [
      [1, 100],
      [2, 200],
      [3, 1200],
      [4, 2200],
    ];
    expect(rateBetween(samples, 2.5)).toBe(1000);
    // everything delivered at once at the end: no rate
    expect(
      rateBetween(
        [
          [10, 5000],
          [10.0001, 5000],
        ],
        5,
      ),
    ).toBeUndefined();
  });
});

describe('renderTable', () => {
  it('renders aligned Markdown and escapes pipes', () => {
    const md = renderTable(['a', 'b'], [['x|y', 2]], ['l', 'r']);
    expect(md).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 2 |');
  });
  it('refuses a row of the wrong width', () => {
    expect(() => renderTable(['a', 'b'], [['only one']])).toThrow(/1 cells for 2 columns/);
  });
});

describe('replaceResults', () => {
  it('replaces only what is between the markers', () => {
    const readme = `# Bench\nprose\n${RESULTS_START}\nold\n${RESULTS_END}\ntail\n`;
    const out = replaceResults(readme, 'new table');
    expect(out).toBe(`# Bench\nprose\n${RESULTS_START}\nnew table\n${RESULTS_END}\ntail\n`);
  });
  it('appends the block when the markers are absent, and refuses a broken pair', () => {
    expect(replaceResults('# Bench\n', 'x')).toBe(`# Bench\n\n${RESULTS_START}\nx\n${RESULTS_END}\n`);
    expect(() => replaceResults(`${RESULTS_END}\n${RESULTS_START}`, 'x')).toThrow(/out of order/);
  });
});

describe('parseArgs', () => {
  it('defaults to the full run and --quick shrinks it', () => {
    expect(parseArgs([]).sizes).toEqual([100_000, 1_000_000]);
    const quick = parseArgs(['--quick']);
    expect(quick.sizes[1]).toBeLessThan(1_000_000);
    expect(quick.windowS).toBeLessThan(120);
  });
  it('reads lists and numbers, naming the bad flag', () => {
    const o = parseArgs([
      '--sizes=1_000,20000',
      '--clients=b24kit,2bad',
      '--scenarios=export',
      '--latency=0',
      '--no-write',
    ]);
    expect(o).toMatchObject({
      sizes: [1000, 20000],
      clients: ['b24kit', '2bad'],
      scenarios: ['export'],
      latencyMs: 0,
      write: false,
    });
    expect(() => parseArgs(['--clients=axios'])).toThrow(/--clients: unknown 'axios'/);
    expect(() => parseArgs(['--sizes=ten'])).toThrow(/--sizes: expected a positive integer/);
    expect(() => parseArgs(['--window'])).toThrow(/--window needs a value/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option '--fast'/);
  });
});

describe('result tables', () => {
  const run = (over: Record<string, unknown>) => ({
    size: 1_000_000,
    rows: 1_000_000,
    elapsedS: 200,
    windowed: false,
    timedOut: false,
    requests: 405,
    rateLimited: 0,
    emuBusyS: 50,
    cpuS: 30,
    peakRssBytes: 150 * 1048576,
    samples: [
      [100, 400_000],
      [200, 1_000_000],
    ],
    ...over,
  });
  it('gives the bound ratio for full runs only and ratios against b24kit', () => {
    const runs = [
      run({ client: 'b24kit' }),
      run({
        client: 'b24jssdk',
        rows: 12_000,
        elapsedS: 120,
        windowed: true,
        samples: [
          [60, 6000],
          [120, 12_000],
        ],
      }),
    ];
    const md = exportTable(runs, { 1_000_000: { seconds: 175, minRequests: 400, processingS: 25 } }, 120);
    const lines = md.split('\n');
    expect(lines[2]).toContain('| full |');
    expect(lines[2]).toContain('| 200.0 s | 1.00× |'); // bound 175 + 25
    expect(lines[3]).toContain('**120 s window**');
    expect(lines[3]).toContain('| 50.0× |'); // 5000 rows/s ÷ 100 rows/s
    expect(lines[3]).toMatch(/\| — \| — \| 50\.0 s/); // no bound ratio for a window
  });
  it('marks a run stopped by the timeout', () => {
    const md = exportTable([run({ client: '2bad', rows: 0, timedOut: true, elapsedS: 600 })], {}, 120);
    expect(md).toContain('stopped at 600 s, unfinished');
  });
  it('memory growth relative to the smallest export', () => {
    const md = memoryTable([
      run({ client: 'b24kit' }),
      run({ client: 'b24kit', size: 100_000, rows: 100_000, peakRssBytes: 100 * 1048576 }),
    ]);
    const lines = md.split('\n');
    expect(lines[2]).toContain('| 100,000 | 100 MiB | 1.00× |');
    expect(lines[3]).toContain('| 1,000,000 | 150 MiB | 1.50× |');
  });
  it('overhead ratio is the ratio of medians', () => {
    const md = overheadTable({
      'server.time': {
        calls: 5000,
        bare: [
          { cpuUs: 100, wallUs: 1 },
          { cpuUs: 300, wallUs: 1 },
          { cpuUs: 110, wallUs: 1 },
        ],
        b24kit: [
          { cpuUs: 120, wallUs: 2 },
          { cpuUs: 130, wallUs: 2 },
          { cpuUs: 900, wallUs: 2 },
        ],
      },
    });
    expect(md).toContain('| server.time | 110 µs | 130 µs | 1.18× |');
  });
});
