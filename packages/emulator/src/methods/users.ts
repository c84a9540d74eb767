/**
 * The company structure: users (`user.get|search|current|add|update|fields`) and departments
 * (`department.get|add|update|delete|fields`). User 1 is the administrator and department 1 the
 * top of the structure, both present from the start. Users other than 1 that call or are named
 * before they were added (a webhook of user 7) get a row made on first sight.
 *
 * Wire typing follows the docs' samples: user IDs are strings, ACTIVE is a JSON boolean,
 * UF_DEPARTMENT a list of numbers; department ID/PARENT/UF_HEAD are strings and SORT a number.
 */
import { isoDateTime } from '../clock.js';
import { errors, RestError } from '../errors.js';
import { param, type Params } from '../params.js';
import { isObject as isPlainObject, toNonNegativeInt } from '../wire.js';
import type { EntityDef, FieldDef } from './entity.js';
import { buildWhere, type SqlPart } from './listQuery.js';
import type { CallContext, Domain, MethodResult } from './types.js';
import { offsetAnswer, readStart } from '../paging.js';

type Row = Record<string, unknown>;

const ADMIN_ID = 1;
const ROOT_DEPARTMENT_ID = 1;

/** Text fields a caller may set, with the titles user.fields reports. */
const USER_TEXT_FIELDS: Readonly<Record<string, string>> = {
  XML_ID: 'External code',
  NAME: 'First Name',
  LAST_NAME: 'Last Name',
  SECOND_NAME: 'Middle Name',
  TITLE: 'User List',
  EMAIL: 'E-Mail',
  TIME_ZONE: 'TIME_ZONE',
  PERSONAL_GENDER: 'Gender',
  PERSONAL_PROFESSION: 'Profession',
  PERSONAL_WWW: 'Homepage',
  PERSONAL_BIRTHDAY: 'Date of Birth',
  PERSONAL_ICQ: 'ICQ',
  PERSONAL_PHONE: 'Personal Phone',
  PERSONAL_FAX: 'Fax',
  PERSONAL_MOBILE: 'Personal Mobile',
  PERSONAL_PAGER: 'Pager',
  PERSONAL_STREET: 'Residential Street',
  PERSONAL_CITY: 'Residential City',
  PERSONAL_STATE: 'State / Region',
  PERSONAL_ZIP: 'Zip Code',
  PERSONAL_COUNTRY: 'Country',
  PERSONAL_MAILBOX: 'P.O. Box',
  PERSONAL_NOTES: 'Additional Notes',
  WORK_PHONE: 'Company Phone',
  WORK_COMPANY: 'Company',
  WORK_POSITION: 'Job Title',
  WORK_DEPARTMENT: 'Department',
  WORK_WWW: 'Company Website',
  WORK_FAX: 'WORK_FAX',
  WORK_PAGER: 'WORK_PAGER',
  WORK_STREET: 'WORK_STREET',
  WORK_MAILBOX: 'WORK_MAILBOX',
  WORK_CITY: 'Work City',
  WORK_STATE: 'WORK_STATE',
  WORK_ZIP: 'WORK_ZIP',
  WORK_COUNTRY: 'WORK_COUNTRY',
  WORK_PROFILE: 'WORK_PROFILE',
  WORK_NOTES: 'WORK_NOTES',
  UF_SKYPE_LINK: 'Skype Chat Link',
  UF_ZOOM: 'Zoom',
  UF_EMPLOYMENT_DATE: 'Hire Date',
  UF_INTERESTS: 'Interests',
  UF_SKILLS: 'Skills',
  UF_WEB_SITES: 'Websites',
  UF_XING: 'Xing',
  UF_LINKEDIN: 'LinkedIn',
  UF_FACEBOOK: 'Facebook',
  UF_TWITTER: 'Twitter',
  UF_SKYPE: 'Skype',
  UF_DISTRICT: 'District',
  UF_PHONE_INNER: 'Extension Number',
};
/** Set by the server; readable and filterable, never written by a caller. */
const USER_SERVER_FIELDS = [
  'LAST_LOGIN',
  'DATE_REGISTER',
  'TIMESTAMP_X',
  'LAST_ACTIVITY_DATE',
  'IS_ONLINE',
  'USER_TYPE',
] as const;

const userDef: EntityDef = {
  name: 'user',
  table: 'b_user',
  idField: 'ID',
  wire: 'legacy',
  fields: {
    ...Object.fromEntries(Object.keys(USER_TEXT_FIELDS).map((k): [string, FieldDef] => [k, { type: 'string' }])),
    ...Object.fromEntries(USER_SERVER_FIELDS.map((k): [string, FieldDef] => [k, { type: 'string' }])),
    ACTIVE: { type: 'char' },
  },
};

const departmentDef: EntityDef = {
  name: 'department',
  table: 'b_department',
  idField: 'ID',
  wire: 'legacy',
  fields: {
    NAME: { type: 'string' },
    SORT: { type: 'integer' },
    PARENT: { type: 'integer' },
    UF_HEAD: { type: 'integer' },
  },
};

/** Parameters of user.get/search that are not filter fields. */
const USER_LIST_CONTROLS = new Set([
  'sort',
  'order',
  'filter',
  'admin_mode',
  'select',
  'image_resize',
  'start',
  'auth',
  'fields',
]);

const coreError = (text: string) => new RestError('ERROR_CORE', text, 400);
const isObject = (v: unknown): v is Params => isPlainObject(v);

const intOrUndefined = toNonNegativeInt;

export const usersDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  const textCols = Object.keys(USER_TEXT_FIELDS);
  db.exec(`CREATE TABLE IF NOT EXISTS b_user (ID INTEGER PRIMARY KEY AUTOINCREMENT, ACTIVE TEXT NOT NULL DEFAULT 'Y',
    UF_DEPARTMENT TEXT NOT NULL DEFAULT '[]', ${[...textCols, ...USER_SERVER_FIELDS].map((c) => `"${c}" TEXT`).join(', ')})`);
  db.exec(`CREATE TABLE IF NOT EXISTS b_department (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL,
    SORT INTEGER NOT NULL DEFAULT 500, PARENT INTEGER, UF_HEAD INTEGER)`);

  const now = () => isoDateTime(portal.clock.now());
  const getUser = (id: number) => db.prepare(`SELECT * FROM b_user WHERE ID = ?`).get(id) as Row | undefined;
  const getDepartment = (id: number) =>
    db.prepare(`SELECT * FROM b_department WHERE ID = ?`).get(id) as Row | undefined;

  /** A row for a user id seen before it was added (the admin, a webhook's user). */
  const ensureUser = (id: number): Row => {
    const found = getUser(id);
    if (found) return found;
    const t = now();
    db.prepare(`INSERT INTO b_user (ID, NAME, LAST_NAME, EMAIL, UF_DEPARTMENT, DATE_REGISTER, TIMESTAMP_X, LAST_LOGIN, LAST_ACTIVITY_DATE, IS_ONLINE, USER_TYPE)
      VALUES (?, ?, 'Emulator', ?, ?, ?, ?, ?, ?, 'Y', 'employee')`).run(
      id,
      id === ADMIN_ID ? 'Admin' : `User${id}`,
      `user${id}@example.invalid`,
      JSON.stringify([ROOT_DEPARTMENT_ID]),
      t,
      t,
      t,
      t,
    );
    return getUser(id)!;
  };
  if (!getDepartment(ROOT_DEPARTMENT_ID))
    db.prepare(`INSERT INTO b_department (ID, NAME, SORT, PARENT, UF_HEAD) VALUES (?, 'Company', 500, NULL, ?)`).run(
      ROOT_DEPARTMENT_ID,
      ADMIN_ID,
    );
  ensureUser(ADMIN_ID);
  api.event('ONUSERADD');

  const userWire = (row: Row, select?: ReadonlySet<string>): Row => {
    const out: Row = { ID: String(row['ID']), ACTIVE: row['ACTIVE'] === 'Y' };
    for (const k of [...textCols, ...USER_SERVER_FIELDS]) out[k] = row[k] ?? '';
    out['UF_DEPARTMENT'] = JSON.parse(String(row['UF_DEPARTMENT'] ?? '[]')) as number[];
    if (!select || select.size === 0 || select.has('*')) return out;
    return Object.fromEntries(Object.entries(out).filter(([k]) => k === 'ID' || select.has(k)));
  };

  const requireAdmin = (ctx: CallContext) => {
    if (ctx.auth.userId !== ADMIN_ID) throw coreError('access_denied');
  };

  const departmentsOf = (raw: unknown): number[] => {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.includes(',') ? raw.split(',') : [raw];
    const ids = list.map(intOrUndefined);
    if (ids.some((d) => d === undefined || !getDepartment(d)))
      throw new RestError('ERROR_ARGUMENT', 'UF_DEPARTMENT names a department that does not exist', 400, {
        argument: 'UF_DEPARTMENT',
      });
    return ids as number[];
  };

  /** Writable fields of user.add/update → columns; unknown names are ignored as the portal does. */
  const userColumns = (fields: Params): Row => {
    const cols: Row = {};
    for (const [rawKey, value] of Object.entries(fields)) {
      const key = rawKey.toUpperCase();
      if (key in USER_TEXT_FIELDS) cols[key] = value === null || value === undefined ? '' : String(value);
      else if (key === 'ACTIVE')
        cols['ACTIVE'] =
          value === true || value === 'Y' || value === '1' || value === 1 || value === 'true' ? 'Y' : 'N';
      else if (key === 'UF_DEPARTMENT') cols['UF_DEPARTMENT'] = JSON.stringify(departmentsOf(value));
    }
    if (typeof cols['EMAIL'] === 'string' && cols['EMAIL'] !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(cols['EMAIL']))
      throw new RestError('ERROR_ARGUMENT', 'wrong_email', 400);
    return cols;
  };
  const emailTaken = (email: string, exceptId = 0) =>
    !!db.prepare(`SELECT 1 FROM b_user WHERE lower(EMAIL) = lower(?) AND ID <> ?`).get(email, exceptId);

  /**
   * user.get / user.search filter: `FILTER` (or, as the docs allow, fields at the top level),
   * with the usual prefixes; `UF_DEPARTMENT` matches any of the user's departments, `FIND`
   * (search) and `NAME_SEARCH` look in names, e-mail and position.
   */
  const userWhere = (ctx: CallContext): SqlPart => {
    const filter: Params = {};
    const given = param(ctx.params, 'FILTER');
    if (isObject(given)) Object.assign(filter, given);
    for (const [k, v] of Object.entries(ctx.params)) if (!USER_LIST_CONTROLS.has(k.toLowerCase())) filter[k] = v;
    const parts: SqlPart[] = [];
    for (const key of Object.keys(filter)) {
      const bare = key.replace(/^[^A-Za-z_]+/, '').toUpperCase();
      const value = filter[key];
      if (bare === 'UF_DEPARTMENT') {
        const ids = (Array.isArray(value) ? value : [value])
          .map(intOrUndefined)
          .filter((d): d is number => d !== undefined);
        parts.push({
          sql: `EXISTS (SELECT 1 FROM json_each(UF_DEPARTMENT) WHERE value IN (${ids.map(() => '?').join(',') || 'NULL'}))`,
          args: ids,
        });
        delete filter[key];
      } else if (bare === 'FIND' || bare === 'NAME_SEARCH') {
        const words = String(value ?? '')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        for (const w of words) {
          const like = `%${w.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
          const cols =
            bare === 'FIND'
              ? ['NAME', 'LAST_NAME', 'SECOND_NAME', 'EMAIL', 'WORK_POSITION']
              : ['NAME', 'LAST_NAME', 'SECOND_NAME'];
          parts.push({
            sql: `(${cols.map((c) => `"${c}" LIKE ? ESCAPE '\\'`).join(' OR ')})`,
            args: cols.map(() => like),
          });
        }
        delete filter[key];
      }
    }
    parts.push(buildWhere(userDef, filter));
    return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), args: parts.flatMap((p) => p.args) };
  };

  const userList = (ctx: CallContext): MethodResult => {
    const where = userWhere(ctx);
    const sortField = String(param(ctx.params, 'sort') ?? 'ID').toUpperCase();
    const dir = String(param(ctx.params, 'order') ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const col =
      sortField === 'ID' ||
      sortField in USER_TEXT_FIELDS ||
      (USER_SERVER_FIELDS as readonly string[]).includes(sortField) ||
      sortField === 'ACTIVE'
        ? sortField
        : 'ID';
    const page = readStart(ctx);
    const rows = db
      .prepare(
        `SELECT * FROM b_user WHERE ${where.sql} ORDER BY "${col}" ${dir}, ID ASC LIMIT ${page.limit} OFFSET ${page.offset}`,
      )
      .all(...where.args) as Row[];
    const count = () =>
      (db.prepare(`SELECT COUNT(*) AS c FROM b_user WHERE ${where.sql}`).get(...where.args) as { c: number }).c;
    const sel = param(ctx.params, 'select');
    const select = Array.isArray(sel) ? new Set(sel.map((s) => String(s).toUpperCase())) : undefined;
    return offsetAnswer(
      ctx,
      page,
      rows.map((r) => userWire(r, select)),
      count,
    );
  };

  // Reading users needs any one of three scopes (user-get.md); the dispatcher accepts any listed scope.
  const reading = (name: string, handler: (ctx: CallContext) => MethodResult) =>
    api.method({ name, scope: 'user, user_brief, user_basic', handler });
  reading('user.fields', () => ({ result: userFieldTitles() }));
  reading('user.current', (ctx) => ({ result: userWire(ensureUser(ctx.auth.userId)) }));
  reading('user.get', userList);
  reading('user.search', userList);
  api.method({
    name: 'user.add',
    scope: 'user',
    handler: (ctx) => {
      requireAdmin(ctx);
      const fields = isObject(param(ctx.params, 'fields')) ? (param(ctx.params, 'fields') as Params) : ctx.params;
      const cols = userColumns(fields);
      const email = cols['EMAIL'];
      if (typeof email !== 'string' || email === '')
        throw new RestError('ERROR_ARGUMENT', 'wrong_email', 400, { argument: 'EMAIL' });
      if (emailTaken(email)) throw new RestError('ERROR_ARGUMENT', 'A user with this email already exists', 400);
      const extranet = ['Y', '1', 'true'].includes(String(param(fields, 'EXTRANET') ?? ''));
      if (cols['UF_DEPARTMENT'] === undefined && !extranet)
        cols['UF_DEPARTMENT'] = JSON.stringify([ROOT_DEPARTMENT_ID]);
      const t = now();
      // An invited user has registered but never logged in.
      Object.assign(cols, {
        DATE_REGISTER: t,
        TIMESTAMP_X: t,
        IS_ONLINE: 'N',
        USER_TYPE: extranet ? 'extranet' : 'employee',
      });
      const names = Object.keys(cols);
      const id = Number(
        db
          .prepare(
            `INSERT INTO b_user (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
          )
          .run(...names.map((n) => cols[n])).lastInsertRowid,
      );
      // The payload carries the new user's main fields (docs' onUserAdd sample).
      const u = getUser(id)!;
      const data: Row = {
        ID: id,
        ACTIVE: u['ACTIVE'],
        UF_DEPARTMENT: JSON.parse(String(u['UF_DEPARTMENT'])) as unknown,
      };
      for (const k of [
        'EMAIL',
        'NAME',
        'LAST_NAME',
        'PERSONAL_GENDER',
        'PERSONAL_BIRTHDAY',
        'DATE_REGISTER',
        'WORK_POSITION',
        'UF_EMPLOYMENT_DATE',
      ])
        if (u[k]) data[k] = u[k];
      portal.raiseEvent('ONUSERADD', data, ctx.auth);
      return { result: id };
    },
  });
  api.method({
    name: 'user.update',
    scope: 'user',
    handler: (ctx) => {
      const fields = isObject(param(ctx.params, 'fields'))
        ? { ...ctx.params, ...(param(ctx.params, 'fields') as Params) }
        : ctx.params;
      const id = intOrUndefined(param(fields, 'ID'));
      if (id === undefined) throw new RestError('ERROR_ARGUMENT', 'ID is required', 400, { argument: 'ID' });
      if (ctx.auth.userId !== ADMIN_ID && ctx.auth.userId !== id) throw coreError('access_denied');
      if (!getUser(id)) throw coreError('User not found');
      const cols = userColumns(fields);
      if (typeof cols['EMAIL'] === 'string' && cols['EMAIL'] !== '' && emailTaken(cols['EMAIL'], id))
        throw new RestError('ERROR_ARGUMENT', 'A user with this email already exists', 400);
      // Only the administrator can dismiss or rehire (ACTIVE).
      if ('ACTIVE' in cols && ctx.auth.userId !== ADMIN_ID) throw coreError('access_denied');
      cols['TIMESTAMP_X'] = now();
      const names = Object.keys(cols);
      db.prepare(`UPDATE b_user SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`).run(
        ...names.map((n) => cols[n]),
        id,
      );
      return { result: true };
    },
  });

  // ---- departments ----
  const departmentWire = (row: Row): Row => ({
    ID: String(row['ID']),
    NAME: row['NAME'],
    SORT: Number(row['SORT']),
    ...(row['PARENT'] !== null ? { PARENT: String(row['PARENT']) } : {}),
    ...(row['UF_HEAD'] !== null && row['UF_HEAD'] !== undefined ? { UF_HEAD: String(row['UF_HEAD']) } : {}),
  });
  const departmentNotFound = () => coreError('Department not found');
  /** The department named by ID, for a change only the administrator may make. */
  const departmentForAdmin = (ctx: CallContext) => {
    if (ctx.auth.userId !== ADMIN_ID) throw coreError('Access denied');
    const id = intOrUndefined(param(ctx.params, 'ID'));
    const row = id === undefined ? undefined : getDepartment(id);
    if (id === undefined || !row) throw departmentNotFound();
    return { id, row };
  };
  const subtree = (id: number): number[] =>
    (
      db
        .prepare(
          `WITH RECURSIVE t(ID) AS (SELECT ID FROM b_department WHERE PARENT = ? UNION ALL SELECT d.ID FROM b_department d JOIN t ON d.PARENT = t.ID) SELECT ID FROM t`,
        )
        .all(id) as { ID: number }[]
    ).map((r) => r.ID);
  const readHead = (v: unknown): number | null => {
    if (v === undefined || v === null || v === '' || v === 0 || v === '0') return null;
    const id = intOrUndefined(v);
    if (id === undefined)
      throw new RestError('ERROR_ARGUMENT', 'UF_HEAD must be a user id', 400, { argument: 'UF_HEAD' });
    ensureUser(id);
    return id;
  };
  const readParent = (v: unknown): number => {
    const id = intOrUndefined(v);
    if (id === undefined || !getDepartment(id)) throw coreError('Parent department not found');
    return id;
  };
  const readSort = (v: unknown): number => {
    const n = intOrUndefined(v);
    if (n === undefined) throw new RestError('ERROR_ARGUMENT', 'SORT must be an integer', 400, { argument: 'SORT' });
    return n;
  };

  api.method({
    name: 'department.fields',
    scope: 'department',
    handler: () => ({
      result: {
        ID: 'ID',
        NAME: 'Department Name',
        SORT: 'Sort Order',
        PARENT: 'Parent Department',
        UF_HEAD: 'Manager',
      },
    }),
  });
  api.method({
    name: 'department.get',
    scope: 'department',
    handler: (ctx) => {
      // Filter fields sit at the top level (ID, NAME, SORT, PARENT, UF_HEAD). Lowercase `sort` and
      // `order` choose the ordering, so here (only) the case of a name matters: SORT filters.
      const filter: Params = {};
      for (const [k, v] of Object.entries(ctx.params)) {
        if (k === 'sort' || k === 'order') continue;
        const bare = k.replace(/^[^A-Za-z_]+/, '').toUpperCase();
        if (bare in departmentDef.fields || bare === 'ID') filter[k] = v;
      }
      const where = buildWhere(departmentDef, filter);
      const sortField = String(ctx.params['sort'] ?? 'SORT').toUpperCase();
      const col = sortField in departmentDef.fields || sortField === 'ID' ? sortField : 'SORT';
      const dir = String(ctx.params['order'] ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      const page = readStart(ctx, 'START');
      const rows = db
        .prepare(
          `SELECT * FROM b_department WHERE ${where.sql} ORDER BY "${col}" ${dir}, ID ASC LIMIT ${page.limit} OFFSET ${page.offset}`,
        )
        .all(...where.args) as Row[];
      const count = () =>
        (db.prepare(`SELECT COUNT(*) AS c FROM b_department WHERE ${where.sql}`).get(...where.args) as { c: number }).c;
      return offsetAnswer(ctx, page, rows.map(departmentWire), count);
    },
  });
  api.method({
    name: 'department.add',
    scope: 'department',
    handler: (ctx) => {
      if (ctx.auth.userId !== ADMIN_ID) throw coreError('Access denied');
      const name = param(ctx.params, 'NAME');
      if (typeof name !== 'string' || name.trim() === '') throw coreError('Department name not provided.<br>');
      const rawParent = param(ctx.params, 'PARENT');
      if (rawParent === undefined || rawParent === null || rawParent === '' || rawParent === 0 || rawParent === '0') {
        throw coreError('There can only be one top-level department in the company structure');
      }
      const parent = readParent(rawParent);
      const sortRaw = param(ctx.params, 'SORT');
      const sort = sortRaw === undefined || sortRaw === '' ? 500 : readSort(sortRaw);
      const head = readHead(param(ctx.params, 'UF_HEAD'));
      const id = db
        .prepare(`INSERT INTO b_department (NAME, SORT, PARENT, UF_HEAD) VALUES (?, ?, ?, ?)`)
        .run(name.trim(), sort, parent, head).lastInsertRowid;
      return { result: Number(id) };
    },
  });
  api.method({
    name: 'department.update',
    scope: 'department',
    handler: (ctx) => {
      const { id, row } = departmentForAdmin(ctx);
      const set: Row = {};
      const name = param(ctx.params, 'NAME');
      if (name !== undefined) {
        if (typeof name !== 'string' || name.trim() === '') throw coreError('Department name not provided.<br>');
        set['NAME'] = name.trim();
      }
      const sort = param(ctx.params, 'SORT');
      if (sort !== undefined) set['SORT'] = readSort(sort);
      const parent = param(ctx.params, 'PARENT');
      if (parent !== undefined) {
        if (row['PARENT'] === null)
          throw coreError('There can only be one top-level department in the company structure');
        const p = readParent(parent);
        if (p === id || subtree(id).includes(p))
          throw coreError('A department cannot be moved into itself or one of its subdepartments');
        set['PARENT'] = p;
      }
      const head = param(ctx.params, 'UF_HEAD');
      if (head !== undefined) set['UF_HEAD'] = readHead(head);
      const names = Object.keys(set);
      if (names.length)
        db.prepare(`UPDATE b_department SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`).run(
          ...names.map((n) => set[n]),
          id,
        );
      return { result: true };
    },
  });
  api.method({
    name: 'department.delete',
    scope: 'department',
    handler: (ctx) => {
      const { id, row } = departmentForAdmin(ctx);
      if (row['PARENT'] === null) throw coreError('The top-level department cannot be deleted');
      // Like an information-block section, a department goes with its subdepartments.
      const gone = [id, ...subtree(id)];
      db.transaction(() => {
        db.prepare(`DELETE FROM b_department WHERE ID IN (${gone.map(() => '?').join(',')})`).run(...gone);
        const members = db.prepare(`SELECT ID, UF_DEPARTMENT FROM b_user`).all() as Row[];
        for (const u of members) {
          const deps = JSON.parse(String(u['UF_DEPARTMENT'] ?? '[]')) as number[];
          const kept = deps.filter((d) => !gone.includes(d));
          if (kept.length !== deps.length)
            db.prepare(`UPDATE b_user SET UF_DEPARTMENT = ? WHERE ID = ?`).run(JSON.stringify(kept), u['ID']);
        }
      })();
      return { result: true };
    },
  });
};

function userFieldTitles(): Record<string, string> {
  return {
    ID: 'ID',
    ACTIVE: 'Activity',
    ...USER_TEXT_FIELDS,
    LAST_LOGIN: 'Last Authorization',
    DATE_REGISTER: 'Registration Date',
    IS_ONLINE: 'IS_ONLINE',
    TIMESTAMP_X: 'TIMESTAMP_X',
    LAST_ACTIVITY_DATE: 'LAST_ACTIVITY_DATE',
    PERSONAL_PHOTO: 'Photo',
    WORK_LOGO: 'WORK_LOGO',
    UF_TIMEMAN: 'Time Tracking',
    UF_DEPARTMENT: 'Units',
    USER_TYPE: 'USER_TYPE',
  };
}
