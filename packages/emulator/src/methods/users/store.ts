/**
 * The users store: the user and department tables, the wire shape of their rows, the parsing
 * of the values callers send (departments, heads, sort, the user.get/search filter) and every
 * SQL statement of the domain. Method handlers live in ./methods.ts.
 *
 * User 1 is the administrator and department 1 the top of the structure, both present from the
 * start. Users other than 1 that call or are named before they were added (a webhook of user 7)
 * get a row made on first sight.
 *
 * Wire typing follows the docs' samples: user IDs are strings, ACTIVE is a JSON boolean,
 * UF_DEPARTMENT a list of numbers; department ID/PARENT/UF_HEAD are strings and SORT a number.
 */
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import { param, type Params } from '../../params.js';
import type { OffsetPage } from '../../paging.js';
import { isObject as isPlainObject, toNonNegativeInt } from '../../wire.js';
import type { EntityDef, FieldDef } from '../entity.js';
import { buildWhere, type SqlPart } from '../listQuery.js';
import type { Portal } from '../types.js';

export type Row = Record<string, unknown>;

export const ADMIN_ID = 1;
export const ROOT_DEPARTMENT_ID = 1;

/** Text fields a caller may set, with the titles user.fields reports. */
export const USER_TEXT_FIELDS: Readonly<Record<string, string>> = {
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
export const USER_SERVER_FIELDS = [
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

export const departmentDef: EntityDef = {
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

export const coreError = (text: string) => new RestError('ERROR_CORE', text, 400);
export const isObject = (v: unknown): v is Params => isPlainObject(v);
export const intOrUndefined = toNonNegativeInt;

const textCols = Object.keys(USER_TEXT_FIELDS);

/** A list query: WHERE part, ORDER BY column and direction, and the page. */
interface ListQuery {
  readonly where: SqlPart;
  readonly column: string;
  readonly dir: 'ASC' | 'DESC';
  readonly page: OffsetPage;
}

export class UserStore {
  constructor(readonly portal: Portal) {
    const db = portal.db;
    db.exec(`CREATE TABLE IF NOT EXISTS b_user (ID INTEGER PRIMARY KEY AUTOINCREMENT, ACTIVE TEXT NOT NULL DEFAULT 'Y',
    UF_DEPARTMENT TEXT NOT NULL DEFAULT '[]', ${[...textCols, ...USER_SERVER_FIELDS].map((c) => `"${c}" TEXT`).join(', ')})`);
    db.exec(`CREATE TABLE IF NOT EXISTS b_department (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL,
    SORT INTEGER NOT NULL DEFAULT 500, PARENT INTEGER, UF_HEAD INTEGER)`);
    if (!this.getDepartment(ROOT_DEPARTMENT_ID))
      db.prepare(`INSERT INTO b_department (ID, NAME, SORT, PARENT, UF_HEAD) VALUES (?, 'Company', 500, NULL, ?)`).run(
        ROOT_DEPARTMENT_ID,
        ADMIN_ID,
      );
    this.ensureUser(ADMIN_ID);
  }

  private get db() {
    return this.portal.db;
  }

  now(): string {
    return isoDateTime(this.portal.clock.now());
  }

  getUser(id: number): Row | undefined {
    return this.db.prepare(`SELECT * FROM b_user WHERE ID = ?`).get(id) as Row | undefined;
  }

  getDepartment(id: number): Row | undefined {
    return this.db.prepare(`SELECT * FROM b_department WHERE ID = ?`).get(id) as Row | undefined;
  }

  /** A row for a user id seen before it was added (the admin, a webhook's user). */
  ensureUser(id: number): Row {
    const found = this.getUser(id);
    if (found) return found;
    const t = this.now();
    this.db
      .prepare(
        `INSERT INTO b_user (ID, NAME, LAST_NAME, EMAIL, UF_DEPARTMENT, DATE_REGISTER, TIMESTAMP_X, LAST_LOGIN, LAST_ACTIVITY_DATE, IS_ONLINE, USER_TYPE)
      VALUES (?, ?, 'Emulator', ?, ?, ?, ?, ?, ?, 'Y', 'employee')`,
      )
      .run(
        id,
        id === ADMIN_ID ? 'Admin' : `User${id}`,
        `user${id}@example.invalid`,
        JSON.stringify([ROOT_DEPARTMENT_ID]),
        t,
        t,
        t,
        t,
      );
    return this.getUser(id)!;
  }

  userWire(row: Row, select?: ReadonlySet<string>): Row {
    const out: Row = { ID: String(row['ID']), ACTIVE: row['ACTIVE'] === 'Y' };
    for (const k of [...textCols, ...USER_SERVER_FIELDS]) out[k] = row[k] ?? '';
    out['UF_DEPARTMENT'] = JSON.parse(String(row['UF_DEPARTMENT'] ?? '[]')) as number[];
    if (!select || select.size === 0 || select.has('*')) return out;
    return Object.fromEntries(Object.entries(out).filter(([k]) => k === 'ID' || select.has(k)));
  }

  departmentsOf(raw: unknown): number[] {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.includes(',') ? raw.split(',') : [raw];
    const ids = list.map(intOrUndefined);
    if (ids.some((d) => d === undefined || !this.getDepartment(d)))
      throw new RestError('ERROR_ARGUMENT', 'UF_DEPARTMENT names a department that does not exist', 400, {
        argument: 'UF_DEPARTMENT',
      });
    return ids as number[];
  }

  /** Writable fields of user.add/update → columns; unknown names are ignored as the portal does. */
  userColumns(fields: Params): Row {
    const cols: Row = {};
    for (const [rawKey, value] of Object.entries(fields)) {
      const key = rawKey.toUpperCase();
      if (key in USER_TEXT_FIELDS) cols[key] = value === null || value === undefined ? '' : String(value);
      else if (key === 'ACTIVE')
        cols['ACTIVE'] =
          value === true || value === 'Y' || value === '1' || value === 1 || value === 'true' ? 'Y' : 'N';
      else if (key === 'UF_DEPARTMENT') cols['UF_DEPARTMENT'] = JSON.stringify(this.departmentsOf(value));
    }
    if (typeof cols['EMAIL'] === 'string' && cols['EMAIL'] !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(cols['EMAIL']))
      throw new RestError('ERROR_ARGUMENT', 'wrong_email', 400);
    return cols;
  }

  emailTaken(email: string, exceptId = 0): boolean {
    return !!this.db.prepare(`SELECT 1 FROM b_user WHERE lower(EMAIL) = lower(?) AND ID <> ?`).get(email, exceptId);
  }

  /**
   * user.get / user.search filter: `FILTER` (or, as the docs allow, fields at the top level),
   * with the usual prefixes; `UF_DEPARTMENT` matches any of the user's departments, `FIND`
   * (search) and `NAME_SEARCH` look in names, e-mail and position.
   */
  userWhere(params: Params): SqlPart {
    const filter: Params = {};
    const given = param(params, 'FILTER');
    if (isObject(given)) Object.assign(filter, given);
    for (const [k, v] of Object.entries(params)) if (!USER_LIST_CONTROLS.has(k.toLowerCase())) filter[k] = v;
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
  }

  /** The sort column of user.get/search: a known field, else ID. */
  userSortColumn(raw: unknown): string {
    const sortField = String(raw ?? 'ID').toUpperCase();
    return sortField === 'ID' ||
      sortField in USER_TEXT_FIELDS ||
      (USER_SERVER_FIELDS as readonly string[]).includes(sortField) ||
      sortField === 'ACTIVE'
      ? sortField
      : 'ID';
  }

  listUsers(q: ListQuery): Row[] {
    return this.db
      .prepare(
        `SELECT * FROM b_user WHERE ${q.where.sql} ORDER BY "${q.column}" ${q.dir}, ID ASC LIMIT ${q.page.limit} OFFSET ${q.page.offset}`,
      )
      .all(...q.where.args) as Row[];
  }

  countUsers(where: SqlPart): number {
    return (this.db.prepare(`SELECT COUNT(*) AS c FROM b_user WHERE ${where.sql}`).get(...where.args) as { c: number })
      .c;
  }

  insertUser(cols: Row): number {
    const names = Object.keys(cols);
    return Number(
      this.db
        .prepare(
          `INSERT INTO b_user (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        )
        .run(...names.map((n) => cols[n])).lastInsertRowid,
    );
  }

  updateUser(id: number, cols: Row): void {
    const names = Object.keys(cols);
    this.db
      .prepare(`UPDATE b_user SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`)
      .run(...names.map((n) => cols[n]), id);
  }

  // ---- departments ----

  departmentWire(row: Row): Row {
    return {
      ID: String(row['ID']),
      NAME: row['NAME'],
      SORT: Number(row['SORT']),
      ...(row['PARENT'] !== null ? { PARENT: String(row['PARENT']) } : {}),
      ...(row['UF_HEAD'] !== null && row['UF_HEAD'] !== undefined ? { UF_HEAD: String(row['UF_HEAD']) } : {}),
    };
  }

  /** Every department below `id`, at any depth. */
  subtree(id: number): number[] {
    return (
      this.db
        .prepare(
          `WITH RECURSIVE t(ID) AS (SELECT ID FROM b_department WHERE PARENT = ? UNION ALL SELECT d.ID FROM b_department d JOIN t ON d.PARENT = t.ID) SELECT ID FROM t`,
        )
        .all(id) as { ID: number }[]
    ).map((r) => r.ID);
  }

  readHead(v: unknown): number | null {
    if (v === undefined || v === null || v === '' || v === 0 || v === '0') return null;
    const id = intOrUndefined(v);
    if (id === undefined)
      throw new RestError('ERROR_ARGUMENT', 'UF_HEAD must be a user id', 400, { argument: 'UF_HEAD' });
    this.ensureUser(id);
    return id;
  }

  readParent(v: unknown): number {
    const id = intOrUndefined(v);
    if (id === undefined || !this.getDepartment(id)) throw coreError('Parent department not found');
    return id;
  }

  readSort(v: unknown): number {
    const n = intOrUndefined(v);
    if (n === undefined) throw new RestError('ERROR_ARGUMENT', 'SORT must be an integer', 400, { argument: 'SORT' });
    return n;
  }

  listDepartments(q: ListQuery): Row[] {
    return this.db
      .prepare(
        `SELECT * FROM b_department WHERE ${q.where.sql} ORDER BY "${q.column}" ${q.dir}, ID ASC LIMIT ${q.page.limit} OFFSET ${q.page.offset}`,
      )
      .all(...q.where.args) as Row[];
  }

  countDepartments(where: SqlPart): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS c FROM b_department WHERE ${where.sql}`).get(...where.args) as { c: number }
    ).c;
  }

  insertDepartment(name: string, sort: number, parent: number, head: number | null): number {
    return Number(
      this.db
        .prepare(`INSERT INTO b_department (NAME, SORT, PARENT, UF_HEAD) VALUES (?, ?, ?, ?)`)
        .run(name, sort, parent, head).lastInsertRowid,
    );
  }

  updateDepartment(id: number, set: Row): void {
    const names = Object.keys(set);
    if (!names.length) return;
    this.db
      .prepare(`UPDATE b_department SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE ID = ?`)
      .run(...names.map((n) => set[n]), id);
  }

  /** Deletes departments and takes them out of every user's UF_DEPARTMENT. */
  deleteDepartments(gone: readonly number[]): void {
    const db = this.db;
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
  }
}

export function userFieldTitles(): Record<string, string> {
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
