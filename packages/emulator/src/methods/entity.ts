/**
 * Entity schema for the generic CRUD helper: fields with a wire type, the SQLite storage they
 * map to, and conversion between the wire (legacy: numbers as strings, Y/N; typed: real
 * numbers) and the stored row.
 */
import type Database from 'better-sqlite3';
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';

export type Storage = 'int' | 'real' | 'text' | 'json';

export interface FieldDef {
  /** The docs' type name: integer, double, string, char, date, datetime, user, crm_status, ... */
  readonly type: string;
  readonly title?: string;
  readonly required?: boolean;
  readonly readOnly?: boolean;
  readonly immutable?: boolean;
  readonly multiple?: boolean;
  /** Storage override; by default derived from `type`. */
  readonly storage?: Storage;
  /** Value on add when the caller gives none. */
  readonly default?: unknown;
  /** On add without a value: the calling user (e.g. ASSIGNED_BY_ID). */
  readonly defaultCurrentUser?: boolean;
  /** Filled by the server: creation/modification time, creating/modifying user. */
  readonly auto?: 'createdAt' | 'modifiedAt' | 'createdBy' | 'modifiedBy';
  /** `statusType` shown by `*.fields` for crm_status fields. */
  readonly statusType?: string;
  /** SQL expression over `n` (1..count) used by the seeder. */
  readonly seed?: string;
}

export interface EntityDef {
  /** Seeder name, e.g. 'crm.deal'. */
  readonly name: string;
  readonly table: string;
  /** The id field as the wire names it (`ID`, `id`). Stored as INTEGER PRIMARY KEY. */
  readonly idField: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** legacy: integers and doubles as strings (PROTOCOL §9); typed: JSON numbers. */
  readonly wire: 'legacy' | 'typed';
  /** Accept and store `UF_*` fields (kept as JSON). */
  readonly userFields?: boolean;
  /**
   * Send `date` fields as midnight datetimes (`2024-08-30T00:00:00+00:00`), as legacy CRM reads
   * do in the docs' examples (crm.deal.get BEGINDATE), instead of `YYYY-MM-DD`.
   */
  readonly datesAsDateTime?: boolean;
  /**
   * Resolves a filter/order field to an SQL expression before the declared fields are looked
   * at: the schema-driven tables keep rows as JSON and answer with `json_extract(...)`.
   */
  readonly column?: (field: string) => { readonly expr: string; readonly def: FieldDef } | undefined;
}

const INT_TYPES = new Set([
  'integer',
  'user',
  'crm_category',
  'crm_company',
  'crm_contact',
  'crm_lead',
  'crm_quote',
  'crm_deal',
  'int',
  'file',
]);

export function storageOf(f: FieldDef): Storage {
  if (f.storage) return f.storage;
  if (f.multiple) return 'json';
  if (INT_TYPES.has(f.type)) return 'int';
  if (f.type === 'double') return 'real';
  if (f.type === 'object' || f.type === 'array' || f.type === 'crm_multifield') return 'json';
  return 'text';
}

export const UF_COLUMN = '__uf';
export const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

export function createTable(db: Database.Database, e: EntityDef): void {
  const cols = [`${q(e.idField)} INTEGER PRIMARY KEY AUTOINCREMENT`];
  for (const [name, f] of Object.entries(e.fields)) {
    if (name === e.idField) continue;
    const st = storageOf(f);
    cols.push(`${q(name)} ${st === 'int' ? 'INTEGER' : st === 'real' ? 'REAL' : 'TEXT'}`);
  }
  if (e.userFields) cols.push(`${q(UF_COLUMN)} TEXT`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${q(e.table)} (${cols.join(', ')})`);
}

function bad(field: string, value: unknown, what: string): RestError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  return new RestError('ERROR_ARGUMENT', `Field ${field}: expected ${what}, got ${shown}`, 400, { argument: field });
}

/** Converts one incoming scalar to its stored form; throws a clear error on bad input. */
export function toStored(name: string, f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (f.multiple || storageOf(f) === 'json') {
    const list = f.multiple && !Array.isArray(value) ? [value] : value;
    const single: FieldDef = { type: f.type };
    if (f.multiple && Array.isArray(list)) {
      return JSON.stringify(list.map((v) => (storageOf(single) === 'json' ? v : toStored(name, single, v))));
    }
    return JSON.stringify(list);
  }
  const st = storageOf(f);
  if (value === '' && st !== 'text') return null;
  if (st === 'int') {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
          ? Number(value)
          : NaN;
    if (!Number.isSafeInteger(n)) throw bad(name, value, 'an integer');
    return n;
  }
  if (st === 'real') {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw bad(name, value, 'a number');
    return n;
  }
  if (f.type === 'char' || f.type === 'boolean') {
    if (value === true || value === 'Y' || value === 'y' || value === '1' || value === 1) return 'Y';
    if (value === false || value === 'N' || value === 'n' || value === '0' || value === 0) return 'N';
    throw bad(name, value, 'Y or N');
  }
  if (f.type === 'date' || f.type === 'datetime') {
    if (typeof value !== 'string' && typeof value !== 'number') throw bad(name, value, `a ${f.type}`);
    const s = String(value);
    if (f.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw bad(name, value, `an ISO 8601 ${f.type}`);
    return f.type === 'date' ? isoDateTime(ms).slice(0, 10) : isoDateTime(ms);
  }
  if (typeof value === 'object') throw bad(name, value, 'a string');
  return String(value);
}

/** Converts a stored value to the wire form of the entity (§9). */
export function toWire(e: EntityDef, f: FieldDef, stored: unknown): unknown {
  if (stored === null || stored === undefined) return f.multiple ? [] : null;
  const st = storageOf(f);
  if (st === 'json') {
    try {
      const v: unknown = JSON.parse(String(stored));
      if (f.multiple && Array.isArray(v) && e.wire === 'legacy')
        return v.map((x) => (typeof x === 'number' ? String(x) : x));
      return v;
    } catch {
      return null;
    }
  }
  if (f.type === 'date' && e.datesAsDateTime && typeof stored === 'string' && stored.length === 10)
    return `${stored}T00:00:00+00:00`;
  if (e.wire === 'typed') return stored;
  if (st === 'int') return String(stored);
  // Legacy doubles come back with two decimals ("19999.99", "20000.00").
  if (st === 'real') return (stored as number).toFixed(2);
  return stored;
}
