import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createClient, methodIndex } from '@b24kit/client';
import { methodInfo } from '../src/method-args/params.js';
import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let portal: Emulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  portal = await startEmulator({ plan: 'unlimited' });
  env = { B24_WEBHOOK_URL: portal.webhookUrl };
});
afterAll(() => portal.close());

async function addDeal(title: string, opportunity: number): Promise<number> {
  const run = await runCli(
    ['crm', 'deal', 'add', '--fields', JSON.stringify({ TITLE: title, OPPORTUNITY: opportunity })],
    env,
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as number;
}

describe('b24 NAMESPACE WORDS... (every described method)', () => {
  it('adds, gets, updates and deletes a deal with param flags', async () => {
    const id = await addDeal('Method command', 1500);
    expect(id).toBeGreaterThan(0);

    const got = await runCli(['crm', 'deal', 'get', '--id', String(id)], env);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ ID: String(id), TITLE: 'Method command' });

    const updated = await runCli(
      ['crm', 'deal', 'update', '--id', String(id), '--fields', '{"TITLE": "Renamed"}'],
      env,
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toBe(true);
    const again = await runCli(['crm.deal.get', '--id', String(id)], env);
    expect(JSON.parse(again.stdout).TITLE).toBe('Renamed');

    const deleted = await runCli(['crm', 'deal', 'delete', '--id', String(id)], env);
    expect(deleted.code).toBe(0);
    const gone = await runCli(['crm', 'deal', 'get', '--id', String(id)], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not found/i);
  });

  it('lists with a JSON filter and a comma-list select', async () => {
    const big = await addDeal('Big one', 5000);
    const small = await addDeal('Small one', 10);
    const run = await runCli(
      ['crm', 'deal', 'list', '--filter', '{">OPPORTUNITY": 1000}', '--select', 'ID,TITLE'],
      env,
    );
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const ids = rows.map((row) => Number(row.ID));
    expect(ids).toContain(big);
    expect(ids).not.toContain(small);
    // select limits the columns to what was asked for
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['ID', 'TITLE']);
  });

  it('matches words case-insensitively and takes --params as a base that flags override', async () => {
    const id = await addDeal('Base and flags', 1);
    const run = await runCli(
      ['CRM', 'Deal', 'GET', '--params', JSON.stringify({ id: 999999 }), '--id', String(id)],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).TITLE).toBe('Base and flags');
  });

  it('--all streams every row of every page as ndjson', async () => {
    const marker = `bulk-${Date.now()}`;
    // Seeded in batches through the client: 120 separate CLI runs would only test patience.
    const b24 = createClient({ webhook: portal.webhookUrl });
    const results = await b24.batch(
      Array.from({ length: 120 }, (_, i) => ['crm.deal.add', { fields: { TITLE: marker, OPPORTUNITY: i } }] as const),
    );
    await b24.close();
    const ids = results.map((item) => Number((item as { result?: unknown }).result));
    expect(ids.every((id) => id > 0)).toBe(true);
    const run = await runCli(
      ['crm', 'deal', 'list', '--all', '--filter', JSON.stringify({ TITLE: marker }), '--select', 'ID'],
      env,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(120); // more than two pages of 50
    const seen = lines.map((line) => Number((JSON.parse(line) as { ID: string }).ID));
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('--all on a method that does not page is a usage error', async () => {
    const run = await runCli(['crm', 'deal', 'get', '--id', '1', '--all'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--all needs a list method');
  });

  it('an unknown flag is a usage error that lists the valid params, and nothing is sent', async () => {
    const before = portal.stats().requests;
    const run = await runCli(['crm', 'deal', 'list', '--filtr', '{}'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown flag --filtr for crm.deal.list');
    expect(run.stderr).toContain('--select, --filter, --order, --start');
    expect(portal.stats().requests).toBe(before);
  });

  it('a missing required param is a usage error before sending', async () => {
    const before = portal.stats().requests;
    const run = await runCli(['crm', 'deal', 'get'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('crm.deal.get needs --id (integer)');
    expect(portal.stats().requests).toBe(before);
  });

  it('bad JSON and a non-number are usage errors naming the flag', async () => {
    const json = await runCli(['crm', 'deal', 'list', '--filter', '{">OPPORTUNITY": '], env);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--filter is not valid JSON');
    const array = await runCli(['crm', 'deal', 'add', '--fields', '[1,2]'], env);
    expect(array.stderr).toContain('--fields must be a JSON object');
    const number = await runCli(['crm', 'deal', 'get', '--id', 'seven'], env);
    expect(number.code).toBe(2);
    expect(number.stderr).toContain('--id expects a number, got "seven"');
    const params = await runCli(['crm', 'deal', 'get', '--params', '{nope'], env);
    expect(params.stderr).toContain('--params is not valid JSON');
  });

  it('reads a JSON value from @FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24-method-'));
    const file = join(dir, 'fields.json');
    writeFileSync(file, JSON.stringify({ TITLE: 'From a file', OPPORTUNITY: 3 }));
    const added = await runCli(['crm', 'deal', 'add', '--fields', `@${file}`], env);
    expect(added.code).toBe(0);
    const got = await runCli(['crm', 'deal', 'get', '--id', added.stdout.trim()], env);
    expect(JSON.parse(got.stdout).TITLE).toBe('From a file');
  });

  it('routes longest match first and other namespaces too', async () => {
    const user = await runCli(['user', 'current'], env);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.stdout)).toHaveProperty('ID');
    const time = await runCli(['server', 'time'], env);
    expect(time.code).toBe(0);
    expect(Number.isNaN(Date.parse(JSON.parse(time.stdout)))).toBe(false);
  });

  it('needs a portal: a webhook or a profile', async () => {
    const run = await runCli(['crm', 'deal', 'list'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no portal');
    expect(run.stderr).toContain('B24_WEBHOOK_URL');
  });

  it('uses a stored profile with --profile', async () => {
    const config = { B24KIT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'b24-method-profile-')) };
    const stored = await runCli(['auth', 'login', '--webhook-from-env', '--profile', 'p'], { ...config, ...env });
    expect(stored.code).toBe(0);
    const run = await runCli(['crm', 'deal', 'list', '--select', 'ID', '--profile', 'p'], config);
    expect(run.stderr).toBe('');
    expect(Array.isArray(JSON.parse(run.stdout))).toBe(true);
  });

  it('words left after the method are a usage error', async () => {
    const run = await runCli(['crm', 'deal', 'get', '5'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unexpected words after crm.deal.get: 5');
  });

  it('an unknown name under a namespace is a usage error', async () => {
    const run = await runCli(['crm', 'dael', 'list'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no method crm.dael.list is known');
  });
});

describe('the method catalog', () => {
  it('is what the generator writes from schema/ (src/generated/catalog.ts)', () => {
    const script = join(import.meta.dirname, '../../../scripts/codegen/bin.mjs');
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('describes every method of the registry', () => {
    const missing = methodIndex.filter((row) => !methodInfo(row.method)).map((row) => row.method);
    expect(missing).toEqual([]);
    expect(methodIndex.length).toBeGreaterThan(1600);
  });
});

describe('method help', () => {
  it('shows the method name, description, scope, params with types and required flags, and docs URL', async () => {
    const run = await runCli(['crm', 'deal', 'update', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('crm.deal.update: Updates `crm.deal`.');
    expect(run.stdout).toContain('Scope: crm');
    expect(run.stdout).toMatch(/--id\s+integer\s+required/);
    expect(run.stdout).toMatch(/--fields\s+object\s+required/);
    expect(run.stdout).toMatch(/--params\s+object\s+optional.*inside --params JSON/);
    expect(run.stdout).toContain('Docs: https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-update.html');
    expect(run.stdout).not.toContain('--all');
  });

  it('offers --all for list methods and resolves the longest name', async () => {
    const list = await runCli(['crm', 'deal', 'list', '-h']);
    expect(list.stdout).toContain('--all');
    expect(list.stdout).toMatch(/--select\s+string\[\]\s+optional\s+comma list/);
    const nearest = await runCli(['calendar', 'event', 'get', 'nearest', '--help']);
    expect(nearest.code).toBe(0);
    expect(nearest.stdout.split('\n')[0]).toMatch(/^calendar\.event\.get\.nearest: /);
    const task = await runCli(['tasks', 'task', 'add', '--help']);
    expect(task.stdout).toMatch(/--fields\s+object\s+required/);
  });

  it('a prefix lists the methods under it', async () => {
    const run = await runCli(['crm', 'deal', '--help']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    for (const m of ['crm.deal.add', 'crm.deal.list', 'crm.deal.userfield.add', 'crm.deal.productrows.get']) {
      expect(lines.some((line) => line.trim().startsWith(`${m} `))).toBe(true);
    }
    expect(lines.some((line) => line.includes('crm.lead.add'))).toBe(false);
    expect(run.stdout).toContain('Lists `crm.deal` rows, 50 per page.');
    // Without --help a group is an error that still shows what is there.
    const bare = await runCli(['crm', 'deal']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('crm.deal.list');
    expect(bare.stderr).toContain('is a group of methods');
  });

  it('b24 rest reaches namespaces that share a name with a command', async () => {
    const run = await runCli(['rest', 'call', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/call\.\S+/);
    expect(run.stdout).toContain('under call');
  });
});
