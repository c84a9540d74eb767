import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let portal: Emulator;
let code: string;

beforeAll(async () => {
  portal = await startEmulator();
  code = new URL(portal.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
});
afterAll(() => portal.close());

describe('b24 call', () => {
  it('prints the result of a call as JSON on stdout', async () => {
    const run = await runCli(['call', 'server.time', '--webhook', portal.webhookUrl]);
    expect(run.code).toBe(0);
    const time = JSON.parse(run.stdout);
    expect(typeof time).toBe('string');
    expect(Number.isNaN(Date.parse(time))).toBe(false);
  });

  it('takes the webhook from B24_WEBHOOK_URL and params as JSON', async () => {
    const added = await runCli(['call', 'crm.deal.add', '--params', '{"fields":{"TITLE":"From the CLI"}}'], {
      B24_WEBHOOK_URL: portal.webhookUrl,
    });
    expect(added.code).toBe(0);
    const id = JSON.parse(added.stdout);
    const got = await runCli(['call', 'crm.deal.get', '--params', JSON.stringify({ id })], {
      B24_WEBHOOK_URL: portal.webhookUrl,
    });
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ TITLE: 'From the CLI' });
  });

  it('refuses a method name the schema does not describe, with the nearest names, before sending', async () => {
    const before = portal.stats().requests;
    const typo = await runCli(['call', 'crm.deal.lst', '--webhook', portal.webhookUrl]);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('no method crm.deal.lst is known (did you mean "crm.deal.list"');
    expect(typo.stderr).toContain('add --allow-unknown');
    const far = await runCli(['call', 'vendor.thing.sync', '--webhook', portal.webhookUrl]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('no method vendor.thing.sync is known; to send a name the schema does not describe');
    expect(portal.stats().requests).toBe(before);
    // Bitrix24 matches names case-insensitively, and so does the check.
    const cased = await runCli(['call', 'SERVER.TIME', '--webhook', portal.webhookUrl]);
    expect(cased.code).toBe(0);
  });

  it('sends an unknown name with --allow-unknown; the portal error is clear and has no webhook code', async () => {
    const run = await runCli(['call', 'no.such.method', '--allow-unknown', '--webhook', portal.webhookUrl]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('ERROR_METHOD_NOT_FOUND');
    expect(run.stderr).toContain('no.such.method');
    expect(run.stderr).not.toContain(code);
  });

  it('reports a wrong webhook code without echoing it', async () => {
    const wrong = portal.webhookUrl.replace(code, 'wrongcode12345');
    const run = await runCli(['call', 'server.time', '--webhook', wrong]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('NO_AUTH_FOUND');
    expect(run.stderr).not.toContain('wrongcode12345');
  });

  it('rejects bad input before sending anything', async () => {
    const noMethod = await runCli(['call', '--webhook', portal.webhookUrl]);
    expect(noMethod.code).toBe(2);
    expect(noMethod.stderr).toContain("missing required argument 'method'");
    const badJson = await runCli(['call', 'server.time', '--params', '{oops', '--webhook', portal.webhookUrl]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--params is not valid JSON');
    const noWebhook = await runCli(['call', 'server.time']);
    expect(noWebhook.code).toBe(2);
    expect(noWebhook.stderr).toContain('B24_WEBHOOK_URL');
    const typo = await runCli(['call', 'server.time', '--parms', '{}']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--parms');
  });
});
