/**
 * The calendar store: sections, events, meeting attendees and per-user settings; the time
 * model (UTC instants plus time zones, the portal's display format); the wire shape of sections
 * and events; and every SQL statement of the domain. Method handlers live in ./methods.ts.
 *
 * Times: an event is stored as UTC instants plus its time zones; input without an offset is wall
 * time in `timezone_from`/`timezone_to` (UTC when absent). Output uses the portal's display format
 * as the docs' samples show it (`12/11/2024 05:59:00 pm`, date only for all-day events).
 * A meeting is one stored event with an attendee list; each attendee sees it in their calendar.
 * Method errors carry an empty code, as the docs list them.
 */
import { RestError } from '../../errors.js';
import type { Params } from '../../params.js';
import { isObject as isPlainObject, toInt, yn } from '../../wire.js';
import type { Portal } from '../types.js';

export type Row = Record<string, unknown>;

export const ADMIN_ID = 1;
export const CAL_TYPES = new Set(['user', 'group', 'company_calendar']);
export const ACCESSIBILITY = new Set(['busy', 'absent', 'quest', 'free']);
export const IMPORTANCE = new Set(['high', 'normal', 'low']);
/** Y accepted, N declined, Q invited (no answer yet), H host. */
export const ANSWERS = new Set(['Y', 'N', 'Q']);
export const DAY_MS = 86_400_000;

export const fail = (text: string) => new RestError('', text, 400);
export const required = (name: string, method: string) =>
  fail(`The required parameter "${name}" for the method "${method}" is not set`);
export const accessDenied = () => fail('Access denied');

export const isObject = (v: unknown): v is Params => isPlainObject(v);
export const bool = (v: unknown): boolean => yn(v, 'N') === 'Y';

export const intOf = toInt;

// ---- time zones and formats ----

/** Seconds east of UTC of a named zone at an instant (Intl knows the rules). */
export function zoneOffset(tz: string, utcMs: number): number {
  const dtf = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(dtf.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(
    Number(p['year']),
    Number(p['month']) - 1,
    Number(p['day']),
    Number(p['hour']),
    Number(p['minute']),
    Number(p['second']),
  );
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 1000);
}

export function checkZone(tz: string, name: string): string {
  try {
    zoneOffset(tz, 0);
    return tz;
  } catch {
    throw fail(`Invalid value for the parameter "${name}"`);
  }
}

/**
 * Parses `from`/`to`: ISO 8601 with or without an offset, `YYYY-MM-DD[ HH:MM[:SS]]`,
 * `DD.MM.YYYY[ HH:MM[:SS]]` or the display format `MM/DD/YYYY[ hh:mm[:ss] am]`. Without an
 * offset the value is wall time in `tz`. Returns UTC milliseconds.
 */
export function parseInstant(raw: unknown, tz: string): number | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw).trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(s) && /^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : ms;
  }
  let y: number,
    mo: number,
    d: number,
    h = 0,
    mi = 0,
    se = 0;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) [y, mo, d, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  else if ((m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s)))
    [d, mo, y, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]m))?)?$/i.exec(s))) {
    [mo, d, y, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
    const ampm = m[7]?.toLowerCase();
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  } else return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, se);
  // Two passes settle the offset around a daylight-saving change.
  const guess = wall - zoneOffset(tz, wall) * 1000;
  return wall - zoneOffset(tz, guess) * 1000;
}

/** The display format of the docs' samples: `MM/DD/YYYY hh:mm:ss am` in the zone, or the date only. */
export function displayFormat(utcMs: number, tz: string, dateOnly: boolean): string {
  const w = new Date(utcMs + zoneOffset(tz, utcMs) * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${p2(w.getUTCMonth() + 1)}/${p2(w.getUTCDate())}/${w.getUTCFullYear()}`;
  if (dateOnly) return date;
  const h = w.getUTCHours();
  return `${date} ${p2(h % 12 === 0 ? 12 : h % 12)}:${p2(w.getUTCMinutes())}:${p2(w.getUTCSeconds())} ${h < 12 ? 'am' : 'pm'}`;
}

export const DEFAULT_USER_SETTINGS: Row = {
  view: 'month',
  meetSection: '',
  crmSection: '',
  showDeclined: false,
  denyBusyInvitation: false,
  collapseOffHours: 'Y',
  showWeekNumbers: 'N',
  showTasks: 'Y',
  syncTasks: 'N',
  showCompletedTasks: 'N',
  lastUsedSection: 'false',
  sendFromEmail: '',
  defaultSections: {},
  syncPeriodPast: '3',
  syncPeriodFuture: '12',
  defaultReminders: { fullDay: [{ type: 'min', count: 15 }], withTime: [{ type: 'min', count: 15 }] },
  timezoneName: 'UTC',
  timezoneOffsetUTC: 0,
  timezoneDefaultName: '',
  work_time_start: '9.00',
  work_time_end: '18.00',
};

export const PORTAL_SETTINGS: Row = {
  work_time_start: '9',
  work_time_end: '18',
  year_holidays: '1.01,25.12',
  year_workdays: '',
  week_holidays: ['SA', 'SU'],
  week_start: 'MO',
  user_name_template: '#NAME# #LAST_NAME#',
  sync_by_push: false,
  user_show_login: true,
  path_to_user: '/company/personal/user/#user_id#/',
  path_to_user_calendar: '/company/personal/user/#user_id#/calendar/',
  path_to_group: '/workgroups/group/#group_id#/',
  path_to_group_calendar: '/workgroups/group/#group_id#/calendar/',
  path_to_vr: '',
  path_to_rm: '',
  rm_iblock_type: '',
  rm_iblock_id: '',
  dep_manager_sub: true,
  denied_superpose_types: [],
  pathes_for_sites: '',
  forum_id: '',
  rm_for_sites: true,
  path_to_type_company_calendar: '/calendar/',
  path_to_type_location: '',
  path_to_type_open_event: '',
};

/** The calendar's tables and operations over the portal's database. */
export function createCalendarStore(portal: Portal) {
  const db = portal.db;
  db.exec(`CREATE TABLE IF NOT EXISTS calendar_section (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL,
    DESCRIPTION TEXT, COLOR TEXT, TEXT_COLOR TEXT, EXPORT TEXT, CAL_TYPE TEXT NOT NULL, OWNER_ID INTEGER NOT NULL,
    CREATED_BY INTEGER, DATE_CREATE TEXT, TIMESTAMP_X TEXT, IS_DEFAULT INTEGER NOT NULL DEFAULT 0)`);
  db.exec(`CREATE TABLE IF NOT EXISTS calendar_event (ID INTEGER PRIMARY KEY AUTOINCREMENT, SECTION_ID INTEGER NOT NULL,
    CAL_TYPE TEXT NOT NULL, OWNER_ID INTEGER NOT NULL, NAME TEXT NOT NULL, DESCRIPTION TEXT,
    FROM_MS INTEGER NOT NULL, TO_MS INTEGER NOT NULL, TZ_FROM TEXT NOT NULL, TZ_TO TEXT NOT NULL, SKIP_TIME TEXT NOT NULL,
    ACCESSIBILITY TEXT, IMPORTANCE TEXT, PRIVATE_EVENT TEXT, COLOR TEXT, TEXT_COLOR TEXT, LOCATION TEXT,
    IS_MEETING INTEGER NOT NULL DEFAULT 0, MEETING_HOST INTEGER, MEETING TEXT, REMIND TEXT, RRULE TEXT, CRM TEXT,
    CREATED_BY INTEGER, DATE_CREATE TEXT, TIMESTAMP_X TEXT, VERSION INTEGER NOT NULL DEFAULT 1, DAV_XML_ID TEXT)`);
  db.exec(`CREATE TABLE IF NOT EXISTS calendar_attendee (EVENT_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL,
    STATUS TEXT NOT NULL, PRIMARY KEY (EVENT_ID, USER_ID))`);
  db.exec(`CREATE TABLE IF NOT EXISTS calendar_user_settings (USER_ID INTEGER PRIMARY KEY, SETTINGS TEXT NOT NULL)`);

  const now = () => portal.clock.now();
  const stamp = () => displayFormat(now(), 'UTC', false);
  const getSection = (id: number) =>
    db.prepare(`SELECT * FROM calendar_section WHERE ID = ?`).get(id) as Row | undefined;
  const getEvent = (id: number) => db.prepare(`SELECT * FROM calendar_event WHERE ID = ?`).get(id) as Row | undefined;
  const attendees = (eventId: number) =>
    db.prepare(`SELECT USER_ID, STATUS FROM calendar_attendee WHERE EVENT_ID = ? ORDER BY rowid`).all(eventId) as {
      USER_ID: number;
      STATUS: string;
    }[];

  /** Every user calendar has a default section, made on first use (the portal's "My calendar"). */
  const defaultSection = (type: string, ownerId: number, by: number): Row => {
    const found = db
      .prepare(
        `SELECT * FROM calendar_section WHERE CAL_TYPE = ? AND OWNER_ID = ? ORDER BY IS_DEFAULT DESC, ID LIMIT 1`,
      )
      .get(type, ownerId) as Row | undefined;
    if (found) return found;
    const t = stamp();
    const id = db
      .prepare(`INSERT INTO calendar_section (NAME, COLOR, TEXT_COLOR, EXPORT, CAL_TYPE, OWNER_ID, CREATED_BY, DATE_CREATE, TIMESTAMP_X, IS_DEFAULT)
        VALUES (?, '#9dcf00', '#ffffff', ?, ?, ?, ?, ?, ?, 1)`)
      .run(
        type === 'user' ? 'My calendar' : 'Calendar',
        JSON.stringify({ ALLOW: true, SET: 'all', LINK: '' }),
        type,
        ownerId,
        by,
        t,
        t,
      ).lastInsertRowid;
    return getSection(Number(id))!;
  };

  const sectionWire = (s: Row, viewer: number): Row => {
    const mine = Number(s['OWNER_ID']) === viewer || viewer === ADMIN_ID;
    return {
      ID: String(s['ID']),
      NAME: s['NAME'],
      GAPI_CALENDAR_ID: null,
      DESCRIPTION: s['DESCRIPTION'] ?? '',
      COLOR: s['COLOR'] ?? '',
      TEXT_COLOR: s['TEXT_COLOR'] ?? '',
      EXPORT: JSON.parse(String(s['EXPORT'] ?? '{"ALLOW":false,"SET":"all"}')) as unknown,
      CAL_TYPE: s['CAL_TYPE'],
      OWNER_ID: String(s['OWNER_ID']),
      CREATED_BY: String(s['CREATED_BY']),
      DATE_CREATE: s['DATE_CREATE'],
      TIMESTAMP_X: s['TIMESTAMP_X'],
      CAL_DAV_CON: null,
      SYNC_TOKEN: null,
      PAGE_TOKEN: null,
      EXTERNAL_TYPE: 'local',
      ACCESS: [],
      IS_COLLAB: false,
      PERM: {
        view_time: true,
        view_title: true,
        view_full: true,
        add: mine,
        edit: mine,
        edit_section: mine,
        access: mine,
      },
    };
  };

  /** The event as the viewer sees it: MEETING_STATUS is the viewer's own answer. */
  const eventWire = (e: Row, viewer: number): Row => {
    const id = Number(e['ID']);
    const skip = e['SKIP_TIME'] === 'Y';
    const from = Number(e['FROM_MS']);
    const to = Number(e['TO_MS']);
    const tzFrom = String(e['TZ_FROM']);
    const tzTo = String(e['TZ_TO']);
    const list = attendees(id);
    const isMeeting = Number(e['IS_MEETING']) === 1;
    const host = Number(e['MEETING_HOST'] ?? e['OWNER_ID']);
    const mine = list.find((a) => a.USER_ID === viewer);
    const meeting = isMeeting ? (JSON.parse(String(e['MEETING'] ?? '{}')) as Row) : null;
    const rrule = e['RRULE'] ? (JSON.parse(String(e['RRULE'])) as Row) : '';
    const hidden = e['PRIVATE_EVENT'] === 'Y' && viewer !== Number(e['OWNER_ID']) && viewer !== host;
    const offFrom = zoneOffset(tzFrom, from);
    const offTo = zoneOffset(tzTo, to);
    return {
      ID: String(id),
      PARENT_ID: String(id),
      DELETED: 'N',
      CAL_TYPE: e['CAL_TYPE'],
      OWNER_ID: String(e['OWNER_ID']),
      NAME: hidden ? '[busy]' : e['NAME'],
      DATE_FROM: displayFormat(from, tzFrom, skip),
      DATE_TO: displayFormat(to, tzTo, skip),
      ORIGINAL_DATE_FROM: null,
      TZ_FROM: skip ? '' : tzFrom,
      TZ_TO: skip ? '' : tzTo,
      TZ_OFFSET_FROM: String(skip ? 0 : offFrom),
      TZ_OFFSET_TO: String(skip ? 0 : offTo),
      DATE_FROM_TS_UTC: String(Math.floor(from / 1000)),
      DATE_TO_TS_UTC: String(Math.floor(to / 1000)),
      DT_SKIP_TIME: skip ? 'Y' : 'N',
      // All-day events count whole days (the end day included).
      DT_LENGTH: skip ? Math.round((to - from) / 1000) + 86_400 : Math.round((to - from) / 1000),
      EVENT_TYPE: null,
      CREATED_BY: String(e['CREATED_BY']),
      DATE_CREATE: e['DATE_CREATE'],
      TIMESTAMP_X: e['TIMESTAMP_X'],
      DESCRIPTION: hidden ? '' : (e['DESCRIPTION'] ?? ''),
      PRIVATE_EVENT: e['PRIVATE_EVENT'] === 'Y' ? '1' : '',
      ACCESSIBILITY: e['ACCESSIBILITY'],
      IMPORTANCE: e['IMPORTANCE'],
      IS_MEETING: isMeeting,
      MEETING_STATUS: isMeeting ? (mine?.STATUS ?? 'H') : null,
      MEETING_HOST: String(host),
      MEETING: meeting,
      LOCATION: e['LOCATION'] ?? '',
      REMIND: JSON.parse(String(e['REMIND'] ?? '[]')) as unknown,
      COLOR: e['COLOR'] ?? '',
      RRULE: rrule,
      EXDATE: '',
      DAV_XML_ID: e['DAV_XML_ID'],
      G_EVENT_ID: '',
      DAV_EXCH_LABEL: '',
      CAL_DAV_LABEL: '',
      VERSION: String(e['VERSION']),
      ATTENDEES_CODES: isMeeting ? list.map((a) => `U${a.USER_ID}`) : null,
      RECURRENCE_ID: null,
      RELATIONS: null,
      SECTION_ID: String(e['SECTION_ID']),
      SYNC_STATUS: null,
      UF_CRM_CAL_EVENT: e['CRM'] ? (JSON.parse(String(e['CRM'])) as unknown) : false,
      UF_WEBDAV_CAL_EVENT: false,
      SECTION_DAV_XML_ID: null,
      DATE_FROM_FORMATTED: new Date(from + offFrom * 1000)
        .toUTCString()
        .replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $4 $5'),
      DATE_TO_FORMATTED: new Date(to + offTo * 1000)
        .toUTCString()
        .replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $4 $5'),
      SECT_ID: String(e['SECTION_ID']),
      ATTENDEE_LIST: isMeeting ? list.map((a) => ({ id: a.USER_ID, entryId: String(id), status: a.STATUS })) : [],
      COLLAB_ID: null,
      '~RRULE_DESCRIPTION': rrule ? describeRrule(rrule) : '',
      attendeesEntityList: isMeeting ? list.map((a) => ({ entityId: 'user', id: a.USER_ID })) : [],
      '~DESCRIPTION': hidden ? '' : (e['DESCRIPTION'] ?? ''),
      '~USER_OFFSET_FROM': skip ? 0 : offFrom,
      '~USER_OFFSET_TO': skip ? 0 : offTo,
    };
  };

  /** Keeps the answers of attendees who stay; newcomers are invited (Q); the host is H. */
  const setAttendees = (eventId: number, host: number, ids: number[]) => {
    const before = new Map(attendees(eventId).map((a) => [a.USER_ID, a.STATUS]));
    db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(eventId);
    const all = [host, ...ids.filter((id) => id !== host)];
    for (const uid of all) {
      db.prepare(`INSERT INTO calendar_attendee (EVENT_ID, USER_ID, STATUS) VALUES (?, ?, ?)`).run(
        eventId,
        uid,
        uid === host ? 'H' : (before.get(uid) ?? 'Q'),
      );
    }
  };

  /**
   * Events of a calendar that overlap [from, to]: for a user, their own and the meetings they
   * are invited to (declined ones included, as the portal lists them with status N).
   */
  const eventsIn = (type: string, ownerId: number, from: number, to: number, sections?: number[]): Row[] => {
    const secSql = sections?.length ? ` AND e.SECTION_ID IN (${sections.map(() => '?').join(',')})` : '';
    const own = db
      .prepare(
        `SELECT e.* FROM calendar_event e WHERE e.CAL_TYPE = ? AND e.OWNER_ID = ? AND e.TO_MS >= ? AND e.FROM_MS <= ?${secSql}`,
      )
      .all(type, ownerId, from, to, ...(sections ?? [])) as Row[];
    const invited =
      type === 'user' && !sections?.length
        ? (db
            .prepare(`SELECT e.* FROM calendar_event e JOIN calendar_attendee a ON a.EVENT_ID = e.ID
              WHERE a.USER_ID = ? AND NOT (e.CAL_TYPE = 'user' AND e.OWNER_ID = ?) AND e.TO_MS >= ? AND e.FROM_MS <= ?`)
            .all(ownerId, ownerId, from, to) as Row[])
        : [];
    return [...own, ...invited].sort(
      (a, b) => Number(a['FROM_MS']) - Number(b['FROM_MS']) || Number(a['ID']) - Number(b['ID']),
    );
  };

  const storedUserSettings = (userId: number): Row => {
    const row = db.prepare(`SELECT SETTINGS FROM calendar_user_settings WHERE USER_ID = ?`).get(userId) as
      | { SETTINGS: string }
      | undefined;
    return row ? (JSON.parse(row.SETTINGS) as Row) : {};
  };
  const userSettings = (userId: number): Row => {
    const stored = storedUserSettings(userId);
    const section = String(defaultSection('user', userId, userId)['ID']);
    const base = {
      ...DEFAULT_USER_SETTINGS,
      meetSection: section,
      crmSection: section,
      defaultSections: { [`user${userId}`]: section },
    };
    return { ...base, ...stored };
  };
  const saveUserSettings = (userId: number, settings: Row): void => {
    db.prepare(
      `INSERT INTO calendar_user_settings (USER_ID, SETTINGS) VALUES (?, ?) ON CONFLICT(USER_ID) DO UPDATE SET SETTINGS = excluded.SETTINGS`,
    ).run(userId, JSON.stringify(settings));
  };

  const sectionsOf = (type: string, ownerId: number): Row[] =>
    db
      .prepare(`SELECT * FROM calendar_section WHERE CAL_TYPE = ? AND OWNER_ID = ? ORDER BY ID`)
      .all(type, ownerId) as Row[];

  const insertSection = (f: Row, type: string, ownerId: number, by: number): number => {
    const t = stamp();
    return Number(
      db
        .prepare(`INSERT INTO calendar_section (NAME, DESCRIPTION, COLOR, TEXT_COLOR, EXPORT, CAL_TYPE, OWNER_ID, CREATED_BY, DATE_CREATE, TIMESTAMP_X)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          f['NAME'],
          f['DESCRIPTION'] ?? '',
          f['COLOR'] ?? '#9dcf00',
          f['TEXT_COLOR'] ?? '#ffffff',
          f['EXPORT'] ?? JSON.stringify({ ALLOW: true, SET: 'all', LINK: '' }),
          type,
          ownerId,
          by,
          t,
          t,
        ).lastInsertRowid,
    );
  };

  const updateSection = (id: unknown, f: Row): void => {
    const names = Object.keys(f);
    db.prepare(`UPDATE calendar_section SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`).run(
      ...names.map((n) => f[n]),
      id,
    );
  };

  /** A section goes with its events and their attendees. */
  const deleteSection = (id: unknown): void => {
    db.transaction(() => {
      const ids = (db.prepare(`SELECT ID FROM calendar_event WHERE SECTION_ID = ?`).all(id) as { ID: number }[]).map(
        (r) => r.ID,
      );
      for (const eventId of ids) db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(eventId);
      db.prepare(`DELETE FROM calendar_event WHERE SECTION_ID = ?`).run(id);
      db.prepare(`DELETE FROM calendar_section WHERE ID = ?`).run(id);
    })();
  };

  const insertEvent = (c: Row): number => {
    const names = Object.keys(c);
    return Number(
      db
        .prepare(
          `INSERT INTO calendar_event (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        )
        .run(...names.map((n) => c[n])).lastInsertRowid,
    );
  };

  /**
   * Writes changed columns (the version goes up) and the attendee list: none when the event is
   * no meeting, the given list, or just the host for a meeting that had none.
   */
  const updateEvent = (id: number, c: Row, meetingNow: boolean, host: number, invited: number[] | undefined): void => {
    const names = Object.keys(c);
    db.transaction(() => {
      db.prepare(
        `UPDATE calendar_event SET ${names.map((n) => `"${n}" = ?`).join(', ')}, VERSION = VERSION + 1 WHERE ID = ?`,
      ).run(...names.map((n) => c[n]), id);
      if (!meetingNow) db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(id);
      else if (invited !== undefined) setAttendees(id, host, invited);
      else if (attendees(id).length === 0) setAttendees(id, host, []);
    })();
  };

  const deleteEvent = (id: unknown): void => {
    db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(id);
    db.prepare(`DELETE FROM calendar_event WHERE ID = ?`).run(id);
  };

  const setStatus = (eventId: unknown, userId: number, status: string): void => {
    db.prepare(`UPDATE calendar_attendee SET STATUS = ? WHERE EVENT_ID = ? AND USER_ID = ?`).run(
      status,
      eventId,
      userId,
    );
  };

  return {
    now,
    stamp,
    getSection,
    getEvent,
    attendees,
    defaultSection,
    sectionWire,
    eventWire,
    setAttendees,
    eventsIn,
    storedUserSettings,
    userSettings,
    saveUserSettings,
    sectionsOf,
    insertSection,
    updateSection,
    deleteSection,
    insertEvent,
    updateEvent,
    deleteEvent,
    setStatus,
  };
}

export type CalendarStore = ReturnType<typeof createCalendarStore>;

function describeRrule(r: Row): string {
  const freq = String(r['FREQ']).toLowerCase();
  const unit = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' }[freq] ?? freq;
  const n = Number(r['INTERVAL'] ?? 1);
  const days = r['BYDAY'] && typeof r['BYDAY'] === 'object' ? ` on: ${Object.keys(r['BYDAY']).join(', ')}` : '';
  const until = r['UNTIL'] ? ` until ${String(r['UNTIL'])}` : '';
  return `every ${n > 1 ? `${n} ${unit}s` : unit}${days}${until}`;
}
