/**
 * Domains served by default. To add one: write src/methods/<domain>.ts exporting a `Domain`
 * and append it here. System methods, batch and events are wired by the core (emulator.ts)
 * because they need its internals.
 */
import { calendarDomain } from './calendar.js';
import { crmDomain } from './crm.js';
import { diskDomain } from './disk.js';
import { imDomain } from './im.js';
import { feedDomain } from './feed.js';
import { tasksDomain } from './tasks.js';
import { timemanDomain } from './timeman.js';
import type { Domain } from './types.js';
import { usersDomain } from './users.js';

export const defaultDomains: readonly Domain[] = [
  crmDomain,
  diskDomain,
  imDomain,
  tasksDomain,
  usersDomain,
  timemanDomain,
  feedDomain,
  calendarDomain,
];
