import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDescriptor } from '@b24kit/client';
import { describe, expect, it } from 'vitest';
import { methodInfo } from '../src/method-args/params.js';
import { opiFunctions } from '../src/opi/functions.js';
import { findOpiFunction } from '../src/opi/lookup.js';
import { flagTexts, remoteParams } from '../src/opi/run.js';
import type { OpiFlag, OpiFunction } from '../src/opi/types.js';
import { runCli } from './helpers.js';

const repo = join(import.meta.dirname, '../../..');
// The parity list is committed project data (imported by scripts/opi-functions.mjs).
const tsvPath = join(repo, 'docs/opi-functions.tsv');

/** The parity list read independently of the generator: function -> [REST method, cli flags]. */
function readTsv(): Array<{ name: string; kind: string; method: string; flags: string[] }> {
  return readFileSync(tsvPath, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, name = '', rest = '', params = '', kind = ''] = line.split('\t');
      return {
        name,
        kind,
        method: rest.split(' ')[0]!,
        flags: params
          .split(';')
          .filter(Boolean)
          .map((p) => p.split(':').at(-1)!),
      };
    });
}

/** The REST params a function sends for the given flag texts (defaults applied), without sending. */
function paramsFor(name: string, given: Record<string, string>): Record<string, unknown> {
  const fn = findOpiFunction(name)!;
  const map = new Map<OpiFlag, string>();
  for (const [flag, text] of Object.entries(given)) map.set(fn.flags.find((f) => f.flag === flag)!, text);
  return remoteParams(fn, flagTexts(fn, { given: map, extra: new Map() }, { env: {} }));
}

describe('the OPI function table', () => {
  it('has the 179 functions: 164 remote, 3 OAuth, 12 local helpers, names unique', () => {
    expect(opiFunctions).toHaveLength(179);
    expect(new Set(opiFunctions.map((f) => f.name.toLowerCase())).size).toBe(179);
    const count = (kind: OpiFunction['kind']) => opiFunctions.filter((f) => f.kind === kind).length;
    expect([count('remote'), count('auth'), count('local-helper')]).toEqual([164, 3, 12]);
  });

  it('knows every function of the parity list with exactly its flags and REST method', () => {
    const rows = readTsv();
    expect(rows).toHaveLength(179);
    for (const row of rows) {
      const fn = findOpiFunction(row.name);
      expect(fn, row.name).toBeDefined();
      expect(
        fn!.flags.map((f) => f.flag),
        row.name,
      ).toEqual(row.flags);
      if (row.kind === 'remote') expect(fn!.method, row.name).toBe(row.method);
    }
  });

  it('the committed table is what scripts/opi-cli-table.mjs writes', () => {
    const run = spawnSync(process.execPath, [join(repo, 'scripts/opi-cli-table.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('docs/opi-parity.md is what scripts/opi-table.mjs writes from the committed list', () => {
    const run = spawnSync(process.execPath, [join(repo, 'scripts/opi-table.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('an imported list is checked before it is written, and every problem is named with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opi-list-'));
    const bad = join(dir, 'bad.tsv');
    const good = readFileSync(tsvPath, 'utf8').split('\n');
    // Line 3: a row with a column missing; line 4: an unknown kind; and a duplicate name at the end.
    good[2] = good[2]!.split('\t').slice(0, 4).join('\t');
    good[3] = good[3]!.replace(/\t[a-z-]+$/, '\tsomething');
    writeFileSync(bad, [...good.filter(Boolean), good[1]].join('\n'));
    const before = readFileSync(tsvPath, 'utf8');
    const run = spawnSync(process.execPath, [join(repo, 'scripts/opi-functions.mjs'), 'import', bad], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${bad}:3: 4 columns, expected 5`);
    expect(run.stderr).toContain(`${bad}:4: kind "something"`);
    expect(run.stderr).toMatch(/listed twice/);
    expect(readFileSync(tsvPath, 'utf8')).toBe(before);
  });

  it('every remote function calls a described method with params it describes', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const fn of opiFunctions.filter((f) => f.kind === 'remote')) {
      const descriptor = findDescriptor(fn.method!);
      if (!descriptor) {
        problems.push(`${fn.name}: ${fn.method} is not in the registry`);
        continue;
      }
      const described = methodInfo(descriptor.method)?.params ?? [];
      if (described.length === 0) continue;
      checked += 1;
      const names = new Set(described.map((p) => p.name.toLowerCase()));
      const targets = [
        ...fn.flags
          .filter((f) => !['url', 'token', 'spread', 'ignore', 'local'].includes(f.how ?? ''))
          .map((f) => f.to.split('.')[0]!),
        ...Object.keys(fn.fixed ?? {}),
      ];
      for (const target of targets)
        if (!names.has(target.toLowerCase())) problems.push(`${fn.name}: ${descriptor.method} has no param ${target}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(130);
  });

  it('b24 opi FUNCTION --help works for each of the 179 and shows every flag', async () => {
    for (const fn of opiFunctions) {
      const run = await runCli(['opi', fn.name, '--help']);
      expect(run.code, fn.name).toBe(0);
      expect(run.stdout.startsWith(`${fn.name} (${fn.region})`), fn.name).toBe(true);
      for (const flag of fn.flags)
        expect(run.stdout, `${fn.name} --${flag.flag}`).toMatch(
          new RegExp(`--${flag.flag}\\s+${flag.type.replace(/[()]/g, '\\$&')}`),
        );
      if (fn.kind === 'remote') expect(run.stdout).toContain(`Calls ${fn.method}`);
    }
  });

  it('b24 opi --help lists all 179 functions', async () => {
    const run = await runCli(['opi', '--help']);
    expect(run.code).toBe(0);
    const listed = run.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]);
    for (const fn of opiFunctions) expect(listed, fn.name).toContain(fn.name);
    expect(run.stdout).toContain('179 functions');
  });
});

describe('OPI params: empty values are sent, defaults applied (fixing OPI)', () => {
  it('offset 0 and false flags are sent', () => {
    expect(paramsFor('GetDealsList', { url: 'x' })).toEqual({ start: 0 });
    expect(paramsFor('GetDealsList', { url: 'x', offset: '0', filter: '{}' })).toEqual({ start: 0, filter: {} });
    expect(paramsFor('CreatePost', { url: 'x', text: 'Hi', important: 'false' })).toEqual({
      POST_MESSAGE: 'Hi',
      DEST: ['UA'],
      IMPORTANT: 'N',
    });
    expect(paramsFor('AddKanbanStage', { url: 'x', title: 'S' })).toEqual({
      fields: { TITLE: 'S', COLOR: 'FFD800', AFTER_ID: 0, ENTITY_ID: 0 },
      isAdmin: false,
    });
    expect(paramsFor('UpdateKanbansStage', { url: 'x', title: '', stage: '4', color: '' })).toEqual({
      fields: { TITLE: '', COLOR: '', AFTER_ID: 0 },
      id: 4,
      isAdmin: false,
    });
  });

  it('shapes: inverted Y/N, fixed params, dialog ids, lists, blocks, spread structures', () => {
    expect(paramsFor('ChangeUserStatus', { url: 'x', userid: '7' })).toEqual({ ID: 7, ACTIVE: 'N' });
    expect(paramsFor('ChangeUserStatus', { url: 'x', userid: '7', fire: 'false' })).toEqual({ ID: 7, ACTIVE: 'Y' });
    expect(paramsFor('DisableChatNotifications', { url: 'x', chat: '3' })).toEqual({ CHAT_ID: 3, MUTE: 'Y' });
    expect(paramsFor('EnableChatNotifications', { url: 'x', chat: '3' })).toEqual({ CHAT_ID: 3, MUTE: 'N' });
    expect(
      paramsFor('SendMessage', { url: 'x', chat: '5', text: 'Hi', blocks: '{"IMAGE": {"LINK": "https://e/x.png"}}' }),
    ).toEqual({
      DIALOG_ID: 'chat5',
      MESSAGE: 'Hi',
      ATTACH: [{ IMAGE: { LINK: 'https://e/x.png' } }],
    });
    expect(paramsFor('GetUsers', { url: 'x', users: '1,2' })).toEqual({ ID: [1, 2] });
    expect(paramsFor('GetUsers', { url: 'x', users: '[3]' })).toEqual({ ID: [3] });
    expect(paramsFor('UpdateUser', { url: 'x', userid: '2', fields: '{"NAME": "A"}' })).toEqual({ ID: 2, NAME: 'A' });
    expect(paramsFor('AddTasksChecklistElement', { url: 'x', task: '9', text: 'Step' })).toEqual({
      TASKID: 9,
      FIELDS: { TITLE: 'Step', IS_COMPLETE: 'N' },
    });
    expect(paramsFor('DeleteTasksDependencies', { url: 'x', taskfrom: '1', taskto: '2', linktype: '0' })).toEqual({
      taskIdFrom: 1,
      taskIdTo: 2,
    });
    expect(paramsFor('GetTasksList', { url: 'x', select: 'ID,TITLE' })).toEqual({ start: 0, select: ['ID', 'TITLE'] });
  });

  it('a missing required flag is named with its OPI param and type', () => {
    expect(() => paramsFor('GetDeal', { url: 'x' })).toThrow('GetDeal needs --deal (DealID: Number,String)');
  });
});
