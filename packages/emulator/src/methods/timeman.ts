/**
 * Work-time tracking (scope `timeman`): timeman.open/pause/close/status/settings. One work day
 * per user: open starts it (or resumes it after a pause), pause stops the clock, close ends it;
 * paused time counts as "leaks". Durations are `HH:MM:SS` strings as in the docs.
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { param } from '../params.js';
import type { CallContext, Domain } from './types.js';

interface Day {
  USER_ID: number;
  STATUS: 'OPENED' | 'PAUSED' | 'CLOSED';
  TIME_START: number;
  TIME_FINISH: number | null;
  PAUSED_AT: number | null;
  LEAKS_SEC: number;
  LAT_OPEN: number;
  LON_OPEN: number;
  LAT_CLOSE: number;
  LON_CLOSE: number;
  IP_OPEN: string;
  IP_CLOSE: string;
  REPORT: string;
}

/** The docs' default schedule (timeman.settings example). */
const SETTINGS = {
  UF_TM_MAX_START: '09:15:00',
  UF_TM_MIN_FINISH: '17:45:00',
  UF_TM_MIN_DURATION: '08:00:00',
  UF_TM_ALLOWED_DELTA: '00:15:00',
};

function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const sameDay = (a: number, b: number) => isoDateTime(a).slice(0, 10) === isoDateTime(b).slice(0, 10);

export const timemanDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  db.exec(`CREATE TABLE IF NOT EXISTS timeman_day (USER_ID INTEGER PRIMARY KEY, STATUS TEXT, TIME_START INTEGER, TIME_FINISH INTEGER,
    PAUSED_AT INTEGER, LEAKS_SEC INTEGER, LAT_OPEN REAL, LON_OPEN REAL, LAT_CLOSE REAL, LON_CLOSE REAL, IP_OPEN TEXT, IP_CLOSE TEXT, REPORT TEXT)`);

  const userOf = (ctx: CallContext): number => {
    const raw = param(ctx.params, 'USER_ID');
    if (raw === undefined || raw === null || raw === '') return ctx.auth.userId;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new RestError('', 'User not found', 400);
    return n;
  };
  const load = (userId: number) =>
    db.prepare(`SELECT * FROM timeman_day WHERE USER_ID = ?`).get(userId) as Day | undefined;
  const save = (d: Day) =>
    db
      .prepare(`INSERT OR REPLACE INTO timeman_day (USER_ID, STATUS, TIME_START, TIME_FINISH, PAUSED_AT, LEAKS_SEC, LAT_OPEN, LON_OPEN, LAT_CLOSE, LON_CLOSE, IP_OPEN, IP_CLOSE, REPORT)
      VALUES (@USER_ID, @STATUS, @TIME_START, @TIME_FINISH, @PAUSED_AT, @LEAKS_SEC, @LAT_OPEN, @LON_OPEN, @LAT_CLOSE, @LON_CLOSE, @IP_OPEN, @IP_CLOSE, @REPORT)`)
      .run(d);
  const readTime = (ctx: CallContext): number | undefined => {
    const raw = param(ctx.params, 'TIME');
    if (raw === undefined || raw === null || raw === '') return undefined;
    const ms = Date.parse(String(raw));
    if (Number.isNaN(ms)) throw new RestError('WRONG_DATETIME', 'Wrong date/time format', 400);
    return ms;
  };
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? 0 : Number(v) || 0);

  const wire = (d: Day | undefined, withDefault: boolean) => {
    const now = portal.clock.now();
    if (!d) {
      return {
        STATUS: 'CLOSED',
        TIME_START: null,
        TIME_FINISH: null,
        DURATION: '00:00:00',
        TIME_LEAKS: '00:00:00',
        ACTIVE: false,
        IP_OPEN: '',
        IP_CLOSE: '',
        LAT_OPEN: 0,
        LON_OPEN: 0,
        LAT_CLOSE: 0,
        LON_CLOSE: 0,
        TZ_OFFSET: 0,
        ...(withDefault ? { TIME_FINISH_DEFAULT: null } : {}),
      };
    }
    const leaks = d.LEAKS_SEC + (d.STATUS === 'PAUSED' && d.PAUSED_AT !== null ? (now - d.PAUSED_AT) / 1000 : 0);
    // A day left open past its date has expired: it must be closed before a new one opens.
    const status = d.STATUS !== 'CLOSED' && !sameDay(d.TIME_START, now) ? 'EXPIRED' : d.STATUS;
    const duration =
      d.STATUS === 'CLOSED' && d.TIME_FINISH !== null ? (d.TIME_FINISH - d.TIME_START) / 1000 - d.LEAKS_SEC : 0;
    return {
      STATUS: status,
      TIME_START: isoDateTime(d.TIME_START),
      TIME_FINISH: d.TIME_FINISH === null ? null : isoDateTime(d.TIME_FINISH),
      DURATION: hms(duration),
      TIME_LEAKS: hms(leaks),
      ACTIVE: d.STATUS === 'OPENED',
      IP_OPEN: d.IP_OPEN,
      IP_CLOSE: d.IP_CLOSE,
      LAT_OPEN: d.LAT_OPEN,
      LON_OPEN: d.LON_OPEN,
      LAT_CLOSE: d.LAT_CLOSE,
      LON_CLOSE: d.LON_CLOSE,
      TZ_OFFSET: 0,
      ...(withDefault
        ? { TIME_FINISH_DEFAULT: `${isoDateTime(d.TIME_START).slice(0, 10)}T${SETTINGS.UF_TM_MIN_FINISH}+00:00` }
        : {}),
    };
  };

  api.method({
    name: 'timeman.open',
    scope: 'timeman',
    handler: (ctx) => {
      const userId = userOf(ctx);
      const now = portal.clock.now();
      const time = readTime(ctx);
      const day = load(userId);
      if (day && day.STATUS === 'PAUSED') {
        // Opening a paused day resumes it; a start time cannot be set then.
        if (time !== undefined) throw new RestError('TIME', 'Unable to set time, work day is paused', 400);
        save({
          ...day,
          STATUS: 'OPENED',
          LEAKS_SEC: day.LEAKS_SEC + (now - (day.PAUSED_AT ?? now)) / 1000,
          PAUSED_AT: null,
        });
      } else if (day && day.STATUS === 'OPENED' && sameDay(day.TIME_START, now)) {
        // Already open: nothing changes.
      } else if (day && day.STATUS === 'CLOSED' && sameDay(day.TIME_START, now) && time === undefined) {
        // Reopening today's closed day continues it; the time since closing counts as a break.
        save({
          ...day,
          STATUS: 'OPENED',
          LEAKS_SEC: day.LEAKS_SEC + (now - (day.TIME_FINISH ?? now)) / 1000,
          TIME_FINISH: null,
        });
      } else {
        if (time !== undefined && !sameDay(time, now))
          throw new RestError('WRONG_DATETIME', 'Day open date should correspond to the current date', 400);
        save({
          USER_ID: userId,
          STATUS: 'OPENED',
          TIME_START: time ?? now,
          TIME_FINISH: null,
          PAUSED_AT: null,
          LEAKS_SEC: 0,
          LAT_OPEN: num(param(ctx.params, 'LAT')),
          LON_OPEN: num(param(ctx.params, 'LON')),
          LAT_CLOSE: 0,
          LON_CLOSE: 0,
          IP_OPEN: '127.0.0.1',
          IP_CLOSE: '',
          REPORT: String(param(ctx.params, 'REPORT') ?? ''),
        });
      }
      return { result: wire(load(userId), false) };
    },
  });

  api.method({
    name: 'timeman.pause',
    scope: 'timeman',
    handler: (ctx) => {
      const userId = userOf(ctx);
      const day = load(userId);
      if (!day || day.STATUS === 'CLOSED') throw new RestError('WORKDAY_NOT_OPENED', 'The work day is not open', 400);
      if (day.STATUS === 'OPENED') save({ ...day, STATUS: 'PAUSED', PAUSED_AT: portal.clock.now() });
      return { result: wire(load(userId), false) };
    },
  });

  api.method({
    name: 'timeman.close',
    scope: 'timeman',
    handler: (ctx) => {
      const userId = userOf(ctx);
      const now = portal.clock.now();
      const day = load(userId);
      if (!day || day.STATUS === 'CLOSED') throw new RestError('WORKDAY_NOT_OPENED', 'The work day is not open', 400);
      const time = readTime(ctx) ?? now;
      if (!sameDay(time, day.TIME_START) || time < day.TIME_START) {
        throw new RestError('WRONG_DATETIME', 'Day close date should correspond to the day open date', 400);
      }
      const pausedFor =
        day.STATUS === 'PAUSED' && day.PAUSED_AT !== null ? Math.max(0, (time - day.PAUSED_AT) / 1000) : 0;
      const report = param(ctx.params, 'REPORT');
      save({
        ...day,
        STATUS: 'CLOSED',
        TIME_FINISH: time,
        PAUSED_AT: null,
        LEAKS_SEC: day.LEAKS_SEC + pausedFor,
        IP_CLOSE: '127.0.0.1',
        LAT_CLOSE: num(param(ctx.params, 'LAT')),
        LON_CLOSE: num(param(ctx.params, 'LON')),
        REPORT: report === undefined ? day.REPORT : String(report),
      });
      return { result: wire(load(userId), false) };
    },
  });

  api.method({
    name: 'timeman.status',
    scope: 'timeman',
    handler: (ctx) => ({ result: wire(load(userOf(ctx)), true) }),
  });

  api.method({
    name: 'timeman.settings',
    scope: 'timeman',
    handler: (ctx) => {
      userOf(ctx);
      return { result: { UF_TIMEMAN: true, UF_TM_FREE: false, ...SETTINGS, ADMIN: ctx.auth.userId === 1 } };
    },
  });
};
