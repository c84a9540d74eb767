// Tasks domain: documented response shapes (catalog responseExample) and the effects of each method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences, type ShapeOptions } from '../contract/shape.js';
import { call, start } from '../helpers.js';

let em: Emulator;
beforeAll(async () => {
  em = await start();
});
afterAll(async () => {
  await em.close();
});

async function ok(method: string, params: unknown = {}): Promise<any> {
  const r = await call(em.webhookUrl, method, params);
  expect(r.body.error, `${method}: ${JSON.stringify(r.body)}`).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body;
}

async function fails(method: string, params: unknown): Promise<{ status: number; error: string; description: string }> {
  const r = await call(em.webhookUrl, method, params);
  expect(r.status).toBe(400);
  return { status: r.status, error: r.body.error, description: r.body.error_description };
}

/** Maps keyed by ids (auditorsData, checklist, tags, stages) compare as lists of their values. */
function byIdAsList(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(byIdAsList);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) return Object.values(v).map(byIdAsList);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, byIdAsList(x)]));
}

function expectShape(method: string, body: unknown, options: ShapeOptions = {}) {
  const doc = documented(method);
  expect(doc?.responseExample, `${method} has a documented example`).toBeDefined();
  // Several action examples show the envelope's \`time\` inside \`result\` (a docs slip).
  const optional = ['result.time', ...(options.optional ?? [])];
  expect(
    shapeDifferences(byIdAsList(body), byIdAsList(doc!.responseExample), { checkTime: false, ...options, optional }),
  ).toEqual([]);
}

async function newTask(fields: Record<string, unknown> = {}): Promise<number> {
  const body = await ok('tasks.task.add', { fields: { TITLE: 'T', RESPONSIBLE_ID: 1, ...fields } });
  return Number(body.result.task.id);
}

describe('tasks.task CRUD', () => {
  it('add returns the documented task object with the given fields and defaults', async () => {
    expectShape('tasks.task.add', await ok('tasks.task.add', { fields: { TITLE: 'Shape' } }));
    const body = await ok('tasks.task.add', {
      fields: { TITLE: 'Write report', RESPONSIBLE_ID: 3, DEADLINE: '2030-01-02T10:00:00+00:00', AUDITORS: [4, 5] },
    });
    const t = body.result.task;
    expect(t.title).toBe('Write report');
    expect(t.responsibleId).toBe('3');
    expect(t.createdBy).toBe('1');
    expect(t.status).toBe('2');
    expect(t.priority).toBe('1');
    expect(t.auditors).toEqual(['4', '5']);
    expect(Object.keys(t.auditorsData)).toEqual(['4', '5']);
    expect(t.deadline).toBe('2030-01-02T10:00:00+00:00');
    expect(t.guid).toMatch(/^\{[0-9a-f-]{36}\}$/);
  });

  it('add without a title is ERROR_CORE; without fields is code 100', async () => {
    expect((await fails('tasks.task.add', { fields: { RESPONSIBLE_ID: 1 } })).description).toBe(
      'Task title not specified',
    );
    expect((await fails('tasks.task.add', {})).error).toBe('100');
    expect((await fails('tasks.task.add', { fields: { TITLE: 'x', STATUS: 9 } })).description).toBe('Incorrect status');
  });

  it('get, update (camelCase keys accepted), delete', async () => {
    const id = await newTask();
    const upd = await ok('tasks.task.update', { taskId: id, fields: { TITLE: 'Renamed', priority: 2 } });
    expectShape('tasks.task.update', upd);
    const got = await ok('tasks.task.get', { taskId: id });
    expectShape('tasks.task.get', got, { optional: ['result.task.ufCrmTask', 'result.task.ufMailMessage'] });
    expect(got.result.task.title).toBe('Renamed');
    expect(got.result.task.priority).toBe('2');
    const sel = await ok('tasks.task.get', { taskId: id, select: ['ID', 'TITLE'] });
    // The selected fields plus the ones the docs' example shows unselected.
    expect(Object.keys(sel.result.task).sort()).toEqual([
      'action',
      'creator',
      'descriptionInBbcode',
      'favorite',
      'group',
      'id',
      'responsible',
      'title',
    ]);
    const del = await ok('tasks.task.delete', { taskId: id });
    expect(del.result).toEqual({ task: true });
    expect(await fails('tasks.task.get', { taskId: id })).toMatchObject({ error: '0', description: 'wrong task id' });
  });

  it('list returns rows in result.tasks with filter, order, select and paging', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await newTask({ TITLE: `Listed ${i}`, RESPONSIBLE_ID: 77 }));
    const body = await ok('tasks.task.list', { filter: { RESPONSIBLE_ID: 77 }, order: { ID: 'DESC' } });
    expectShape('tasks.task.list', body);
    expect(body.total).toBe(3);
    expect(body.result.tasks.map((t: any) => Number(t.id))).toEqual([...ids].reverse());
    const picked = await ok('tasks.task.list', { filter: { '%TITLE': 'Listed 1' }, select: ['ID', 'TITLE'] });
    // The selected fields plus the ones the docs' list example shows unselected.
    expect(picked.result.tasks).toMatchObject([
      { id: String(ids[1]), title: 'Listed 1', descriptionInBbcode: 'Y', group: [] },
    ]);
    expect(Object.keys(picked.result.tasks[0]).sort()).toEqual([
      'descriptionInBbcode',
      'group',
      'id',
      'responsible',
      'title',
    ]);
    expect((await fails('tasks.task.list', { order: { NOPE: 'ASC' } })).description).toContain('Invalid sorting key');
  });

  it('paging: 50 per page with next', async () => {
    em.seed('tasks.task', 60, { RESPONSIBLE_ID: 901 });
    const p1 = await ok('tasks.task.list', { filter: { RESPONSIBLE_ID: 901 } });
    expect(p1.result.tasks).toHaveLength(50);
    expect(p1.next).toBe(50);
    const p2 = await ok('tasks.task.list', { filter: { RESPONSIBLE_ID: 901 }, start: 50 });
    expect(p2.result.tasks).toHaveLength(10);
    expect(p2.next).toBeUndefined();
  });

  it('getFields describes the fields with statuses', async () => {
    const body = await ok('tasks.task.getFields');
    // UF_NEW_TASKS_FIELD is a custom field of the docs' portal.
    expectShape('tasks.task.getFields', body, { optional: ['result.fields.UF_NEW_TASKS_FIELD'] });
    expect(body.result.fields.STATUS.values['5']).toBe('Completed');
    expect(body.result.fields.TITLE.required).toBe(true);
  });
});

describe('tasks.task actions', () => {
  it('start → 3, pause → 2, defer → 6, renew → 2, complete → 5, renew → 2', async () => {
    const id = await newTask();
    const status = async (m: string) => {
      const b = await ok(m, { taskId: id });
      expectShape(m, b);
      return b.result.task.status;
    };
    expect(await status('tasks.task.start')).toBe('3');
    expect((await ok('tasks.task.get', { taskId: id })).result.task.dateStart).not.toBeNull();
    expect(await status('tasks.task.pause')).toBe('2');
    expect(await status('tasks.task.defer')).toBe('6');
    expect(await status('tasks.task.renew')).toBe('2');
    const done = await ok('tasks.task.complete', { taskId: id });
    expectShape('tasks.task.complete', done);
    expect(done.result.task.status).toBe('5');
    expect(done.result.task.closedBy).toBe('1');
    expect(done.result.task.action.renew).toBe(true);
    expect(await status('tasks.task.renew')).toBe('2');
  });

  it('refuses actions the status does not allow', async () => {
    const id = await newTask();
    expect(await fails('tasks.task.pause', { taskId: id })).toMatchObject({ error: '1048582' });
    expect(await fails('tasks.task.approve', { taskId: id })).toMatchObject({ error: '1048582' });
    expect((await fails('tasks.task.start', { taskId: 999999 })).description).toBe('wrong task id');
  });

  it('task control: completed by the responsible → 4; approve → 5; disapprove → 2', async () => {
    const other = em.createWebhook({ userId: 5 });
    const id = await newTask({ RESPONSIBLE_ID: 5, TASK_CONTROL: 'Y' });
    const byResponsible = await call(other, 'tasks.task.complete', { taskId: id });
    expect(byResponsible.body.result.task.status).toBe('4');
    const approved = await ok('tasks.task.approve', { taskId: id });
    expectShape('tasks.task.approve', approved);
    expect(approved.result.task.status).toBe('5');
    const id2 = await newTask({ RESPONSIBLE_ID: 5, TASK_CONTROL: 'Y' });
    await call(other, 'tasks.task.complete', { taskId: id2 });
    const back = await ok('tasks.task.disapprove', { taskId: id2 });
    expectShape('tasks.task.disapprove', back);
    expect(back.result.task.status).toBe('2');
  });

  it('delegate changes the responsible and keeps the old one as auditor', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 1 });
    const body = await ok('tasks.task.delegate', { taskId: id, userId: 8 });
    expectShape('tasks.task.delegate', body);
    expect(body.result.task.responsibleId).toBe('8');
    expect(body.result.task.auditors).toContain('1');
    expect((await fails('tasks.task.delegate', { taskId: id })).error).toBe('100');
  });

  it('startwatch/stopwatch add and remove the caller as auditor', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 2 });
    const on = await ok('tasks.task.startwatch', { taskId: id });
    expectShape('tasks.task.startwatch', on);
    expect(on.result.task.auditors).toEqual(['1']);
    const off = await ok('tasks.task.stopwatch', { taskId: id });
    expectShape('tasks.task.stopwatch', off);
    expect(off.result.task.auditors).toEqual([]);
  });

  it('favorites and mute are per user', async () => {
    const id = await newTask();
    expectShape('tasks.task.favorite.add', await ok('tasks.task.favorite.add', { taskId: id }));
    expect((await ok('tasks.task.get', { taskId: id })).result.task.favorite).toBe('Y');
    const other = em.createWebhook({ userId: 6 });
    expect((await call(other, 'tasks.task.get', { taskId: id })).body.result.task.favorite).toBe('N');
    expectShape('tasks.task.favorite.remove', await ok('tasks.task.favorite.remove', { taskId: id }));
    expect((await ok('tasks.task.get', { taskId: id })).result.task.favorite).toBe('N');
    const muted = await ok('tasks.task.mute', { id });
    expectShape('tasks.task.mute', muted);
    expect(muted.result.task.isMuted).toBe('Y');
    const unmuted = await ok('tasks.task.unmute', { id });
    expectShape('tasks.task.unmute', unmuted);
    expect(unmuted.result.task.isMuted).toBe('N');
  });

  it('history lists creation, field changes and status changes', async () => {
    const id = await newTask({ TITLE: 'Before' });
    await ok('tasks.task.update', { taskId: id, fields: { TITLE: 'After' } });
    await ok('tasks.task.start', { taskId: id });
    const body = await ok('tasks.task.history.list', { taskId: id });
    const fields = body.result.list.map((h: any) => h.field);
    expect(fields).toEqual(['NEW', 'TITLE', 'STATUS']);
    expect(body.result.list[1].value).toEqual({ from: 'Before', to: 'After' });
    expect(body.result.list[2].value).toEqual({ from: '2', to: '3' });
    const only = await ok('tasks.task.history.list', { taskId: id, filter: { FIELD: 'STATUS' } });
    expect(only.result.list).toHaveLength(1);
  });

  it('getaccess answers the allowed actions per user', async () => {
    const id = await newTask();
    const body = await ok('tasks.task.getaccess', { taskId: id, users: [1, 2] });
    expect(Object.keys(body.result.allowedActions)).toEqual(['1', '2']);
    expect(body.result.allowedActions['1'].start).toBe(true);
    expect(body.result.allowedActions['1'].pause).toBe(false);
  });

  it('files.attach links a Drive file; an unknown file is refused', async () => {
    const id = await newTask();
    const up = await ok('disk.folder.uploadfile', {
      id: 1,
      data: { NAME: 'a.txt' },
      fileContent: ['a.txt', Buffer.from('hi').toString('base64')],
    });
    const body = await ok('tasks.task.files.attach', { taskId: id, fileId: up.result.ID });
    expectShape('tasks.task.files.attach', body);
    const task = (await ok('tasks.task.get', { taskId: id })).result.task;
    expect(task.ufTaskWebdavFiles).toEqual([body.result.attachmentId]);
    expect((await fails('tasks.task.files.attach', { taskId: id, fileId: 99999 })).error).toBe('0');
  });

  it('dependencies: add once, duplicate refused, delete once', async () => {
    const a = await newTask();
    const b = await newTask();
    expect((await ok('task.dependence.add', { taskIdFrom: a, taskIdTo: b, linkType: 2 })).result).toEqual([]);
    expect((await fails('task.dependence.add', { taskIdFrom: a, taskIdTo: b, linkType: 2 })).error).toBe(
      'ILLEGAL_NEW_LINK',
    );
    expect((await fails('task.dependence.add', { taskIdFrom: a, taskIdTo: a, linkType: 2 })).error).toBe(
      'ACTION_NOT_ALLOWED',
    );
    await ok('task.dependence.delete', { taskIdFrom: a, taskIdTo: b });
    expect((await fails('task.dependence.delete', { taskIdFrom: a, taskIdTo: b })).error).toBe('ILLEGAL_NEW_LINK');
  });

  it('planner lists the caller tasks in progress', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 1 });
    expect((await ok('task.planner.getlist')).result).not.toContain(id);
    await ok('tasks.task.start', { taskId: id });
    const body = await ok('task.planner.getlist');
    expectShape('task.planner.getlist', body);
    expect(body.result).toContain(id);
  });

  it('raises ONTASKADD/UPDATE/DELETE into an offline queue', async () => {
    const app = em.issueTokens();
    const bearer = { headers: { authorization: `Bearer ${app.access_token}` } };
    for (const event of ['ONTASKADD', 'ONTASKUPDATE']) {
      await call(em.baseUrl + '/rest/', 'event.bind', { event, event_type: 'offline' }, bearer);
    }
    const id = await newTask();
    await ok('tasks.task.start', { taskId: id });
    const got = await call(em.baseUrl + '/rest/', 'event.offline.get', { clear: 1 }, bearer);
    const names = got.body.result.events.map((e: any) => e.EVENT_NAME);
    expect(names).toContain('ONTASKADD');
    expect(names).toContain('ONTASKUPDATE');
  });
});

describe('checklists', () => {
  it('add, get, list, update, complete, renew, move, delete', async () => {
    const id = await newTask();
    const a = (await ok('task.checklistitem.add', { TASKID: id, FIELDS: { TITLE: 'First' } })).result;
    expectShape('task.checklistitem.add', { result: a });
    // Positional arguments work too.
    const b = (await ok('task.checklistitem.add', [id, { TITLE: 'Second', IS_COMPLETE: 'Y' }])).result;
    const got = await ok('task.checklistitem.get', { TASKID: id, ITEMID: b });
    expectShape('task.checklistitem.get', got);
    expect(got.result).toMatchObject({ TITLE: 'Second', IS_COMPLETE: 'Y', SORT_INDEX: '1', TASK_ID: String(id) });
    const list = await ok('task.checklistitem.getlist', { TASKID: id });
    expectShape('task.checklistitem.getlist', list);
    expect(list.result.map((i: any) => i.TITLE)).toEqual(['First', 'Second']);
    expectShape(
      'task.checklistitem.update',
      await ok('task.checklistitem.update', { TASKID: id, ITEMID: a, FIELDS: { TITLE: 'First!' } }),
    );
    expectShape('task.checklistitem.complete', await ok('task.checklistitem.complete', { TASKID: id, ITEMID: a }));
    expect((await ok('task.checklistitem.get', { TASKID: id, ITEMID: a })).result).toMatchObject({
      TITLE: 'First!',
      IS_COMPLETE: 'Y',
      TOGGLED_BY: '1',
    });
    expectShape('task.checklistitem.renew', await ok('task.checklistitem.renew', { TASKID: id, ITEMID: a }));
    expect((await ok('task.checklistitem.get', { TASKID: id, ITEMID: a })).result.IS_COMPLETE).toBe('N');
    await ok('task.checklistitem.moveafteritem', { TASKID: id, ITEMID: a, AFTERITEMID: b });
    expect((await ok('task.checklistitem.getlist', { TASKID: id })).result.map((i: any) => i.TITLE)).toEqual([
      'Second',
      'First!',
    ]);
    const task = (await ok('tasks.task.get', { taskId: id })).result.task;
    expect(Object.keys(task.checklist)).toHaveLength(2);
    expect(task.checkListTree.descendants).toHaveLength(2);
    expectShape('task.checklistitem.delete', await ok('task.checklistitem.delete', { TASKID: id, ITEMID: a }));
    expect((await fails('task.checklistitem.get', { TASKID: id, ITEMID: a })).error).toBe('ERROR_CORE');
    expect((await fails('task.checklistitem.add', { TASKID: id, FIELDS: {} })).description).toContain(
      'Item name not specified',
    );
  });
});

describe('comments and results', () => {
  it('comment CRUD updates the task counter; results come from comments', async () => {
    const id = await newTask();
    const c1 = await ok('task.commentitem.add', { TASKID: id, FIELDS: { POST_MESSAGE: 'Done [B]now[/B]' } });
    expectShape('task.commentitem.add', c1);
    const c2 = (await ok('task.commentitem.add', [id, { POST_MESSAGE: 'Second' }])).result;
    expect((await ok('tasks.task.get', { taskId: id })).result.task.commentsCount).toBe('2');
    const got = await ok('task.commentitem.get', { TASKID: id, ITEMID: c1.result });
    expectShape('task.commentitem.get', got, { optional: ['result.ATTACHED_OBJECTS'] });
    expect(got.result.POST_MESSAGE).toBe('Done [B]now[/B]');
    expectShape(
      'task.commentitem.update',
      await ok('task.commentitem.update', { TASKID: id, ITEMID: c2, FIELDS: { POST_MESSAGE: 'Edited' } }),
    );
    const list = await ok('task.commentitem.getlist', { TASKID: id, ORDER: { ID: 'DESC' } });
    expectShape('task.commentitem.getlist', list, { optional: ['result.0.ATTACHED_OBJECTS'] });
    expect(list.result.map((c: any) => c.POST_MESSAGE)).toEqual(['Edited', 'Done [B]now[/B]']);
    const filtered = await ok('task.commentitem.getlist', { TASKID: id, FILTER: { ID: c2 } });
    expect(filtered.result).toHaveLength(1);

    const res = await ok('tasks.task.result.addFromComment', { commentId: c1.result });
    expectShape('tasks.task.result.addFromComment', res);
    expect(res.result).toMatchObject({
      taskId: id,
      commentId: c1.result,
      text: 'Done [B]now[/B]',
      formattedText: 'Done <b>now</b>',
    });
    expect((await fails('tasks.task.result.addFromComment', { commentId: c1.result })).description).toBe(
      'Result already exists.',
    );
    const results = await ok('tasks.task.result.list', { taskId: id });
    expectShape('tasks.task.result.list', results);
    expect(results.result).toHaveLength(1);
    expect((await ok('tasks.task.get', { taskId: id })).result.task.taskHasResult).toBe('Y');
    expectShape(
      'tasks.task.result.deleteFromComment',
      await ok('tasks.task.result.deleteFromComment', { commentId: c1.result }),
    );
    expect((await ok('tasks.task.result.list', { taskId: id })).result).toEqual([]);

    expectShape('task.commentitem.delete', await ok('task.commentitem.delete', { TASKID: id, ITEMID: c2 }));
    expect((await ok('task.commentitem.getlist', { TASKID: id })).result).toHaveLength(1);
    expect((await fails('task.commentitem.add', { TASKID: id, FIELDS: { POST_MESSAGE: '' } })).description).toBe(
      'Comment text is not specified',
    );
    expect((await fails('tasks.task.result.addFromComment', { commentId: 999999 })).description).toBe(
      'Comment not found.',
    );
  });
});

describe('elapsed time', () => {
  it('add, get, list, update, delete keep timeSpentInLogs', async () => {
    const id = await newTask();
    const a = await ok('task.elapseditem.add', { TASKID: id, ARFIELDS: { SECONDS: 3600, COMMENT_TEXT: 'work' } });
    expectShape('task.elapseditem.add', a);
    const b = (await ok('task.elapseditem.add', [id, { SECONDS: 600, COMMENT_TEXT: 'more', USER_ID: 4 }])).result;
    expect((await ok('tasks.task.get', { taskId: id })).result.task.timeSpentInLogs).toBe('4200');
    const got = await ok('task.elapseditem.get', { TASKID: id, ITEMID: a.result });
    expectShape('task.elapseditem.get', got);
    expect(got.result[0]).toMatchObject({ SECONDS: '3600', MINUTES: '60', COMMENT_TEXT: 'work', USER_ID: '1' });
    const list = await ok('task.elapseditem.getlist', { TASKID: id, ORDER: { SECONDS: 'ASC' } });
    expectShape('task.elapseditem.getlist', list);
    expect(list.result.map((r: any) => r.SECONDS)).toEqual(['600', '3600']);
    expect((await ok('task.elapseditem.getlist', { TASKID: id, FILTER: { USER_ID: 4 } })).result).toHaveLength(1);
    expectShape(
      'task.elapseditem.update',
      await ok('task.elapseditem.update', { TASKID: id, ITEMID: b, ARFIELDS: { SECONDS: 900 } }),
    );
    expect((await ok('tasks.task.get', { taskId: id })).result.task.timeSpentInLogs).toBe('4500');
    expectShape('task.elapseditem.delete', await ok('task.elapseditem.delete', { TASKID: id, ITEMID: a.result }));
    expect((await ok('tasks.task.get', { taskId: id })).result.task.timeSpentInLogs).toBe('900');
    expect((await fails('task.elapseditem.add', { TASKID: 999999, ARFIELDS: { SECONDS: 1 } })).error).toBe('0x000001');
  });
});

describe('kanban stages', () => {
  it('my plan gets default stages; add after, update, move a task, delete', async () => {
    const stages = await ok('task.stages.get', { entityId: 0 });
    // Stages are keyed by their ids; compare one stage with one documented stage.
    const example = documented('task.stages.get')!.responseExample as { result: Record<string, unknown> };
    expect(shapeDifferences(Object.values(stages.result)[0], Object.values(example.result)[0])).toEqual([]);
    const ids = Object.keys(stages.result);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const first = ids[0]!;
    const added = await ok('task.stages.add', { fields: { TITLE: 'Review', COLOR: 'AA0000', AFTER_ID: first } });
    expectShape('task.stages.add', added);
    // JSON objects with integer keys iterate in key order, so sort by SORT.
    const after = (Object.values((await ok('task.stages.get', { entityId: 0 })).result) as any[]).sort(
      (a, b) => a.SORT - b.SORT,
    );
    expect(after.map((s) => s.TITLE)[1]).toBe('Review');
    expectShape(
      'task.stages.update',
      await ok('task.stages.update', { id: added.result, fields: { TITLE: 'Reviewing' } }),
    );
    const id = await newTask();
    expectShape('task.stages.movetask', await ok('task.stages.movetask', { id, stageId: added.result }));
    expect((await ok('tasks.task.get', { taskId: id })).result.task.stageId).toBe(String(added.result));
    expect((await fails('task.stages.delete', { id: first })).error).toBe('CANT_DELETE_FIRST');
    expectShape('task.stages.delete', await ok('task.stages.delete', { id: added.result }));
    expect((await fails('task.stages.update', { id: added.result, fields: { TITLE: 'x' } })).error).toBe('NOT_FOUND');
    expect((await fails('task.stages.add', { fields: { COLOR: 'FFFFFF' } })).error).toBe('EMPTY_TITLE');
    expect((await fails('task.stages.movetask', { id: 999999, stageId: first })).error).toBe('TASK_NOT_FOUND');
  });
});

describe('task user fields', () => {
  it('add (UF_TASK_ prefix), get, list, update, values on tasks, delete', async () => {
    const added = await ok('task.item.userfield.add', {
      PARAMS: { USER_TYPE_ID: 'string', FIELD_NAME: 'COLOR', LABEL: 'Color' },
    });
    expectShape('task.item.userfield.add', added);
    const got = (await ok('task.item.userfield.get', { ID: added.result })).result;
    expect(got).toMatchObject({
      FIELD_NAME: 'UF_TASK_COLOR',
      USER_TYPE_ID: 'string',
      EDIT_FORM_LABEL: { en: 'Color' },
    });
    const list = await ok('task.item.userfield.getlist', {});
    expectShape('task.item.userfield.getlist', list);
    expect(list.result.map((f: any) => f.FIELD_NAME)).toContain('UF_TASK_COLOR');
    expectShape(
      'task.item.userfield.update',
      await ok('task.item.userfield.update', { ID: added.result, DATA: { XML_ID: 'ext', LABEL: 'Colour' } }),
    );
    expect((await ok('task.item.userfield.get', { ID: added.result })).result).toMatchObject({
      XML_ID: 'ext',
      EDIT_FORM_LABEL: { en: 'Colour' },
    });
    const taskId = await newTask({ UF_TASK_COLOR: 'red' });
    expect((await ok('tasks.task.get', { taskId })).result.task.ufTaskColor).toBe('red');
    expectShape('task.item.userfield.delete', await ok('task.item.userfield.delete', { ID: added.result }));
    expect((await fails('task.item.userfield.get', { ID: added.result })).error).toBe('ERROR_NOT_FOUND');
    expect((await ok('tasks.task.get', { taskId })).result.task.ufTaskColor).toBeUndefined();
    expect((await fails('task.item.userfield.add', { PARAMS: { USER_TYPE_ID: 'nope', FIELD_NAME: 'X' } })).error).toBe(
      'ERROR_CORE',
    );
  });
});
