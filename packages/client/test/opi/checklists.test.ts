/** OPI region TasksChecklistsManagement: checklist items of a task, with their effects. */
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

const newTask = async () =>
  Number((await b24.tasks.task.add({ fields: { TITLE: 'OPI task', RESPONSIBLE_ID: 1 } })).task.id);

describe('OPI TasksChecklistsManagement', () => {
  it('AddTasksChecklistElement → task.checklistitem.add', async () => {
    const task = await newTask();
    // Completed=false is sent (OPI dropped false values).
    const id = await b24.task.checklistitem.add({
      TASKID: task,
      FIELDS: { TITLE: 'Call the client', IS_COMPLETE: false },
    });
    const item = await b24.task.checklistitem.get({ TASKID: task, ITEMID: id });
    expect(item).toMatchObject({ TITLE: 'Call the client', IS_COMPLETE: 'N', TASK_ID: String(task) });
    const done = await b24.task.checklistitem.add({
      TASKID: task,
      FIELDS: { TITLE: 'Already done', IS_COMPLETE: true },
    });
    expect((await b24.task.checklistitem.get({ TASKID: task, ITEMID: done })).IS_COMPLETE).toBe('Y');
  });

  it('UpdateTasksChecklistElement → task.checklistitem.update', async () => {
    const task = await newTask();
    const id = await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: 'Draft' } });
    await b24.task.checklistitem.update({ TASKID: task, ITEMID: id, FIELDS: { TITLE: 'Final' } });
    expect((await b24.task.checklistitem.get({ TASKID: task, ITEMID: id })).TITLE).toBe('Final');
  });

  it('DeleteTasksChecklistElement → task.checklistitem.delete', async () => {
    const task = await newTask();
    const id = await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: 'Temporary' } });
    expect(await b24.task.checklistitem.delete({ TASKID: task, ITEMID: id })).toBe(true);
    expect(await b24.task.checklistitem.getlist({ TASKID: task })).toEqual([]);
  });

  it('GetTasksChecklist → task.checklistitem.getlist', async () => {
    const task = await newTask();
    for (const t of ['One', 'Two', 'Three']) await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: t } });
    const list = await b24.task.checklistitem.getlist({ TASKID: task });
    expect(list.map((i) => i.TITLE)).toEqual(['One', 'Two', 'Three']);
    expect(list.map((i) => i.SORT_INDEX)).toEqual(['0', '1', '2']);
  });

  it('GetTasksChecklistElement → task.checklistitem.get', async () => {
    const task = await newTask();
    const id = await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: 'Read me', IS_IMPORTANT: true } });
    expect(await b24.task.checklistitem.get({ TASKID: task, ITEMID: id })).toMatchObject({
      ID: String(id),
      TITLE: 'Read me',
      IS_IMPORTANT: 'Y',
    });
    await expect(b24.task.checklistitem.get({ TASKID: task, ITEMID: 999999 })).rejects.toMatchObject({
      code: 'ERROR_CORE',
    });
  });

  it('CompleteTasksChecklistElement → task.checklistitem.complete', async () => {
    const task = await newTask();
    const id = await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: 'Finish' } });
    expect(await b24.task.checklistitem.complete({ TASKID: task, ITEMID: id })).toBe(true);
    expect(await b24.task.checklistitem.get({ TASKID: task, ITEMID: id })).toMatchObject({
      IS_COMPLETE: 'Y',
      TOGGLED_BY: '1',
    });
  });

  it('RenewTasksChecklistElement → task.checklistitem.renew', async () => {
    const task = await newTask();
    const id = await b24.task.checklistitem.add({ TASKID: task, FIELDS: { TITLE: 'Again', IS_COMPLETE: true } });
    expect(await b24.task.checklistitem.renew({ TASKID: task, ITEMID: id })).toBe(true);
    expect((await b24.task.checklistitem.get({ TASKID: task, ITEMID: id })).IS_COMPLETE).toBe('N');
  });
});
