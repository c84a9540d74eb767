/**
 * OPI region TasksManagement: each remote function performed with b24kit against the emulator,
 * asserting its effect on the task (status codes, responsible, auditors, flags, history, ...).
 */
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
});

const newTask = async (fields: Record<string, unknown> = {}) =>
  Number((await b24.tasks.task.add({ fields: { TITLE: 'OPI task', RESPONSIBLE_ID: 1, ...fields } })).task.id);
const status = async (taskId: number) => (await b24.tasks.task.get({ taskId })).task.status;

describe('OPI TasksManagement', () => {
  it('CreateTask → tasks.task.add', async () => {
    const r = await b24.tasks.task.add({
      fields: { TITLE: 'Prepare offer', RESPONSIBLE_ID: 4, PRIORITY: 2, DEADLINE: '2030-05-01T12:00:00+00:00' },
    });
    expect(r.task).toMatchObject({ title: 'Prepare offer', responsibleId: '4', priority: '2', status: '2' });
    const stored = await b24.tasks.task.get({ taskId: r.task.id! });
    expect(stored.task.deadline).toBe('2030-05-01T12:00:00+00:00');
  });

  it('GetTask → tasks.task.get', async () => {
    const id = await newTask({ DESCRIPTION: 'details' });
    const r = await b24.tasks.task.get({ taskId: id });
    expect(r.task).toMatchObject({ id: String(id), title: 'OPI task', description: 'details' });
    await expect(b24.tasks.task.get({ taskId: 987654 })).rejects.toMatchObject({ code: '0' });
  });

  it('GetTasksList → tasks.task.list', async () => {
    const ids = [await newTask({ RESPONSIBLE_ID: 41 }), await newTask({ RESPONSIBLE_ID: 41 })];
    // Offset 0 and the select list are sent as given (OPI dropped empty values such as 0).
    const r = await b24.tasks.task.list({ filter: { RESPONSIBLE_ID: 41 }, select: ['ID', 'TITLE'], start: 0 });
    expect(r.tasks.map((t) => Number(t.id))).toEqual(ids);
    // The selected fields plus the ones the docs' list example shows unselected.
    expect(Object.keys(r.tasks[0]!).sort()).toEqual(['descriptionInBbcode', 'group', 'id', 'responsible', 'title']);
    const env = await b24.callEnvelope('tasks.task.list', { filter: { RESPONSIBLE_ID: 41 }, start: 1 });
    expect(env.result.tasks).toHaveLength(1);
    expect(env.total).toBe(2);
  });

  it('UpdateTask → tasks.task.update', async () => {
    const id = await newTask();
    const r = await b24.tasks.task.update({ taskId: id, fields: { TITLE: 'Renamed', PRIORITY: 0 } });
    expect(r.task).toMatchObject({ title: 'Renamed', priority: '0' });
    expect((await b24.tasks.task.get({ taskId: id })).task.title).toBe('Renamed');
  });

  it('DeleteTask → tasks.task.delete', async () => {
    const id = await newTask();
    expect(await b24.tasks.task.delete({ taskId: id })).toEqual({ task: true });
    await expect(b24.tasks.task.get({ taskId: id })).rejects.toMatchObject({ code: '0' });
  });

  it('AttachFileToTopic → tasks.task.files.attach', async () => {
    const id = await newTask();
    // With fileContent the file is stored at once (DiskFile); without it the answer is an upload target.
    const uploaded = await b24.call('disk.folder.uploadFile', {
      id: 1,
      data: { NAME: 'spec.txt' },
      fileContent: ['spec.txt', Buffer.from('spec').toString('base64')],
    });
    if (!('ID' in uploaded) || uploaded.ID === undefined) throw new Error('expected the stored file');
    const file = uploaded.ID;
    const r = await b24.tasks.task.files.attach({ taskId: id, fileId: file });
    expect(r.attachmentId).toBeGreaterThan(0);
    expect((await b24.tasks.task.get({ taskId: id })).task.ufTaskWebdavFiles).toEqual([r.attachmentId]);
  });

  it('StartTask → tasks.task.start', async () => {
    const id = await newTask();
    expect((await b24.tasks.task.start({ taskId: id })).task.status).toBe('3');
    expect(await status(id)).toBe('3');
  });

  it('PauseTask → tasks.task.pause', async () => {
    const id = await newTask();
    await b24.tasks.task.start({ taskId: id });
    expect((await b24.tasks.task.pause({ taskId: id })).task.status).toBe('2');
    await expect(b24.tasks.task.pause({ taskId: id })).rejects.toMatchObject({ code: '1048582' });
  });

  it('CompleteTask → tasks.task.complete', async () => {
    const id = await newTask();
    const r = await b24.tasks.task.complete({ taskId: id });
    expect(r.task).toMatchObject({ status: '5', closedBy: '1' });
    expect(await status(id)).toBe('5');
  });

  it('DeferTask → tasks.task.defer', async () => {
    const id = await newTask();
    expect((await b24.tasks.task.defer({ taskId: id })).task.status).toBe('6');
    expect(await status(id)).toBe('6');
  });

  it('RenewTask → tasks.task.renew', async () => {
    const id = await newTask();
    await b24.tasks.task.complete({ taskId: id });
    expect((await b24.tasks.task.renew({ taskId: id })).task.status).toBe('2');
    expect(await status(id)).toBe('2');
  });

  it('ApproveTask → tasks.task.approve', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 5, TASK_CONTROL: 'Y' });
    const responsible = createClient({ webhook: em.createWebhook({ userId: 5 }), retry: false });
    expect((await responsible.tasks.task.complete({ taskId: id })).task.status).toBe('4');
    await responsible.close();
    expect((await b24.tasks.task.approve({ taskId: id })).task.status).toBe('5');
    expect(await status(id)).toBe('5');
  });

  it('DisapproveTask → tasks.task.disapprove', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 5, TASK_CONTROL: 'Y' });
    const responsible = createClient({ webhook: em.createWebhook({ userId: 5 }), retry: false });
    await responsible.tasks.task.complete({ taskId: id });
    await responsible.close();
    expect((await b24.tasks.task.disapprove({ taskId: id })).task.status).toBe('2');
    expect(await status(id)).toBe('2');
  });

  it('StartWatchingTask → tasks.task.startwatch', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 2 });
    await b24.tasks.task.startwatch({ taskId: id });
    expect((await b24.tasks.task.get({ taskId: id })).task.auditors).toEqual(['1']);
  });

  it('StopWatchingTask → tasks.task.stopwatch', async () => {
    const id = await newTask({ RESPONSIBLE_ID: 2, AUDITORS: [1, 3] });
    await b24.tasks.task.stopwatch({ taskId: id });
    expect((await b24.tasks.task.get({ taskId: id })).task.auditors).toEqual(['3']);
  });

  it('DelegateTask → tasks.task.delegate', async () => {
    const id = await newTask();
    const r = await b24.tasks.task.delegate({ taskId: id, userId: 9 });
    expect(r.task.responsibleId).toBe('9');
    expect((await b24.tasks.task.get({ taskId: id })).task.responsibleId).toBe('9');
  });

  it('AddTaskToFavorites → tasks.task.favorite.add', async () => {
    const id = await newTask();
    expect(await b24.tasks.task.favorite.add({ taskId: id })).toBe(true);
    expect((await b24.tasks.task.get({ taskId: id })).task.favorite).toBe('Y');
  });

  it('RemoveTaskFromFavorites → tasks.task.favorite.remove', async () => {
    const id = await newTask();
    await b24.tasks.task.favorite.add({ taskId: id });
    expect(await b24.tasks.task.favorite.remove({ taskId: id })).toBe(true);
    expect((await b24.tasks.task.get({ taskId: id })).task.favorite).toBe('N');
  });

  it('GetTaskHistory → tasks.task.history.list', async () => {
    const id = await newTask();
    await b24.tasks.task.start({ taskId: id });
    const r = await b24.tasks.task.history.list({ taskId: id });
    expect(r.list?.map((h) => h['field'])).toEqual(['NEW', 'STATUS']);
    expect(r.list?.[1]?.['value']).toEqual({ from: '2', to: '3' });
  });

  it('CheckTaskAccesses → tasks.task.getaccess', async () => {
    const id = await newTask();
    const r = await b24.tasks.task.getaccess({ taskId: id, users: ['1', '2'] });
    const allowed = r['allowedActions'] as Record<string, Record<string, boolean>>;
    expect(Object.keys(allowed)).toEqual(['1', '2']);
    expect(allowed['1']).toMatchObject({ start: true, complete: true, pause: false });
  });

  it('MuteTask → tasks.task.mute', async () => {
    const id = await newTask();
    expect((await b24.tasks.task.mute({ id })).task.isMuted).toBe('Y');
    expect((await b24.tasks.task.get({ taskId: id })).task.isMuted).toBe('Y');
  });

  it('UnmuteTask → tasks.task.unmute', async () => {
    const id = await newTask();
    await b24.tasks.task.mute({ id });
    expect((await b24.tasks.task.unmute({ id })).task.isMuted).toBe('N');
    expect((await b24.tasks.task.get({ taskId: id })).task.isMuted).toBe('N');
  });

  it('CreateTasksDependencies → task.dependence.add', async () => {
    const [a, b] = [await newTask(), await newTask()];
    await b24.task.dependence.add({ taskIdFrom: a, taskIdTo: b, linkType: 0 });
    // The link now exists: adding it again is refused.
    await expect(b24.task.dependence.add({ taskIdFrom: a, taskIdTo: b, linkType: 0 })).rejects.toMatchObject({
      code: 'ILLEGAL_NEW_LINK',
    });
  });

  it('DeleteTasksDependencies → task.dependence.delete', async () => {
    const [a, b] = [await newTask(), await newTask()];
    await b24.task.dependence.add({ taskIdFrom: a, taskIdTo: b, linkType: 2 });
    await b24.task.dependence.delete({ taskIdFrom: a, taskIdTo: b });
    await expect(b24.task.dependence.delete({ taskIdFrom: a, taskIdTo: b })).rejects.toMatchObject({
      code: 'ILLEGAL_NEW_LINK',
    });
  });

  it('GetDailyPlan → task.planner.getlist', async () => {
    const id = await newTask();
    expect(await b24.task.planner.getlist({})).not.toContain(id);
    await b24.tasks.task.start({ taskId: id });
    expect(await b24.task.planner.getlist({})).toContain(id);
  });

  it('GetTaskFieldsStructure → tasks.task.getFields', async () => {
    const r = await b24.tasks.task.getFields({});
    expect(r.fields['TITLE']).toMatchObject({ type: 'string', required: true });
    expect(r.fields['STATUS']?.values).toMatchObject({ '3': 'In Progress', '5': 'Completed' });
  });
});
