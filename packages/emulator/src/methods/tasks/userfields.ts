/**
 * task.item.userfield.*: custom task fields. A field added here shows on every task
 * (`ufTask...` in tasks.task.get) and takes values through tasks.task.add/update.
 * The docs say the field code always gets the `UF_TASK_` prefix; a code already starting with
 * `UF_` is kept as given.
 */
import { RestError } from '../../errors.js';
import { param } from '../../params.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { isObject, toInt, toPositiveInt, yn } from './shared.js';

export const USER_TYPES: Readonly<Record<string, string>> = {
  string: 'String',
  integer: 'Integer',
  double: 'Number',
  boolean: 'Yes/No',
  enumeration: 'Enumeration',
  datetime: 'Date/Time',
  date: 'Date',
  money: 'Money',
  url: 'URL',
  address: 'Google Map Address',
  file: 'File',
  employee: 'User Binding',
  crm_status: 'CRM Reference Binding',
  iblock_section: 'Information Block Section Binding',
  iblock_element: 'Information Block Element Binding',
  crm: 'CRM Element Binding',
};

const core = (text: string) => new RestError('ERROR_CORE', text, 400);
const notFound = () => new RestError('ERROR_NOT_FOUND', 'User field not found', 400);

export function registerUserFieldMethods(api: DomainApi): void {
  const db = api.portal.db;
  const m = (name: string, handler: (ctx: CallContext) => { result: unknown; total?: number }) =>
    api.method({ name, scope: 'task', handler });
  const byId = (ctx: CallContext): Row => {
    const raw = param(ctx.params, 'ID') ?? ctx.params['0'];
    if (raw === undefined || raw === null || raw === '') throw core('ID is not defined');
    const id = toPositiveInt(raw);
    const row =
      id === undefined
        ? undefined
        : (db.prepare(`SELECT * FROM tasks_userfield WHERE ID = ?`).get(id) as Row | undefined);
    if (!row) throw notFound();
    return row;
  };
  const upper = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toUpperCase(), v]));
  const labels = (d: Record<string, unknown>, name: string, fallback: unknown) => {
    const v = d[name] ?? d['LABEL'];
    if (v === undefined) return fallback;
    return JSON.stringify(isObject(v) ? v : { en: String(v) });
  };

  m('task.item.userfield.getlist', (ctx) => {
    const order = param(ctx.params, 'ORDER');
    const filter = param(ctx.params, 'FILTER');
    const cols = ['ID', 'FIELD_NAME', 'USER_TYPE_ID', 'XML_ID', 'SORT', 'MULTIPLE', 'MANDATORY'];
    const where: string[] = ['1'];
    const args: unknown[] = [];
    if (isObject(filter)) {
      for (const [k, v] of Object.entries(upper(filter))) {
        if (!cols.includes(k)) continue;
        where.push(`${k} = ?`);
        args.push(typeof v === 'boolean' ? (v ? 'Y' : 'N') : String(v));
      }
    }
    const terms: string[] = [];
    if (isObject(order)) {
      for (const [k, v] of Object.entries(upper(order)))
        if (cols.includes(k)) terms.push(`${k} ${String(v).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
    }
    terms.push('ID ASC');
    const rows = db
      .prepare(`SELECT * FROM tasks_userfield WHERE ${where.join(' AND ')} ORDER BY ${terms.join(', ')}`)
      .all(...args) as Row[];
    return { result: rows.map((r) => fieldWire(r, false)), total: rows.length };
  });

  m('task.item.userfield.get', (ctx) => ({ result: fieldWire(byId(ctx), true) }));

  m('task.item.userfield.add', (ctx) => {
    const raw = param(ctx.params, 'PARAMS') ?? ctx.params['0'];
    if (!isObject(raw)) throw core('PARAMS is not defined');
    const p = upper(raw);
    const type = String(p['USER_TYPE_ID'] ?? '');
    if (!type) throw core('USER_TYPE_ID is not defined');
    if (!(type in USER_TYPES)) throw core(`Unknown user type: ${type}`);
    const code = String(p['FIELD_NAME'] ?? '')
      .trim()
      .toUpperCase();
    if (!code) throw core('FIELD_NAME is not defined');
    const name = code.startsWith('UF_') ? code : `UF_TASK_${code}`;
    if (!/^UF_[A-Z0-9_]+$/.test(name) || name.length > 20)
      throw core(`Invalid field name ${name}: up to 20 characters A-Z, 0-9, _`);
    if (db.prepare(`SELECT 1 FROM tasks_userfield WHERE FIELD_NAME = ?`).get(name))
      throw core(`A field named ${name} already exists`);
    const id = db
      .prepare(`INSERT INTO tasks_userfield (ENTITY_ID, FIELD_NAME, USER_TYPE_ID, XML_ID, SORT, MULTIPLE, MANDATORY, SHOW_FILTER, SHOW_IN_LIST,
        EDIT_IN_LIST, IS_SEARCHABLE, SETTINGS, EDIT_FORM_LABEL, LIST_COLUMN_LABEL, LIST_FILTER_LABEL)
        VALUES ('TASKS_TASK', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        name,
        type,
        String(p['XML_ID'] ?? ''),
        toInt(p['SORT']) ?? 100,
        yn(p['MULTIPLE']),
        yn(p['MANDATORY']),
        yn(p['SHOW_FILTER']),
        yn(p['SHOW_IN_LIST'], 'Y'),
        yn(p['EDIT_IN_LIST'], 'Y'),
        yn(p['IS_SEARCHABLE']),
        JSON.stringify(isObject(p['SETTINGS']) ? p['SETTINGS'] : []),
        labels(p, 'EDIT_FORM_LABEL', null),
        labels(p, 'LIST_COLUMN_LABEL', null),
        labels(p, 'LIST_FILTER_LABEL', null),
      ).lastInsertRowid;
    return { result: Number(id) };
  });

  m('task.item.userfield.update', (ctx) => {
    const row = byId(ctx);
    const raw = param(ctx.params, 'DATA') ?? ctx.params['1'];
    if (!isObject(raw)) throw core('DATA is not defined');
    const d = upper(raw);
    // The code, type and entity cannot change after creation.
    db.prepare(`UPDATE tasks_userfield SET XML_ID = ?, SORT = ?, MULTIPLE = ?, MANDATORY = ?, SHOW_FILTER = ?, SHOW_IN_LIST = ?, EDIT_IN_LIST = ?,
      IS_SEARCHABLE = ?, SETTINGS = ?, EDIT_FORM_LABEL = ?, LIST_COLUMN_LABEL = ?, LIST_FILTER_LABEL = ? WHERE ID = ?`).run(
      'XML_ID' in d ? String(d['XML_ID'] ?? '') : row['XML_ID'],
      toInt(d['SORT']) ?? row['SORT'],
      'MULTIPLE' in d ? yn(d['MULTIPLE']) : row['MULTIPLE'],
      'MANDATORY' in d ? yn(d['MANDATORY']) : row['MANDATORY'],
      'SHOW_FILTER' in d ? yn(d['SHOW_FILTER']) : row['SHOW_FILTER'],
      'SHOW_IN_LIST' in d ? yn(d['SHOW_IN_LIST']) : row['SHOW_IN_LIST'],
      'EDIT_IN_LIST' in d ? yn(d['EDIT_IN_LIST']) : row['EDIT_IN_LIST'],
      'IS_SEARCHABLE' in d ? yn(d['IS_SEARCHABLE']) : row['IS_SEARCHABLE'],
      isObject(d['SETTINGS']) ? JSON.stringify(d['SETTINGS']) : row['SETTINGS'],
      labels(d, 'EDIT_FORM_LABEL', row['EDIT_FORM_LABEL']),
      labels(d, 'LIST_COLUMN_LABEL', row['LIST_COLUMN_LABEL']),
      labels(d, 'LIST_FILTER_LABEL', row['LIST_FILTER_LABEL']),
      row['ID'],
    );
    return { result: true };
  });

  m('task.item.userfield.delete', (ctx) => {
    const row = byId(ctx);
    db.prepare(`DELETE FROM tasks_userfield WHERE ID = ?`).run(row['ID']);
    // The values go with the field.
    db.prepare(`UPDATE tasks_task SET __uf = json_remove(__uf, ?) WHERE __uf IS NOT NULL AND json_valid(__uf)`).run(
      `$."${String(row['FIELD_NAME'])}"`,
    );
    return { result: true };
  });

  m('task.item.userfield.gettypes', () => ({
    result: Object.entries(USER_TYPES).map(([ID, title]) => ({ ID, title })),
    total: 0,
  }));
}

function fieldWire(r: Row, full: boolean): Row {
  const json = (v: unknown, fallback: unknown) => {
    try {
      return v === null || v === undefined ? fallback : (JSON.parse(String(v)) as unknown);
    } catch {
      return fallback;
    }
  };
  const out: Row = {
    ID: String(r['ID']),
    ENTITY_ID: r['ENTITY_ID'],
    FIELD_NAME: r['FIELD_NAME'],
    USER_TYPE_ID: r['USER_TYPE_ID'],
    XML_ID: r['XML_ID'] ?? '',
    SORT: String(r['SORT']),
    MULTIPLE: r['MULTIPLE'],
    MANDATORY: r['MANDATORY'],
    SHOW_FILTER: r['SHOW_FILTER'],
    SHOW_IN_LIST: r['SHOW_IN_LIST'],
    EDIT_IN_LIST: r['EDIT_IN_LIST'],
    IS_SEARCHABLE: r['IS_SEARCHABLE'],
    SETTINGS: json(r['SETTINGS'], []),
  };
  if (full) {
    for (const k of ['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL']) out[k] = json(r[k], null);
    out['ERROR_MESSAGE'] = null;
    out['HELP_MESSAGE'] = null;
  }
  return out;
}
