/**
 * The official JS SDK (@bitrix24/b24jssdk, a bench dependency installed from the npm registry)
 * runs its own README examples for crm.item.* against the emulator: add, list, batch in both
 * syntaxes, callListMethod, fetchListMethod, manual paging and get. No network: the emulator is
 * on loopback. The SDK runs in a child process, which trusts the emulator's self-signed certificate.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '@b24kit/emulator';

const here = dirname(fileURLToPath(import.meta.url));
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ plan: 'unlimited', tls: true });
  emu.seed('crm.company', 120);
  emu.seed('crm.contact', 70);
  emu.seed('crm.deal', 130);
  emu.seed('crm.lead', 12);
});
afterAll(() => emu.close());

function runSdk(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, 'fixtures', 'jssdk-readme-crm-item.mjs'), emu.webhookUrl], {
      cwd: join(here, '..'),
      env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.tls!.certPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the SDK README examples for crm.item.* run against the emulator', async () => {
  const run = await runSdk();
  expect(run.stderr.includes('Error') && run.code !== 0 ? run.stderr : '').toBe('');
  expect(run.code).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(out.added).toMatchObject({ id: 131, title: 'From the SDK', opportunity: 42, entityTypeId: 2 });
  expect(out.single).toEqual({ count: 50, firstId: 120, total: 120, more: true });
  expect(out.batchArray).toEqual([50, 50]);
  expect(out.batchObject).toEqual({ count: 50, keys: ['createdTime', 'entityTypeId', 'id', 'title'] });
  expect(out.callList).toEqual({ ok: true, count: 131 });
  expect(out.fetchList.rows).toBe(131);
  expect(out.fetchList.chunks).toBeGreaterThanOrEqual(3);
  expect(out.manual).toEqual({ rows: 70, pages: 2 });
  expect(out.get).toEqual({ ok: true, id: 10, entityTypeId: 1 });
  expect(out.missing).toMatchObject({ code: 'NOT_FOUND', status: 400 });
}, 120_000);
