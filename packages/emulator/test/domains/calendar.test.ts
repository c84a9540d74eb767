import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayFormat, parseInstant, zoneOffset } from '../../src/methods/calendar.js';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, start } from '../helpers.js';

let emu: Emulator;
let url: string;
beforeAll(async () => {
  emu = await start();
  url = emu.webhookUrl;
});
afterAll(() => emu?.close());

/**
 * Calls, expects success and (where the docs have one) the documented response shape.
 * `optional` lists example paths that depend on the data (a recurrence rule, CRM links, a
 * group's default section): an event without them sends `""`/`false` there.
 */
async function ok(
  method: string,
  params: Record<string, unknown> = {},
  base = url,
  optional: string[] = [],
): Promise<any> {
  const r = await call(base, method, params);
  expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(200);
  const example = documented(method)?.responseExample;
  if (example !== undefined && example !== null) {
    const diffs = shapeDifferences(r.body, example, { optional }).filter(
      (d) => !optional.some((o) => d.startsWith(`${o}:`)),
    );
    expect(diffs, method).toEqual([]);
  }
  return r.body.result;
}
const plainEvent = ['result.RRULE', 'result.UF_CRM_CAL_EVENT'];
// The list examples of calendar.event.get and .get.nearest show a recurring event with CRM links.
const plainEvents = ['result.0.RRULE', 'result.0.UF_CRM_CAL_EVENT'];
async function fails(method: string, params: Record<string, unknown>, text: string, base = url) {
  const r = await call(base, method, params);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error).toBe('');
  expect(r.body.error_description).toContain(text);
}
const me = { type: 'user', ownerId: 1 };
let section: number;

describe('time handling', () => {
  it('zone offsets, wall-time parsing and the display format', () => {
    expect(zoneOffset('UTC', 0)).toBe(0);
    expect(zoneOffset('Europe/Riga', Date.UTC(2024, 11, 11))).toBe(7200);
    expect(zoneOffset('Europe/Riga', Date.UTC(2024, 6, 1))).toBe(10800);
    expect(parseInstant('2024-12-11 17:59:00', 'Europe/Riga')).toBe(Date.UTC(2024, 11, 11, 15, 59));
    expect(parseInstant('2024-12-11T17:59:00+02:00', 'UTC')).toBe(Date.UTC(2024, 11, 11, 15, 59));
    expect(parseInstant('11.12.2024 17:59', 'UTC')).toBe(Date.UTC(2024, 11, 11, 17, 59));
    expect(parseInstant('12/11/2024 05:59:00 pm', 'UTC')).toBe(Date.UTC(2024, 11, 11, 17, 59));
    expect(parseInstant('2024-13-01', 'UTC')).toBeUndefined();
    expect(displayFormat(Date.UTC(2024, 11, 11, 15, 59), 'Europe/Riga', false)).toBe('12/11/2024 05:59:00 pm');
    expect(displayFormat(Date.UTC(2024, 11, 11, 0, 0), 'UTC', false)).toBe('12/11/2024 12:00:00 am');
    expect(displayFormat(Date.UTC(2024, 11, 11), 'UTC', true)).toBe('12/11/2024');
  });
});

describe('calendar.section.*', () => {
  it('get makes the default section; add, update, delete', async () => {
    const initial = await ok('calendar.section.get', me);
    expect(initial).toHaveLength(1);
    expect(initial[0]).toMatchObject({ NAME: 'My calendar', CAL_TYPE: 'user', OWNER_ID: '1' });
    section = Number(initial[0].ID);
    const id = await ok('calendar.section.add', {
      ...me,
      name: 'Team',
      description: 'Shared',
      color: '#ff0000',
      export: { ALLOW: 'N', SET: '3_9' },
    });
    expect(typeof id).toBe('number');
    expect(await ok('calendar.section.update', { ...me, id, name: 'Team B', text_color: '#000000' })).toBe(id);
    const all = await ok('calendar.section.get', me);
    expect(all.find((s: any) => s.ID === String(id))).toMatchObject({
      NAME: 'Team B',
      DESCRIPTION: 'Shared',
      COLOR: '#ff0000',
      TEXT_COLOR: '#000000',
      EXPORT: { ALLOW: false, SET: '3_9' },
    });
    expect(await ok('calendar.section.delete', { ...me, id })).toBe(true);
    expect((await ok('calendar.section.get', me)).map((s: any) => s.ID)).toEqual([String(section)]);
  });

  it('errors: missing type/ownerId/name/id, foreign calendars', async () => {
    await fails('calendar.section.get', { ownerId: 1 }, 'The required parameter "type"');
    await fails('calendar.section.add', { type: 'user', name: 'x' }, 'The required parameter "ownerId"');
    await fails('calendar.section.add', { ...me }, 'Invalid value for the "name" parameter');
    await fails('calendar.section.update', { ...me, name: 'x' }, 'Section ID is not set');
    await fails(
      'calendar.section.add',
      { type: 'user', ownerId: 1, name: 'x' },
      'Access denied',
      emu.createWebhook({ userId: 4 }),
    );
    await fails(
      'calendar.section.delete',
      { type: 'user', ownerId: 4, id: section },
      'Access denied',
      emu.createWebhook({ userId: 4 }),
    );
  });
});

describe('calendar.event.*', () => {
  it('add → getbyid has the documented shape and the stored times', async () => {
    const id = await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Planning',
      description: 'Quarterly',
      from: '2024-12-11 17:59:00',
      to: '2024-12-11 18:59:00',
      timezone_from: 'Europe/Riga',
      timezone_to: 'Europe/Riga',
      importance: 'high',
      location: 'Room 1',
      remind: [{ type: 'min', count: 50 }],
      color: '#9dcf00',
      rrule: { FREQ: 'WEEKLY', INTERVAL: 1, BYDAY: ['MO', 'WE'], UNTIL: '2024-12-24' },
      is_meeting: 'Y',
      attendees: [1, 2],
      meeting: { notify: true, allow_invite: false },
      crm_fields: ['CO_1', 'L_5'],
    });
    const e = await ok('calendar.event.getbyid', { id });
    expect(e).toMatchObject({
      ID: String(id),
      NAME: 'Planning',
      DATE_FROM: '12/11/2024 05:59:00 pm',
      DATE_TO: '12/11/2024 06:59:00 pm',
      TZ_FROM: 'Europe/Riga',
      TZ_OFFSET_FROM: '7200',
      DATE_FROM_TS_UTC: String(Date.UTC(2024, 11, 11, 15, 59) / 1000),
      DT_LENGTH: 3600,
      IMPORTANCE: 'high',
      ACCESSIBILITY: 'busy',
      IS_MEETING: true,
      MEETING_STATUS: 'H',
      MEETING: { NOTIFY: true, ALLOW_INVITE: false },
      REMIND: [{ type: 'min', count: 50 }],
      RRULE: { FREQ: 'WEEKLY', INTERVAL: 1, BYDAY: { MO: 'MO', WE: 'WE' }, UNTIL: '12/24/2024' },
      ATTENDEES_CODES: ['U1', 'U2'],
      ATTENDEE_LIST: [
        { id: 1, status: 'H' },
        { id: 2, status: 'Q' },
      ],
      UF_CRM_CAL_EVENT: ['CO_1', 'L_5'],
      SECTION_ID: String(section),
    });
  });

  it('all-day events, update, get by range and section, delete', async () => {
    const id = await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Offsite',
      from: '2025-03-03',
      to: '2025-03-04',
      skip_time: 'Y',
      accessibility: 'absent',
    });
    const e = await ok('calendar.event.getbyid', { id }, url, plainEvent);
    expect(e).toMatchObject({
      DATE_FROM: '03/03/2025',
      DATE_TO: '03/04/2025',
      DT_SKIP_TIME: 'Y',
      DT_LENGTH: 2 * 86400,
      IS_MEETING: false,
    });
    expect(
      await ok('calendar.event.update', { id, ...me, name: 'Offsite (moved)', from: '2025-03-10', to: '2025-03-10' }),
    ).toBe(id);
    const moved = await ok('calendar.event.getbyid', { id }, url, plainEvent);
    expect(moved).toMatchObject({
      NAME: 'Offsite (moved)',
      DATE_FROM: '03/10/2025',
      VERSION: '2',
      ACCESSIBILITY: 'absent',
    });
    const inMarch = await ok('calendar.event.get', { ...me, from: '2025-03-01', to: '2025-03-31' }, url, plainEvents);
    expect(inMarch.map((x: any) => x.ID)).toEqual([String(id)]);
    expect(await ok('calendar.event.get', { ...me, from: '2025-03-01', to: '2025-03-09' })).toEqual([]);
    const other = await ok('calendar.section.add', { ...me, name: 'Other' });
    expect(await ok('calendar.event.get', { ...me, from: '2025-03-01', to: '2025-03-31', section: [other] })).toEqual(
      [],
    );
    expect(await ok('calendar.event.delete', { id })).toBe(true);
    await fails('calendar.event.getbyid', { id }, 'Access denied');
    await fails('calendar.event.delete', {}, 'Event id not specified');
  });

  it('add errors: name, dates, section', async () => {
    await fails(
      'calendar.event.add',
      { ...me, section, from: '2025-01-01', to: '2025-01-01' },
      'The required parameter "name"',
    );
    await fails('calendar.event.add', { ...me, section, name: 'x', to: '2025-01-01' }, 'The required parameter "from"');
    await fails(
      'calendar.event.add',
      { ...me, section, name: 'x', from: 'tomorrow', to: '2025-01-01' },
      'Invalid value for the parameter "from"',
    );
    await fails(
      'calendar.event.add',
      { ...me, section: 99999, name: 'x', from: '2025-01-01', to: '2025-01-01' },
      'invalid calendar section ID',
    );
    const auto = await ok('calendar.event.add', {
      ...me,
      auto_detect_section: 'Y',
      name: 'auto',
      from: '2025-01-01 10:00',
      to: '2025-01-01 11:00',
    });
    expect((await ok('calendar.event.getbyid', { id: auto }, url, plainEvent)).SECTION_ID).toBe(String(section));
  });

  it('get.nearest lists upcoming events of the current user, skipping declined ones', async () => {
    const t = emu.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '+00:00');
    const soon = await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Soon',
      from: iso(t + 3600_000),
      to: iso(t + 7200_000),
    });
    await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Far',
      from: iso(t + 90 * 86400_000),
      to: iso(t + 90 * 86400_000 + 3600_000),
    });
    const nearest = await ok('calendar.event.get.nearest', { days: 30 }, url, plainEvents);
    expect(nearest.map((x: any) => x.NAME)).toContain('Soon');
    expect(nearest.map((x: any) => x.NAME)).not.toContain('Far');
    expect(await ok('calendar.event.get.nearest', { days: 30, maxEventsCount: 1 }, url, plainEvents)).toHaveLength(1);
    expect(nearest.find((x: any) => x.ID === String(soon))).toBeDefined();
  });
});

describe('meetings and busy times', () => {
  it('guests see the meeting, answer it, and are busy unless they decline', async () => {
    const guest = emu.createWebhook({ userId: 2 });
    const id = await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Sync',
      from: '2025-05-05 10:00',
      to: '2025-05-05 11:00',
      attendees: [2, 3],
    });
    expect(await ok('calendar.meeting.status.get', { eventId: id })).toBe('H');
    expect(await ok('calendar.meeting.status.get', { eventId: id }, guest)).toBe('Q');
    const guestView = await ok(
      'calendar.event.get',
      { type: 'user', ownerId: 2, from: '2025-05-05', to: '2025-05-05' },
      guest,
      plainEvents,
    );
    expect(guestView.map((x: any) => [x.ID, x.MEETING_STATUS])).toEqual([[String(id), 'Q']]);

    expect(await ok('calendar.meeting.status.set', { eventId: id, status: 'Y' }, guest)).toBe(true);
    expect(await ok('calendar.meeting.status.get', { eventId: id }, guest)).toBe('Y');
    // The docs' example lists users 1, 2 and 34, and its second user's rows are placeholders ({"ID": 1}).
    const busyShape = ['result.2.0.ID', 'result.34'];
    const busy = await ok(
      'calendar.accessibility.get',
      { users: [1, 2, 3, 4], from: '2025-05-05', to: '2025-05-05' },
      url,
      busyShape,
    );
    expect(Object.keys(busy).sort()).toEqual(['1', '2', '3', '4']);
    expect(busy['2']).toEqual([
      expect.objectContaining({
        ID: String(id),
        NAME: 'Sync',
        DATE_FROM: '05/05/2025 10:00:00 am',
        ACCESSIBILITY: 'busy',
      }),
    ]);
    expect(busy['4']).toEqual([]);

    await ok('calendar.meeting.status.set', { eventId: id, status: 'N' }, guest);
    const after = await ok('calendar.accessibility.get', { users: [2], from: '2025-05-05', to: '2025-05-05' }, url, [
      'result.1',
      ...busyShape,
    ]);
    expect(after['2']).toEqual([]);

    await fails(
      'calendar.meeting.status.set',
      { eventId: id, status: 'maybe' },
      'Invalid value for the parameter "status"',
      guest,
    );
    await fails('calendar.meeting.status.set', { eventId: id }, 'The required parameter "status"', guest);
    await fails(
      'calendar.meeting.status.get',
      { eventId: id },
      'An error occurred while retrieving the status',
      emu.createWebhook({ userId: 9 }),
    );
    await fails('calendar.accessibility.get', { users: [1], to: '2025-05-05' }, 'The required parameter "from"');
  });

  it('update replaces attendees but keeps known answers', async () => {
    const id = await ok('calendar.event.add', {
      ...me,
      section,
      name: 'Review',
      from: '2025-06-01 09:00',
      to: '2025-06-01 10:00',
      attendees: [2, 3],
    });
    await ok('calendar.meeting.status.set', { eventId: id, status: 'Y' }, emu.createWebhook({ userId: 2 }));
    await ok('calendar.event.update', { id, ...me, attendees: [2, 5] });
    const e = await ok('calendar.event.getbyid', { id }, url, plainEvent);
    expect(e.ATTENDEE_LIST.map((a: any) => [a.id, a.status])).toEqual([
      [1, 'H'],
      [2, 'Y'],
      [5, 'Q'],
    ]);
  });
});

describe('settings', () => {
  it('calendar.settings.get; user settings get/set persist known keys', async () => {
    expect((await ok('calendar.settings.get')).week_start).toBe('MO');
    const before = await ok('calendar.user.settings.get', {}, url, ['result.defaultSections.group6']);
    expect(before.view).toBe('month');
    expect(await ok('calendar.user.settings.set', { settings: { view: 'week', showDeclined: true, bogus: 1 } })).toBe(
      true,
    );
    const after = await ok('calendar.user.settings.get', {}, url, ['result.defaultSections.group6']);
    expect(after).toMatchObject({ view: 'week', showDeclined: true });
    expect(after).not.toHaveProperty('bogus');
    await fails('calendar.user.settings.set', {}, 'The required parameter "settings"');
  });
});

describe('calendar events for applications', () => {
  it('section and entry changes reach an offline binding with the id', async () => {
    const app = emu.registerApp({ scopes: 'calendar' });
    await emu.install(app);
    const t = emu.issueTokens(app).access_token;
    const rest = `${emu.baseUrl}/rest/`;
    for (const event of [
      'OnCalendarSectionAdd',
      'OnCalendarEntryAdd',
      'OnCalendarEntryUpdate',
      'OnCalendarEntryDelete',
      'OnCalendarSectionDelete',
    ]) {
      expect((await call(rest, 'event.bind', { auth: t, event, event_type: 'offline' })).body.result).toBe(true);
    }
    const sid = await ok('calendar.section.add', { ...me, name: 'Evented' });
    const eid = await ok('calendar.event.add', {
      ...me,
      section: sid,
      name: 'E',
      from: '2025-07-01 10:00',
      to: '2025-07-01 11:00',
    });
    await ok('calendar.event.update', { id: eid, ...me, name: 'E2' });
    await ok('calendar.event.delete', { id: eid });
    await ok('calendar.section.delete', { ...me, id: sid });
    const got = await call(rest, 'event.offline.get', { auth: t });
    const seen = got.body.result.events.map((e: any) => [e.EVENT_NAME, e.EVENT_DATA.id]);
    expect(seen).toEqual([
      ['ONCALENDARSECTIONADD', String(sid)],
      ['ONCALENDARENTRYADD', String(eid)],
      ['ONCALENDARENTRYUPDATE', String(eid)],
      ['ONCALENDARENTRYDELETE', String(eid)],
      ['ONCALENDARSECTIONDELETE', String(sid)],
    ]);
  });
});
