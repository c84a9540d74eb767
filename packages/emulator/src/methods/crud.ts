/**
 * Generic schema-driven CRUD: `<prefix>.add|get|list|update|delete|fields` over one SQLite
 * table, with legacy or typed wire values, list paging (50 per page, `start`, `next`, `total`,
 * `start=-1`), filters/order/select, entity events and a fast seeder. With `apiVersion: 3` the
 * same table is served the REST 3.0 way.
 */
import { RestError } from '../errors.js';
import { completerFor, selectsAll } from '../schema/complete.js';
import { PAGE_SIZE, offsetAnswer, readStart, readV3Pagination } from '../paging.js';
import { param } from '../params.js';
import { toPositiveInt } from '../wire.js';
import type { EntityDef } from './entity.js';
import { buildOrder, buildSelect, buildWhere, buildWhereV3, v3Error, v3Invalid } from './listQuery.js';
import { EntityTable, type Row } from './table.js';
import { schemaTable } from '../schema/table.js';
import type { CallContext, DomainApi } from './types.js';

export { PAGE_SIZE };

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
  /**
   * 3 registers the methods under /rest/api/ (REST 3.0): results `{item}`, `{items}`,
   * `{result: true}`, filters as `[field, op, value]` triples, `pagination {page, limit, offset}`,
   * no `total`/`next`. Use with `wire: 'typed'` entities.
   */
  readonly apiVersion?: 2 | 3;
  /** Called after a row is added (`before` undefined) or updated, e.g. to record stage history. */
  readonly onWrite?: (ctx: CallContext, id: number, before: Row | undefined) => void;
  /** Which methods to register (default all six). */
  readonly only?: readonly ('add' | 'get' | 'list' | 'update' | 'delete' | 'fields')[];
}

/** Whether the schema has `method` and marks its fields param optional (a REST 2 method). */
function fieldsOptional(method: string, fieldsParam: string): boolean {
  const lower = method.toLowerCase();
  const m = schemaTable().methods.find((x) => x.apiVersion === 2 && x.name.toLowerCase() === lower);
  if (!m) return false;
  const name = Object.keys(m.params).find((k) => k.toLowerCase() === fieldsParam.toLowerCase());
  return name !== undefined && m.params[name]![1] === 0;
}

/** Legacy CRM methods answer "Not found" and friends with an empty error code (catalog errors). */
const legacyError = (text: string) => new RestError('', text, 400);

export function registerCrud(api: DomainApi, o: CrudOptions): void {
  const table = new EntityTable(o.entity, api.portal);
  for (const ev of Object.values(o.events ?? {})) if (ev) api.event(ev);
  api.seeder(o.entity.name, (count, fields) => table.seed(count, fields));
  if (o.apiVersion === 3) registerV3(api, o, table);
  else registerV2(api, o, table);
}

function registerV2(api: DomainApi, o: CrudOptions, table: EntityTable): void {
  const { portal } = api;
  const e = o.entity;
  const idParam = o.idParam ?? 'id';
  const fieldsParam = o.fieldsParam ?? 'fields';
  const want = new Set(o.only ?? ['add', 'get', 'list', 'update', 'delete', 'fields']);
  const wrap = (key: string | undefined, v: unknown) => (key ? { [key]: v } : v);
  // Fields the docs' get example shows are always returned: never null unless the schema says so.
  const complete = completerFor(`${o.prefix}.get`, o.item);
  const full = (id: number) => complete.full(table.toWire(table.get(id)!, table.all()));

  const readId = (ctx: CallContext): number => {
    const id = toPositiveInt(param(ctx.params, idParam));
    if (id === undefined) throw legacyError('ID is not defined or invalid');
    return id;
  };
  const readFields = (ctx: CallContext, method: string): Record<string, unknown> => {
    const raw = param(ctx.params, fieldsParam);
    // The docs mark `fields` optional for crm.contact.add, crm.deal.add, crm.lead.add and
    // crm.quote.update (e.g. https://apidocs.bitrix24.com/api-reference/crm/contacts/crm-contact-add.html):
    // where the schema says so, a call without it adds a row with its defaults or changes
    // nothing. Where the schema requires it, and for a value that is not a list of fields,
    // the portal's error.
    if (raw === undefined && fieldsOptional(method, fieldsParam)) return {};
    if (raw === undefined || raw === null || typeof raw !== 'object' || (Array.isArray(raw) && raw.length > 0)) {
      throw legacyError(`Parameter '${fieldsParam}' must be array`);
    }
    return Array.isArray(raw) ? {} : (raw as Record<string, unknown>);
  };
  const missing = (name: string) =>
    new RestError('ERROR_ARGUMENT', `Required field ${name} is missing`, 400, { argument: name });

  if (want.has('fields'))
    api.method({ name: `${o.prefix}.fields`, scope: o.scope, handler: () => ({ result: table.describe() }) });

  if (want.has('add')) {
    api.method({
      name: `${o.prefix}.add`,
      scope: o.scope,
      handler: (ctx) => {
        const id = table.insert(readFields(ctx, `${o.prefix}.add`), ctx.auth, missing);
        o.onWrite?.(ctx, id, undefined);
        if (o.events?.add) portal.raiseEvent(o.events.add, { FIELDS: { ID: id } }, ctx.auth);
        return { result: o.item ? { [o.item]: full(id) } : id };
      },
    });
  }

  if (want.has('get')) {
    api.method({
      name: `${o.prefix}.get`,
      scope: o.scope,
      handler: (ctx) => {
        const row = table.get(readId(ctx));
        if (!row) throw legacyError('Not found');
        return { result: wrap(o.item, complete.full(table.toWire(row, table.all()))) };
      },
    });
  }

  if (want.has('update')) {
    api.method({
      name: `${o.prefix}.update`,
      scope: o.scope,
      handler: (ctx) => {
        const id = readId(ctx);
        const row = table.get(id);
        if (!row) throw legacyError('Not found');
        table.update(id, row, readFields(ctx, `${o.prefix}.update`), ctx.auth);
        o.onWrite?.(ctx, id, row);
        if (o.events?.update) portal.raiseEvent(o.events.update, { FIELDS: { ID: id } }, ctx.auth);
        return { result: o.item ? { [o.item]: full(id) } : true };
      },
    });
  }

  if (want.has('delete')) {
    api.method({
      name: `${o.prefix}.delete`,
      scope: o.scope,
      handler: (ctx) => {
        const id = readId(ctx);
        if (!table.delete(id)) throw legacyError('Not found');
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
        const rawSelect = param(ctx.params, 'select');
        const sel = buildSelect(e, rawSelect);
        // No select (or `*`) asks for the documented row: every always-returned field comes back,
        // as on get; a narrower select gets what it named (the client types the rows the same way).
        const fill = selectsAll(rawSelect) ? complete.full : complete.present;
        const page = readStart(ctx);
        const items = table.select(where, order, sel, page.limit, page.offset).map((r) => fill(table.toWire(r, sel)));
        return offsetAnswer(
          ctx,
          page,
          items,
          () => table.count(where),
          (rows) => wrap(o.items, rows),
        );
      },
    });
  }
}

/** REST 3.0 flavour (§1.6). Error code names past the documented ones are the emulator's choice. */
function registerV3(api: DomainApi, o: CrudOptions, table: EntityTable): void {
  const { portal } = api;
  const e = o.entity;
  const want = new Set(o.only ?? ['add', 'get', 'list', 'update', 'delete']);
  const spec = { scope: o.scope, apiVersion: 3 as const };
  const readId = (ctx: CallContext): number => {
    const raw = param(ctx.params, o.idParam ?? 'id');
    if (raw === undefined) throw v3Invalid('Required field `id` is not specified', 'id');
    const id = toPositiveInt(raw);
    if (id === undefined) throw v3Invalid('Field `id` requires data type `int` for this request', 'id');
    return id;
  };
  const notFound = (id: number) => v3Error('ENTITYNOTFOUNDEXCEPTION', `Record with ID = \`${id}\` not found`);
  const readFields = (ctx: CallContext): Record<string, unknown> => {
    const raw = param(ctx.params, o.fieldsParam ?? 'fields');
    if (raw === undefined || raw === null) throw v3Invalid('Required field `fields` is missing', 'fields');
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw v3Invalid('Field `fields` requires data type `object` for this request', 'fields');
    return raw as Record<string, unknown>;
  };
  const selection = (ctx: CallContext) => {
    const s = param(ctx.params, 'select');
    if (s !== undefined && !Array.isArray(s))
      throw v3Invalid('Field `select` requires data type `array` for this request', 'select');
    // An unknown field of the object itself is left out of the answer, not an error (rest-v3.md).
    return buildSelect(e, s);
  };
  const missing = (name: string) => v3Invalid(`Required field \`${name}\` is missing`, name);

  if (want.has('add')) {
    api.method({
      name: `${o.prefix}.add`,
      ...spec,
      handler: (ctx) => {
        const id = table.insert(readFields(ctx), ctx.auth, missing);
        if (o.events?.add) portal.raiseEvent(o.events.add, { FIELDS: { ID: id } }, ctx.auth);
        return { result: { item: table.toWire(table.get(id)!, table.all()) } };
      },
    });
  }
  if (want.has('get')) {
    api.method({
      name: `${o.prefix}.get`,
      ...spec,
      handler: (ctx) => {
        const id = readId(ctx);
        const row = table.get(id);
        if (!row) throw notFound(id);
        return { result: { item: table.toWire(row, selection(ctx)) } };
      },
    });
  }
  if (want.has('update')) {
    api.method({
      name: `${o.prefix}.update`,
      ...spec,
      handler: (ctx) => {
        const id = readId(ctx);
        const row = table.get(id);
        if (!row) throw notFound(id);
        table.update(id, row, readFields(ctx), ctx.auth);
        if (o.events?.update) portal.raiseEvent(o.events.update, { FIELDS: { ID: id } }, ctx.auth);
        return { result: { result: true } };
      },
    });
  }
  if (want.has('delete')) {
    api.method({
      name: `${o.prefix}.delete`,
      ...spec,
      handler: (ctx) => {
        const id = readId(ctx);
        if (!table.delete(id)) throw notFound(id);
        if (o.events?.delete) portal.raiseEvent(o.events.delete, { FIELDS: { ID: id } }, ctx.auth);
        return { result: { result: true } };
      },
    });
  }
  if (want.has('list')) {
    api.method({
      name: `${o.prefix}.list`,
      ...spec,
      handler: (ctx) => {
        const where = buildWhereV3(e, param(ctx.params, 'filter'));
        let order: string;
        try {
          order = buildOrder(e, param(ctx.params, 'order'));
        } catch {
          throw v3Invalid('Order direction should be one of {ASC|DESC}', 'order');
        }
        const p = readV3Pagination(param(ctx.params, 'pagination'));
        if ('error' in p) throw v3Invalid(p.error, 'pagination');
        const { limit, offset } = p;
        const sel = selection(ctx);
        const tm = portal.timeModel;
        ctx.spend((tm.skipRowUs * offset) / 1000);
        return { result: { items: table.select(where, order, sel, limit, offset).map((r) => table.toWire(r, sel)) } };
      },
    });
  }
}
