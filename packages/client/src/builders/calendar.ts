/**
 * Calendar structures: a section (OPI GetCalendarStructure, calendar.section.add), an event
 * (GetCalendarEventsStructure, calendar.event.add), the event query (GetCalendarEventsFilterStructure,
 * calendar.event.get) and user settings (GetCalednarCustomSettingsStructure, calendar.user.settings.set).
 */
import type {
  CalendarEventAddParams,
  CalendarEventGetParams,
  CalendarSectionAddParams,
  CalendarUserSettingsSetParams,
} from '../generated/calendar/types.js';
import { defineStructure } from './structure.js';

const sectionFields = {
  type: 'Calendar type: user, group, company_calendar, ...',
  ownerId: 'Owner id (user or group)',
  name: 'Section name (required)',
  description: 'Description',
  color: 'Colour, #RRGGBB',
  text_color: 'Text colour, #RRGGBB',
  export: 'Export: {ALLOW: boolean, SET: 3_9 | 6_12 | all}',
} as const;
/** The parameters of calendar.section.add, all optional here (type and ownerId usually come from elsewhere). */
export type CalendarSection = Partial<CalendarSectionAddParams>;

const eventFields = {
  type: 'Calendar type',
  ownerId: 'Owner id',
  name: 'Event name (required)',
  from: 'Start, date or date-time',
  to: 'End, date or date-time',
  from_ts: 'Start, Unix time',
  to_ts: 'End, Unix time',
  section: 'Section id',
  auto_detect_section: 'Pick the default section: Y or N',
  skip_time: 'All-day event: Y or N',
  timezone_from: 'Time zone of the start',
  timezone_to: 'Time zone of the end',
  description: 'Description',
  color: 'Colour, #RRGGBB',
  text_color: 'Text colour, #RRGGBB',
  accessibility: 'busy, absent, quest or free',
  importance: 'high, normal or low',
  private_event: 'Private: Y or N',
  rrule: 'Recurrence: {FREQ, COUNT, INTERVAL, BYDAY, UNTIL}',
  is_meeting: 'Meeting with attendees: Y or N',
  location: 'Location',
  remind: 'Reminders: [{type: min|hour|day, count}]',
  attendees: 'Attendee user ids',
  host: 'Host user id',
  meeting: 'Meeting options: {notify, reinvite, allow_invite, hide_guests}',
  crm_fields: 'CRM bindings',
} as const;
export type CalendarEvent = Partial<CalendarEventAddParams>;

const eventQueryFields = {
  type: 'Calendar type',
  ownerId: 'Owner id',
  from: 'Period start',
  to: 'Period end',
  section: 'Section ids',
} as const;
export type CalendarEventQuery = Partial<CalendarEventGetParams>;

const settingsFields = {
  view: 'Default view: day, week, month, list',
  meetSection: 'Section for invitations',
  crmSection: 'Section for CRM events',
  showDeclined: 'Show declined events',
  denyBusyInvitation: 'Refuse invitations when busy',
  collapseOffHours: 'Collapse off hours: Y or N',
  showWeekNumbers: 'Week numbers: Y or N',
  showTasks: 'Show tasks: Y or N',
  syncTasks: 'Sync tasks: Y or N',
  showCompletedTasks: 'Show completed tasks: Y or N',
  lastUsedSection: 'Last used section',
  sendFromEmail: 'Sender e-mail for invitations',
  defaultSections: 'Default sections by calendar type',
  syncPeriodPast: 'Months to sync backwards',
  syncPeriodFuture: 'Months to sync forwards',
  defaultReminders: 'Default reminders: {fullDay: [...], withTime: [...]}',
} as const;
export type CalendarSettings = CalendarUserSettingsSetParams['settings'];

export const calendarSectionStructure = defineStructure<keyof typeof sectionFields, CalendarSection>({
  name: 'calendar section',
  fields: sectionFields,
});
export const calendarEventStructure = defineStructure<keyof typeof eventFields, CalendarEvent>({
  name: 'calendar event',
  fields: eventFields,
});
export const calendarEventQueryStructure = defineStructure<keyof typeof eventQueryFields, CalendarEventQuery>({
  name: 'calendar event filter',
  fields: eventQueryFields,
});
export const calendarSettingsStructure = defineStructure<keyof typeof settingsFields, CalendarSettings>({
  name: 'calendar settings',
  fields: settingsFields,
});

/** Checked parameters for calendar.section.add / update. */
export const calendarSection = (v: CalendarSection): CalendarSection => calendarSectionStructure.build(v);
/** Checked parameters for calendar.event.add / update. */
export const calendarEvent = (v: CalendarEvent): CalendarEvent => calendarEventStructure.build(v);
/** Checked parameters for calendar.event.get. */
export const calendarEventQuery = (v: CalendarEventQuery): CalendarEventQuery => calendarEventQueryStructure.build(v);
/** Checked `settings` for calendar.user.settings.set. */
export const calendarSettings = (v: CalendarSettings): CalendarSettings => calendarSettingsStructure.build(v);
