/**
 * Legacy list parameters → SQL: `filter` with operation prefixes (PROTOCOL.md §6.2), `order`
 * (§6.3) and `select` with `*` and `UF_*` masks. Everything is evaluated in SQLite, so keyset
 * paging (`>ID`, order by ID, start=-1) over a large table uses the primary key.
 */
import { RestError } from '../errors.js';
import { q, storageOf, toStored, UF_COLUMN, type EntityDef, type FieldDef } from './entity.js';

export interface SqlPart {
  sql: string;
  args: unknown[];
}

/** Longest first, so `!=%` wins over `!=` and `!`. */
const OPERATIONS = ['!=%', '!%=', '>=', '<=', '!=', '!@', '=%', '%=', '!%', '>', '<', '=', '!', '@', '%', ''] as const;
type Operation = (typeof OPERATIONS)[number];

function splitKey(key: string): { op: Operation; field: string } {
  const m = /^([^A-Za-z_]*)(.*)$/.exec(key)!;
  const prefix = m[1]!;
  const op = OPERATIONS.find((o) => o === prefix);
  if (op === undefined)
    throw new RestError('ERROR_ARGUMENT', `Filter operation not allowed: ${prefix}`, 400, { argument: 'filter' });
  return { op, field: m[2]! };
}

interface ColumnRef {
  expr: string;
  def: FieldDef;
}

function column(e: EntityDef, field: string): ColumnRef | undefined {
  if (e.column) return e.column(field);
  const upper = e.wire === 'legacy' ? field.toUpperCase() : field;
  if (upper === e.idField || field === e.idField) return { expr: q(e.idField), def: { type: 'integer' } };
  const def = e.fields[upper] ?? e.fields[field];
  if (def) return { expr: q(e.fields[upper] ? upper : field), def };
  if (e.userFields && /^UF_/i.test(field)) {
    return { expr: `json_extract(${q(UF_COLUMN)}, ${sqlString('$."' + upper + '"')})`, def: { type: 'string' } };
  }
  return undefined;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function filterValue(name: string, def: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined || v === '') return v ?? null;
  const single: FieldDef = { ...def, multiple: false };
  // Multiple-value columns are JSON text; compare against the raw text.
  if (def.multiple || storageOf(def) === 'json') return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return toStored(name, single, v);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

function condition(e: EntityDef, key: string, value: unknown): SqlPart | undefined {
  const { op, field } = splitKey(key);
  const col = column(e, field);
  // Unknown fields are ignored, as the legacy CRM list methods ignore them (docs are silent; §11).
  if (!col) return undefined;
  const values = Array.isArray(value) ? value : undefined;
  const one = (v: unknown) => filterValue(field, col.def, v);
  const isEmpty = value === '' || value === null || (value === false && storageOf(col.def) !== 'text');
  switch (op) {
    case '':
    case '=':
    case '@':
      if (values) {
        if (values.length === 0) return { sql: '0', args: [] };
        return { sql: `${col.expr} IN (${values.map(() => '?').join(',')})`, args: values.map(one) };
      }
      // An empty value means "the field is empty", as in the docs' `!=name: ""` example.
      if (isEmpty) return { sql: `(${col.expr} IS NULL OR ${col.expr} = '')`, args: [] };
      return { sql: `${col.expr} = ?`, args: [one(value)] };
    case '!':
    case '!=':
    case '!@':
      if (values) {
        if (values.length === 0) return { sql: '1', args: [] };
        return {
          sql: `(${col.expr} IS NULL OR ${col.expr} NOT IN (${values.map(() => '?').join(',')}))`,
          args: values.map(one),
        };
      }
      if (isEmpty) return { sql: `(${col.expr} IS NOT NULL AND ${col.expr} <> '')`, args: [] };
      return { sql: `(${col.expr} IS NULL OR ${col.expr} <> ?)`, args: [one(value)] };
    case '>':
    case '>=':
    case '<':
    case '<=':
      return { sql: `${col.expr} ${op} ?`, args: [one(values ? values[0] : value)] };
    case '%':
      return { sql: `${col.expr} LIKE ? ESCAPE '\\'`, args: [`%${likeEscape(String(value))}%`] };
    case '!%':
      return {
        sql: `(${col.expr} IS NULL OR ${col.expr} NOT LIKE ? ESCAPE '\\')`,
        args: [`%${likeEscape(String(value))}%`],
      };
    case '=%':
    case '%=':
      return { sql: `${col.expr} LIKE ?`, args: [String(value)] };
    case '!=%':
    case '!%=':
      return { sql: `(${col.expr} IS NULL OR ${col.expr} NOT LIKE ?)`, args: [String(value)] };
  }
}

/** Builds a WHERE clause (without the keyword); `1` when nothing filters. */
export function buildWhere(e: EntityDef, filter: unknown): SqlPart {
  if (filter === undefined || filter === null || filter === '') return { sql: '1', args: [] };
  if (typeof filter !== 'object' || (Array.isArray(filter) && filter.length > 0)) {
    throw new RestError('ERROR_ARGUMENT', "Parameter 'filter' must be an object", 400, { argument: 'filter' });
  }
  return group(e, filter as Record<string, unknown>, 'AND');
}

function group(e: EntityDef, filter: Record<string, unknown>, logic: 'AND' | 'OR'): SqlPart {
  const parts: string[] = [];
  const args: unknown[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key.toLowerCase() === 'logic') continue;
    let part: SqlPart | undefined;
    // Nested groups under numeric keys: {"0": {"logic": "OR", "0": {...}, "1": {...}}} (§6.2).
    if (/^\d+$/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const sub = value as Record<string, unknown>;
      const subLogic = String(sub['logic'] ?? sub['LOGIC'] ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
      part = group(e, sub, subLogic);
    } else {
      part = condition(e, key, value);
    }
    if (!part) continue;
    parts.push(`(${part.sql})`);
    args.push(...part.args);
  }
  if (parts.length === 0) return { sql: logic === 'AND' ? '1' : '1', args: [] };
  return { sql: parts.join(` ${logic} `), args };
}

/** Builds ORDER BY (without the keyword). The id breaks ties so offset pages are stable. */
export function buildOrder(e: EntityDef, order: unknown): string {
  const terms: string[] = [];
  let hasId = false;
  if (order !== undefined && order !== null && order !== '') {
    if (typeof order !== 'object' || Array.isArray(order)) {
      throw new RestError('ERROR_ARGUMENT', "Parameter 'order' must be an object", 400, { argument: 'order' });
    }
    for (const [field, dirRaw] of Object.entries(order as Record<string, unknown>)) {
      const dir = String(dirRaw).toUpperCase();
      if (dir !== 'ASC' && dir !== 'DESC') {
        throw new RestError('ERROR_ARGUMENT', 'Order direction should be one of {ASC|DESC}', 400, {
          argument: 'order',
        });
      }
      const col = column(e, field);
      if (!col) continue;
      if (col.expr === q(e.idField)) hasId = true;
      terms.push(`${col.expr} ${dir}`);
    }
  }
  if (!hasId) terms.push(`${q(e.idField)} ASC`);
  return terms.join(', ');
}

export interface Selection {
  fields: string[];
  userFields: boolean;
}

/** `select`: names, `*` for all standard fields, `UF_*` for user fields; empty = `*`. */
export function buildSelect(e: EntityDef, select: unknown): Selection {
  const all = Object.keys(e.fields).filter((f) => f !== e.idField);
  if (select === undefined || select === null || select === '' || (Array.isArray(select) && select.length === 0)) {
    return { fields: [e.idField, ...all], userFields: false };
  }
  const list = Array.isArray(select) ? select : typeof select === 'object' ? Object.values(select) : [select];
  const fields = new Set<string>([e.idField]);
  let userFields = false;
  for (const raw of list) {
    const name = String(raw);
    if (name === '*') for (const f of all) fields.add(f);
    else if (name.toUpperCase() === 'UF_*') userFields = !!e.userFields;
    else {
      const key = e.wire === 'legacy' ? name.toUpperCase() : name;
      if (e.fields[key]) fields.add(key);
      else if (e.userFields && /^UF_/i.test(name)) fields.add(key);
      // Unknown names are skipped silently, as user.get and the CRM lists do (§6.3).
    }
  }
  return { fields: [...fields], userFields };
}

/** REST 3.0 errors: `{error: {code, message}}` with the `BITRIX_REST_V3_EXCEPTION_` prefix (§1.6). */
export function v3Error(name: string, message: string, status = 400): RestError {
  return new RestError(`BITRIX_REST_V3_EXCEPTION_${name}`, message, status);
}

/**
 * A REST 3.0 request validation failure: one code, details in `validation` (rest-v3.md); a
 * value that does not fit the filter is this error too.
 */
export function v3Invalid(message: string, field: string): RestError {
  return new RestError(
    'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION',
    'Error validating request object',
    400,
    { validation: [{ message, field }] },
  );
}

const V3_OPS = new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'between']);

/**
 * REST 3.0 filter: a list of `[field, op, value]` triples and `{logic, conditions}` groups (§1.6).
 * Unknown fields are errors here (the v3 validator names them), unlike the legacy lists.
 */
export function buildWhereV3(e: EntityDef, filter: unknown): SqlPart {
  if (filter === undefined || filter === null) return { sql: '1', args: [] };
  if (!Array.isArray(filter)) throw v3Invalid('filter must be a list of [field, operator, value] conditions', 'filter');
  return v3Group(e, filter, 'AND');
}

function v3Group(e: EntityDef, conditions: unknown[], logic: 'AND' | 'OR'): SqlPart {
  const parts: string[] = [];
  const args: unknown[] = [];
  for (const c of conditions) {
    let part: SqlPart;
    if (Array.isArray(c)) {
      // `["id", [1, 2]]` is short for `["id", "in", [1, 2]]`, `["status", "NEW"]` for `=` (rest-v3.md).
      const [field, op, value] = (c.length === 2 ? [c[0], Array.isArray(c[1]) ? 'in' : '=', c[1]] : c) as [
        unknown,
        unknown,
        unknown,
      ];
      const col = typeof field === 'string' ? column(e, field) : undefined;
      if (!col)
        throw v3Error('UNKNOWNDTOPROPERTYEXCEPTION', `Unknown field \`${String(field)}\` for entity \`${e.name}\``);
      const o = String(op).toLowerCase();
      if (!V3_OPS.has(o)) throw v3Error('UNKNOWNFILTEROPERATOREXCEPTION', `Unknown filter operator \`${String(op)}\``);
      const one = (v: unknown) => filterValue(String(field), col.def, v);
      if (o === 'in') {
        if (!Array.isArray(value) || value.length === 0)
          throw v3Invalid(`Operator \`in\` needs a non-empty list for \`${String(field)}\``, String(field));
        part = { sql: `${col.expr} IN (${value.map(() => '?').join(',')})`, args: value.map(one) };
      } else if (o === 'between') {
        if (!Array.isArray(value) || value.length !== 2)
          throw v3Invalid(`Operator \`between\` needs [from, to] for \`${String(field)}\``, String(field));
        part = { sql: `${col.expr} BETWEEN ? AND ?`, args: [one(value[0]), one(value[1])] };
      } else if (o === '!=') {
        part = { sql: `(${col.expr} IS NULL OR ${col.expr} <> ?)`, args: [one(value)] };
      } else if (value === null && o === '=') {
        part = { sql: `${col.expr} IS NULL`, args: [] };
      } else {
        part = { sql: `${col.expr} ${o} ?`, args: [one(value)] };
      }
    } else if (c !== null && typeof c === 'object') {
      const g = c as { logic?: unknown; conditions?: unknown };
      if (!Array.isArray(g.conditions)) throw v3Invalid('A filter group needs a `conditions` list', 'filter');
      part = v3Group(e, g.conditions, String(g.logic ?? 'and').toUpperCase() === 'OR' ? 'OR' : 'AND');
    } else {
      throw v3Invalid('Each filter condition must be [field, operator, value] or {logic, conditions}', 'filter');
    }
    parts.push(`(${part.sql})`);
    args.push(...part.args);
  }
  if (parts.length === 0) return { sql: '1', args: [] };
  return { sql: parts.join(` ${logic} `), args };
}
