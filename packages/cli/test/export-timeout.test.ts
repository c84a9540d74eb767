/**
 * `b24 export --timeout MS`: the same per-request limit as `b24 call --timeout`, checked before
 * anything is sent, and applied to every page request of the export.
 */
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ plan: 'unlimited' });
  for (let i = 1; i <= 3; i++) {
    const added = await fetch(`${emu.webhookUrl}crm.deal.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { TITLE: `Deal ${i}` } }),
    });
    expect(added.status).toBe(200);
  }
});

afterAll(async () => {
  await emu?.close();
});

describe('b24 export --timeout', () => {
  it('is listed in b24 export --help, in milliseconds like b24 call', async () => {
    const r = await runCli(['export', '--help']);
    expect(r.code).toBe(0);
    // commander wraps the description; compare it with the line breaks folded.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '--timeout <ms> give up on each request (a page or a batch of pages) after this many milliseconds',
    );
    const top = await runCli(['--help']);
    expect(top.stdout.replace(/\s+/g, ' ')).toContain(
      '--timeout MS give up on a request after this many milliseconds (call, export and method commands;',
    );
  });

  it('a bad value is a usage error (exit 2), like b24 call --timeout', async () => {
    for (const bad of ['abc', '0', '-5']) {
      const exp = await runCli(['export', 'crm.deal.list', '--timeout', bad, '--webhook', emu.webhookUrl]);
      const call = await runCli(['call', 'crm.deal.list', '--timeout', bad, '--webhook', emu.webhookUrl]);
      expect(exp.code).toBe(2);
      expect(call.code).toBe(2);
      expect(exp.stderr).toContain(`--timeout must be a positive number of milliseconds, got "${bad}"`);
      expect(exp.stdout).toBe('');
    }
  });

  it('a generous timeout exports every row', async () => {
    const r = await runCli([
      'export',
      'crm.deal.list',
      '--select',
      'ID,TITLE',
      '--timeout',
      '30000',
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).TITLE),
    ).toEqual(['Deal 1', 'Deal 2', 'Deal 3']);
  });

  it('a portal slower than the timeout fails the export with the timeout error and exit 1, as b24 call does', async () => {
    emu.setLatency(3000);
    try {
      const call = await runCli(['call', 'crm.deal.list', '--timeout', '200', '--webhook', emu.webhookUrl]);
      const exp = await runCli(['export', 'crm.deal.list', '--timeout', '200', '--webhook', emu.webhookUrl]);
      expect(call.code).toBe(1);
      expect(exp.code).toBe(1);
      // The same error line after the command's own prefix (b24 call: / b24 export:).
      const timeoutLine = (stderr: string) =>
        stderr
          .split('\n')
          .find((line) => line.includes('TIMEOUT'))
          ?.replace(/^b24 \w+: /, '');
      expect(timeoutLine(call.stderr)).toContain('crm.deal.list failed with TIMEOUT: no answer within 200 ms');
      expect(timeoutLine(exp.stderr)).toBe(timeoutLine(call.stderr));
      expect(exp.stderr).toContain('b24 export: stopped after 0 rows');
      expect(exp.stdout).toBe('');
    } finally {
      emu.setLatency(0);
    }
  }, 120_000);
});
