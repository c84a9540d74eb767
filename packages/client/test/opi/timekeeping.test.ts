/** OPI region Timekeeping: time spent on tasks (task.elapseditem.*) and the work day (timeman.*). */
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

describe('OPI Timekeeping', () => {
  it('AddTaskTimeAccounting → task.elapseditem.add', async () => {
    const task = await newTask();
    const id = await b24.task.elapseditem.add({
      TASKID: task,
      ARFIELDS: { SECONDS: 1800, COMMENT_TEXT: 'Research', USER_ID: 1 },
    });
    expect(id).toBeGreaterThan(0);
    expect((await b24.tasks.task.get({ taskId: task })).task.timeSpentInLogs).toBe('1800');
  });

  it('DeleteTaskTimeAccounting → task.elapseditem.delete', async () => {
    const task = await newTask();
    const id = await b24.task.elapseditem.add({ TASKID: task, ARFIELDS: { SECONDS: 60, COMMENT_TEXT: '' } });
    await b24.task.elapseditem.delete({ TASKID: task, ITEMID: id });
    expect(await b24.task.elapseditem.getlist({ TASKID: task })).toEqual([]);
  });

  it('GetTaskTimeAccountingList → task.elapseditem.getlist', async () => {
    const task = await newTask();
    for (const s of [120, 60])
      await b24.task.elapseditem.add({ TASKID: task, ARFIELDS: { SECONDS: s, COMMENT_TEXT: `${s}` } });
    expect(
      (await b24.task.elapseditem.getlist({ TASKID: task, ORDER: { SECONDS: 'asc' } })).map((r) => r.SECONDS),
    ).toEqual(['60', '120']);
  });

  it('GetTaskTimeAccounting → task.elapseditem.get', async () => {
    const task = await newTask();
    const id = await b24.task.elapseditem.add({ TASKID: task, ARFIELDS: { SECONDS: 3600, COMMENT_TEXT: 'Hour' } });
    // The docs show the record inside a one-element list.
    const got = (await b24.task.elapseditem.get({ TASKID: task, ITEMID: id })) as unknown as Array<
      Record<string, string>
    >;
    expect(got[0]).toMatchObject({ ID: String(id), SECONDS: '3600', MINUTES: '60', COMMENT_TEXT: 'Hour' });
  });

  it('UpdateTaskTimeAccounting → task.elapseditem.update', async () => {
    const task = await newTask();
    const id = await b24.task.elapseditem.add({ TASKID: task, ARFIELDS: { SECONDS: 60, COMMENT_TEXT: 'a' } });
    await b24.task.elapseditem.update({ TASKID: task, ITEMID: id, ARFIELDS: { SECONDS: 900, COMMENT_TEXT: 'b' } });
    expect((await b24.task.elapseditem.getlist({ TASKID: task }))[0]).toMatchObject({
      SECONDS: '900',
      COMMENT_TEXT: 'b',
    });
    expect((await b24.tasks.task.get({ taskId: task })).task.timeSpentInLogs).toBe('900');
  });

  it('StartTimekeeping → timeman.open', async () => {
    const r = await b24.timeman.open({ USER_ID: 21, REPORT: 'Starting' });
    expect(r.STATUS).toBe('OPENED');
    expect((await b24.timeman.status({ USER_ID: 21 })).STATUS).toBe('OPENED');
  });

  it('PauseTimekeeping → timeman.pause', async () => {
    await b24.timeman.open({ USER_ID: 22 });
    expect((await b24.timeman.pause({ USER_ID: 22 })).STATUS).toBe('PAUSED');
    em.advanceTime(600_000);
    expect((await b24.timeman.status({ USER_ID: 22 })).TIME_LEAKS).toBe('00:10:00');
  });

  it('StopTimekeeping → timeman.close', async () => {
    await b24.timeman.open({ USER_ID: 23 });
    em.advanceTime(60_000);
    const r = await b24.timeman.close({ USER_ID: 23, REPORT: 'Done' });
    expect(r).toMatchObject({ STATUS: 'CLOSED', DURATION: '00:01:00' });
    expect((await b24.timeman.status({ USER_ID: 23 })).STATUS).toBe('CLOSED');
  });

  it('GetTimekeepingStatus → timeman.status', async () => {
    expect((await b24.timeman.status({ USER_ID: 24 })).STATUS).toBe('CLOSED');
    await b24.timeman.open({ USER_ID: 24 });
    expect((await b24.timeman.status({ USER_ID: 24 })).STATUS).toBe('OPENED');
  });

  it('GetTimekeepingSettings → timeman.settings', async () => {
    expect(await b24.timeman.settings({ USER_ID: 1 })).toMatchObject({
      UF_TIMEMAN: true,
      UF_TM_MAX_START: '09:15:00',
      ADMIN: true,
    });
  });
});
