/**
 * The CLI findings of the security review (issue 11): tokens inside URLs in stdout and export
 * files (M4), private --out files that never follow links, CSV formula injection, and argv
 * echoes of a webhook URL.
 */
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

let emu: Emulator;
let code: string;
let dir: string;
let access: string;
let fileId: number;

beforeAll(async () => {
  emu = await startEmulator({ plan: 'unlimited' });
  code = new URL(emu.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
  dir = mkdtempSync(join(tmpdir(), 'b24-security-'));
  access = emu.issueTokens().access_token;
  // A file on the app's drive: its DOWNLOAD_URL carries the caller's token (auth=...).
  const rest = async (method: string, params: unknown) => {
    const res = await fetch(`${emu.baseUrl}/rest/${method}.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { result: Record<string, unknown> };
    expect(res.status).toBe(200);
    return body.result;
  };
  const storage = await rest('disk.storage.getForApp', {});
  const file = await rest('disk.storage.uploadFile', {
    id: storage.ID,
    data: { NAME: 'report.txt' },
    fileContent: ['report.txt', Buffer.from('hello').toString('base64')],
  });
  fileId = Number(file.ID);
  expect(String(file.DOWNLOAD_URL)).toContain(`auth=${access}`);
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('M4: OAuth tokens inside URLs are redacted', () => {
  it("in stdout: a file's DOWNLOAD_URL keeps its shape, not its token", async () => {
    const r = await runCli([
      'opi',
      'GetFileInformation',
      '--url',
      emu.baseUrl,
      '--token',
      access,
      '--fileid',
      String(fileId),
    ]);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { DOWNLOAD_URL: string; NAME: string };
    expect(shown.NAME).toBe('report.txt');
    expect(shown.DOWNLOAD_URL).toMatch(/\/rest\/download\.json\?auth=\[redacted\]&token=/);
    expect(r.stdout + r.stderr).not.toContain(access);
  });

  it('in export files and on stdout, in every format', async () => {
    const link = `https://example.bitrix24.com/rest/download.json?auth=${access}&token=disk%7Cabc`;
    const hook = `https://example.bitrix24.com/rest/1/${code}/`;
    const added = await fetch(`${emu.webhookUrl}crm.deal.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { TITLE: link, COMMENTS: hook } }),
    });
    expect(added.status).toBe(200);
    for (const format of ['ndjson', 'csv', 'json']) {
      const out = join(dir, `links.${format}`);
      const r = await runCli([
        'export',
        'crm.deal.list',
        '--format',
        format,
        '--select',
        'ID,TITLE,COMMENTS',
        '--out',
        out,
        '--webhook',
        emu.webhookUrl,
      ]);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('auth=[redacted]&token=disk%7Cabc');
      expect(text).not.toContain(access);
      expect(text).not.toContain(code);
    }
    const onStdout = await runCli(['export', 'crm.deal.list', '--webhook', emu.webhookUrl]);
    expect(onStdout.stdout).toContain('auth=[redacted]');
    expect(onStdout.stdout).not.toContain(access);
    const all = await runCli(['crm', 'deal', 'list', '--all', '--select', 'ID,TITLE', '--webhook', emu.webhookUrl]);
    expect(all.code).toBe(0);
    expect(all.stdout).not.toContain(access);
  });
});

describe('--out files', () => {
  it('are created 0600', async () => {
    const out = join(dir, 'new.ndjson');
    const r = await runCli(['export', 'crm.deal.list', '--out', out, '--webhook', emu.webhookUrl]);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('narrow an existing 0644 file to 0600 and say so', async () => {
    const out = join(dir, 'old.csv');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const r = await runCli(['export', 'crm.deal.list', '--format', 'csv', '--out', out, '--webhook', emu.webhookUrl]);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('had mode 0644');
  });

  it('never follow a symbolic link: the target is untouched and the command fails with exit 2', async () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'keep me');
    const link = join(dir, 'planted.ndjson');
    symlinkSync(target, link);
    const r = await runCli(['export', 'crm.deal.list', '--out', link, '--webhook', emu.webhookUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('token sets (auth refresh --out): checked before the refresh token is spent, links refused, new files 0600', async () => {
    const target = join(dir, 'victim2.txt');
    writeFileSync(target, 'keep me');
    const link = join(dir, 'tokens.json');
    symlinkSync(target, link);
    const refresh = emu.issueTokens().refresh_token;
    const env = {
      B24_CLIENT_ID: emu.oauth.clientId,
      B24_CLIENT_SECRET: emu.oauth.clientSecret,
      B24_REFRESH_TOKEN: refresh,
    };
    const refused = await runCli(['auth', 'refresh', '--token-url', emu.oauth.tokenUrl, '--out', link], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    // The refresh token was not spent by the refused run: it still works once.
    const saved = join(dir, 'tokens-ok.json');
    const ok = await runCli(['auth', 'refresh', '--token-url', emu.oauth.tokenUrl, '--out', saved], env);
    expect(ok.code).toBe(0);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(saved, 'utf8')).refreshToken).toEqual(expect.any(String));
    expect(ok.stdout).not.toContain(JSON.parse(readFileSync(saved, 'utf8')).accessToken);
  });
});

describe('CSV formula injection', () => {
  const out = () => join(dir, 'formulas.csv');
  beforeAll(async () => {
    for (const title of ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '-15.5']) {
      const res = await fetch(`${emu.webhookUrl}crm.deal.add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { TITLE: title, STAGE_ID: 'LOSE' } }),
      });
      expect(res.status).toBe(200);
    }
  });

  it('cells that start with = + - @ get a leading quote by default; plain numbers stay numbers', async () => {
    const r = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--select',
      'TITLE',
      '--filter',
      '{"STAGE_ID":"LOSE"}',
      '--out',
      out(),
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(out(), 'utf8')).toBe(
      `TITLE\n"'=HYPERLINK(""http://evil"",""x"")"\n'+1+1\n'-2+3\n'@SUM(A1)\n-15.5\n`,
    );
  });

  it('--no-escape-formulas writes them as they are', async () => {
    const r = await runCli([
      'export',
      'crm.deal.list',
      '--format',
      'csv',
      '--no-escape-formulas',
      '--select',
      'TITLE',
      '--filter',
      '{"STAGE_ID":"LOSE"}',
      '--out',
      out(),
      '--webhook',
      emu.webhookUrl,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(out(), 'utf8')).toBe(
      `TITLE\n"=HYPERLINK(""http://evil"",""x"")"\n+1+1\n-2+3\n@SUM(A1)\n-15.5\n`,
    );
  });
});

describe('argv echoes', () => {
  it('b24 call METHOD <webhook-url> does not echo the code, and says where the URL goes', async () => {
    const r = await runCli(['call', 'server.time', emu.webhookUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(code);
    expect(r.stderr).toContain('--webhook');
  });

  it('nor do unknown commands, methods or flags that carry one', async () => {
    for (const args of [
      [emu.webhookUrl],
      ['crm', 'deal', 'list', `--${emu.webhookUrl}`],
      ['export', emu.webhookUrl, 'x'],
      ['call', `--webhook=${emu.webhookUrl}`, '--bogus', emu.webhookUrl],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain(code);
    }
    expect(existsSync(dir)).toBe(true);
  });
});
