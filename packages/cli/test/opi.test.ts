import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@b24kit/client';
import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let portal: Emulator;
let url: string;
let hookCode: string;

beforeAll(async () => {
  portal = await startEmulator({ plan: 'unlimited' });
  url = portal.webhookUrl;
  hookCode = new URL(url).pathname.split('/').filter(Boolean)[2]!;
});
afterAll(() => portal.close());

async function opi(...args: string[]) {
  return runCli(['opi', ...args]);
}

function json(run: { code: number; stdout: string; stderr: string }): any {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('b24 opi: remote functions against the emulator', () => {
  it('ServerTime', async () => {
    const time = json(await opi('ServerTime', '--url', url));
    expect(Number.isNaN(Date.parse(time))).toBe(false);
  });

  it('CreateDeal / GetDeal / UpdateDeal / GetDealsList / DeleteDeal', async () => {
    const id = json(await opi('CreateDeal', '--url', url, '--fields', '{"TITLE": "OPI deal", "OPPORTUNITY": 700}'));
    expect(id).toBeGreaterThan(0);
    expect(json(await opi('GetDeal', '--url', url, '--deal', String(id)))).toMatchObject({
      ID: String(id),
      TITLE: 'OPI deal',
    });

    expect(
      json(await opi('UpdateDeal', '--url', url, '--deal', String(id), '--fields', '{"TITLE": "OPI deal 2"}')),
    ).toBe(true);
    expect(json(await opi('GetDeal', '--url', url, '--deal', String(id))).TITLE).toBe('OPI deal 2');

    const listed = json(await opi('GetDealsList', '--url', url, '--filter', '{"TITLE": "OPI deal 2"}'));
    expect(listed.map((row: { ID: string }) => row.ID)).toEqual([String(id)]);

    expect(json(await opi('DeleteDeal', '--url', url, '--deal', String(id)))).toBe(true);
    const gone = await opi('GetDeal', '--url', url, '--deal', String(id));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not found/i);
    expect(gone.stderr).not.toContain(hookCode);
  });

  it('GetDealsList --offset pages, and offset 0 is sent (OPI drops it)', async () => {
    // Seeded through the client in batches; the CLI runs are what is under test.
    const b24 = createClient({ webhook: url });
    const added = await b24.batch(
      Array.from({ length: 55 }, (_, i) => ['crm.deal.add', { fields: { TITLE: 'paged', OPPORTUNITY: i } }] as const),
    );
    await b24.close();
    expect(added.every((item) => item.ok)).toBe(true);
    const first = json(await opi('GetDealsList', '--url', url, '--filter', '{"TITLE": "paged"}', '--offset', '0'));
    const second = json(await opi('GetDealsList', '--url', url, '--filter', '{"TITLE": "paged"}', '--offset', '50'));
    expect(first).toHaveLength(50);
    expect(second).toHaveLength(5);
    const ids = new Set([...first, ...second].map((row: { ID: string }) => row.ID));
    expect(ids.size).toBe(55);
  });

  it('CreateLead / GetLead / UpdateLead / GetLeadsList / DeleteLead / GetLeadStructure', async () => {
    const id = json(await opi('CreateLead', '--url', url, '--fields', '{"TITLE": "OPI lead"}'));
    expect(json(await opi('GetLead', '--url', url, '--lead', String(id))).TITLE).toBe('OPI lead');
    expect(json(await opi('UpdateLead', '--url', url, '--lead', String(id), '--fields', '{"TITLE": "Lead 2"}'))).toBe(
      true,
    );
    const listed = json(await opi('GetLeadsList', '--url', url, '--filter', '{"TITLE": "Lead 2"}'));
    expect(listed.map((row: { ID: string }) => row.ID)).toEqual([String(id)]);
    expect(json(await opi('DeleteLead', '--url', url, '--lead', String(id)))).toBe(true);
    expect(json(await opi('GetLeadsList', '--url', url, '--filter', '{"TITLE": "Lead 2"}'))).toEqual([]);
    const fields = json(await opi('GetLeadStructure', '--url', url));
    expect(fields).toHaveProperty('TITLE');
  });

  it('disk: GetStoragesList, CreateStorageFolder, RenameFolder, GetFolderFilterStructure', async () => {
    const storages = json(await opi('GetStoragesList', '--url', url));
    const storageId = storages[0].ID as string;
    const folder = json(
      await opi('CreateStorageFolder', '--url', url, '--storageid', storageId, '--title', 'OPI folder'),
    );
    expect(folder).toMatchObject({ NAME: 'OPI folder', STORAGE_ID: storageId });
    const renamed = json(
      await opi('RenameFolder', '--url', url, '--folderid', String(folder.ID), '--title', 'Renamed folder'),
    );
    expect(renamed.NAME).toBe('Renamed folder');
    const filter = json(await opi('GetFolderFilterStructure', '--url', url));
    expect(filter).toMatchObject({ ID: '<integer>', NAME: '<string>' });
    // Only the fields a filter can use are kept.
    expect(filter).not.toHaveProperty('CREATED_BY');
    const empty = json(await opi('GetFolderFilterStructure', '--url', url, '--empty', 'true'));
    expect(Object.values(empty).every((value) => value === '')).toBe(true);
    expect(Object.keys(empty)).toEqual(Object.keys(filter));
  });

  it('--url PORTAL --token ACCESS_TOKEN calls as an application, never printing the token', async () => {
    const pair = portal.issueTokens();
    const storage = json(await opi('GetAppStorage', '--url', portal.baseUrl, '--token', pair.access_token));
    expect(storage.ENTITY_TYPE).toBe('restapp');
    // The client endpoint form works too.
    expect(
      json(await opi('GetCurrentUser', '--url', pair.client_endpoint, '--token', pair.access_token)),
    ).toHaveProperty('ID');
    const bad = await opi('GetCurrentUser', '--url', portal.baseUrl, '--token', 'wrongtoken0123456789');
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('wrongtoken0123456789');
  });

  it('--url defaults to B24_WEBHOOK_URL', async () => {
    const run = await runCli(['opi', 'ServerTime'], { B24_WEBHOOK_URL: url });
    expect(run.code).toBe(0);
  });
});

describe('b24 opi: OAuth functions', () => {
  it('GetAppAuthLink builds the link, also for a domain that starts with "http" (an OPI defect)', async () => {
    const run = await opi('GetAppAuthLink', '--domain', 'httpshop.bitrix24.com', '--clientid', 'app.1');
    expect(run.code).toBe(0);
    const link = new URL(run.stdout.trim());
    expect(link.origin).toBe('https://httpshop.bitrix24.com');
    expect(link.pathname).toBe('/oauth/authorize/');
    expect(link.searchParams.get('client_id')).toBe('app.1');
    expect(link.searchParams.get('state')).toMatch(/^[0-9a-f]{24}$/);
    const withScheme = await opi('GetAppAuthLink', '--domain', 'https://example.bitrix24.com/', '--clientid', 'app.1');
    expect(new URL(withScheme.stdout.trim()).origin).toBe('https://example.bitrix24.com');
  });

  it('GetToken and RefreshToken talk to the OAuth server and never print tokens or the secret', async () => {
    const { clientId, clientSecret, tokenUrl } = portal.oauth;
    const linkRun = await opi(
      'GetAppAuthLink',
      '--domain',
      portal.baseUrl,
      '--clientid',
      clientId,
      '--redirect-uri',
      'http://127.0.0.1:9/callback',
    );
    const response = await fetch(linkRun.stdout.trim(), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    expect(code).toBeTruthy();

    const dir = mkdtempSync(join(tmpdir(), 'b24-opi-'));
    const out = join(dir, 'tokens.json');
    const got = await opi(
      'GetToken',
      '--clientid',
      clientId,
      '--clientsecret',
      clientSecret,
      '--code',
      code,
      '--token-url',
      tokenUrl,
      '--out',
      out,
    );
    const summary = json(got);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(summary).toMatchObject({
      accessToken: '[redacted]',
      refreshToken: '[redacted]',
      memberId: portal.memberId,
      savedTo: out,
    });
    for (const secret of [saved.accessToken, saved.refreshToken, clientSecret]) {
      expect(got.stdout).not.toContain(secret);
      expect(got.stderr).not.toContain(secret);
    }

    const refreshed = await opi(
      'RefreshToken',
      '--clientid',
      clientId,
      '--clientsecret',
      clientSecret,
      '--refresh',
      saved.refreshToken,
      '--token-url',
      tokenUrl,
    );
    const after = json(refreshed);
    expect(after.accessToken).toBe('[redacted]');
    expect(refreshed.stdout).not.toContain(saved.refreshToken);
    expect(refreshed.stdout).not.toContain(clientSecret);

    // The old refresh token was used up: the error names the problem, not the token.
    const again = await opi(
      'RefreshToken',
      '--clientid',
      clientId,
      '--clientsecret',
      clientSecret,
      '--refresh',
      saved.refreshToken,
      '--token-url',
      tokenUrl,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).not.toContain(saved.refreshToken);
    expect(again.stderr).not.toContain(clientSecret);
  });
});

describe('b24 opi: local helpers', () => {
  it('GetDealsFilterStructure prints the deal fields as a template; --empty blanks them', async () => {
    const hints = json(await opi('GetDealsFilterStructure'));
    expect(hints).toMatchObject({ ID: '<integer>', TITLE: '<string>', OPPORTUNITY: '<double>', CLOSED: '<yn>' });
    const empty = json(await opi('GetDealsFilterStructure', '--empty'));
    expect(Object.keys(empty)).toEqual(Object.keys(hints));
    expect(Object.values(empty).every((value) => value === '')).toBe(true);
  });

  it('GetTasksFilterStructure uses the UPPER_SNAKE keys tasks.task.list filters on', async () => {
    const fields = json(await opi('GetTasksFilterStructure', '--map', 'true'));
    expect(fields).toHaveProperty('RESPONSIBLE_ID');
    expect(fields).not.toHaveProperty('responsibleId');
  });

  it('GetPictureBlock and GetFileBlock build message attachment blocks', async () => {
    expect(json(await opi('GetPictureBlock', '--title', 'Logo', '--url', 'https://example.com/logo.png'))).toEqual({
      IMAGE: { NAME: 'Logo', LINK: 'https://example.com/logo.png' },
    });
    expect(json(await opi('GetFileBlock', '--title', 'Report', '--url', 'https://example.com/r.pdf'))).toEqual({
      FILE: { NAME: 'Report', LINK: 'https://example.com/r.pdf' },
    });
  });
});

describe('b24 opi: usage errors', () => {
  it('an unknown function suggests close names', async () => {
    const run = await opi('GetDeals', '--url', url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown OPI function "GetDeals"');
    expect(run.stderr).toContain('GetDealsList');
  });

  it('an unknown flag lists the function flags; a missing one is named', async () => {
    const unknown = await opi('GetDeal', '--url', url, '--id', '1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown flag --id for GetDeal; its flags: --url, --deal, --token');
    const missing = await opi('GetDeal', '--url', url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('GetDeal needs --deal (DealID: Number,String)');
    const badJson = await opi('CreateDeal', '--url', url, '--fields', '{"TITLE": ');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--fields is not valid JSON');
  });

  it('function names are case-insensitive', async () => {
    expect(Number.isNaN(Date.parse(json(await opi('servertime', '--url', url))))).toBe(false);
  });
});
