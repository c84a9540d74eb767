import { crmDealList } from '@b24kit/client/crm';
import { tasksTaskGet, taskChecklistitemGetlist } from '@b24kit/client/tasks';
import {
  createClient,
  descriptorOf,
  findDescriptor,
  registry,
  type B24Client,
  type MethodCaller,
} from '@b24kit/client';
import type { MethodDescriptor } from '@b24kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal } from './fake-portal.js';

let portal: Awaited<ReturnType<typeof startFakePortal>>;
let b24: B24Client;

beforeAll(async () => {
  portal = await startFakePortal();
  b24 = createClient({ webhook: portal.url, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await portal?.close();
});
const last = () => portal.requests[portal.requests.length - 1];

describe('createClient facade over a loopback portal', () => {
  it('calls a method named exactly after the REST method and returns result', async () => {
    const rows = await b24.crm.deal.list({ filter: { '>ID': 0 }, select: ['ID', 'TITLE'] });
    expect(rows.map((r) => r.ID)).toEqual(['1', '2']);
    expect(last()?.path).toBe('/rest/1/secretcode42/crm.deal.list.json');
    expect(last()?.body).toMatchObject({ filter: { '>ID': 0 }, select: ['ID', 'TITLE'] });
  });

  it('a method that is also a namespace prefix is callable and keeps its children', async () => {
    const read = await b24.im.dialog.read({ DIALOG_ID: 'chat5' });
    expect(read).toEqual({ dialogId: 'chat5', chatId: 7, lastId: 9, counter: 0 });
    expect(last()?.method).toBe('im.dialog.read');
    expect(await b24.im.dialog.read.all()).toBe(true);
    expect(last()?.method).toBe('im.dialog.read.all');
  });

  it('root-level methods (server.time, user.current) work', async () => {
    expect(await b24.server.time()).toBe('2025-01-01T00:00:00+00:00');
    expect((await b24.user.current()).ID).toBe('1');
  });

  it('call() reaches methods outside the schema; callEnvelope() returns the envelope', async () => {
    expect(await b24.callUnknown('vendor.custom.echo', { a: 1 })).toEqual({ a: 1 });
    expect(last()?.path).toBe('/rest/1/secretcode42/vendor.custom.echo.json');
    const env = await b24.callEnvelope('crm.deal.list', {});
    expect(env.result).toHaveLength(2);
    expect(env.total).toBe(2);
  });

  it('batch takes method names and returns one item per command', async () => {
    const before = portal.requests.length;
    const res = await b24.batch({
      me: ['user.current'],
      deal: ['crm.deal.get', { id: 5 }],
      nope: [descriptorOf('no.such.method')],
    });
    expect(portal.requests.length - before).toBe(1);
    expect(last()?.method).toBe('batch');
    expect(res.me).toMatchObject({ ok: true, result: { ID: '1' } });
    expect(res.deal).toMatchObject({ ok: true, result: { ID: '5' } });
    expect(res.nope.ok).toBe(false);
  });

  it('paginate walks every page of a described list method', async () => {
    const ids: string[] = [];
    for await (const row of b24.paginate('department.get')) ids.push(String(row.ID));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(ids[119]).toBe('120');
  });

  it('required params are checked by core before anything is sent', async () => {
    const before = portal.requests.length;
    // @ts-expect-error taskId is required (checked at compile time and again at run time)
    await expect(b24.call('tasks.task.delete', {})).rejects.toThrow(/taskId/);
    expect(portal.requests.length).toBe(before);
  });
});

describe('descriptors and free functions', () => {
  it('descriptorOf finds described methods case-insensitively and falls back to ad hoc', () => {
    expect(descriptorOf('disk.folder.getchildren').method).toBe('disk.folder.getChildren');
    expect(descriptorOf('disk.folder.getchildren').list).toMatchObject({ rows: '', idField: 'ID' });
    expect(descriptorOf('vendor.thing.list')).toMatchObject({ method: 'vendor.thing.list', scope: '' });
    expect(() => descriptorOf(' ')).toThrow(/non-empty/);
  });

  it('list metadata of the OPI list methods', () => {
    expect(registry['crm.deal.list']?.list).toEqual({
      rows: '',
      idField: 'ID',
      keyset: true,
      filterParam: 'filter',
      orderParam: 'order',
      selectParam: 'select',
    });
    expect(registry['tasks.task.list']?.list).toMatchObject({ rows: 'tasks', idField: 'id' });
    expect(registry['tasks.task.list']?.apiVersion).toBe(2);
    expect(registry['app.info']?.appOnly).toBe(true);
    expect(registry['task.checklistitem.add']?.positional).toEqual(['TASKID', 'FIELDS']);
    expect(registry['crm.deal.add']?.idempotent).toBe(false);
    expect(registry['crm.deal.get']?.idempotent).toBe(true);
  });

  it('free functions pass their descriptor and params to any MethodCaller', async () => {
    const seen: Array<[MethodDescriptor, unknown]> = [];
    const caller: MethodCaller = {
      call: async <R>(d: MethodDescriptor, p?: object) => {
        seen.push([d, p]);
        return [] as R;
      },
    };
    await crmDealList(caller, { select: ['ID'] });
    expect(seen[0]?.[0]).toBe(crmDealList);
    expect(seen[0]?.[1]).toEqual({ select: ['ID'] });
    await tasksTaskGet(caller, { taskId: 3 });
    await taskChecklistitemGetlist(caller, { TASKID: 3 });
    expect(seen.map(([d]) => d.method)).toEqual(['crm.deal.list', 'tasks.task.get', 'task.checklistitem.getlist']);
  });

  it('findDescriptor is exact first, then case-insensitive', () => {
    expect(findDescriptor('im.chat.updateTitle')?.method).toBe('im.chat.updateTitle');
    expect(findDescriptor('IM.CHAT.UPDATETITLE')?.method).toBe('im.chat.updateTitle');
    expect(findDescriptor('toString')).toBeUndefined();
  });
});

describe('createClient options', () => {
  it('needs exactly one of webhook and oauth', () => {
    expect(() => createClient({} as never)).toThrow(/webhook: url.*oauth/);
    expect(() => createClient({ webhook: portal.url, oauth: {} } as never)).toThrow(/either webhook or oauth/);
  });

  it('a bad webhook URL fails without echoing the code', () => {
    let message = '';
    try {
      createClient({ webhook: 'https://example.bitrix24.com/rest/1/topsecret99/crm.deal.list' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/extra path segment/);
    expect(message).not.toContain('topsecret99');
  });
});

describe('REST namespaces named like client members', () => {
  it('b24.call is both the generic call and the call.* namespace', () => {
    const b24 = createClient({ webhook: 'http://127.0.0.1:9/rest/1/abcdef123/' });
    expect(typeof b24.call).toBe('function');
    expect(typeof b24.call.followup.list).toBe('function');
    expect(typeof b24.crm.deal.list).toBe('function');
  });
});
