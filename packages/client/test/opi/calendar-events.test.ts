/**
 * OPI region CalendarEventsManagement: each function performed with b24kit against the emulator,
 * asserting the stored event and meeting state.
 */
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
let guest: B24Client;
let section: string;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
  guest = createClient({ webhook: em.createWebhook({ userId: 2 }), retry: false });
  section = (await b24.calendar.section.get(mine))[0]!.ID!;
});
afterAll(async () => {
  await b24?.close();
  await guest?.close();
  await em?.close();
});

const mine = { type: 'user', ownerId: 1 } as const;
const event = (name: string, extra: Record<string, unknown> = {}) =>
  b24.calendar.event.add({ ...mine, section, name, from: '2025-09-01 10:00', to: '2025-09-01 11:00', ...extra });

describe('OPI CalendarEventsManagement', () => {
  it('CreateCalendarEvent → calendar.event.add', async () => {
    const id = await event('Kick-off', {
      description: 'Project start',
      timezone_from: 'Europe/Berlin',
      timezone_to: 'Europe/Berlin',
      importance: 'high',
      private_event: 'N',
      location: 'Room 5',
      remind: [{ type: 'min', count: 15 }],
      rrule: { FREQ: 'DAILY', COUNT: 3, INTERVAL: 1 },
    });
    expect(typeof id).toBe('number');
    const e = await b24.calendar.event.getbyid({ id });
    expect(e).toMatchObject({
      NAME: 'Kick-off',
      DESCRIPTION: 'Project start',
      TZ_FROM: 'Europe/Berlin',
      DATE_FROM: '09/01/2025 10:00:00 am',
      IMPORTANCE: 'high',
      LOCATION: 'Room 5',
    });
    expect(e.DATE_FROM_TS_UTC).toBe(String(Date.UTC(2025, 8, 1, 8, 0) / 1000));
    expect(e.RRULE).toMatchObject({ FREQ: 'DAILY', COUNT: 3 });
  });

  it('UpdateCalendarEvent → calendar.event.update', async () => {
    const id = await event('Draft');
    expect(
      await b24.calendar.event.update({ id, ...mine, name: 'Final', to: '2025-09-01 12:30', description: '' }),
    ).toBe(id);
    const e = await b24.calendar.event.getbyid({ id });
    expect(e).toMatchObject({ NAME: 'Final', DATE_TO: '09/01/2025 12:30:00 pm', DT_LENGTH: 9000, DESCRIPTION: '' });
  });

  it('GetCalendarEvent → calendar.event.getbyid', async () => {
    const id = await event('Lookup');
    const e = await b24.calendar.event.getbyid({ id });
    expect(e).toMatchObject({ ID: String(id), NAME: 'Lookup', SECTION_ID: section, CAL_TYPE: 'user', OWNER_ID: '1' });
  });

  it('GetCalendarEvents → calendar.event.get (range and section filter)', async () => {
    const id = await b24.calendar.event.add({
      ...mine,
      section,
      name: 'October review',
      from: '2025-10-15 09:00',
      to: '2025-10-15 10:00',
    });
    const october = await b24.calendar.event.get({ ...mine, from: '2025-10-01', to: '2025-10-31' });
    expect(october.map((e) => e.ID)).toEqual([String(id)]);
    expect(await b24.calendar.event.get({ ...mine, from: '2025-10-16', to: '2025-10-31' })).toEqual([]);
    const other = await b24.calendar.section.add({ ...mine, name: 'Elsewhere' });
    expect(await b24.calendar.event.get({ ...mine, from: '2025-10-01', to: '2025-10-31', section: [other] })).toEqual(
      [],
    );
  });

  it('DeleteCalendarEvent → calendar.event.delete', async () => {
    const id = await event('Cancelled');
    expect(await b24.calendar.event.delete({ id })).toBe(true);
    expect(
      (await b24.calendar.event.get({ ...mine, from: '2025-09-01', to: '2025-09-01' })).map((e) => e.ID),
    ).not.toContain(String(id));
    await expect(b24.calendar.event.delete({ id })).rejects.toThrow();
  });

  it('GetUserParticipationStatus → calendar.meeting.status.get', async () => {
    const id = await event('Meeting', { is_meeting: 'Y', attendees: [1, 2] });
    expect(await b24.calendar.meeting.status.get({ eventId: id })).toBe('H');
    expect(await guest.calendar.meeting.status.get({ eventId: id })).toBe('Q');
  });

  it('SetUserParticipationStatus → calendar.meeting.status.set', async () => {
    const id = await event('Invite', { is_meeting: 'Y', attendees: [2] });
    expect(await guest.calendar.meeting.status.set({ eventId: id, status: 'Y' })).toBe(true);
    expect(await guest.calendar.meeting.status.get({ eventId: id })).toBe('Y');
    const seenByHost = await b24.calendar.event.getbyid({ id });
    expect(seenByHost.ATTENDEE_LIST).toEqual(expect.arrayContaining([expect.objectContaining({ id: 2, status: 'Y' })]));
    await guest.calendar.meeting.status.set({ eventId: id, status: 'N' });
    expect(await guest.calendar.meeting.status.get({ eventId: id })).toBe('N');
    await expect(guest.calendar.meeting.status.set({ eventId: id, status: 'perhaps' })).rejects.toThrow(/status/);
  });
});
