/**
 * Generic schema-driven CRUD: `<prefix>.add|get|list|update|delete|fields` over one SQLite
 * table, with legacy or typed wire values, list paging (50 per page, `start`, `next`, `total`,
 * `start=-1`), filters/order/select, entity events and a fast seeder.
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { param } from '../params.js';
import { createTable, q, storageOf, toStored, toWire, UF_COLUMN, type EntityDef, type FieldDef } from './entity.js';
import { buildOrder, buildSelect, buildWhere, type Selection } from './listQuery.js';
import type { CallContext, DomainApi } from './types.js';

export const PAGE_SIZE = 50;

export interface CrudOptions {
  /** Method prefix, e.g. 'crm.deal'. */
  readonly prefix: string;
  readonly scope: string;
  readonly entity: EntityDef;
  /** Events raised with `data: {FIELDS: {ID}}`. */
  readonly events?: { readonly add?: string; readonly update?: string; readonly delete?: string };
  /** Parameter names (looked up case-insensitively). Defaults: `id`, `fields`. */
  readonly idParam?: string;
  readonly fieldsParam?: string;
  /**
   * Where results sit. Legacy (default): add → id, get → row, list → rows in `result`.
   * With `item`/`items` set: add/get/update → `{[item]: row}`, list → `{[items]: rows}`.
   */
  readonly item?: string;
  readonly items?: string;
  /** Which methods to register (default all six). */
  readonly only?: readonly ('add' | 'get' | 'list' | 'update' | 'delete' | 'fields')[];
}

/** Legacy CRM methods answer "Not found" and friends with an empty error code (catalog errors). */
const legacyError = (text: string) => new RestError('', text, 400);

export function registerCrud(api: DomainApi, o: CrudOptions): void {
  const { entity: e, portal } = { entity: o.entity, portal: api.portal };
  const db = portal.db;
  createTable(db, e);
  const idParam = o.idParam ?? 'id';
  const fieldsParam = o.fieldsParam ?? 'fields';
  const want = new Set(o.only ?? ['add', 'get', 'list', 'update', 'delete', 'fields']);
  for (const ev of Object.values(o.events ?? {})) if (ev) api.event(ev);

  const readId = (ctx: CallContext): number => {
    const raw = param(ctx.params, idParam);
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw legacyError('ID is not defined or invalid');
    return n;
  };
  const readFields = (ctx: CallContext): Record<string, unknown> => {
    const raw = param(ctx.params, fieldsParam);
    if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw) && raw.length > 0) {
      throw legacyError(`Parameter '${fieldsParam}' must be array`);
    }
    return Array.isArray(raw) ? {} : (raw as Record<string, unknown>);
  };

  const fieldNamed = (name: string): [string, FieldDef] | undefined => {
    const key = e.wire === 'legacy' ? name.toUpperCase() : name;
    const def = e.fields[key];
    return def ? [key, def] : undefined;
  };

  /** Incoming fields → stored columns; read-only and unknown fields are ignored like the portal does. */
  const toColumns = (fields: Record<string, unknown>, mode: 'add' | 'update'): { cols: Record<string, unknown>; uf: Record<string, unknown> } => {
    const cols: Record<string, unknown> = {};
    const uf: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      const found = fieldNamed(name);
      if (found) {
        const [key, def] = found;
        if (key === e.idField || def.readOnly || def.auto) continue;
        if (mode === 'update' && def.immutable) continue;
        cols[key] = toStored(key, def, value);
      } else if (e.userFields && /^UF_/i.test(name)) {
        uf[name.toUpperCase()] = value;
      }
    }
    return { cols, uf };
  };

  const autoValues = (ctx: CallContext, mode: 'add' | 'update'): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const now = isoDateTime(portal.clock.now());
    for (const [name, def] of Object.entries(e.fields)) {
      if (def.auto === 'modifiedAt' || (mode === 'add' && def.auto === 'createdAt')) out[name] = def.type === 'date' ? now.slice(0, 10) : now;
      if (def.auto === 'modifiedBy' || (mode === 'add' && def.auto === 'createdBy')) out[name] = ctx.auth.userId;
    }
    return out;
  };

  const rowToWire = (row: Record<string, unknown>, sel: Selection): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    let ufs: Record<string, unknown> | undefined;
    if (e.userFields && row[UF_COLUMN] !== undefined) {
      try {
        ufs = JSON.parse(String(row[UF_COLUMN] ?? '{}')) as Record<string, unknown>;
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
  };

  const allSelection = (): Selection => buildSelect(e, ['*', 'UF_*']);
  const selectSql = (sel: Selection): string => {
    const cols = sel.fields.filter((f) => f === e.idField || e.fields[f]).map(q);
    if (e.userFields && (sel.userFields || sel.fields.some((f) => !e.fields[f] && f !== e.idField))) cols.push(q(UF_COLUMN));
    return cols.join(', ');
  };
  const getRow = (id: number) =>
    db.prepare(`SELECT * FROM ${q(e.table)} WHERE ${q(e.idField)} = ?`).get(id) as Record<string, unknown> | undefined;
  const wrap = (key: string | undefined, v: unknown) => (key ? { [key]: v } : v);

  if (want.has('fields')) {
    api.method({
      name: `${o.prefix}.fields`,
      scope: o.scope,
      handler: () => {
        const result: Record<string, unknown> = {};
        const idDef: FieldDef = { type: 'integer', readOnly: true, title: 'ID' };
        for (const [name, def] of [[e.idField, idDef] as const, ...Object.entries(e.fields)]) {
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
        return { result };
      },
    });
  }

  if (want.has('add')) {
    api.method({
      name: `${o.prefix}.add`,
      scope: o.scope,
      handler: (ctx) => {
        const { cols, uf } = toColumns(readFields(ctx), 'add');
        for (const [name, def] of Object.entries(e.fields)) {
          if (cols[name] === undefined && def.default !== undefined && !def.auto) cols[name] = toStored(name, def, def.default);
          if (cols[name] === undefined && def.defaultCurrentUser) cols[name] = ctx.auth.userId;
          if (def.required && (cols[name] === undefined || cols[name] === null || cols[name] === '')) {
            throw new RestError('ERROR_ARGUMENT', `Required field ${name} is missing`, 400, { argument: name });
          }
        }
        Object.assign(cols, autoValues(ctx, 'add'));
        if (e.userFields) cols[UF_COLUMN] = JSON.stringify(uf);
        const names = Object.keys(cols);
        const sql = names.length
          ? `INSERT INTO ${q(e.table)} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
          : `INSERT INTO ${q(e.table)} DEFAULT VALUES`;
        const info = db.prepare(sql).run(...names.map((n) => cols[n]));
        const id = Number(info.lastInsertRowid);
        if (o.events?.add) portal.raiseEvent(o.events.add, { FIELDS: { ID: id } }, ctx.auth);
        if (o.item) return { result: { [o.item]: rowToWire(getRow(id)!, allSelection()) } };
        return { result: id };
      },
    });
  }

  if (want.has('get')) {
    api.method({
      name: `${o.prefix}.get`,
      scope: o.scope,
      handler: (ctx) => {
        const row = getRow(readId(ctx));
        if (!row) throw legacyError('Not found');
        return { result: wrap(o.item, rowToWire(row, allSelection())) };
      },
    });
  }

  if (want.has('update')) {
    api.method({
      name: `${o.prefix}.update`,
      scope: o.scope,
      handler: (ctx) => {
        const id = readId(ctx);
        const row = getRow(id);
        if (!row) throw legacyError('Not found');
        const { cols, uf } = toColumns(readFields(ctx), 'update');
        Object.assign(cols, autoValues(ctx, 'update'));
        if (e.userFields && Object.keys(uf).length) {
          const old = JSON.parse(String(row[UF_COLUMN] ?? '{}')) as Record<string, unknown>;
          cols[UF_COLUMN] = JSON.stringify({ ...old, ...uf });
        }
        const names = Object.keys(cols);
        if (names.length) {
          db.prepare(`UPDATE ${q(e.table)} SET ${names.map((n) => `${q(n)} = ?`).join(', ')} WHERE ${q(e.idField)} = ?`).run(
            ...names.map((n) => cols[n]),
            id,
          );
        }
        if (o.events?.update) portal.raiseEvent(o.events.update, { FIELDS: { ID: id } }, ctx.auth);
        if (o.item) return { result: { [o.item]: rowToWire(getRow(id)!, allSelection()) } };
        return { result: true };
      },
    });
  }

  if (want.has('delete')) {
    api.method({
      name: `${o.prefix}.delete`,
      scope: o.scope,
      handler: (ctx) => {
        const id = readId(ctx);
        const info = db.prepare(`DELETE FROM ${q(e.table)} WHERE ${q(e.idField)} = ?`).run(id);
        if (info.changes === 0) throw legacyError('Not found');
        if (o.events?.delete) portal.raiseEvent(o.events.delete, { FIELDS: { ID: id } }, ctx.auth);
        return { result: o.item ? [] : true };
      },
    });
  }

  if (want.has('list')) {
    api.method({
      name: `${o.prefix}.list`,
      scope: o.scope,
      handler: (ctx) => {
        const where = buildWhere(e, param(ctx.params, 'filter'));
        const order = buildOrder(e, param(ctx.params, 'order'));
        const sel = buildSelect(e, param(ctx.params, 'select'));
        // `start` is read with intval (§6.1): junk is 0, any negative value means "no count".
        const startRaw = Number.parseInt(String(param(ctx.params, 'start') ?? '0'), 10);
        const start = Number.isNaN(startRaw) ? 0 : startRaw;
        const offset = Math.max(0, start);
        const rows = db
          .prepare(`SELECT ${selectSql(sel)} FROM ${q(e.table)} WHERE ${where.sql} ORDER BY ${order} LIMIT ${PAGE_SIZE} OFFSET ${offset}`)
          .all(...where.args) as Record<string, unknown>[];
        const items = rows.map((r) => rowToWire(r, sel));
        const result = wrap(o.items, items);
        const tm = portal.timeModel;
        if (start < 0) {
          // start=-1 skips the COUNT. The docs' only sample shows `total: 0` and no `next` (§4.4, §11.9).
          return { result, total: 0 };
        }
        const total = (db.prepare(`SELECT COUNT(*) AS c FROM ${q(e.table)} WHERE ${where.sql}`).get(...where.args) as { c: number }).c;
        // A real portal pays for COUNT over the matching rows and for skipping the offset.
        ctx.spend((tm.countRowUs * total + tm.skipRowUs * offset) / 1000);
        const next = offset + items.length < total ? offset + items.length : undefined;
        return next === undefined ? { result, total } : { result, total, next };
      },
    });
  }

  api.seeder(e.name, (count, fields) => seedRows(api, e, count, fields));
}

/** Inserts `count` rows with one INSERT … SELECT over a recursive CTE, in one transaction. */
function seedRows(api: DomainApi, e: EntityDef, count: number, fields?: Readonly<Record<string, unknown>>): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`seed: count must be a non-negative integer, got ${count}`);
  if (count === 0) return 0;
  const db = api.portal.db;
  const now = isoDateTime(api.portal.clock.now());
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
    } else if (def.auto === 'createdBy' || def.auto === 'modifiedBy') {
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
  const run = db.transaction(() => db.prepare(sql).run(count, ...args).changes);
  return run();
}
