import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/esm/bin.js', import.meta.url));

/** Starts the built `b24 emulator ARGS` and resolves its one JSON line. */
async function startBinary(args: string[]) {
  const child = spawn(process.execPath, [bin, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${stderr}`)));
  });
  const stop = async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exited;
  };
  return { info: JSON.parse(first), stderr: () => stderr, stop };
}

describe('b24 emulator (the built binary)', () => {
  it('--list-methods prints every method as stateful or example-backed, and the counts', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--list-methods'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines.length).toBeGreaterThan(1600);
    expect(lines).toContainEqual(['crm.item.add', 'v2', 'stateful', 'domain', 'crm']);
    expect(lines).toContainEqual(['crm.status.add', 'v2', 'stateful', 'schema', 'crm']);
    expect(lines.some(([, , kind, source]) => kind === 'example-backed' && source === 'schema')).toBe(true);
    expect(stderr).toMatch(/^\d+ methods: \d+ stateful, \d+ example-backed/);
  }, 60_000);

  it('seeds rows, applies the plan and injects reproducible faults', async () => {
    const run = async () => {
      const em = await startBinary([
        '--seed',
        'crm.deal=1234',
        '--plan',
        'unlimited',
        '--faults',
        '0.5',
        '--fault-kinds',
        '500',
        '--fault-methods',
        'server.time',
        '--seed-rng',
        '7',
      ]);
      const list = (await (await fetch(`${em.info.webhookUrl}crm.deal.list.json?select[]=ID`)).json()) as {
        total: number;
        result: unknown[];
      };
      expect(list.total).toBe(1234);
      expect(list.result).toHaveLength(50);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${em.info.webhookUrl}server.time.json`)).status);
      expect(em.stderr()).toContain('seeded crm.deal');
      expect(await em.stop()).toBe(0);
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(2);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(2);
    expect(await run()).toEqual(first);
  });

  it('prints the OAuth endpoints, and refuses bad flags with a clear message', async () => {
    const em = await startBinary(['--tls']);
    expect(em.info.oauth).toMatchObject({
      clientId: expect.any(String),
      tokenUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/oauth\/token\/$/),
    });
    expect(em.info.webhookUrl).toMatch(/^https:/);
    expect(em.info.tls.certPath).toBeTruthy();
    expect(await em.stop()).toBe(0);
    const bad = spawn(process.execPath, [bin, 'emulator', '--seed', 'crm.deal'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (c) => (err += String(c)));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('ENTITY=COUNT');
    const typo = spawn(process.execPath, [bin, 'emulator', '--faults', '0.5', '--fault-methods', 'crm.deal.lst'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let typoErr = '';
    typo.stderr.on('data', (c) => (typoErr += String(c)));
    expect(await new Promise<number | null>((resolve) => typo.once('exit', resolve))).toBe(2);
    expect(typoErr).toContain('--fault-methods: no method crm.deal.lst is known (did you mean "crm.deal.list"');
  });

  it('prints exactly one JSON line once it listens, serves calls, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    const info = JSON.parse(first) as { webhookUrl: string; port: number };
    expect(info.port).toBeGreaterThan(0);
    expect(info.webhookUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${info.port}/rest/1/[^/]+/$`));

    const response = await fetch(`${info.webhookUrl}server.time.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('result');

    const extra: string[] = [];
    lines.on('line', (line) => extra.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(extra).toEqual([]);
  });
});
