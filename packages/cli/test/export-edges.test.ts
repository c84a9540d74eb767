/**
 * Export edges: real SIGTERM and SIGINT sent to the built binary leave every format valid;
 * progress never shares the terminal with the rows; a sane first ETA; --bom; a header for an
 * empty CSV.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Progress, formatDuration } from '../src/export/progress.js';
import { main } from '../src/index.js';
import { runCli } from './helpers.js';

const bin = fileURLToPath(new URL('../dist/esm/bin.js', import.meta.url));
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ plan: 'unlimited' });
  emu.seed('crm.deal', 400);
  dir = mkdtempSync(join(tmpdir(), 'b24-export-edges-'));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => emu.setLatency(0));

/** RFC 4180 rows; fails on a cut row or an open quote. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  expect(quoted).toBe(false);
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

function parsed(format: string, text: string): Array<Record<string, unknown>> {
  if (format === 'json') return JSON.parse(text) as Array<Record<string, unknown>>;
  if (format === 'ndjson') {
    expect(text === '' || text.endsWith('\n')).toBe(true);
    return text === ''
      ? []
      : text
          .slice(0, -1)
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  const [header, ...rows] = csvRows(text);
  expect(header).toEqual(['ID', 'TITLE']);
  for (const r of rows) expect(r).toHaveLength(2);
  return rows.map(([ID, TITLE]) => ({ ID, TITLE }));
}

describe('a signal midway leaves every format valid', () => {
  it.each([
    ['SIGTERM', 'json', 143],
    ['SIGTERM', 'csv', 143],
    ['SIGTERM', 'ndjson', 143],
    ['SIGINT', 'json', 130],
    ['SIGINT', 'csv', 130],
  ] as const)(
    '%s during a %s export: exit %i, whole rows, a file that parses',
    async (signal, format, exitCode) => {
      emu.setLatency(400);
      emu.resetStats();
      const out = join(dir, `signal.${signal}.${format}`);
      const child = spawn(
        process.execPath,
        [
          bin,
          'export',
          'crm.deal.list',
          '--select',
          'ID,TITLE',
          '--format',
          format,
          '--out',
          out,
          '--webhook',
          emu.webhookUrl,
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += String(c)));
      // Stop it while the second request (pages 2.. in one batch) is under way.
      while (emu.stats().requests < 2) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(exitCode);
      expect(stderr).toContain(
        `${signal === 'SIGINT' ? 'interrupted' : 'terminated'} after 50 rows (written to ${out} and intact)`,
      );
      const rows = parsed(format, readFileSync(out, 'utf8'));
      expect(rows).toHaveLength(50);
      expect(rows.map((r) => Number(r.ID))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    },
    60_000,
  );
});

/** Runs in-process with stdout and/or stderr claiming to be terminals. */
async function onTerminal(args: string[], tty: { stdout: boolean; stderr: boolean }) {
  const output = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    Object.assign(
      new Writable({
        write(chunk, _e, done) {
          output[key] += String(chunk);
          done();
        },
      }),
      tty[key] ? { isTTY: true } : {},
    );
  const code = await main(args, { stdout: sink('stdout'), stderr: sink('stderr'), env: {} });
  return { code, ...output };
}

describe('progress', () => {
  it('is not drawn when the rows go to the same terminal; stdout holds rows only', async () => {
    emu.setLatency(30);
    const r = await onTerminal(['export', 'crm.deal.list', '--select', 'ID', '--webhook', emu.webhookUrl], {
      stdout: true,
      stderr: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toBe('b24 export: 400 rows\n');
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => /^\{"ID":"\d+"\}$/.test(line)),
    ).toBe(true);
  });

  it('is drawn on stderr (only) when the rows go to a file or a pipe; --no-progress turns it off', async () => {
    emu.setLatency(30);
    const out = join(dir, 'progress.ndjson');
    const r = await onTerminal(
      ['export', 'crm.deal.list', '--select', 'ID', '--out', out, '--webhook', emu.webhookUrl],
      { stdout: true, stderr: true },
    );
    expect(r.stderr).toContain('\r\x1b[2K');
    expect(r.stdout).toBe('');
    const quiet = await onTerminal(
      ['export', 'crm.deal.list', '--select', 'ID', '--no-progress', '--out', out, '--webhook', emu.webhookUrl],
      { stdout: false, stderr: true },
    );
    expect(quiet.stderr).toBe('b24 export: 400 rows\n');
  });

  it('shows no ETA from the first burst of rows, then one from the rate', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const progress = new Progress(
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
      () => now,
    );
    progress.total = 1_000_000;
    now += 40_000; // a counting call that took 40 s on a large table
    progress.start();
    now += 300; // the first 50 rows after 0.3 s: an ETA from this would be meaningless
    expect(progress.line(50, now)).toBe('50 rows, 167 rows/s, 0.0% of 1,000,000, ETA estimating');
    now += 3_700; // 4 s in, 10,050 rows: 2,512 rows/s
    expect(progress.line(10_050, now)).toBe('10,050 rows, 2,513 rows/s, 1.0% of 1,000,000, ETA 6m34s');
    expect(formatDuration(87 * 3600 + 60)).toBe('87h01m');
    expect(formatDuration(500 * 3600)).toBe('more than 99h');
  });
});

describe('CSV for spreadsheets', () => {
  it('--bom starts the file with a UTF-8 byte order mark (and only CSV takes it)', async () => {
    const out = join(dir, 'bom.csv');
    const r = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--bom',
      '--select',
      'ID,TITLE',
      '--out',
      out,
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(r.code).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parsed('csv', bytes.subarray(3).toString('utf8'))).toHaveLength(400);
    const json = await runCli(['export', 'crm.deal.list', '--format', 'json', '--bom', '--webhook', emu.webhookUrl]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--bom is for --format csv');
  });

  it('an empty export still has its header: from --select, or from the fields method', async () => {
    const none = '{"ID": -1}';
    const out = join(dir, 'empty.csv');
    const selected = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--select',
      'ID,TITLE',
      '--filter',
      none,
      '--out',
      out,
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(selected.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('ID,TITLE\n');
    const bom = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--bom',
      '--select',
      'ID,TITLE',
      '--filter',
      none,
      '--out',
      out,
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(bom.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('\uFEFFID,TITLE\n');
    const fromFields = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--filter',
      none,
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(fromFields.code).toBe(0);
    const header = csvRows(fromFields.stdout);
    expect(header).toHaveLength(1);
    expect(header[0]).toEqual(expect.arrayContaining(['ID', 'TITLE', 'STAGE_ID', 'OPPORTUNITY']));
  });
});
