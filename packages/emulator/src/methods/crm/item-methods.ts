/**
 * The modern CRM API, stateful: crm.item.* (add, get, list, update, delete, fields) and
 * crm.item.productrow.* for every bound entity type, crm.type.* (smart processes: each new type
 * gets its own item table), crm.stagehistory.list, and crm.deal.contact.* over the deal rows.
 * Docs: https://apidocs.bitrix24.com/api-reference/crm/universal/index.html
 */
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import { completerFor, selectsAll } from '../../schema/complete.js';
import { offsetAnswer, readStart } from '../../paging.js';
import { param } from '../../params.js';
import { isObject, toInt, toPositiveInt, yn } from '../../wire.js';
import { buildOrder, buildWhere } from '../listQuery.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi, Portal } from '../types.js';
import { bindTyped, columnsOfItem, describeItem, itemOf, upperOfCamel, type ItemBinding } from './items.js';

/**
 * A missing argument of a crm.item.* controller. The crm.item pages list no error for it;
 * the engine controllers' answer documented elsewhere (catalog.*, tasks.task.*) is code 100
 * "Could not find value for parameter {name}", assumed to hold here too.
 */
export const missingArgument = (name: string) =>
  new RestError('100', `Could not find value for parameter {${name}}`, 400);
const spaNotFound = () => new RestError('NOT_FOUND', 'SPA not found', 400);
const itemNotFound = () => new RestError('NOT_FOUND', 'Item not found', 400);

function intArg(ctx: CallContext, name: string): number {
  const raw = param(ctx.params, name);
  if (raw === undefined || raw === null || raw === '') throw missingArgument(name);
  const n = toInt(raw);
  if (n === undefined)
    throw new RestError(
      '100',
      `Invalid value {${String(raw).slice(0, 40)}} to match with parameter {${name}}. Should be value of type int.`,
      400,
    );
  return n;
}

/** Deal stages with a final semantic (crm.status.list EXTRA.SEMANTICS); anything else is in progress. */
function semanticOf(stage: unknown): 'P' | 'S' | 'F' {
  const s = String(stage ?? '');
  const bare = s.includes(':') ? s.slice(s.indexOf(':') + 1) : s;
  if (bare === 'WON' || bare === 'CONVERTED' || bare === 'SUCCESS' || bare === 'APPROVED' || bare === 'P') return 'S';
  if (bare === 'LOSE' || bare === 'JUNK' || bare === 'FAIL' || bare === 'DECLAINED' || bare === 'D') return 'F';
  return 'P';
}

export class CrmItems {
  readonly bindings = new Map<number, ItemBinding>();

  constructor(private readonly portal: Portal) {
    // Multifield values get ids from one sequence per portal, as their ids are unique across items.
    portal.db.exec('CREATE TABLE IF NOT EXISTS crm_multifield_seq (ID INTEGER PRIMARY KEY AUTOINCREMENT)');
    portal.db.exec(`CREATE TABLE IF NOT EXISTS crm_stage_history (ID INTEGER PRIMARY KEY AUTOINCREMENT, ENTITY_TYPE_ID INTEGER, TYPE_ID INTEGER,
      OWNER_ID INTEGER, CREATED_TIME TEXT, CATEGORY_ID INTEGER, STAGE_SEMANTIC_ID TEXT, STAGE_ID TEXT)`);
  }

  readonly nextFmId = (): number =>
    Number(this.portal.db.prepare('INSERT INTO crm_multifield_seq DEFAULT VALUES').run().lastInsertRowid);

  add(b: ItemBinding): void {
    this.bindings.set(b.entityTypeId, b);
  }

  binding(ctx: CallContext): ItemBinding {
    const b = this.bindings.get(intArg(ctx, 'entityTypeId'));
    if (!b) throw spaNotFound();
    return b;
  }

  /** Records a stage move (TYPE_ID 1 created, 2 moved, 3 moved to a final stage; crm.stagehistory.list). */
  recordStage(b: ItemBinding, id: number, before: Row | undefined): void {
    if (!b.stageColumn) return;
    const row = b.table.get(id);
    if (!row) return;
    const stage = row[b.stageColumn];
    if (before && before[b.stageColumn] === stage) return;
    const semantic = semanticOf(stage);
    const typeId = !before ? 1 : semantic === 'P' ? 2 : 3;
    this.portal.db
      .prepare(
        'INSERT INTO crm_stage_history (ENTITY_TYPE_ID, TYPE_ID, OWNER_ID, CREATED_TIME, CATEGORY_ID, STAGE_SEMANTIC_ID, STAGE_ID) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        b.entityTypeId,
        typeId,
        id,
        isoDateTime(this.portal.clock.now()),
        b.categoryColumn ? Number(row[b.categoryColumn] ?? 0) : 0,
        semantic,
        String(stage ?? ''),
      );
  }

  raise(b: ItemBinding, what: 'ADD' | 'UPDATE' | 'DELETE', id: number, ctx: CallContext): void {
    if (b.eventName) this.portal.raiseEvent(`ONCRM${b.eventName}${what}`, { FIELDS: { ID: id } }, ctx.auth);
    else
      this.portal.raiseEvent(
        `ONCRMDYNAMICITEM${what}`,
        { FIELDS: { ID: id, ENTITY_TYPE_ID: b.entityTypeId } },
        ctx.auth,
      );
  }
}

/** Maps camelCase filter/order keys (with their operation prefixes) to stored column names. */
function translateKeys(b: ItemBinding, value: unknown, isFilter: boolean): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.toLowerCase() === 'logic') {
      out[key] = v;
      continue;
    }
    if (isFilter && /^\d+$/.test(key) && isObject(v)) {
      out[key] = translateKeys(b, v, true);
      continue;
    }
    const m = /^([^A-Za-z_]*)(.*)$/.exec(key)!;
    const field = m[2]!;
    const col = b.columnOf.get(field) ?? (/^uf/i.test(field) ? upperOfCamel(field) : field);
    // Boolean user fields are filtered with 1/0 in crm.item.list (docs); stored as Y/N.
    out[m[1]! + col] = v;
  }
  return out;
}

function fieldsArg(ctx: CallContext): Record<string, unknown> {
  const raw = param(ctx.params, 'fields');
  if (raw === undefined) throw missingArgument('fields');
  if (Array.isArray(raw) && raw.length === 0) return {};
  if (!isObject(raw))
    throw new RestError('100', 'Invalid value to match with parameter {fields}. Should be value of type array.', 400);
  return raw;
}

export function registerItemMethods(api: DomainApi, items: CrmItems): void {
  const { portal } = api;
  const m = (name: string, handler: (ctx: CallContext) => unknown) =>
    api.method({ name, scope: 'crm', handler: (ctx) => ({ result: handler(ctx) }) });
  const missing = (name: string) => new RestError('CRM_FIELD_ERROR_REQUIRED', `Field "${name}" is required`, 400);

  m('crm.item.fields', (ctx) => ({ fields: describeItem(items.binding(ctx)) }));
  // The fields common to every object type are always returned (schema: CrmItemGetReplyItem).
  const itemComplete = completerFor('crm.item.get', 'item');

  m('crm.item.add', (ctx) => {
    const b = items.binding(ctx);
    const fields = fieldsArg(ctx);
    const id = b.table.insert(columnsOfItem(b, fields, items.nextFmId), ctx.auth, missing);
    items.recordStage(b, id, undefined);
    items.raise(b, 'ADD', id, ctx);
    return { item: itemComplete.full(itemOf(b, b.table.get(id)!)) };
  });

  m('crm.item.get', (ctx) => {
    const b = items.binding(ctx);
    const row = b.table.get(intArg(ctx, 'id'));
    if (!row) throw itemNotFound();
    return { item: itemComplete.full(itemOf(b, row)) };
  });

  m('crm.item.update', (ctx) => {
    const b = items.binding(ctx);
    const id = intArg(ctx, 'id');
    const before = b.table.get(id);
    if (!before) throw itemNotFound();
    b.table.update(id, before, columnsOfItem(b, fieldsArg(ctx), items.nextFmId, before), ctx.auth);
    items.recordStage(b, id, before);
    items.raise(b, 'UPDATE', id, ctx);
    return { item: itemComplete.full(itemOf(b, b.table.get(id)!)) };
  });

  m('crm.item.delete', (ctx) => {
    const b = items.binding(ctx);
    const id = intArg(ctx, 'id');
    if (!b.table.delete(id)) throw itemNotFound();
    portal.db.prepare('DELETE FROM crm_product_row WHERE ownerType = ? AND ownerId = ?').run(b.ownerType, id);
    items.raise(b, 'DELETE', id, ctx);
    return [];
  });

  api.method({
    name: 'crm.item.list',
    scope: 'crm',
    handler: (ctx) => {
      const b = items.binding(ctx);
      const where = buildWhere(b.def, translateKeys(b, param(ctx.params, 'filter'), true));
      const order = buildOrder(b.def, translateKeys(b, param(ctx.params, 'order'), false));
      const rawSelect = param(ctx.params, 'select');
      const list = Array.isArray(rawSelect)
        ? rawSelect.map(String)
        : isObject(rawSelect)
          ? Object.values(rawSelect).map(String)
          : [];
      // An empty select means every field; `id` always comes back.
      const select = list.length === 0 ? undefined : new Set(['id', ...list]);
      const page = readStart(ctx);
      // No select (or `*`) is the documented row: the always-returned fields come back as on get.
      const fill = selectsAll(rawSelect) ? itemComplete.full : itemComplete.present;
      const rows = b.table
        .select(where, order, b.table.all(), page.limit, page.offset)
        .map((r) => fill(itemOf(b, r, select)));
      return offsetAnswer(
        ctx,
        page,
        rows,
        () => b.table.count(where),
        (r) => ({ items: r }),
      );
    },
  });

  registerProductRows(api, items);
  registerTypes(api, items);
  registerStageHistory(api);
}

// ---- product rows (crm.item.productrow.*) ----

const PRODUCT_ROW_FIELDS: Readonly<Record<string, 'int' | 'real' | 'text' | 'yn'>> = {
  ownerId: 'int',
  ownerType: 'text',
  productId: 'int',
  productName: 'text',
  price: 'real',
  priceAccount: 'real',
  priceExclusive: 'real',
  priceNetto: 'real',
  priceBrutto: 'real',
  quantity: 'real',
  discountTypeId: 'int',
  discountRate: 'real',
  discountSum: 'real',
  taxRate: 'real',
  taxIncluded: 'yn',
  customized: 'yn',
  measureCode: 'int',
  measureName: 'text',
  sort: 'int',
  xmlId: 'text',
  type: 'int',
  storeId: 'int',
};

function registerProductRows(api: DomainApi, items: CrmItems): void {
  const db = api.portal.db;
  const cols = Object.entries(PRODUCT_ROW_FIELDS).map(
    ([n, t]) => `"${n}" ${t === 'int' ? 'INTEGER' : t === 'real' ? 'REAL' : 'TEXT'}`,
  );
  db.exec(`CREATE TABLE IF NOT EXISTS crm_product_row (id INTEGER PRIMARY KEY AUTOINCREMENT, ${cols.join(', ')})`);
  const owner = (ownerType: string): ItemBinding | undefined =>
    [...items.bindings.values()].find((b) => b.ownerType === ownerType);
  const notFound = () => new RestError('NOT_FOUND', 'Product item not found', 400);
  const required = () => new RestError('100', 'Required parameters not provided', 400);

  /** Price fields follow the docs' example: price is what the buyer pays per unit, tax included or not. */
  const normalize = (input: Row, base: Row = {}): Row => {
    const row: Row = { ...base };
    for (const [name, kind] of Object.entries(PRODUCT_ROW_FIELDS)) {
      if (!(name in input)) continue;
      const v = input[name];
      row[name] =
        v === null
          ? null
          : kind === 'int'
            ? (toInt(v) ?? null)
            : kind === 'real'
              ? Number(v)
              : kind === 'yn'
                ? yn(v)
                : String(v);
    }
    row['quantity'] ??= 1;
    row['price'] ??= 0;
    row['discountTypeId'] ??= 2;
    row['discountRate'] ??= 0;
    row['taxIncluded'] ??= 'N';
    row['customized'] ??= 'Y';
    row['measureCode'] ??= 796;
    row['measureName'] ??= 'pcs';
    row['sort'] ??= 10;
    row['type'] ??= 1;
    row['productId'] ??= 0;
    row['productName'] ??= '';
    row['xmlId'] ??= '';
    const price = Number(row['price']);
    const rate = row['taxRate'] === null || row['taxRate'] === undefined ? 0 : Number(row['taxRate']);
    const exclusive = row['taxIncluded'] === 'Y' ? price / (1 + rate / 100) : price;
    const round = (n: number) => Math.round(n * 100) / 100;
    row['priceAccount'] = price;
    row['priceExclusive'] = round(exclusive);
    row['priceBrutto'] = round(row['taxIncluded'] === 'Y' ? price : price * (1 + rate / 100));
    row['priceNetto'] = round(exclusive);
    row['discountSum'] ??= 0;
    return row;
  };
  const insert = (row: Row): number => {
    const names = Object.keys(PRODUCT_ROW_FIELDS).filter((n) => row[n] !== undefined);
    return Number(
      db
        .prepare(
          `INSERT INTO crm_product_row (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        )
        .run(...names.map((n) => row[n])).lastInsertRowid,
    );
  };
  const get = (id: number) => db.prepare('SELECT * FROM crm_product_row WHERE id = ?').get(id) as Row | undefined;
  const wire = (r: Row): Row => ({ ...r, taxRate: r['taxRate'] ?? null });
  const ownerOf = (fields: Row) => {
    const ownerType = String(fields['ownerType'] ?? '');
    const ownerId = toPositiveInt(fields['ownerId']);
    if (!ownerType || ownerId === undefined) throw required();
    const b = owner(ownerType);
    if (!b) throw new RestError('ENTITY_TYPE_NOT_SUPPORTED', 'Working with this type of objects is not supported', 400);
    if (!b.table.get(ownerId)) throw new RestError('OWNER_NOT_FOUND', 'The provided CRM object was not found', 400);
    return { ownerType, ownerId };
  };
  const m = (name: string, handler: (ctx: CallContext) => unknown) =>
    api.method({ name, scope: 'crm', handler: (ctx) => ({ result: handler(ctx) }) });
  const idArg = (ctx: CallContext) => {
    const id = toPositiveInt(param(ctx.params, 'id'));
    if (id === undefined) throw required();
    return id;
  };

  m('crm.item.productrow.fields', () => ({
    fields: Object.fromEntries(
      ['id', ...Object.keys(PRODUCT_ROW_FIELDS)].map((n) => [
        n,
        {
          type:
            n === 'id'
              ? 'integer'
              : PRODUCT_ROW_FIELDS[n] === 'int'
                ? 'integer'
                : PRODUCT_ROW_FIELDS[n] === 'real'
                  ? 'double'
                  : PRODUCT_ROW_FIELDS[n] === 'yn'
                    ? 'char'
                    : 'string',
          isRequired: n === 'ownerId' || n === 'ownerType',
          isReadOnly: n === 'id',
          isImmutable: n === 'ownerId' || n === 'ownerType',
          isMultiple: false,
          isDynamic: false,
          title: n,
        },
      ]),
    ),
  }));
  m('crm.item.productrow.add', (ctx) => {
    const fields = param(ctx.params, 'fields');
    if (!isObject(fields)) throw required();
    const o = ownerOf(fields);
    return { productRow: wire(get(insert(normalize({ ...fields, ...o })))!) };
  });
  m('crm.item.productrow.get', (ctx) => {
    const row = get(idArg(ctx));
    if (!row) throw notFound();
    return { productRow: wire(row) };
  });
  m('crm.item.productrow.update', (ctx) => {
    const id = idArg(ctx);
    const row = get(id);
    if (!row) throw notFound();
    const fields = param(ctx.params, 'fields');
    if (!isObject(fields)) throw required();
    for (const k of Object.keys(fields)) {
      if (!(k in PRODUCT_ROW_FIELDS) || k === 'ownerId' || k === 'ownerType')
        throw new RestError(
          'INVALID_ARG_VALUE',
          'Unknown field or the provided field is not available for update',
          400,
        );
    }
    const next = normalize(fields, row);
    const names = Object.keys(PRODUCT_ROW_FIELDS);
    db.prepare(`UPDATE crm_product_row SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE id = ?`).run(
      ...names.map((n) => next[n] ?? null),
      id,
    );
    return { productRow: wire(get(id)!) };
  });
  m('crm.item.productrow.delete', (ctx) => {
    if (db.prepare('DELETE FROM crm_product_row WHERE id = ?').run(idArg(ctx)).changes === 0) throw notFound();
    return null;
  });
  const listRows = (ownerType: string, ownerId: number) =>
    (
      db
        .prepare('SELECT * FROM crm_product_row WHERE ownerType = ? AND ownerId = ? ORDER BY sort, id')
        .all(ownerType, ownerId) as Row[]
    ).map(wire);
  m('crm.item.productrow.set', (ctx) => {
    const o = ownerOf({ ownerType: param(ctx.params, 'ownerType'), ownerId: param(ctx.params, 'ownerId') });
    const rows = param(ctx.params, 'productRows');
    if (!Array.isArray(rows)) throw required();
    db.transaction(() => {
      db.prepare('DELETE FROM crm_product_row WHERE ownerType = ? AND ownerId = ?').run(o.ownerType, o.ownerId);
      for (const r of rows) if (isObject(r)) insert(normalize({ ...r, ...o }));
    })();
    return { productRows: listRows(o.ownerType, o.ownerId) };
  });
  m('crm.item.productrow.getAvailableForPayment', (ctx) => {
    const o = ownerOf({ ownerType: param(ctx.params, 'ownerType'), ownerId: param(ctx.params, 'ownerId') });
    return { productRows: listRows(o.ownerType, o.ownerId) };
  });
  api.method({
    name: 'crm.item.productrow.list',
    scope: 'crm',
    handler: (ctx) => {
      const filter = param(ctx.params, 'filter');
      // The docs require the owner in the filter: `=ownerType` and `=ownerId` (or `@ownerId`).
      const f = isObject(filter) ? filter : {};
      const ownerType = f['=ownerType'] ?? f['ownerType'];
      const ownerIds = f['@ownerId'] ?? f['=ownerId'] ?? f['ownerId'];
      if (ownerType === undefined || ownerIds === undefined) throw required();
      const ids = (Array.isArray(ownerIds) ? ownerIds : [ownerIds]).map((v) => toInt(v) ?? -1);
      const page = readStart(ctx);
      const where = `ownerType = ? AND ownerId IN (${ids.map(() => '?').join(',')})`;
      const rows = (
        db
          .prepare(`SELECT * FROM crm_product_row WHERE ${where} ORDER BY sort, id LIMIT ? OFFSET ?`)
          .all(String(ownerType), ...ids, page.limit, page.offset) as Row[]
      ).map(wire);
      const count = () =>
        (
          db.prepare(`SELECT COUNT(*) AS c FROM crm_product_row WHERE ${where}`).get(String(ownerType), ...ids) as {
            c: number;
          }
        ).c;
      return offsetAnswer(ctx, page, rows, count, (r) => ({ productRows: r }));
    },
  });
}

// ---- smart process types (crm.type.*) ----

/** The Y/N switches of a smart process type (crm.type.fields). */
const TYPE_FLAGS = [
  'isCategoriesEnabled',
  'isStagesEnabled',
  'isBeginCloseDatesEnabled',
  'isClientEnabled',
  'isUseInUserfieldEnabled',
  'isLinkWithProductsEnabled',
  'isMycompanyEnabled',
  'isDocumentsEnabled',
  'isSourceEnabled',
  'isObserversEnabled',
  'isRecyclebinEnabled',
  'isAutomationEnabled',
  'isBizProcEnabled',
  'isSetOpenPermissions',
  'isPaymentsEnabled',
  'isCountersEnabled',
] as const;

function registerTypes(api: DomainApi, items: CrmItems): void {
  const { portal } = api;
  const db = portal.db;
  db.exec(
    'CREATE TABLE IF NOT EXISTS crm_type (id INTEGER PRIMARY KEY AUTOINCREMENT, entityTypeId INTEGER UNIQUE, data TEXT)',
  );
  const typeComplete = completerFor('crm.type.get', 'type');
  const toType = (r: Row): Row => ({
    id: r['id'],
    entityTypeId: r['entityTypeId'],
    ...(JSON.parse(String(r['data'])) as Row),
  });
  const byId = (id: number) => db.prepare('SELECT * FROM crm_type WHERE id = ?').get(id) as Row | undefined;
  const notFound = () => new RestError('0', 'SPA not found', 400);
  const m = (name: string, handler: (ctx: CallContext) => unknown) =>
    api.method({ name, scope: 'crm', handler: (ctx) => ({ result: handler(ctx) }) });
  const readFields = (ctx: CallContext) => {
    const f = param(ctx.params, 'fields');
    if (!isObject(f)) throw missingArgument('fields');
    return f;
  };
  const flags = (f: Row, base: Row) => {
    const out: Row = { ...base };
    for (const k of TYPE_FLAGS) if (k in f) out[k] = yn(f[k]);
    for (const k of ['title', 'code', 'customSectionId', 'relations', 'linkedUserFields']) if (k in f) out[k] = f[k];
    return out;
  };

  m('crm.type.fields', () => ({
    fields: Object.fromEntries(
      [
        'id',
        'title',
        'code',
        'createdBy',
        'entityTypeId',
        'customSectionId',
        ...TYPE_FLAGS,
        'createdTime',
        'updatedTime',
        'updatedBy',
      ].map((n) => [
        n,
        {
          type:
            n === 'id' || n === 'entityTypeId' || n === 'customSectionId'
              ? 'integer'
              : n.startsWith('is')
                ? 'boolean'
                : n.endsWith('Time')
                  ? 'datetime'
                  : n.endsWith('By')
                    ? 'user'
                    : 'string',
          isRequired: n === 'title',
          isReadOnly: n === 'id' || n.endsWith('Time') || n.endsWith('By'),
          isImmutable: n === 'entityTypeId',
          isMultiple: false,
          isDynamic: false,
          title: n,
          upperName: upperOfCamel(n),
        },
      ]),
    ),
  }));
  m('crm.type.add', (ctx) => {
    const f = readFields(ctx);
    if (!f['title']) throw new RestError('0', 'Title is required', 400);
    // Smart process ids start at 128 (crm/data-types.md#object_type); even ids, as portals hand them out.
    const max = (db.prepare('SELECT MAX(entityTypeId) AS m FROM crm_type').get() as { m: number | null }).m;
    const wanted = toPositiveInt(f['entityTypeId']);
    const entityTypeId = wanted ?? Math.max(128, (max ?? 126) + 2);
    if (items.bindings.has(entityTypeId)) throw new RestError('0', `Entity type ${entityTypeId} already exists`, 400);
    const now = isoDateTime(portal.clock.now());
    const base: Row = {
      title: '',
      code: '',
      createdBy: ctx.auth.userId,
      customSectionId: null,
      ...Object.fromEntries(TYPE_FLAGS.map((k) => [k, 'N'])),
    };
    const data = { ...flags(f, base), createdTime: now, updatedTime: now, updatedBy: ctx.auth.userId };
    const id = Number(
      db.prepare('INSERT INTO crm_type (entityTypeId, data) VALUES (?, ?)').run(entityTypeId, JSON.stringify(data))
        .lastInsertRowid,
    );
    items.add(bindTyped(portal, entityTypeId, `T${entityTypeId.toString(16)}`));
    return { type: typeComplete.full(toType(byId(id)!)) };
  });
  m('crm.type.get', (ctx) => {
    const r = byId(intArg(ctx, 'id'));
    if (!r) throw notFound();
    return { type: typeComplete.full(toType(r)) };
  });
  m('crm.type.getByEntityTypeId', (ctx) => {
    const r = db.prepare('SELECT * FROM crm_type WHERE entityTypeId = ?').get(intArg(ctx, 'entityTypeId')) as
      | Row
      | undefined;
    if (!r) throw notFound();
    return { type: typeComplete.full(toType(r)) };
  });
  m('crm.type.update', (ctx) => {
    const id = intArg(ctx, 'id');
    const r = byId(id);
    if (!r) throw notFound();
    const old = JSON.parse(String(r['data'])) as Row;
    // `fields` is optional on the docs' page (crm-type-update.html): without it nothing changes.
    const given = param(ctx.params, 'fields');
    const data = {
      ...flags(given === undefined ? {} : readFields(ctx), old),
      updatedTime: isoDateTime(portal.clock.now()),
      updatedBy: ctx.auth.userId,
    };
    db.prepare('UPDATE crm_type SET data = ? WHERE id = ?').run(JSON.stringify(data), id);
    return { type: typeComplete.full(toType(byId(id)!)) };
  });
  m('crm.type.delete', (ctx) => {
    const id = intArg(ctx, 'id');
    const r = byId(id);
    if (!r) throw new RestError('0', 'Smart process not found', 400);
    const b = items.bindings.get(Number(r['entityTypeId']));
    if (b && b.table.count({ sql: '1', args: [] }) > 0)
      throw new RestError('BX_ERROR', 'You cannot delete an entity type that has elements', 400);
    db.prepare('DELETE FROM crm_type WHERE id = ?').run(id);
    items.bindings.delete(Number(r['entityTypeId']));
    return [];
  });
  api.method({
    name: 'crm.type.list',
    scope: 'crm',
    handler: (ctx) => {
      const page = readStart(ctx);
      const all = (db.prepare('SELECT * FROM crm_type ORDER BY id').all() as Row[]).map(toType);
      return offsetAnswer(
        ctx,
        page,
        all.slice(page.offset, page.offset + page.limit),
        () => all.length,
        (r) => ({ types: r }),
      );
    },
  });
}

// ---- stage history ----

function registerStageHistory(api: DomainApi): void {
  const db = api.portal.db;
  const def = {
    name: 'crm.stagehistory',
    table: 'crm_stage_history',
    idField: 'ID',
    wire: 'typed' as const,
    fields: {
      TYPE_ID: { type: 'integer' },
      OWNER_ID: { type: 'integer' },
      CREATED_TIME: { type: 'datetime' },
      CATEGORY_ID: { type: 'integer' },
      STAGE_SEMANTIC_ID: { type: 'string' },
      STAGE_ID: { type: 'string' },
    },
  };
  api.method({
    name: 'crm.stagehistory.list',
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = intArg(ctx, 'entityTypeId');
      // Leads record STATUS_ID and STATUS_SEMANTIC_ID instead of the stage columns (crm.stagehistory.list).
      const lead = entityTypeId === 1;
      const where = buildWhere(def, param(ctx.params, 'filter'));
      const order = buildOrder(def, param(ctx.params, 'order'));
      const page = readStart(ctx);
      const sql = `ENTITY_TYPE_ID = ? AND (${where.sql})`;
      const rows = (
        db
          .prepare(`SELECT * FROM crm_stage_history WHERE ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
          .all(entityTypeId, ...where.args, page.limit, page.offset) as Row[]
      ).map((r) => {
        const out: Row = {
          ID: r['ID'],
          TYPE_ID: r['TYPE_ID'],
          OWNER_ID: r['OWNER_ID'],
          CREATED_TIME: r['CREATED_TIME'],
        };
        if (lead) Object.assign(out, { STATUS_SEMANTIC_ID: r['STAGE_SEMANTIC_ID'], STATUS_ID: r['STAGE_ID'] });
        else
          Object.assign(out, {
            CATEGORY_ID: r['CATEGORY_ID'],
            STAGE_SEMANTIC_ID: r['STAGE_SEMANTIC_ID'],
            STAGE_ID: r['STAGE_ID'],
          });
        return out;
      });
      const count = () =>
        (
          db.prepare(`SELECT COUNT(*) AS c FROM crm_stage_history WHERE ${sql}`).get(entityTypeId, ...where.args) as {
            c: number;
          }
        ).c;
      return offsetAnswer(ctx, page, rows, count, (r) => ({ items: r }));
    },
  });
}
