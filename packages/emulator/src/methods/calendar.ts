/**
 * Calendar (scope `calendar`): sections, events, meetings, busy times and settings. The store
 * (calendar/store.ts) keeps the tables, their SQL, the time model and wire shapes;
 * calendar/methods.ts registers the methods over it.
 */
import { registerCalendarMethods } from './calendar/methods.js';
import { createCalendarStore } from './calendar/store.js';
import type { Domain } from './types.js';

export { displayFormat, parseInstant, zoneOffset } from './calendar/store.js';

export const calendarDomain: Domain = (api) => registerCalendarMethods(api, createCalendarStore(api.portal));
