// Type-level assertions, checked by `tsc --noEmit` over this package (scripts/codegen/test/typecheck.test.ts).
// Each @ts-expect-error must be an error, or tsc fails with "Unused '@ts-expect-error' directive".
import type { B24Client } from '@b24kit/client';
import type { CrmDealListResult, Deal } from '@b24kit/client/crm';
import type { TasksTaskListResult } from '@b24kit/client/tasks';

export async function typeChecks(b24: B24Client): Promise<void> {
  // @ts-expect-error taskId is required
  await b24.tasks.task.get({});
  // @ts-expect-error fields is required
  await b24.crm.deal.add({});
  // @ts-expect-error DIALOG_ID is required
  await b24.im.message.add({ MESSAGE: 'hi' });
  // @ts-expect-error id and targetFolderId are required
  await b24.disk.file.copyTo({ id: 1 });
  // @ts-expect-error MUTE is 'Y' | 'N'
  await b24.im.chat.mute({ CHAT_ID: 1, MUTE: 'yes' });

  // Inputs accept ids as numbers or strings.
  const newId: number = await b24.crm.deal.add({ fields: { TITLE: 'x', ASSIGNED_BY_ID: '1', OPENED: 'Y' } });
  await b24.crm.deal.get({ id: newId });
  await b24.crm.deal.get({ id: String(newId) });
  await b24.tasks.task.get({ taskId: '12' });

  // Results are typed as the wire sends them: legacy crm ids are strings.
  const rows = await b24.crm.deal.list({ select: ['ID'] });
  const rowsAll: CrmDealListResult = await b24.crm.deal.list();
  const id: string | undefined = rows[0]?.ID;
  // @ts-expect-error ID arrives as a string, not a number
  const wrong: number | undefined = rows[0]?.ID;
  const flag: 'Y' | 'N' | undefined = ({} as Deal).OPENED;

  // tasks.task.list (REST 2) returns rows under `tasks`.
  // With no select the rows are the documented Task; with one they have what was selected
  // (asked in upper case, answered in camelCase).
  const full: TasksTaskListResult = await b24.tasks.task.list();
  const list = await b24.tasks.task.list({ select: ['ID', 'TITLE'] });
  const taskTitle: string | undefined = list.tasks[0]?.title;
  void full;

  // Methods that are also prefixes are callable and carry their children.
  await b24.im.dialog.read({ DIALOG_ID: 'chat1' });
  const all: boolean = await b24.im.dialog.read.all();

  // Anything the schema does not describe goes through the escape hatch.
  await b24.callUnknown<{ ok: boolean }>('vendor.custom.method', { a: 1 });
  void [id, wrong, flag, taskTitle, all, rowsAll];
}
