/**
 * Calendar: sections (`calendar.section.*`), events (`calendar.event.*` incl. `get.nearest`),
 * meetings (attendees and their `calendar.meeting.status.*`), busy times
 * (`calendar.accessibility.get`) and settings (`calendar.settings.get`, `calendar.user.settings.*`).
 *
 * Times: an event is stored as UTC instants plus its time zones; input without an offset is wall
 * time in `timezone_from`/`timezone_to` (UTC when absent). Output uses the portal's display format
 * as the docs' samples show it (`12/11/2024 05:59:00 pm`, date only for all-day events).
 * A meeting is one stored event with an attendee list; each attendee sees it in their calendar.
 * Method errors carry an empty code, as the docs list them.
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { param, type Params } from '../params.js';
import { isObject as isPlainObject, toInt, yn } from '../wire.js';
import type { CallContext, Domain, MethodResult } from './types.js';

type Row = Record<string, unknown>;

const ADMIN_ID = 1;
const CAL_TYPES = new Set(['user', 'group', 'company_calendar']);
const ACCESSIBILITY = new Set(['busy', 'absent', 'quest', 'free']);
const IMPORTANCE = new Set(['high', 'normal', 'low']);
/** Y accepted, N declined, Q invited (no answer yet), H host. */
const ANSWERS = new Set(['Y', 'N', 'Q']);
const DAY_MS = 86_400_000;

const fail = (text: string) => new RestError('', text, 400);
const required = (name: string, method: string) =>
  fail(`The required parameter "${name}" for the method "${method}" is not set`);
const accessDenied = () => fail('Access denied');

const isObject = (v: unknown): v is Params => isPlainObject(v);
const bool = (v: unknown): boolean => yn(v, 'N') === 'Y';

const intOf = toInt;

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

function checkZone(tz: string, name: string): string {
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

const DEFAULT_USER_SETTINGS: Row = {
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

const PORTAL_SETTINGS: Row = {
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

export const calendarDomain: Domain = (api) => {
  const { portal } = api;
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
  for (const ev of [
    'ONCALENDARSECTIONADD',
    'ONCALENDARSECTIONUPDATE',
    'ONCALENDARSECTIONDELETE',
    'ONCALENDARENTRYADD',
    'ONCALENDARENTRYUPDATE',
    'ONCALENDARENTRYDELETE',
  ])
    api.event(ev);
  /** Calendar events carry only the id, as a string (docs' payload samples). */
  const raise = (ctx: CallContext, name: string, id: unknown) => portal.raiseEvent(name, { id: String(id) }, ctx.auth);

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

  /** `type` and `ownerId`, both required; the caller may change only calendars it may write. */
  const owner = (ctx: CallContext, forWrite: boolean): { type: string; ownerId: number } => {
    const type = param(ctx.params, 'type');
    if (type === undefined || type === '') throw required('type', ctx.method);
    if (typeof type !== 'string' || !CAL_TYPES.has(type)) throw fail(`Invalid value for the parameter "type"`);
    const rawOwner = param(ctx.params, 'ownerId');
    // The company calendar has no owner; 0 is a value there and must not read as "missing".
    if (rawOwner === undefined || rawOwner === null || (rawOwner === '' && type !== 'company_calendar'))
      throw required('ownerId', ctx.method);
    const ownerId = rawOwner === '' ? 0 : intOf(rawOwner);
    if (ownerId === undefined || ownerId < 0) throw fail(`Invalid value for the parameter "ownerId"`);
    if (forWrite && type === 'user' && ownerId !== ctx.auth.userId && ctx.auth.userId !== ADMIN_ID)
      throw accessDenied();
    return { type, ownerId };
  };

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

  const sectionFields = (ctx: CallContext, row?: Row): Row => {
    const out: Row = {};
    const name = param(ctx.params, 'name');
    if (name !== undefined || !row) {
      if (typeof name !== 'string' || name.trim() === '') throw fail('Invalid value for the "name" parameter');
      out['NAME'] = name.trim();
    }
    const description = param(ctx.params, 'description');
    if (description !== undefined) {
      if (typeof description !== 'string') throw fail('Invalid value for the "description" parameter');
      out['DESCRIPTION'] = description;
    }
    for (const [p, col] of [
      ['color', 'COLOR'],
      ['text_color', 'TEXT_COLOR'],
    ] as const) {
      const v = param(ctx.params, p);
      if (v !== undefined) out[col] = String(v);
    }
    const exp = param(ctx.params, 'export');
    if (isObject(exp))
      out['EXPORT'] = JSON.stringify({
        ALLOW: bool(param(exp, 'ALLOW')),
        SET: String(param(exp, 'SET') ?? 'all'),
        LINK: '',
      });
    return out;
  };

  // ---- sections ----
  api.method({
    name: 'calendar.section.get',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, false);
      if (type === 'user') defaultSection(type, ownerId, ctx.auth.userId);
      const rows = db
        .prepare(`SELECT * FROM calendar_section WHERE CAL_TYPE = ? AND OWNER_ID = ? ORDER BY ID`)
        .all(type, ownerId) as Row[];
      return { result: rows.map((s) => sectionWire(s, ctx.auth.userId)) };
    },
  });
  api.method({
    name: 'calendar.section.add',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, true);
      const f = sectionFields(ctx);
      const t = stamp();
      const id = db
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
          ctx.auth.userId,
          t,
          t,
        ).lastInsertRowid;
      raise(ctx, 'ONCALENDARSECTIONADD', id);
      return { result: Number(id) };
    },
  });
  const ownedSection = (ctx: CallContext, type: string, ownerId: number): Row => {
    const raw = param(ctx.params, 'id');
    if (raw === undefined || raw === '') throw fail('Section ID is not set');
    const s = getSection(intOf(raw) ?? 0);
    if (!s || s['CAL_TYPE'] !== type || Number(s['OWNER_ID']) !== ownerId) throw accessDenied();
    return s;
  };
  api.method({
    name: 'calendar.section.update',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, true);
      const s = ownedSection(ctx, type, ownerId);
      const f: Row = { ...sectionFields(ctx, s), TIMESTAMP_X: stamp() };
      const names = Object.keys(f);
      db.prepare(`UPDATE calendar_section SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`).run(
        ...names.map((n) => f[n]),
        s['ID'],
      );
      raise(ctx, 'ONCALENDARSECTIONUPDATE', s['ID']);
      return { result: Number(s['ID']) };
    },
  });
  api.method({
    name: 'calendar.section.delete',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, true);
      const s = ownedSection(ctx, type, ownerId);
      db.transaction(() => {
        const ids = (
          db.prepare(`SELECT ID FROM calendar_event WHERE SECTION_ID = ?`).all(s['ID']) as { ID: number }[]
        ).map((r) => r.ID);
        for (const id of ids) db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(id);
        db.prepare(`DELETE FROM calendar_event WHERE SECTION_ID = ?`).run(s['ID']);
        db.prepare(`DELETE FROM calendar_section WHERE ID = ?`).run(s['ID']);
      })();
      raise(ctx, 'ONCALENDARSECTIONDELETE', s['ID']);
      return { result: true };
    },
  });

  // ---- events ----
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

  /** Reads and checks the event fields of add/update; `old` is the stored row on update. */
  const eventColumns = (ctx: CallContext, old?: Row): Row => {
    const c: Row = {};
    const p = (n: string) => param(ctx.params, n);
    const name = p('name');
    if (name !== undefined || !old) {
      if (name === undefined) throw required('name', ctx.method);
      if (typeof name !== 'string' || name.trim() === '') throw fail('Invalid value for the parameter "name"');
      c['NAME'] = name.trim();
    }
    const description = p('description');
    if (description !== undefined) {
      if (typeof description !== 'string') throw fail('Invalid value for the parameter "description"');
      c['DESCRIPTION'] = description;
    }
    const skip =
      p('skip_time') !== undefined ? yn(p('skip_time'), 'N') : ((old?.['SKIP_TIME'] as 'Y' | 'N' | undefined) ?? 'N');
    c['SKIP_TIME'] = skip;
    const tzFrom = checkZone(String(p('timezone_from') ?? old?.['TZ_FROM'] ?? 'UTC'), 'timezone_from');
    const tzTo = checkZone(String(p('timezone_to') ?? p('timezone_from') ?? old?.['TZ_TO'] ?? tzFrom), 'timezone_to');
    c['TZ_FROM'] = tzFrom;
    c['TZ_TO'] = tzTo;
    const instant = (name: 'from' | 'to', tz: string): number | undefined => {
      const ts = intOf(p(`${name}_ts`));
      if (ts !== undefined) return ts * 1000;
      const raw = p(name);
      if (raw === undefined || raw === '') return undefined;
      // All-day events keep their calendar dates whatever the zone.
      const ms = parseInstant(raw, skip === 'Y' ? 'UTC' : tz);
      if (ms === undefined) throw fail(`Invalid value for the parameter "${name}"`);
      return skip === 'Y' ? Math.floor(ms / DAY_MS) * DAY_MS : ms;
    };
    const from = instant('from', tzFrom) ?? (old ? Number(old['FROM_MS']) : undefined);
    const to = instant('to', tzTo) ?? (old ? Number(old['TO_MS']) : undefined);
    if (from === undefined) throw required('from', ctx.method);
    if (to === undefined) throw required('to', ctx.method);
    if (to < from) throw fail('Invalid value for the parameter "to": the event ends before it starts');
    c['FROM_MS'] = from;
    c['TO_MS'] = to;
    const acc = p('accessibility');
    if (acc !== undefined) {
      if (!ACCESSIBILITY.has(String(acc))) throw fail('Invalid value for the parameter "accessibility"');
      c['ACCESSIBILITY'] = String(acc);
    } else if (!old) c['ACCESSIBILITY'] = 'busy';
    const imp = p('importance');
    if (imp !== undefined) {
      if (!IMPORTANCE.has(String(imp))) throw fail('Invalid value for the parameter "importance"');
      c['IMPORTANCE'] = String(imp);
    } else if (!old) c['IMPORTANCE'] = 'normal';
    if (p('private_event') !== undefined || !old) c['PRIVATE_EVENT'] = yn(p('private_event'), 'N');
    for (const [n, col] of [
      ['color', 'COLOR'],
      ['text_color', 'TEXT_COLOR'],
      ['location', 'LOCATION'],
    ] as const)
      if (p(n) !== undefined) c[col] = String(p(n));
    const remind = p('remind');
    if (remind !== undefined) {
      const list = Array.isArray(remind) ? remind : isObject(remind) ? Object.values(remind) : [];
      c['REMIND'] = JSON.stringify(
        list.filter(isObject).map((r) => ({ type: String(r['type'] ?? 'min'), count: intOf(r['count']) ?? 0 })),
      );
    }
    const rrule = p('rrule');
    if (isObject(rrule)) {
      const freq = String(param(rrule, 'FREQ') ?? '').toUpperCase();
      if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq))
        throw fail('Invalid value for the parameter "rrule"');
      const out: Row = { FREQ: freq, INTERVAL: intOf(param(rrule, 'INTERVAL')) ?? 1 };
      const byday = param(rrule, 'BYDAY');
      if (byday !== undefined) {
        const days = (Array.isArray(byday) ? byday : String(byday).split(',')).map((d) =>
          String(d).trim().toUpperCase(),
        );
        out['BYDAY'] = Object.fromEntries(days.map((d) => [d, d]));
      }
      const count = intOf(param(rrule, 'COUNT'));
      if (count !== undefined) out['COUNT'] = count;
      const until = param(rrule, 'UNTIL');
      if (until !== undefined && until !== '') {
        const ms = parseInstant(until, 'UTC');
        if (ms === undefined) throw fail('Invalid value for the parameter "rrule"');
        const d = displayFormat(ms, 'UTC', true);
        Object.assign(out, { UNTIL: d, '~UNTIL': d, UNTIL_TS: Math.floor(ms / 1000) });
      }
      c['RRULE'] = JSON.stringify(out);
    } else if (rrule === '' || rrule === false) c['RRULE'] = null;
    const crm = p('crm_fields');
    if (crm !== undefined) {
      if (!Array.isArray(crm)) throw fail('The list of event links to CRM must be an array');
      c['CRM'] = JSON.stringify(crm.map(String));
    }
    if (p('is_meeting') !== undefined) c['IS_MEETING'] = yn(p('is_meeting'), 'N') === 'Y' ? 1 : 0;
    const meeting = p('meeting');
    if (isObject(meeting) || (c['IS_MEETING'] === 1 && !old?.['MEETING'])) {
      const m = isObject(meeting) ? meeting : {};
      c['MEETING'] = JSON.stringify({
        HOST_NAME: '',
        NOTIFY: bool(m['notify']),
        REINVITE: bool(m['reinvite']),
        ALLOW_INVITE: bool(m['allow_invite']),
        HIDE_GUESTS: bool(m['hide_guests']),
        MEETING_CREATOR: ctx.auth.userId,
        LANGUAGE_ID: 'en',
        MAIL_FROM: '',
      });
    }
    return c;
  };

  const attendeeIds = (ctx: CallContext): number[] | undefined => {
    const raw = param(ctx.params, 'attendees');
    if (raw === undefined) return undefined;
    const list = Array.isArray(raw) ? raw : isObject(raw) ? Object.values(raw) : [raw];
    const ids = list.map(intOf);
    if (ids.some((id) => id === undefined || id <= 0)) throw fail('Invalid value for the parameter "attendees"');
    return [...new Set(ids as number[])];
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

  const sectionFor = (ctx: CallContext, type: string, ownerId: number, given: unknown): Row => {
    if (given === undefined || given === '' || given === null) {
      if (yn(param(ctx.params, 'auto_detect_section'), 'N') === 'Y')
        return defaultSection(type, ownerId, ctx.auth.userId);
      throw required('section', ctx.method);
    }
    const s = getSection(intOf(given) ?? 0);
    if (!s || s['CAL_TYPE'] !== type || Number(s['OWNER_ID']) !== ownerId)
      throw fail('You specified an invalid calendar section ID or the user does not have access to it');
    return s;
  };

  api.method({
    name: 'calendar.event.add',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, true);
      const c = eventColumns(ctx);
      const section = sectionFor(ctx, type, ownerId, param(ctx.params, 'section'));
      const invited = attendeeIds(ctx);
      const isMeeting = c['IS_MEETING'] === 1 || (c['IS_MEETING'] === undefined && (invited?.length ?? 0) > 0);
      if (isMeeting && !c['MEETING'])
        c['MEETING'] = JSON.stringify({
          HOST_NAME: '',
          NOTIFY: false,
          REINVITE: false,
          ALLOW_INVITE: false,
          HIDE_GUESTS: false,
          MEETING_CREATOR: ctx.auth.userId,
          LANGUAGE_ID: 'en',
          MAIL_FROM: '',
        });
      const host = intOf(param(ctx.params, 'host')) ?? (type === 'user' ? ownerId : ctx.auth.userId);
      const t = stamp();
      Object.assign(c, {
        SECTION_ID: section['ID'],
        CAL_TYPE: type,
        OWNER_ID: ownerId,
        IS_MEETING: isMeeting ? 1 : 0,
        MEETING_HOST: host,
        CREATED_BY: ctx.auth.userId,
        DATE_CREATE: t,
        TIMESTAMP_X: t,
        DAV_XML_ID: `${isoDateTime(now()).replace(/[-:]/g, '').slice(0, 15)}Z-${Math.random().toString(16).slice(2, 18)}@emulator`,
      });
      const names = Object.keys(c);
      const id = Number(
        db
          .prepare(
            `INSERT INTO calendar_event (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
          )
          .run(...names.map((n) => c[n])).lastInsertRowid,
      );
      if (isMeeting) setAttendees(id, host, invited ?? []);
      raise(ctx, 'ONCALENDARENTRYADD', id);
      return { result: id };
    },
  });

  const eventById = (ctx: CallContext, name = 'id'): Row => {
    const raw = param(ctx.params, name);
    if (raw === undefined || raw === '') throw required(name, ctx.method);
    const e = getEvent(intOf(raw) ?? 0);
    if (!e)
      throw fail(
        ctx.method === 'calendar.event.getbyid'
          ? 'Access denied'
          : 'An error occurred while retrieving the event: not found',
      );
    return e;
  };
  const canEdit = (ctx: CallContext, e: Row) =>
    ctx.auth.userId === ADMIN_ID ||
    Number(e['CREATED_BY']) === ctx.auth.userId ||
    Number(e['MEETING_HOST']) === ctx.auth.userId ||
    (e['CAL_TYPE'] === 'user' && Number(e['OWNER_ID']) === ctx.auth.userId);

  api.method({
    name: 'calendar.event.update',
    scope: 'calendar',
    handler: (ctx) => {
      const raw = param(ctx.params, 'id');
      if (raw === undefined || raw === '')
        throw fail('The required parameter "id" for the method "calendar.event.update" is not set.');
      const { type, ownerId } = owner(ctx, true);
      const e = getEvent(intOf(raw) ?? 0);
      if (!e || !canEdit(ctx, e)) throw fail('Access denied.');
      const c = eventColumns(ctx, e);
      const sectionRaw = param(ctx.params, 'section');
      if (sectionRaw !== undefined && sectionRaw !== '')
        c['SECTION_ID'] = sectionFor(ctx, type, ownerId, sectionRaw)['ID'];
      const invited = attendeeIds(ctx);
      if (
        invited !== undefined &&
        invited.length > 0 &&
        c['IS_MEETING'] === undefined &&
        Number(e['IS_MEETING']) !== 1
      ) {
        c['IS_MEETING'] = 1;
        if (!c['MEETING'])
          c['MEETING'] = JSON.stringify({
            HOST_NAME: '',
            NOTIFY: false,
            REINVITE: false,
            ALLOW_INVITE: false,
            HIDE_GUESTS: false,
            MEETING_CREATOR: ctx.auth.userId,
            LANGUAGE_ID: 'en',
            MAIL_FROM: '',
          });
      }
      const host = intOf(param(ctx.params, 'host')) ?? Number(e['MEETING_HOST'] ?? e['OWNER_ID']);
      c['MEETING_HOST'] = host;
      c['TIMESTAMP_X'] = stamp();
      const names = Object.keys(c);
      const id = Number(e['ID']);
      db.transaction(() => {
        db.prepare(
          `UPDATE calendar_event SET ${names.map((n) => `"${n}" = ?`).join(', ')}, VERSION = VERSION + 1 WHERE ID = ?`,
        ).run(...names.map((n) => c[n]), id);
        const meetingNow = c['IS_MEETING'] !== undefined ? c['IS_MEETING'] === 1 : Number(e['IS_MEETING']) === 1;
        if (!meetingNow) db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(id);
        else if (invited !== undefined) setAttendees(id, host, invited);
        else if (attendees(id).length === 0) setAttendees(id, host, []);
      })();
      raise(ctx, 'ONCALENDARENTRYUPDATE', id);
      return { result: id };
    },
  });
  api.method({
    name: 'calendar.event.delete',
    scope: 'calendar',
    handler: (ctx) => {
      const raw = param(ctx.params, 'id');
      if (raw === undefined || raw === '') throw fail('Event id not specified');
      const e = getEvent(intOf(raw) ?? 0);
      if (!e || !canEdit(ctx, e)) throw fail('An error occurred while deleting the event');
      db.prepare(`DELETE FROM calendar_attendee WHERE EVENT_ID = ?`).run(e['ID']);
      db.prepare(`DELETE FROM calendar_event WHERE ID = ?`).run(e['ID']);
      raise(ctx, 'ONCALENDARENTRYDELETE', e['ID']);
      return { result: true };
    },
  });
  api.method({
    name: 'calendar.event.getbyid',
    scope: 'calendar',
    handler: (ctx) => ({ result: eventWire(eventById(ctx), ctx.auth.userId) }),
  });

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
  const rangeOf = (ctx: CallContext, dflt: { from: number; to: number }): { from: number; to: number } => {
    const read = (name: string, fallback: number, endOfDay: boolean) => {
      const raw = param(ctx.params, name);
      if (raw === undefined || raw === '') return fallback;
      const ms = parseInstant(raw, 'UTC');
      if (ms === undefined) throw fail(`Invalid value for the parameter "${name}"`);
      // A bare date as the end of a range means the whole day.
      return endOfDay && /^\d{4}-\d{2}-\d{2}$|^\d{2}\.\d{2}\.\d{4}$/.test(String(raw).trim()) ? ms + DAY_MS - 1 : ms;
    };
    return { from: read('from', dflt.from, false), to: read('to', dflt.to, true) };
  };

  api.method({
    name: 'calendar.event.get',
    scope: 'calendar',
    handler: (ctx) => {
      const type = param(ctx.params, 'type');
      if (type === undefined || type === '')
        throw fail('Required parameter "type" is not specified for method "calendar.event.get"');
      const { ownerId } = owner(ctx, false);
      // Without a range the portal answers one month back and three ahead.
      const t = now();
      const { from, to } = rangeOf(ctx, { from: t - 30 * DAY_MS, to: t + 90 * DAY_MS });
      const rawSections = param(ctx.params, 'section');
      const sections =
        rawSections === undefined
          ? undefined
          : (Array.isArray(rawSections) ? rawSections : [rawSections]).map((s) => intOf(s) ?? 0);
      return { result: eventsIn(String(type), ownerId, from, to, sections).map((e) => eventWire(e, ctx.auth.userId)) };
    },
  });
  api.method({
    name: 'calendar.event.get.nearest',
    scope: 'calendar',
    handler: (ctx) => {
      const type = String(param(ctx.params, 'type') ?? 'user');
      if (!CAL_TYPES.has(type)) throw fail('Invalid value for the parameter "type"');
      const forCurrent = param(ctx.params, 'forCurrentUser');
      const ownerId =
        forCurrent === undefined || bool(forCurrent)
          ? ctx.auth.userId
          : (intOf(param(ctx.params, 'ownerId')) ?? ctx.auth.userId);
      const days = intOf(param(ctx.params, 'days')) ?? 60;
      const max = intOf(param(ctx.params, 'maxEventsCount'));
      const t = now();
      const rows = eventsIn(type, ownerId, t, t + days * DAY_MS).filter((e) => {
        const mine = attendees(Number(e['ID'])).find((a) => a.USER_ID === ownerId);
        return mine?.STATUS !== 'N';
      });
      return {
        result: (max !== undefined && max > 0 ? rows.slice(0, max) : rows).map((e) => eventWire(e, ctx.auth.userId)),
      };
    },
  });

  // ---- meetings ----
  const meetingOf = (ctx: CallContext): Row => {
    const raw = param(ctx.params, 'eventId');
    if (raw === undefined || raw === '') throw required('eventId', ctx.method);
    const e = getEvent(intOf(raw) ?? 0);
    if (!e || Number(e['IS_MEETING']) !== 1 || !attendees(Number(e['ID'])).some((a) => a.USER_ID === ctx.auth.userId)) {
      throw fail(
        ctx.method === 'calendar.meeting.status.get'
          ? 'An error occurred while retrieving the status'
          : 'An error occurred while setting the status',
      );
    }
    return e;
  };
  api.method({
    name: 'calendar.meeting.status.get',
    scope: 'calendar',
    handler: (ctx) => {
      const e = meetingOf(ctx);
      return { result: attendees(Number(e['ID'])).find((a) => a.USER_ID === ctx.auth.userId)!.STATUS };
    },
  });
  api.method({
    name: 'calendar.meeting.status.set',
    scope: 'calendar',
    handler: (ctx) => {
      const status = param(ctx.params, 'status');
      if (status === undefined || status === '') throw required('status', ctx.method);
      if (!ANSWERS.has(String(status))) throw fail('Invalid value for the parameter "status"');
      const e = meetingOf(ctx);
      // The host's own status stays H; only guests answer.
      if (Number(e['MEETING_HOST']) !== ctx.auth.userId) {
        db.prepare(`UPDATE calendar_attendee SET STATUS = ? WHERE EVENT_ID = ? AND USER_ID = ?`).run(
          String(status),
          e['ID'],
          ctx.auth.userId,
        );
      }
      return { result: true };
    },
  });

  // ---- busy times ----
  api.method({
    name: 'calendar.accessibility.get',
    scope: 'calendar',
    handler: (ctx) => {
      const rawUsers = param(ctx.params, 'users');
      if (rawUsers === undefined || rawUsers === '') throw required('users', ctx.method);
      if (param(ctx.params, 'from') === undefined) throw required('from', ctx.method);
      if (param(ctx.params, 'to') === undefined) throw required('to', ctx.method);
      const users = (
        Array.isArray(rawUsers) ? rawUsers : isObject(rawUsers) ? Object.values(rawUsers) : [rawUsers]
      ).map(intOf);
      if (users.some((u) => u === undefined)) throw fail('Invalid value for the parameter "users"');
      const { from, to } = rangeOf(ctx, { from: 0, to: 0 });
      const out: Row = {};
      for (const uid of users as number[]) {
        // Free events and meetings the user declined do not make them busy.
        const busy = eventsIn('user', uid, from, to).filter(
          (e) =>
            e['ACCESSIBILITY'] !== 'free' && attendees(Number(e['ID'])).find((a) => a.USER_ID === uid)?.STATUS !== 'N',
        );
        out[String(uid)] = busy.map((e) => {
          const w = eventWire(e, uid);
          return {
            ID: w['ID'],
            NAME: e['PRIVATE_EVENT'] === 'Y' && Number(e['OWNER_ID']) !== ctx.auth.userId ? '[busy]' : w['NAME'],
            DATE_FROM: w['DATE_FROM'],
            DATE_TO: w['DATE_TO'],
            // https://apidocs.bitrix24.com/api-reference/calendar/calendar-accessibility-get.html
            // shows the UTC timestamps and the viewer's offsets beside the local dates.
            DATE_FROM_TS_UTC: w['DATE_FROM_TS_UTC'],
            DATE_TO_TS_UTC: w['DATE_TO_TS_UTC'],
            '~USER_OFFSET_FROM': w['~USER_OFFSET_FROM'],
            '~USER_OFFSET_TO': w['~USER_OFFSET_TO'],
            DT_SKIP_TIME: w['DT_SKIP_TIME'],
            TZ_FROM: w['TZ_FROM'],
            TZ_TO: w['TZ_TO'],
            ACCESSIBILITY: w['ACCESSIBILITY'],
            IMPORTANCE: w['IMPORTANCE'],
            EVENT_TYPE: null,
          };
        });
      }
      return { result: out };
    },
  });

  // ---- settings ----
  api.method({ name: 'calendar.settings.get', scope: 'calendar', handler: () => ({ result: PORTAL_SETTINGS }) });
  const userSettings = (userId: number): Row => {
    const row = db.prepare(`SELECT SETTINGS FROM calendar_user_settings WHERE USER_ID = ?`).get(userId) as
      | { SETTINGS: string }
      | undefined;
    const section = String(defaultSection('user', userId, userId)['ID']);
    const base = {
      ...DEFAULT_USER_SETTINGS,
      meetSection: section,
      crmSection: section,
      defaultSections: { [`user${userId}`]: section },
    };
    return { ...base, ...(row ? (JSON.parse(row.SETTINGS) as Row) : {}) };
  };
  api.method({
    name: 'calendar.user.settings.get',
    scope: 'calendar',
    handler: (ctx) => ({ result: userSettings(ctx.auth.userId) }),
  });
  api.method({
    name: 'calendar.user.settings.set',
    scope: 'calendar',
    handler: (ctx): MethodResult => {
      const settings = param(ctx.params, 'settings');
      if (settings === undefined || settings === '') throw required('settings', ctx.method);
      if (!isObject(settings)) throw fail('Invalid value for the parameter "settings"');
      // Only the known keys are kept, as the portal ignores the rest.
      const known = Object.keys(DEFAULT_USER_SETTINGS);
      const stored = db.prepare(`SELECT SETTINGS FROM calendar_user_settings WHERE USER_ID = ?`).get(ctx.auth.userId) as
        | { SETTINGS: string }
        | undefined;
      const merged: Row = stored ? (JSON.parse(stored.SETTINGS) as Row) : {};
      for (const [k, v] of Object.entries(settings)) if (known.includes(k)) merged[k] = v;
      db.prepare(
        `INSERT INTO calendar_user_settings (USER_ID, SETTINGS) VALUES (?, ?) ON CONFLICT(USER_ID) DO UPDATE SET SETTINGS = excluded.SETTINGS`,
      ).run(ctx.auth.userId, JSON.stringify(merged));
      return { result: true };
    },
  });
};

function describeRrule(r: Row): string {
  const freq = String(r['FREQ']).toLowerCase();
  const unit = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' }[freq] ?? freq;
  const n = Number(r['INTERVAL'] ?? 1);
  const days = r['BYDAY'] && typeof r['BYDAY'] === 'object' ? ` on: ${Object.keys(r['BYDAY']).join(', ')}` : '';
  const until = r['UNTIL'] ? ` until ${String(r['UNTIL'])}` : '';
  return `every ${n > 1 ? `${n} ${unit}s` : unit}${days}${until}`;
}
