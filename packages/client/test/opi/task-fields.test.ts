/** OPI region CustomsTasksFieldsManagement: custom task fields and their values on tasks. */
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

const addField = (name: string) =>
  b24.task.item.userfield.add({ PARAMS: { USER_TYPE_ID: 'string', FIELD_NAME: name, XML_ID: '', LABEL: name } });

describe('OPI CustomsTasksFieldsManagement', () => {
  it('AddCustomTaskField → task.item.userfield.add', async () => {
    const id = await b24.task.item.userfield.add({
      PARAMS: {
        USER_TYPE_ID: 'string',
        FIELD_NAME: 'BUDGET',
        XML_ID: 'budget',
        LABEL: 'Budget',
        EDIT_FORM_LABEL: { en: 'Budget' },
      },
    });
    expect(await b24.task.item.userfield.get({ ID: id })).toMatchObject({
      FIELD_NAME: 'UF_TASK_BUDGET',
      XML_ID: 'budget',
      EDIT_FORM_LABEL: { en: 'Budget' },
    });
    // The new field takes values on tasks.
    const task = await b24.tasks.task.add({ fields: { TITLE: 'With budget', UF_TASK_BUDGET: '100' } });
    // A portal's own user field is not in the Task type: read it as data.
    const stored = new Map(Object.entries((await b24.tasks.task.get({ taskId: task.task.id! })).task));
    expect(stored.get('ufTaskBudget')).toBe('100');
  });

  it('GetCustomTaskFieldsList → task.item.userfield.getlist', async () => {
    await addField('LISTED');
    const names = (await b24.task.item.userfield.getlist({})).map((f) => f.FIELD_NAME);
    expect(names).toContain('UF_TASK_LISTED');
    expect(names).toContain('UF_CRM_TASK');
  });

  it('UpdateCustomTaskField → task.item.userfield.update', async () => {
    const id = await addField('RENAMED');
    expect(
      await b24.task.item.userfield.update({ ID: id, DATA: { XML_ID: 'ext-1', EDIT_FORM_LABEL: { en: 'New label' } } }),
    ).toBe(true);
    expect(await b24.task.item.userfield.get({ ID: id })).toMatchObject({
      XML_ID: 'ext-1',
      EDIT_FORM_LABEL: { en: 'New label' },
    });
  });

  it('GetCustomTaskField → task.item.userfield.get', async () => {
    const id = await addField('SHOWN');
    expect(await b24.task.item.userfield.get({ ID: id })).toMatchObject({
      ID: String(id),
      USER_TYPE_ID: 'string',
      ENTITY_ID: 'TASKS_TASK',
    });
  });

  it('DeleteCustomTaskField → task.item.userfield.delete', async () => {
    const id = await addField('DROPPED');
    expect(await b24.task.item.userfield.delete({ ID: id })).toBe(true);
    await expect(b24.task.item.userfield.get({ ID: id })).rejects.toMatchObject({ code: 'ERROR_NOT_FOUND' });
  });
});
