/**
 * OPI region CalendarsManagement: each function performed with b24kit against the emulator,
 * asserting the stored effect.
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

const mine = { type: 'user', ownerId: 1 } as const;
const sectionNamed = async (name: string) => (await b24.calendar.section.get(mine)).find((s) => s.NAME === name);

describe('OPI CalendarsManagement', () => {
  it('GetCalendarList → calendar.section.get', async () => {
    const list = await b24.calendar.section.get(mine);
    expect(list.map((s) => s.NAME)).toContain('My calendar');
    expect(list.every((s) => s.CAL_TYPE === 'user' && s.OWNER_ID === '1')).toBe(true);
  });

  it('CreateCalendar → calendar.section.add', async () => {
    const id = await b24.calendar.section.add({
      ...mine,
      name: 'Projects',
      description: 'Deadlines',
      color: '#2fc6f6',
      text_color: '#ffffff',
      export: { ALLOW: false, SET: '3_9' },
    });
    expect(typeof id).toBe('number');
    expect(await sectionNamed('Projects')).toMatchObject({
      ID: String(id),
      DESCRIPTION: 'Deadlines',
      COLOR: '#2fc6f6',
      EXPORT: { ALLOW: false, SET: '3_9' },
    });
  });

  it('UpdateCalendar → calendar.section.update', async () => {
    const id = await b24.calendar.section.add({ ...mine, name: 'Before' });
    // `false` is sent, not dropped: export is switched off.
    expect(
      await b24.calendar.section.update({
        ...mine,
        id: String(id),
        name: 'After',
        description: '',
        export: { ALLOW: false },
      }),
    ).toBe(id);
    expect(await sectionNamed('After')).toMatchObject({ ID: String(id), DESCRIPTION: '', EXPORT: { ALLOW: false } });
    expect(await sectionNamed('Before')).toBeUndefined();
  });

  it('DeleteCalendar → calendar.section.delete', async () => {
    const id = await b24.calendar.section.add({ ...mine, name: 'Temporary' });
    const eventId = await b24.calendar.event.add({
      ...mine,
      section: id,
      name: 'In the section',
      from: '2025-02-01 10:00',
      to: '2025-02-01 11:00',
    });
    expect(await b24.calendar.section.delete({ ...mine, id })).toBe(true);
    expect(await sectionNamed('Temporary')).toBeUndefined();
    // Its events go with it.
    await expect(b24.calendar.event.getbyid({ id: eventId })).rejects.toThrow();
  });

  it('GetUserBusy → calendar.accessibility.get', async () => {
    const section = (await sectionNamed('My calendar'))!.ID!;
    await b24.calendar.event.add({
      ...mine,
      section,
      name: 'Busy hour',
      from: '2025-04-14 13:00',
      to: '2025-04-14 14:00',
    });
    await b24.calendar.event.add({
      ...mine,
      section,
      name: 'Free slot',
      from: '2025-04-14 15:00',
      to: '2025-04-14 16:00',
      accessibility: 'free',
    });
    const busy = await b24.calendar.accessibility.get({ users: [1, 2], from: '2025-04-14', to: '2025-04-14' });
    expect(busy['1']?.map((b) => b['NAME'])).toEqual(['Busy hour']);
    expect(busy['2']).toEqual([]);
    // OPI also takes one id; the typed client takes it as a one-element list.
    expect(
      Object.keys(await b24.calendar.accessibility.get({ users: [1], from: '2025-04-15', to: '2025-04-15' })),
    ).toEqual(['1']);
  });

  it('GetCustomCalendarSettings → calendar.user.settings.get', async () => {
    const s = await b24.calendar.user.settings.get();
    expect(s).toMatchObject({ view: 'month', showDeclined: false });
    expect(s.meetSection).toBe((await sectionNamed('My calendar'))!.ID);
  });

  it('SetCustomCalendarSettings → calendar.user.settings.set', async () => {
    // `false` and "N" are values and must arrive.
    expect(
      await b24.calendar.user.settings.set({
        settings: { view: 'week', showDeclined: true, denyBusyInvitation: false, showTasks: 'N' },
      }),
    ).toBe(true);
    expect(await b24.calendar.user.settings.get()).toMatchObject({
      view: 'week',
      showDeclined: true,
      denyBusyInvitation: false,
      showTasks: 'N',
    });
  });

  it('GetCalendarSettingsStructure → calendar.settings.get', async () => {
    const s = await b24.calendar.settings.get();
    expect(s).toMatchObject({ week_start: 'MO', week_holidays: ['SA', 'SU'] });
    expect(typeof s.work_time_start).toBe('string');
  });
});
