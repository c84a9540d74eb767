/**
 * The schema drives the emulator: every schema method that no hand-written domain registered
 * answers here, in one of two ways.
 *
 * - **Stateful** (generic tables): a family `<prefix>.add` with `<prefix>.get` or `.list` (plus
 *   `.update`, `.delete`, `.fields` when the schema has them) keeps rows in one SQLite table as
 *   JSON. Rows start from the documented list example (so `crm.status.list` shows the
 *   documented stages and `crm.currency.list` the documented currencies), new rows take the
 *   shape of the documented get/list row with the caller's fields over it, lists page 50 at a
 *   time with `start`/`next`/`total` and take every filter prefix, `order` and `select`.
 *   Results are wrapped the way the documented example wraps them (`result: 5`,
 *   `{category: {...}}`, `{items: [...]}`), and fitted to the generated result type.
 * - **Example-backed**: every other method checks its params against the schema (validate.ts)
 *   and answers the documented response example fitted to the result type (conform.ts); where
 *   the docs show no example, a minimal value of the result type. Such methods are marked
 *   `kind: 'example'`, so nobody mistakes them for a behaviour model.
 *
 * A stateful family raises the schema's events for its add, update and delete
 * (`crm.currency.add` → onCrmCurrencyAdd, `crm.timeline.comment.delete` →
 * onCrmTimelineCommentDelete) through the portal's event delivery, with the payload the event's
 * page documents (`{FIELDS: {ID}}`, `{ID}`, ...), filled from the row.
 *
 * Assumptions where the docs are silent, each once here: a generic add answers the new id in
 * the kind the example shows (number or string); a row's id comes from a per-family sequence
 * above the documented ids; unknown filter fields match nothing rather than raising; an event
 * page that documents no payload fields (onCrmProductAdd, onCrmInvoiceAdd, ...) gets
 * `{FIELDS: {ID}}`, the payload of the other CRM entity events.
 */
import { RestError } from '../errors.js';
import { offsetAnswer, readStart } from '../paging.js';
import { param, type Params } from '../params.js';
import { toInt } from '../wire.js';
import { buildOrder, buildWhere } from '../methods/listQuery.js';
import type { EntityDef, FieldDef } from '../methods/entity.js';
import type { CallContext, DomainApi, MethodResult, MethodSpec } from '../methods/types.js';
import { conform, synthesize } from './conform.js';
import {
  schemaTable,
  type ParamTable,
  type SchemaEvent,
  type SchemaMethod,
  type SchemaTable,
  type TypeNode,
} from './table.js';
import { checkParams, missingParamError } from './validate.js';

type Row = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The id field of rows named by their fields (compositeKey): no key of a documented row. */
const ROW_SEQ = '\u0000seq';
const ACTIONS = ['add', 'get', 'list', 'update', 'delete', 'fields'] as const;
type Action = (typeof ACTIONS)[number];
type EventAction = 'add' | 'update' | 'delete';
/**
 * Families whose events the docs name after a shorter form of the family: the bank details of
 * crm.requisite.bankdetail.* raise onCrmBankDetailAdd/Update/Delete
 * (https://apidocs.bitrix24.com/api-reference/crm/requisites/events/on-crm-bank-detail-add.html).
 */
const EVENT_FAMILY_ALIASES: Readonly<Record<string, string>> = { 'crm.requisite.bankdetail': 'crm.bankdetail' };
/** Params of a list method that are not partition keys. */
const LIST_CONTROLS = new Set([
  'filter',
  'order',
  'select',
  'start',
  'sort',
  'navigation',
  'pagination',
  'limit',
  'offset',
  'page',
]);

export interface SchemaRegistration {
  readonly stateful: string[];
  readonly example: string[];
}

/** A registered method's name and API version, for "is it already served?". */
export type Served = (name: string, apiVersion: 2 | 3) => boolean;

/** Registers every schema method that `served` does not already answer. */
export function registerSchemaMethods(
  api: DomainApi,
  served: Served,
  table: SchemaTable = schemaTable(),
): SchemaRegistration {
  const out: SchemaRegistration = { stateful: [], example: [] };
  const open = table.methods.filter((m) => !served(m.name, m.apiVersion));
  const families = new Map<string, Map<Action, SchemaMethod>>();
  for (const m of open) {
    const dot = m.name.lastIndexOf('.');
    const action = m.name.slice(dot + 1).toLowerCase() as Action;
    if (!ACTIONS.includes(action)) continue;
    const key = `${m.apiVersion}:${m.name.slice(0, dot).toLowerCase()}`;
    const fam = families.get(key) ?? new Map<Action, SchemaMethod>();
    if (!fam.has(action)) fam.set(action, m);
    families.set(key, fam);
  }
  const store = new GenericStore(api);
  const taken = new Set<SchemaMethod>();
  for (const [key, fam] of families) {
    if (!fam.has('add') || !(fam.has('get') || fam.has('list'))) continue;
    const family = new GenericFamily(key, fam, table, store);
    for (const [action, m] of fam) {
      api.method(spec(m, 'stateful', (ctx) => family.handle(action, m, ctx)));
      taken.add(m);
      out.stateful.push(m.name);
    }
  }
  for (const m of open) {
    if (taken.has(m)) continue;
    let answer: MethodResult | undefined;
    api.method(
      spec(m, 'example', (ctx) => {
        checkParams(m, ctx.params);
        // Built on first use: most methods of a run are never called.
        answer ??= exampleAnswer(m, table);
        return answer;
      }),
    );
    out.example.push(m.name);
  }
  return out;
}

function spec(m: SchemaMethod, kind: 'stateful' | 'example', handler: MethodSpec['handler']): MethodSpec {
  return {
    name: m.name,
    scope: m.scope,
    handler,
    kind,
    ...(m.appOnly ? { appOnly: true } : {}),
    ...(m.batchable ? {} : { batchable: false }),
    ...(m.apiVersion === 3 ? { apiVersion: 3 as const } : {}),
  };
}

const resolverOf = (m: SchemaMethod, table: SchemaTable) => (name: string) => table.resolve(m.domain, name);

/** The documented example fitted to the result type; list methods also get `total`. */
function exampleAnswer(m: SchemaMethod, table: SchemaTable): MethodResult {
  const resolve = resolverOf(m, table);
  const result = 'example' in m ? conform(m.example, m.result, resolve) : synthesize(m.result, resolve);
  if (!m.list || m.apiVersion === 3) return { result };
  const rows = rowsAt(result, m.list.rows ?? '');
  return { result, total: m.exampleTotal ?? (Array.isArray(rows) ? rows.length : 0) };
}

/**
 * The required fields of the `fields` group that every keyed method (update, delete) takes,
 * when the family names rows by them instead of an id (crm.address.update/delete).
 */
function compositeKeyOf(keyed: readonly SchemaMethod[]): string[] {
  const groups = keyed.map((k) => {
    const name = Object.keys(k.params).find((n) => n.toLowerCase() === 'fields');
    const nested = name ? k.params[name]![2] : undefined;
    return nested
      ? Object.entries(nested)
          .filter(([, [, req]]) => req === 1)
          .map(([n]) => n)
      : [];
  });
  if (!groups.length || groups.some((g) => !g.length)) return [];
  return groups[0]!.filter((n) => groups.every((g) => g.includes(n)));
}

/**
 * The params that together name a row where update and delete take no `id` and every param
 * they require is one the add takes (crm.activity.binding: activityId, entityTypeId, entityId).
 */
function topLevelKeyOf(keyed: readonly SchemaMethod[], add: SchemaMethod | undefined): string[] {
  if (!add || !keyed.length) return [];
  if (keyed.some((k) => Object.keys(k.params).some((n) => n.toLowerCase() === 'id'))) return [];
  const required = keyed.map((k) =>
    Object.entries(k.params)
      .filter(([, [, req]]) => req === 1)
      .map(([n]) => n),
  );
  if (required.some((g) => !g.length || g.some((n) => !(n in add.params)))) return [];
  const common = required[0]!.filter((n) => required.every((g) => g.includes(n)));
  return common.length >= 2 ? common : [];
}

function rowsAt(result: unknown, path: string): unknown {
  let node = result;
  for (const part of path.split('.').filter(Boolean)) node = isPlainObject(node) ? node[part] : undefined;
  return node;
}

// ---- the generic table ----

class GenericStore {
  constructor(readonly api: DomainApi) {
    api.portal.db.exec(`CREATE TABLE IF NOT EXISTS schema_row (family TEXT NOT NULL, part TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (family, id))`);
  }
  get db() {
    return this.api.portal.db;
  }
}

/** How a documented result wraps its payload: `{key: payload}` or the payload itself. */
function wrapperKey(example: unknown, want: 'object' | 'array'): string | undefined {
  if (!isPlainObject(example)) return undefined;
  const keys = Object.keys(example);
  const hits = keys.filter((k) => (want === 'array' ? Array.isArray(example[k]) : isPlainObject(example[k])));
  return keys.length === 1 && hits.length === 1 ? hits[0] : want === 'array' && hits.length === 1 ? hits[0] : undefined;
}

/** A documented value with its scalars emptied: the shape of a row without the example's data. */
function blank(v: unknown): unknown {
  if (typeof v === 'string') return v === 'Y' || v === 'N' ? v : '';
  // Maps keyed by number ({"1": {...}}) are data, not shape.
  if (isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => /^\d+$/.test(k))) return {};
  if (typeof v === 'number') return 0;
  if (typeof v === 'boolean') return false;
  if (Array.isArray(v)) return [];
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]));
  return null;
}

class GenericFamily {
  private readonly template: Row;
  private readonly idField: string;
  private readonly idIsString: boolean;
  private readonly seedRows: Row[];
  private readonly partitions: string[];
  private readonly keyOf = new Map<string, string>();
  private readonly rowType?: TypeNode;
  private seeded = false;
  /** Rows keyed by a code (`USD`) instead of a number. */
  private readonly naturalKey: boolean;
  /** The string param that names a row where the family has no `id` (bizproc.activity: CODE). */
  private readonly codeParam: string | undefined;
  private readonly def: EntityDef;
  private readonly events: Partial<Record<EventAction, SchemaEvent>>;
  /** The family's `get` answers a list (see the constructor). */
  private readonly listerGet: boolean;
  /**
   * Fields that together name a row where the family has no id or code param: crm.address.*
   * take `fields: {TYPE_ID, ENTITY_TYPE_ID, ENTITY_ID}` on update and delete.
   */
  private readonly compositeKey: string[];
  /** The composite key is made of top-level params (crm.activity.binding.delete: activityId, entityTypeId, entityId). */
  private readonly compositeTop: boolean;

  constructor(
    private readonly key: string,
    private readonly methods: Map<Action, SchemaMethod>,
    private readonly table: SchemaTable,
    private readonly store: GenericStore,
  ) {
    const get = methods.get('get');
    // A `get` that lists (entity.item.get, telephony.externalLine.get, voximplant.sip.get): it
    // takes nothing but list controls, or the schema gives it list paging and it takes no
    // optional param beside them that could name one row (lists.get takes IBLOCK_ID: not a lister).
    const controlsOnly = (m: SchemaMethod, orRequired: boolean) =>
      Object.entries(m.params).every(([n, [, req]]) => LIST_CONTROLS.has(n.toLowerCase()) || (orRequired && req === 1));
    this.listerGet =
      !!get &&
      !methods.has('list') &&
      (controlsOnly(get, false) || (get.list !== undefined && controlsOnly(get, true)));
    const list = methods.get('list') ?? (this.listerGet ? get : undefined);
    const listExample = list && 'example' in list ? rowsOf(list, list.example) : [];
    const getRow = get && 'example' in get ? unwrapRow(get.example) : undefined;
    this.seedRows = listExample.filter(isPlainObject);
    this.template = (getRow ?? this.seedRows[0] ?? {}) as Row;
    // The key param of get/update/delete: `id`, or a code the family is keyed by (CODE, ENTITY,
    // NUMBER, ...): the required string param they all take.
    // A code the get leaves optional (entity.get ENTITY: one storage, or all without it) still keys the family.
    const keyed = [this.listerGet ? undefined : get, methods.get('delete'), methods.get('update')].filter(
      (x): x is SchemaMethod => !!x,
    );
    const codeParam = keyed.length
      ? Object.keys(keyed[0]!.params).find(
          (n) =>
            !/id$/i.test(n) &&
            keyed.every((k) => k.params[n]?.[0] === 'string') &&
            keyed.some((k) => k.params[n]?.[1] === 1),
        )
      : undefined;
    // Families with an id-like required param (`id`, `CHAT_ID`, ...) are keyed by it, not by a code.
    const idKeyed = keyed.some((k) =>
      Object.entries(k.params).some(([n, [, req]]) => n.toLowerCase() === 'id' || (req === 1 && /id$/i.test(n))),
    );
    this.codeParam = idKeyed ? undefined : codeParam;
    const candidates = [this.codeParam, list?.list?.idField, 'ID', 'id', 'Id'].filter((k): k is string => !!k);
    // Without an ID/id key the row's first key is its natural key (crm.currency: CURRENCY).
    const firstKey = Object.keys(this.template)[0];
    const byName = (k: string) => Object.keys(this.template).find((t) => t.toLowerCase() === k.toLowerCase());
    const hasIdKey = ['ID', 'id'].some((k) => byName(k));
    const topKey = this.codeParam || hasIdKey ? [] : topLevelKeyOf(keyed, methods.get('add'));
    this.compositeTop = topKey.length > 0;
    this.compositeKey = this.compositeTop ? topKey : this.codeParam || idKeyed || hasIdKey ? [] : compositeKeyOf(keyed);
    // Rows named by their fields carry no id of their own: the table numbers them (ROW_SEQ).
    this.idField = this.compositeKey.length
      ? ROW_SEQ
      : this.codeParam
        ? (byName(this.codeParam) ?? this.codeParam)
        : (candidates.map(byName).find((k): k is string => !!k) ??
          // A get example without the id (biconnector.source.get) still keys rows by the list's id field.
          list?.list?.idField ??
          firstKey ??
          'id');
    this.idIsString = !!this.codeParam || typeof this.template[this.idField] === 'string';
    this.naturalKey = !!this.codeParam || (this.idIsString && toInt(this.template[this.idField]) === undefined);
    for (const k of Object.keys(this.template)) this.keyOf.set(k.toLowerCase(), k);
    for (const r of this.seedRows)
      for (const k of Object.keys(r)) if (!this.keyOf.has(k.toLowerCase())) this.keyOf.set(k.toLowerCase(), k);
    this.partitions = list
      ? Object.entries(list.params)
          .filter(([n, [, req]]) => req === 1 && !LIST_CONTROLS.has(n.toLowerCase()) && n.toLowerCase() !== 'id')
          .map(([n]) => n)
      : [];
    const rowNode = get
      ? rowTypeOf(table, get, 'example' in get ? wrapperKey(get.example, 'object') : undefined)
      : list
        ? rowTypeOf(table, list, list.list?.rows ?? wrapperKey(list.example, 'array'))
        : undefined;
    if (rowNode) this.rowType = rowNode;
    this.events = familyEvents(table, key.slice(key.indexOf(':') + 1));
    for (const ev of Object.values(this.events)) store.api.event(ev.name);
    this.def = {
      name: key,
      table: 'schema_row',
      idField: 'id',
      wire: 'typed',
      fields: {},
      column: (field) => this.column(field),
    };
  }

  private column(field: string): { expr: string; def: FieldDef } | undefined {
    if (field.toLowerCase() === this.idField.toLowerCase()) return { expr: '"id"', def: { type: 'integer' } };
    const k = this.keyOf.get(field.toLowerCase()) ?? field;
    const path = `'$."${k.replace(/["'\\]/g, '')}"'`;
    const sample = this.template[k] ?? this.seedRows.find((r) => r[k] !== undefined && r[k] !== null)?.[k];
    if (
      typeof sample === 'number' ||
      (typeof sample === 'string' && /^-?\d+(\.\d+)?$/.test(sample) && k !== 'SORT_STRING')
    ) {
      return { expr: `CAST(json_extract("data", ${path}) AS REAL)`, def: { type: 'double' } };
    }
    return { expr: `json_extract("data", ${path})`, def: { type: 'string' } };
  }

  /** The partition of a call: its partition params, at the top level or in its fields (catalog.productImage.add). */
  private partOf(ctx: CallContext, m: SchemaMethod): string {
    const fields = this.partitions.length ? this.fieldsOf(ctx, m) : {};
    return JSON.stringify(
      this.partitions.map((p) => {
        const inFields = Object.entries(fields).find(([k]) => k.toLowerCase() === p.toLowerCase())?.[1];
        return String(param(ctx.params, p) ?? inFields ?? '');
      }),
    );
  }

  /** A get/update/delete that takes none of the partition params names its row by id alone (crm.item.payment.get). */
  private anyPart(m: SchemaMethod): boolean {
    return this.partitions.length > 0 && !this.partitions.some((p) => p in m.params);
  }

  /** Documented list rows become the family's first rows, in their partition when they carry its key. */
  private seed(): void {
    if (this.seeded) return;
    this.seeded = true;
    const db = this.store.db;
    const insert = db.prepare('INSERT OR IGNORE INTO schema_row (family, part, id, data) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const [i, r] of this.seedRows.entries()) {
        const raw = this.idField === ROW_SEQ ? i + 1 : r[this.idField];
        const id = toInt(raw) ?? (typeof raw === 'string' && raw !== '' ? raw : undefined);
        if (id === undefined) continue;
        const part = JSON.stringify(this.partitions.map((p) => String(r[this.keyOf.get(p.toLowerCase()) ?? p] ?? '')));
        insert.run(this.key, part, id, JSON.stringify(r));
      }
    })();
  }

  private nextId(): number {
    const max = (
      this.store.db
        .prepare("SELECT MAX(id) AS m FROM schema_row WHERE family = ? AND typeof(id) = 'integer'")
        .get(this.key) as { m: number | null }
    ).m;
    return (max ?? 0) + 1;
  }

  private load(id: number | string, part: string | null): Row | undefined {
    const r = (
      part === null
        ? this.store.db.prepare('SELECT data FROM schema_row WHERE family = ? AND id = ?').get(this.key, id)
        : this.store.db
            .prepare('SELECT data FROM schema_row WHERE family = ? AND id = ? AND part = ?')
            .get(this.key, id, part)
    ) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as Row) : undefined;
  }

  /** The id of the row whose composite key fields the call names, or undefined. */
  private findByKey(ctx: CallContext, m: SchemaMethod, part: string): number | string | undefined {
    const given = this.compositeTop ? ctx.params : this.fieldsOf(ctx, m);
    const wanted = this.compositeKey.map((k) => {
      const v = Object.entries(given).find(([n]) => n.toLowerCase() === k.toLowerCase())?.[1];
      return v === undefined || v === null ? undefined : String(v);
    });
    const missing = this.compositeKey.find((_, i) => wanted[i] === undefined);
    if (missing !== undefined) throw missingParamError(m, missing);
    const rows = this.store.db
      .prepare('SELECT id, data FROM schema_row WHERE family = ? AND part = ? ORDER BY id')
      .all(this.key, part) as { id: number | string; data: string }[];
    for (const r of rows) {
      const row = JSON.parse(r.data) as Row;
      const ok = this.compositeKey.every((k, i) => {
        // A key param that partitions the family is matched by the partition already.
        if (this.partitions.some((p) => p.toLowerCase() === k.toLowerCase())) return true;
        const v = row[this.keyOf.get(k.toLowerCase()) ?? k];
        return v !== undefined && v !== null && String(v) === wanted[i];
      });
      if (ok) return r.id;
    }
    return undefined;
  }

  private idParam(m: SchemaMethod): string {
    const names = Object.keys(m.params);
    return (
      names.find((n) => n.toLowerCase() === 'id') ??
      (this.codeParam && names.includes(this.codeParam) ? this.codeParam : undefined) ??
      names.find((n) => m.params[n]![1] === 1 && /id$/i.test(n) && !this.partitions.includes(n)) ??
      'id'
    );
  }

  private readId(ctx: CallContext, m: SchemaMethod): number | string {
    const name = this.idParam(m);
    const raw = param(ctx.params, name);
    if (raw === undefined || raw === null || raw === '') throw missingParamError(m, name);
    const id = toInt(raw) ?? (this.naturalKey && typeof raw === 'string' ? raw : undefined);
    if (id === undefined) throw missingParamError(m, name);
    return id;
  }

  private fieldsOf(ctx: CallContext, m: SchemaMethod): Row {
    const name =
      Object.keys(m.params).find((n) => n.toLowerCase() === 'fields') ??
      Object.keys(m.params).find((n) => n.toLowerCase() === 'data');
    if (name) {
      const v = param(ctx.params, name);
      return isPlainObject(v) ? v : {};
    }
    // Methods that take the row's fields as top-level params (no `fields` group).
    const skip = new Set([
      ...(this.compositeTop ? [] : [this.idParam(m).toLowerCase()]),
      ...this.partitions.map((p) => p.toLowerCase()),
    ]);
    return Object.fromEntries(Object.entries(ctx.params).filter(([k]) => !skip.has(k.toLowerCase())));
  }

  private notFound(m: SchemaMethod): RestError {
    const documented = m.errors.find(([, message]) => /not found|does not exist|not exist/i.test(message));
    return documented
      ? new RestError(documented[0], documented[1], documented[2] && documented[2] < 500 ? documented[2] : 400)
      : new RestError('ERROR_NOT_FOUND', 'Not found', 400);
  }

  /** The stored row in the wire shape: the row type of the family, when the schema names one. */
  private wire(row: Row, m: SchemaMethod): Row {
    if (!this.rowType) return row;
    return conform(row, this.rowType, resolverOf(m, this.table)) as Row;
  }

  private answer(m: SchemaMethod, payload: unknown, fallbackKind: 'row' | 'id' | 'true'): unknown {
    const ex = 'example' in m ? m.example : undefined;
    const resolve = resolverOf(m, this.table);
    let result: unknown;
    if (fallbackKind === 'id') {
      const id = payload as number | string;
      if (typeof ex === 'number' || typeof ex === 'string' || ex === undefined)
        result = typeof ex === 'string' || this.idIsString ? String(id) : id;
      else if (typeof ex === 'boolean') result = true;
      else result = undefined;
    }
    if (result === undefined && fallbackKind !== 'true') {
      const row = isPlainObject(payload) ? payload : undefined;
      const wrap = wrapperKey(ex, 'object');
      if (row && wrap) result = { [wrap]: row };
      else if (row && Array.isArray(ex)) result = [row];
      else if (row && isPlainObject(ex)) result = row;
    }
    if (result === undefined) result = ex === undefined ? true : ex;
    return conform(result, m.result, resolve);
  }

  /** Raises the family's documented event for a change, when the schema has one. */
  private raise(action: EventAction, id: number | string, row: Row | undefined, ctx: CallContext): void {
    const ev = this.events[action];
    if (!ev) return;
    const data = Object.keys(ev.data).length ? this.payload(ev.data, id, row) : { FIELDS: { ID: id } };
    this.store.api.portal.raiseEvent(ev.name, data, ctx.auth);
  }

  /** The documented payload fields, filled from the row (names matched case-insensitively). */
  private payload(fields: ParamTable, id: number | string, row: Row | undefined): Row {
    const out: Row = {};
    for (const [name, [type, , nested]] of Object.entries(fields)) {
      if (nested) out[name] = this.payload(nested, id, row);
      else if (name.toLowerCase() === 'id' || name.toLowerCase() === this.idField.toLowerCase())
        out[name] = type === 'string' ? String(id) : id;
      else if (type === 'object') out[name] = { ID: id };
      else {
        const k = row && Object.keys(row).find((x) => x.toLowerCase() === name.toLowerCase());
        const v = k === undefined ? undefined : row?.[k];
        if (v !== undefined && v !== null) out[name] = type === 'string' && typeof v !== 'object' ? String(v) : v;
      }
    }
    return out;
  }

  handle(action: Action, m: SchemaMethod, ctx: CallContext): MethodResult {
    checkParams(m, ctx.params);
    this.seed();
    const db = this.store.db;
    const part = this.partOf(ctx, m);
    const rowPart =
      action === 'get' || action === 'update' || action === 'delete' ? (this.anyPart(m) ? null : part) : part;
    switch (action) {
      case 'fields':
        return {
          result:
            'example' in m
              ? conform(m.example, m.result, resolverOf(m, this.table))
              : synthesize(m.result, resolverOf(m, this.table)),
        };
      case 'add': {
        const row: Row = blank(this.template) as Row;
        for (const [k, v] of Object.entries(this.fieldsOf(ctx, m))) row[this.keyOf.get(k.toLowerCase()) ?? k] = v;
        // A code-keyed add may take the code beside the fields (bizproc.activity.add CODE).
        if (this.codeParam && (row[this.idField] === undefined || row[this.idField] === '')) {
          const code = param(ctx.params, this.codeParam);
          if (code !== undefined) row[this.idField] = code;
        }
        const given = row[this.idField];
        const id: number | string =
          this.naturalKey && typeof given === 'string' && given !== '' ? given : this.nextId();
        if (this.naturalKey && this.load(id, part))
          throw new RestError('ERROR_CORE', `An entry with the code ${String(id)} already exists`, 400);
        if (this.idField !== ROW_SEQ) row[this.idField] = this.idIsString ? String(id) : id;
        for (const p of this.partitions) {
          const k = this.keyOf.get(p.toLowerCase());
          if (k) row[k] = param(ctx.params, p);
        }
        db.prepare('INSERT INTO schema_row (family, part, id, data) VALUES (?, ?, ?, ?)').run(
          this.key,
          part,
          id,
          JSON.stringify(row),
        );
        this.raise('add', id, row, ctx);
        const added = this.wire(row, m);
        return {
          result: this.answer(m, isPlainObject(m.example) ? added : id, isPlainObject(m.example) ? 'row' : 'id'),
        };
      }
      case 'get': {
        if (this.listerGet) return this.handle('list', m, ctx);
        const keyName = this.idParam(m);
        if (
          (m.params[keyName] === undefined || m.params[keyName][1] === 0) &&
          param(ctx.params, keyName) === undefined
        ) {
          // The key is optional on the docs' page, or the page names none (im.search.last.get: the
          // recent searches): without it, every row (entity.get lists the storages).
          const rows = (
            db.prepare('SELECT data FROM schema_row WHERE family = ? AND part = ? ORDER BY id').all(this.key, part) as {
              data: string;
            }[]
          ).map((r) => this.wire(JSON.parse(r.data) as Row, m));
          return { result: conform(rows, m.result, resolverOf(m, this.table)) };
        }
        const row = this.load(this.readId(ctx, m), rowPart);
        if (!row) throw this.notFound(m);
        return { result: this.answer(m, this.wire(row, m), 'row') };
      }
      case 'update': {
        const id = this.compositeKey.length ? this.findByKey(ctx, m, part) : this.readId(ctx, m);
        if (id === undefined) throw this.notFound(m);
        const row = this.load(id, rowPart);
        if (!row) throw this.notFound(m);
        for (const [k, v] of Object.entries(this.fieldsOf(ctx, m))) {
          const key = this.keyOf.get(k.toLowerCase()) ?? k;
          if (key !== this.idField) row[key] = v;
        }
        db.prepare('UPDATE schema_row SET data = ? WHERE family = ? AND id = ?').run(JSON.stringify(row), this.key, id);
        this.raise('update', id, row, ctx);
        const ex = 'example' in m ? m.example : undefined;
        return { result: this.answer(m, this.wire(row, m), isPlainObject(ex) || Array.isArray(ex) ? 'row' : 'true') };
      }
      case 'delete': {
        const id = this.compositeKey.length ? this.findByKey(ctx, m, part) : this.readId(ctx, m);
        if (id === undefined) throw this.notFound(m);
        const gone = this.events.delete ? this.load(id, rowPart) : undefined;
        if (
          (rowPart === null
            ? db.prepare('DELETE FROM schema_row WHERE family = ? AND id = ?').run(this.key, id)
            : db.prepare('DELETE FROM schema_row WHERE family = ? AND id = ? AND part = ?').run(this.key, id, rowPart)
          ).changes === 0
        )
          throw this.notFound(m);
        this.raise('delete', id, gone, ctx);
        return { result: this.answer(m, undefined, 'true') };
      }
      case 'list': {
        const filterName = Object.keys(m.params).find((n) => n.toLowerCase() === 'filter') ?? 'filter';
        const orderName =
          Object.keys(m.params).find((n) => n.toLowerCase() === 'order' || n.toLowerCase() === 'sort') ?? 'order';
        const where = buildWhere(this.def, param(ctx.params, filterName));
        const order = buildOrder(this.def, param(ctx.params, orderName));
        const select = param(ctx.params, 'select');
        const wanted =
          Array.isArray(select) && select.length > 0 && !select.includes('*')
            ? new Set(select.map((s) => String(s).toLowerCase()))
            : undefined;
        const page = readStart(ctx);
        const sql = `family = ? AND part = ? AND (${where.sql})`;
        const rows = (
          db
            .prepare(`SELECT data FROM schema_row WHERE ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
            .all(this.key, part, ...where.args, page.limit, page.offset) as { data: string }[]
        ).map((r) => {
          const row = this.wire(JSON.parse(r.data) as Row, m);
          if (!wanted) return row;
          return Object.fromEntries(
            Object.entries(row).filter(([k]) => wanted.has(k.toLowerCase()) || k === this.idField),
          );
        });
        const count = () =>
          (
            db.prepare(`SELECT COUNT(*) AS c FROM schema_row WHERE ${sql}`).get(this.key, part, ...where.args) as {
              c: number;
            }
          ).c;
        const path = m.list?.rows ?? (Array.isArray(m.example) ? '' : (wrapperKey(m.example, 'array') ?? ''));
        const wrap = (r: readonly Row[]) => (path ? { [path]: r } : r);
        const answer = offsetAnswer(ctx, page, rows, count, wrap);
        // Lists wrapped with more keys than the rows (e.g. `{items, total}`) keep the example's other keys.
        const ex = m.example;
        const result = path && isPlainObject(ex) ? { ...ex, ...(answer.result as Row) } : answer.result;
        return { ...answer, result: conform(result, m.result, resolverOf(m, this.table)) };
      }
    }
  }
}

/**
 * The events of a family: on + the family's parts + Add/Update/Delete, as the docs name them
 * (crm.timeline.comment → onCrmTimelineCommentAdd), matched case-insensitively as Bitrix24 does.
 */
function familyEvents(table: SchemaTable, family: string): Partial<Record<EventAction, SchemaEvent>> {
  // Version segments are not part of event names (booking.v1.resource → onBookingResourceAdd).
  const base = (EVENT_FAMILY_ALIASES[family] ?? family)
    .split('.')
    .filter((p) => !/^v\d+$/i.test(p))
    .join('')
    .replace(/_/g, '')
    .toLowerCase();
  const out: Partial<Record<EventAction, SchemaEvent>> = {};
  for (const action of ['add', 'update', 'delete'] as const) {
    const ev = table.events.get(`on${base}${action}`);
    if (ev) out[action] = ev;
  }
  return out;
}

function unwrapRow(example: unknown): Row | undefined {
  if (Array.isArray(example)) return isPlainObject(example[0]) ? example[0] : undefined;
  const k = wrapperKey(example, 'object');
  if (k) return (example as Row)[k] as Row;
  return isPlainObject(example) ? example : undefined;
}

function rowsOf(m: SchemaMethod, example: unknown): unknown[] {
  const rows =
    m.list?.rows !== undefined
      ? rowsAt(example, m.list.rows)
      : Array.isArray(example)
        ? example
        : rowsAt(example, wrapperKey(example, 'array') ?? '');
  return Array.isArray(rows) ? rows : [];
}

/** The row type inside a result: `{item: T}` → T, `T[]` → T, `{items: T[]}` → T. */
function rowTypeOf(table: SchemaTable, m: SchemaMethod, key: string | undefined): TypeNode | undefined {
  let node: TypeNode = m.result;
  if (key && node.kind === 'ref') {
    const f = table.resolve(m.domain, node.name)?.fields[key];
    if (f) node = f.type;
  }
  if (node.kind === 'array') node = node.of;
  return node.kind === 'ref' ? node : undefined;
}

export type { Params };
