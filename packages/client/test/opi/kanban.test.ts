/** OPI region Kanban: task stages of "My plan" and of a project, and moving tasks between them. */
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

const ordered = async (entityId: number) =>
  Object.values(await b24.task.stages.get({ entityId })).sort((a, b) => Number(a.SORT) - Number(b.SORT));

describe('OPI Kanban', () => {
  it('AddKanbanStage → task.stages.add', async () => {
    // PrevStageID 0 and EntityID 0 are sent (OPI dropped them): first stage of my plan.
    const id = await b24.task.stages.add({
      fields: { TITLE: 'Urgent', COLOR: 'FF0000', AFTER_ID: 0, ENTITY_ID: 0 },
      isAdmin: false,
    });
    const stages = await ordered(0);
    expect(stages[0]).toMatchObject({ ID: String(id), TITLE: 'Urgent', COLOR: 'FF0000', ENTITY_TYPE: 'U' });
  });

  it('UpdateKanbansStage → task.stages.update', async () => {
    const id = await b24.task.stages.add({ fields: { TITLE: 'Old', ENTITY_ID: 7 } });
    expect(await b24.task.stages.update({ id, fields: [{ TITLE: 'New', COLOR: '00FF00' }] })).toBe(true);
    expect((await b24.task.stages.get({ entityId: 7 }))[String(id)]).toMatchObject({
      TITLE: 'New',
      COLOR: '00FF00',
      ENTITY_TYPE: 'G',
    });
  });

  it('DeleteKanbanStage → task.stages.delete', async () => {
    const first = (await ordered(8))[0]!;
    const id = await b24.task.stages.add({ fields: { TITLE: 'Short-lived', ENTITY_ID: 8, AFTER_ID: first.ID } });
    expect(await b24.task.stages.delete({ id })).toBe(true);
    expect((await ordered(8)).map((s) => s.ID)).not.toContain(String(id));
  });

  it('GetKanbanStages → task.stages.get', async () => {
    const stages = await ordered(9);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatchObject({ SYSTEM_TYPE: 'NEW', ENTITY_ID: '9', ENTITY_TYPE: 'G' });
  });

  it('MoveTaskToKanbanStage → task.stages.movetask', async () => {
    const task = Number((await b24.tasks.task.add({ fields: { TITLE: 'Board task', GROUP_ID: 10 } })).task.id);
    const target = (await ordered(10))[1]!;
    // before/after 0 are sent as given.
    expect(await b24.task.stages.movetask({ id: task, stageId: target.ID!, before: 0, after: 0 })).toBe(true);
    expect((await b24.tasks.task.get({ taskId: task })).task.stageId).toBe(target.ID);
  });
});
