import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/esm/bin.js', import.meta.url));

describe('b24 emulator (the built binary)', () => {
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
