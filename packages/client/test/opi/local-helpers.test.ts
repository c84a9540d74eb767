/**
 * The 12 OPI local helpers (templates and message blocks) and their b24kit builders. Where the
 * structure feeds a method of this project's emulator regions (CRM, messenger), the built value
 * is sent and its effect checked; the others are checked for their fields and for fitting the
 * generated parameter types (a compile-time check: this file is type-checked with the package).
 */
import {
  calendarEvent,
  calendarEventQuery,
  calendarEventQueryStructure,
  calendarEventStructure,
  calendarSection,
  calendarSectionStructure,
  calendarSettings,
  calendarSettingsStructure,
  chat,
  chatStructure,
  createClient,
  dealFilter,
  dealFilterStructure,
  fileBlock,
  leadFilter,
  leadFilterStructure,
  pictureBlock,
  taskComment,
  taskCommentStructure,
  taskFilter,
  taskFilterStructure,
  userFilter,
  userFilterStructure,
  type B24Client,
} from '@b24kit/client';
import type {
  CalendarEventAddParams,
  CalendarEventGetParams,
  CalendarSectionAddParams,
  CalendarUserSettingsSetParams,
} from '@b24kit/client/calendar';
import type { TaskCommentitemAddParams, TasksTaskListParams } from '@b24kit/client/tasks';
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

/** OPI's `Clear` flag: true → every value empty; false → every value describes its field. */
function checkTemplate(structure: { template(o?: { clear?: boolean }): Record<string, string> }, fields: string[]) {
  const described = structure.template();
  const clear = structure.template({ clear: true });
  expect(Object.keys(described)).toEqual(expect.arrayContaining(fields));
  expect(Object.values(clear).every((v) => v === '')).toBe(true);
  expect(Object.values(described).every((v) => v !== '')).toBe(true);
}

describe('OPI local helpers', () => {
  it('GetTasksFilterStructure → taskFilter() / taskFilterStructure.template()', () => {
    checkTemplate(taskFilterStructure, [
      'ID',
      'RESPONSIBLE_ID',
      'CREATED_BY',
      'REAL_STATUS',
      'DEADLINE',
      'GROUP_ID',
      'TAG',
    ]);
    // OPI's AsMap variant is the plain object itself; the builder keeps 0/false values.
    const params: TasksTaskListParams = { filter: taskFilter({ RESPONSIBLE_ID: 1, '!REAL_STATUS': 5, GROUP_ID: 0 }) };
    expect(params.filter).toEqual({ RESPONSIBLE_ID: 1, '!REAL_STATUS': 5, GROUP_ID: 0 });
  });

  it('GetCommentStructure → taskComment() / taskCommentStructure.template()', () => {
    checkTemplate(taskCommentStructure, ['POST_MESSAGE', 'AUTHOR_ID', 'POST_DATE', 'UF_FORUM_MESSAGE_DOC']);
    const params: TaskCommentitemAddParams = {
      TASKID: 1,
      FIELDS: { POST_MESSAGE: 'Done', ...taskComment({ AUTHOR_ID: 5 }) },
    };
    expect(params.FIELDS).toEqual({ POST_MESSAGE: 'Done', AUTHOR_ID: 5 });
  });

  it('GetChatStructure → chat() creates the described chat', async () => {
    checkTemplate(chatStructure, [
      'TYPE',
      'TITLE',
      'DESCRIPTION',
      'COLOR',
      'MESSAGE',
      'USERS',
      'AVATAR',
      'ENTITY_TYPE',
      'ENTITY_ID',
    ]);
    const id = await b24.im.chat.add(chat({ TITLE: 'From template', COLOR: 'LIME', USERS: [5], DESCRIPTION: '' }));
    expect(await b24.im.dialog.get({ DIALOG_ID: `chat${id}` })).toMatchObject({
      name: 'From template',
      color: '#58cc47',
      description: '',
    });
  });

  it('GetPictureBlock → pictureBlock() reaches the message ATTACH', async () => {
    const id = await b24.im.chat.add(chat({ TITLE: 'Blocks' }));
    const block = pictureBlock('Photo', 'https://example.com/p.jpg');
    await b24.im.message.add({ DIALOG_ID: `chat${id}`, MESSAGE: 'pic', ATTACH: [block] });
    const [m] = (await b24.im.dialog.messages.get({ DIALOG_ID: `chat${id}` })).messages;
    expect(m!.params).toEqual({
      ATTACH: [
        { ID: `${m!.id}0`, COLOR: '', BLOCKS: [{ IMAGE: { NAME: 'Photo', LINK: 'https://example.com/p.jpg' } }] },
      ],
    });
  });

  it('GetFileBlock → fileBlock() reaches the notification ATTACH', async () => {
    const block = fileBlock('Invoice.pdf', 'https://example.com/i.pdf');
    const nid = await b24.im.notify.personal.add({ USER_ID: 5, MESSAGE: 'invoice', ATTACH: [block] });
    const row = em.db.prepare('SELECT ATTACH FROM im_notify WHERE ID = ?').get(nid) as { ATTACH: string };
    expect(JSON.parse(row.ATTACH)).toEqual([{ FILE: { NAME: 'Invoice.pdf', LINK: 'https://example.com/i.pdf' } }]);
  });

  it('GetUserFilterStructure → userFilter() / userFilterStructure.template()', () => {
    checkTemplate(userFilterStructure, [
      'ACTIVE',
      'NAME',
      'LAST_NAME',
      'EMAIL',
      'WORK_POSITION',
      'UF_DEPARTMENT',
      'USER_TYPE',
    ]);
    expect(userFilter({ ACTIVE: false, '%LAST_NAME': 'Sm' })).toEqual({ ACTIVE: false, '%LAST_NAME': 'Sm' });
  });

  it('GetLeadFilterStructure → leadFilter() selects the matching leads', async () => {
    checkTemplate(leadFilterStructure, ['ID', 'TITLE', 'STATUS_ID', 'SOURCE_ID', 'ASSIGNED_BY_ID', 'DATE_CREATE']);
    await b24.crm.lead.add({ fields: { TITLE: 'hot', STATUS_ID: 'IN_PROCESS' } });
    await b24.crm.lead.add({ fields: { TITLE: 'cold', STATUS_ID: 'NEW' } });
    const rows = await b24.crm.lead.list({ filter: leadFilter({ '!STATUS_ID': 'NEW' }), select: ['TITLE'] });
    expect(rows.map((r) => r.TITLE)).toEqual(['hot']);
  });

  it('GetDealsFilterStructure → dealFilter() selects the matching deals', async () => {
    checkTemplate(dealFilterStructure, ['ID', 'TITLE', 'STAGE_ID', 'CATEGORY_ID', 'OPPORTUNITY', 'CLOSED']);
    await b24.crm.deal.add({ fields: { TITLE: 'small', OPPORTUNITY: 10 } });
    await b24.crm.deal.add({ fields: { TITLE: 'big', OPPORTUNITY: 5000 } });
    const rows = await b24.crm.deal.list({ filter: dealFilter({ '>=OPPORTUNITY': 1000 }), select: ['TITLE'] });
    expect(rows.map((r) => r.TITLE)).toEqual(['big']);
  });

  it('GetCalednarCustomSettingsStructure → calendarSettings() / calendarSettingsStructure.template()', () => {
    checkTemplate(calendarSettingsStructure, [
      'view',
      'meetSection',
      'crmSection',
      'showDeclined',
      'denyBusyInvitation',
      'defaultReminders',
    ]);
    const params: CalendarUserSettingsSetParams = { settings: calendarSettings({ view: 'week', showDeclined: false }) };
    expect(params.settings).toEqual({ view: 'week', showDeclined: false });
  });

  it('GetCalendarStructure → calendarSection() / calendarSectionStructure.template()', () => {
    checkTemplate(calendarSectionStructure, [
      'type',
      'ownerId',
      'name',
      'description',
      'color',
      'text_color',
      'export',
    ]);
    const section = calendarSection({ type: 'user', ownerId: 1, export: { ALLOW: false, SET: 'all' } });
    const params: CalendarSectionAddParams = { type: 'user', ownerId: 1, name: 'Team', ...section };
    expect(params).toEqual({ type: 'user', ownerId: 1, name: 'Team', export: { ALLOW: false, SET: 'all' } });
  });

  it('GetCalendarEventsStructure → calendarEvent() / calendarEventStructure.template()', () => {
    checkTemplate(calendarEventStructure, [
      'type',
      'ownerId',
      'name',
      'from',
      'to',
      'section',
      'skip_time',
      'attendees',
      'remind',
      'rrule',
    ]);
    const event = calendarEvent({ skip_time: 'N', remind: [{ type: 'min', count: 0 }] });
    const params: CalendarEventAddParams = {
      type: 'user',
      ownerId: 1,
      name: 'Standup',
      from: '2026-01-01 10:00',
      to: '2026-01-01 10:15',
      section: 1,
      ...event,
    };
    expect(params.remind).toEqual([{ type: 'min', count: 0 }]);
  });

  it('GetCalendarEventsFilterStructure → calendarEventQuery() / calendarEventQueryStructure.template()', () => {
    checkTemplate(calendarEventQueryStructure, ['type', 'ownerId', 'from', 'to', 'section']);
    const params: CalendarEventGetParams = {
      type: 'user',
      ownerId: 1,
      ...calendarEventQuery({ from: '2026-01-01', section: [1, 2] }),
    };
    expect(params).toEqual({ type: 'user', ownerId: 1, from: '2026-01-01', section: [1, 2] });
  });
});
