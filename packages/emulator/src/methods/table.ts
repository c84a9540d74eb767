/**
 * Row operations on one entity table (insert/get/update/delete/select) with conversion between
 * wire fields and stored columns. The CRUD registrations (REST 2 and 3) are thin layers over it.
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { createTable, q, storageOf, toStored, toWire, UF_COLUMN, type EntityDef, type FieldDef } from './entity.js';
import { buildSelect, type Selection, type SqlPart } from './listQuery.js';
import type { AuthContext, Portal } from './types.js';

export type Row = Record<string, unknown>;

export class EntityTable {
  constructor(
    readonly e: EntityDef,
    private readonly portal: Portal,
  ) {
    createTable(portal.db, e);
  }

  private get db() {
    return this.portal.db;
  }

  fieldNamed(name: string): [string, FieldDef] | undefined {
    const key = this.e.wire === 'legacy' ? name.toUpperCase() : name;
    const def = this.e.fields[key];
    return def ? [key, def] : undefined;
  }

  /** Incoming fields → stored columns; read-only and unknown fields are ignored, as the portal does. */
  toColumns(fields: Readonly<Record<string, unknown>>, mode: 'add' | 'update'): { cols: Row; uf: Row } {
    const cols: Row = {};
    const uf: Row = {};
    for (const [name, value] of Object.entries(fields)) {
      const found = this.fieldNamed(name);
      if (found) {
        const [key, def] = found;
        if (key === this.e.idField || def.readOnly || def.auto) continue;
        if (mode === 'update' && def.immutable) continue;
        cols[key] = toStored(key, def, value);
      } else if (this.e.userFields && /^UF_/i.test(name)) {
        uf[name.toUpperCase()] = value;
      }
    }
    return { cols, uf };
  }

  private autoValues(auth: AuthContext, mode: 'add' | 'update'): Row {
    const out: Row = {};
    const now = isoDateTime(this.portal.clock.now());
    for (const [name, def] of Object.entries(this.e.fields)) {
      if (def.auto === 'modifiedAt' || (mode === 'add' && def.auto === 'createdAt'))
        out[name] = def.type === 'date' ? now.slice(0, 10) : now;
      if (def.auto === 'modifiedBy' || (mode === 'add' && def.auto === 'createdBy')) out[name] = auth.userId;
    }
    return out;
  }

  insert(fields: Readonly<Record<string, unknown>>, auth: AuthContext, missing: (name: string) => RestError): number {
    const { cols, uf } = this.toColumns(fields, 'add');
    for (const [name, def] of Object.entries(this.e.fields)) {
      if (cols[name] === undefined && def.default !== undefined && !def.auto)
        cols[name] = toStored(name, def, def.default);
      if (cols[name] === undefined && def.defaultCurrentUser) cols[name] = auth.userId;
      if (def.required && (cols[name] === undefined || cols[name] === null || cols[name] === '')) throw missing(name);
    }
    Object.assign(cols, this.autoValues(auth, 'add'));
    if (this.e.userFields) cols[UF_COLUMN] = JSON.stringify(uf);
    const names = Object.keys(cols);
    const t = q(this.e.table);
    const sql = names.length
      ? `INSERT INTO ${t} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
      : `INSERT INTO ${t} DEFAULT VALUES`;
    return Number(this.db.prepare(sql).run(...names.map((n) => cols[n])).lastInsertRowid);
  }

  get(id: number): Row | undefined {
    return this.db.prepare(`SELECT * FROM ${q(this.e.table)} WHERE ${q(this.e.idField)} = ?`).get(id) as
      | Row
      | undefined;
  }

  update(id: number, row: Row, fields: Readonly<Record<string, unknown>>, auth: AuthContext): void {
    const { cols, uf } = this.toColumns(fields, 'update');
    Object.assign(cols, this.autoValues(auth, 'update'));
    if (this.e.userFields && Object.keys(uf).length) {
      const old = JSON.parse(String(row[UF_COLUMN] ?? '{}')) as Row;
      cols[UF_COLUMN] = JSON.stringify({ ...old, ...uf });
    }
    const names = Object.keys(cols);
    if (!names.length) return;
    this.db
      .prepare(
        `UPDATE ${q(this.e.table)} SET ${names.map((n) => `${q(n)} = ?`).join(', ')} WHERE ${q(this.e.idField)} = ?`,
      )
      .run(...names.map((n) => cols[n]), id);
  }

  delete(id: number): boolean {
    return this.db.prepare(`DELETE FROM ${q(this.e.table)} WHERE ${q(this.e.idField)} = ?`).run(id).changes > 0;
  }

  all(): Selection {
    return buildSelect(this.e, ['*', 'UF_*']);
  }

  select(where: SqlPart, order: string, sel: Selection, limit: number, offset: number): Row[] {
    const cols = sel.fields.filter((f) => f === this.e.idField || this.e.fields[f]).map(q);
    if (this.e.userFields && (sel.userFields || sel.fields.some((f) => !this.e.fields[f] && f !== this.e.idField)))
      cols.push(q(UF_COLUMN));
    return this.db
      .prepare(
        `SELECT ${cols.join(', ')} FROM ${q(this.e.table)} WHERE ${where.sql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      )
      .all(...where.args) as Row[];
  }

  count(where: SqlPart): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS c FROM ${q(this.e.table)} WHERE ${where.sql}`).get(...where.args) as {
        c: number;
      }
    ).c;
  }

  toWire(row: Row, sel: Selection): Row {
    const e = this.e;
    const out: Row = {};
    let ufs: Row | undefined;
    if (e.userFields && row[UF_COLUMN] !== undefined) {
      try {
        ufs = JSON.parse(String(row[UF_COLUMN] ?? '{}')) as Row;
      } catch {
        ufs = {};
      }
    }
    for (const f of sel.fields) {
      if (f === e.idField) out[f] = e.wire === 'legacy' ? String(row[f]) : row[f];
      else if (e.fields[f]) out[f] = toWire(e, e.fields[f], row[f]);
      else if (ufs) out[f] = ufs[f] ?? null;
    }
    if (sel.userFields && ufs) for (const [k, v] of Object.entries(ufs)) out[k] = v;
    return out;
  }

  /** `*.fields` description (§6, crm.deal.fields shape). */
  describe(): Row {
    const result: Row = {};
    const idDef: FieldDef = { type: 'integer', readOnly: true, title: 'ID' };
    for (const [name, def] of [[this.e.idField, idDef] as const, ...Object.entries(this.e.fields)]) {
      result[name] = {
        type: def.type,
        isRequired: !!def.required,
        isReadOnly: !!def.readOnly || !!def.auto,
        isImmutable: !!def.immutable,
        isMultiple: !!def.multiple,
        isDynamic: false,
        ...(def.statusType ? { statusType: def.statusType } : {}),
        title: def.title ?? name,
      };
    }
    return result;
  }

  /** Inserts `count` rows with one INSERT … SELECT over a recursive CTE, in one transaction. */
  seed(count: number, fields?: Readonly<Record<string, unknown>>): number {
    if (!Number.isSafeInteger(count) || count < 0)
      throw new RangeError(`seed: count must be a non-negative integer, got ${count}`);
    const e = this.e;
    // A field the entity does not store would be dropped without a word: name it instead.
    for (const name of Object.keys(fields ?? {})) {
      if (name !== e.idField && Object.prototype.hasOwnProperty.call(e.fields, name)) continue;
      const near = nearest(name, Object.keys(e.fields));
      throw new RangeError(
        name === e.idField
          ? `seed: ${e.name} assigns ${name} itself; leave it out`
          : `seed: ${e.name} has no field ${JSON.stringify(name)} the emulator stores` +
              (near ? ` (did you mean ${JSON.stringify(near)}?)` : ''),
      );
    }
    if (count === 0) return 0;
    const now = isoDateTime(this.portal.clock.now());
    const cols: string[] = [];
    const exprs: string[] = [];
    const args: unknown[] = [];
    for (const [name, def] of Object.entries(e.fields)) {
      if (name === e.idField) continue;
      cols.push(q(name));
      const given = fields && Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
      if (given !== undefined) {
        exprs.push('?');
        args.push(toStored(name, def, given));
      } else if (def.seed) {
        exprs.push(def.seed);
      } else if (def.auto === 'createdAt' || def.auto === 'modifiedAt') {
        exprs.push('?');
        args.push(def.type === 'date' ? now.slice(0, 10) : now);
      } else if (def.auto === 'createdBy' || def.auto === 'modifiedBy' || def.defaultCurrentUser) {
        exprs.push('1');
      } else if (def.default !== undefined) {
        exprs.push('?');
        args.push(toStored(name, def, def.default));
      } else if (storageOf(def) === 'text' && def.type === 'string') {
        exprs.push(`'${name.replace(/'/g, "''")} ' || n`);
      } else {
        exprs.push('NULL');
      }
    }
    if (e.userFields) {
      cols.push(q(UF_COLUMN));
      exprs.push("'{}'");
    }
    const sql =
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) ` +
      `INSERT INTO ${q(e.table)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM seq`;
    const db = this.db;
    return db.transaction(() => db.prepare(sql).run(count, ...args).changes)();
  }
}

/** The name among `names` nearest to `name` (case-insensitive), within 2 edits or a third of its length. */
function nearest(name: string, names: readonly string[]): string | undefined {
  const a = name.toUpperCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(a.length / 3)) + 1;
  for (const candidate of names) {
    const b = candidate.toUpperCase();
    if (Math.abs(a.length - b.length) >= bestDistance) continue;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++)
        row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    if (prev[b.length]! < bestDistance) {
      bestDistance = prev[b.length]!;
      best = candidate;
    }
  }
  return best;
}
