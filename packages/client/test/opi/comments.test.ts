/** OPI region CommentsAndResultsManagement: task comments and results made from them. */
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

describe('OPI CommentsAndResultsManagement', () => {
  it('AddTaskComment → task.commentitem.add', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'First remark' } });
    expect((await b24.task.commentitem.get({ TASKID: task, ITEMID: id })).POST_MESSAGE).toBe('First remark');
    expect((await b24.tasks.task.get({ taskId: task })).task.commentsCount).toBe('1');
  });

  it('GetTaskCommentsList → task.commentitem.getlist', async () => {
    const task = await newTask();
    for (const t of ['a', 'b']) await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: t } });
    expect((await b24.task.commentitem.getlist({ TASKID: task })).map((c) => c.POST_MESSAGE)).toEqual(['a', 'b']);
  });

  it('GetTaskComment → task.commentitem.get', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Look' } });
    expect(await b24.task.commentitem.get({ TASKID: task, ITEMID: id })).toMatchObject({
      ID: String(id),
      AUTHOR_ID: '1',
      POST_MESSAGE: 'Look',
    });
  });

  it('UpdateTaskComment → task.commentitem.update', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Typo' } });
    expect(await b24.task.commentitem.update({ TASKID: task, ITEMID: id, FIELDS: { POST_MESSAGE: 'Fixed' } })).toBe(
      true,
    );
    expect((await b24.task.commentitem.get({ TASKID: task, ITEMID: id })).POST_MESSAGE).toBe('Fixed');
  });

  it('DeleteTaskComment → task.commentitem.delete', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Gone soon' } });
    expect(await b24.task.commentitem.delete({ TASKID: task, ITEMID: id })).toBe(true);
    expect(await b24.task.commentitem.getlist({ TASKID: task })).toEqual([]);
  });

  it('CreateResultFromComment → tasks.task.result.addFromComment', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Signed [B]today[/B]' } });
    const r = await b24.tasks.task.result.addFromComment({ commentId: id });
    expect(r).toMatchObject({
      taskId: task,
      commentId: id,
      text: 'Signed [B]today[/B]',
      formattedText: 'Signed <b>today</b>',
    });
  });

  it('GetResultsList → tasks.task.result.list', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Result' } });
    expect(await b24.tasks.task.result.list({ taskId: task })).toEqual([]);
    await b24.tasks.task.result.addFromComment({ commentId: id });
    expect((await b24.tasks.task.result.list({ taskId: task })).map((r) => r.commentId)).toEqual([id]);
  });

  it('DeleteResultFromComment → tasks.task.result.deleteFromComment', async () => {
    const task = await newTask();
    const id = await b24.task.commentitem.add({ TASKID: task, FIELDS: { POST_MESSAGE: 'Result' } });
    await b24.tasks.task.result.addFromComment({ commentId: id });
    await b24.tasks.task.result.deleteFromComment({ commentId: id });
    expect(await b24.tasks.task.result.list({ taskId: task })).toEqual([]);
  });
});
