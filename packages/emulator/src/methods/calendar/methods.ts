/**
 * Calendar methods: sections (`calendar.section.*`), events (`calendar.event.*` incl.
 * `get.nearest`), meetings (`calendar.meeting.status.*`), busy times (`calendar.accessibility.get`)
 * and settings (`calendar.settings.get`, `calendar.user.settings.*`), over the calendar store
 * (./store.ts).
 */
import { isoDateTime } from '../../clock.js';
import { param } from '../../params.js';
import { yn } from '../../wire.js';
import type { CallContext, DomainApi, MethodResult } from '../types.js';
import {
  accessDenied,
  ACCESSIBILITY,
  ADMIN_ID,
  ANSWERS,
  bool,
  type CalendarStore,
  CAL_TYPES,
  checkZone,
  DAY_MS,
  DEFAULT_USER_SETTINGS,
  displayFormat,
  fail,
  IMPORTANCE,
  intOf,
  isObject,
  parseInstant,
  PORTAL_SETTINGS,
  required,
  type Row,
} from './store.js';

export function registerCalendarMethods(api: DomainApi, store: CalendarStore): void {
  const { portal } = api;
  const {
    now,
    stamp,
    getSection,
    getEvent,
    attendees,
    defaultSection,
    sectionWire,
    eventWire,
    eventsIn,
    sectionsOf,
    setAttendees,
  } = store;
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
      return { result: sectionsOf(type, ownerId).map((s) => sectionWire(s, ctx.auth.userId)) };
    },
  });
  api.method({
    name: 'calendar.section.add',
    scope: 'calendar',
    handler: (ctx) => {
      const { type, ownerId } = owner(ctx, true);
      const id = store.insertSection(sectionFields(ctx), type, ownerId, ctx.auth.userId);
      raise(ctx, 'ONCALENDARSECTIONADD', id);
      return { result: id };
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
      store.updateSection(s['ID'], f);
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
      store.deleteSection(s['ID']);
      raise(ctx, 'ONCALENDARSECTIONDELETE', s['ID']);
      return { result: true };
    },
  });

  // ---- events ----
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
      const id = store.insertEvent(c);
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
      const id = Number(e['ID']);
      const meetingNow = c['IS_MEETING'] !== undefined ? c['IS_MEETING'] === 1 : Number(e['IS_MEETING']) === 1;
      store.updateEvent(id, c, meetingNow, host, invited);
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
      store.deleteEvent(e['ID']);
      raise(ctx, 'ONCALENDARENTRYDELETE', e['ID']);
      return { result: true };
    },
  });
  api.method({
    name: 'calendar.event.getbyid',
    scope: 'calendar',
    handler: (ctx) => ({ result: eventWire(eventById(ctx), ctx.auth.userId) }),
  });

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
        store.setStatus(e['ID'], ctx.auth.userId, String(status));
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
  api.method({
    name: 'calendar.user.settings.get',
    scope: 'calendar',
    handler: (ctx) => ({ result: store.userSettings(ctx.auth.userId) }),
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
      const merged = store.storedUserSettings(ctx.auth.userId);
      for (const [k, v] of Object.entries(settings)) if (known.includes(k)) merged[k] = v;
      store.saveUserSettings(ctx.auth.userId, merged);
      return { result: true };
    },
  });
}
