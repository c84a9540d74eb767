/**
 * The item types behind `crm.item.*`: one binding per entityTypeId that turns the camelCase
 * item API (https://apidocs.bitrix24.com/api-reference/crm/universal/index.html) into rows of a
 * table. Lead (1), deal (2), contact (3), company (4) and quote (7) are bound to the very
 * tables `crm.lead.*`, `crm.deal.*`, ... use, so an item added through one API is read
 * through the other. The smart invoice (31) and smart processes (from `crm.type.add`) have
 * typed tables of their own, since no legacy method reads them.
 */
import { RestError } from '../../errors.js';
import { isObject } from '../../wire.js';
import { createTable, toWire, type EntityDef, type FieldDef } from '../entity.js';
import { EntityTable, type Row } from '../table.js';
import type { Portal } from '../types.js';

/** Legacy column → item field where the item API does not simply camelCase the name (crm.item.fields, upperName). */
const RENAMED: Readonly<Record<string, string>> = {
  DATE_CREATE: 'createdTime',
  DATE_MODIFY: 'updatedTime',
  CREATED_BY_ID: 'createdBy',
  MODIFY_BY_ID: 'updatedBy',
  MOVED_BY_ID: 'movedBy',
  // A lead's status is its stage in the item API (crm.item.add lists stageId for leads).
  STATUS_ID: 'stageId',
  STATUS_SEMANTIC_ID: 'stageSemanticId',
};

/** Legacy multifield columns; the item API folds them into `fm` (PROTOCOL §9). */
export const MULTIFIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'] as const;

/** `ASSIGNED_BY_ID` → `assignedById`; `UF_CRM_1721244707107` → `ufCrm_1721244707107` (the docs' example). */
export function camelOfUpper(name: string): string {
  const renamed = RENAMED[name];
  if (renamed) return renamed;
  const uf = /^UF_CRM_(\d.*)$/.exec(name);
  if (uf) return `ufCrm_${uf[1]!}`;
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `assignedById` → `ASSIGNED_BY_ID` (the docs' upperName), for names not renamed. */
export function upperOfCamel(name: string): string {
  const uf = /^ufCrm_(.*)$/.exec(name);
  if (uf) return `UF_CRM_${uf[1]!.toUpperCase()}`;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export interface ItemBinding {
  readonly entityTypeId: number;
  /** Legacy prefix for events (`DEAL` → ONCRMDEALADD); undefined for typed tables. */
  readonly eventName?: string;
  /** CRM binding prefix (`D` in `D_12`), also the product row `ownerType`. */
  readonly ownerType: string;
  readonly table: EntityTable;
  readonly def: EntityDef;
  /** Item field name → stored column, for every column the item API shows. */
  readonly columnOf: ReadonlyMap<string, string>;
  /** Stored column → item field name. */
  readonly itemNameOf: ReadonlyMap<string, string>;
  /** The stage column (stageId), if the type has stages. */
  readonly stageColumn?: string;
  readonly categoryColumn?: string;
  readonly legacy: boolean;
}

export function bindLegacy(
  portal: Portal,
  def: EntityDef,
  entityTypeId: number,
  eventName: string,
  ownerType: string,
): ItemBinding {
  const columnOf = new Map<string, string>();
  const itemNameOf = new Map<string, string>();
  for (const col of [def.idField, ...Object.keys(def.fields)]) {
    if ((MULTIFIELDS as readonly string[]).includes(col)) continue;
    const item = camelOfUpper(col);
    columnOf.set(item, col);
    itemNameOf.set(col, item);
  }
  const stageColumn = def.fields['STAGE_ID'] ? 'STAGE_ID' : def.fields['STATUS_ID'] ? 'STATUS_ID' : undefined;
  return {
    entityTypeId,
    eventName,
    ownerType,
    table: new EntityTable(def, portal),
    def,
    columnOf,
    itemNameOf,
    ...(stageColumn ? { stageColumn } : {}),
    ...(def.fields['CATEGORY_ID'] ? { categoryColumn: 'CATEGORY_ID' } : {}),
    legacy: true,
  };
}

/** Fields of a smart invoice or smart process item (crm.item.fields in the docs; typed wire). */
const typedItemFields = (): Record<string, FieldDef> => ({
  xmlId: { type: 'string', title: 'External code' },
  title: { type: 'string', title: 'Name', seed: "'Item #' || n" },
  createdBy: { type: 'user', title: 'Created by', auto: 'createdBy' },
  updatedBy: { type: 'user', title: 'Updated by', auto: 'modifiedBy' },
  movedBy: { type: 'user', title: 'Moved by', auto: 'createdBy' },
  createdTime: { type: 'datetime', title: 'Created at', auto: 'createdAt' },
  updatedTime: { type: 'datetime', title: 'Updated at', auto: 'modifiedAt' },
  movedTime: { type: 'datetime', title: 'Moved on', auto: 'createdAt' },
  categoryId: { type: 'crm_category', title: 'Pipeline', immutable: true, default: 0 },
  opened: { type: 'boolean', title: 'Available to everyone', default: 'Y' },
  stageId: { type: 'crm_status', title: 'Stage', default: 'NEW' },
  previousStageId: { type: 'crm_status', title: 'Previous stage', readOnly: true },
  begindate: { type: 'date', title: 'Start date' },
  closedate: { type: 'date', title: 'End date' },
  companyId: { type: 'crm_company', title: 'Company' },
  contactId: { type: 'crm_contact', title: 'Contact' },
  contactIds: { type: 'crm_contact', title: 'Contacts', multiple: true },
  opportunity: { type: 'double', title: 'Amount', default: 0 },
  isManualOpportunity: { type: 'boolean', title: 'Manual amount', default: 'N' },
  taxValue: { type: 'double', title: 'Tax amount', default: 0 },
  currencyId: { type: 'crm_currency', title: 'Currency', default: 'USD' },
  mycompanyId: { type: 'crm_company', title: 'My company' },
  sourceId: { type: 'crm_status', title: 'Source' },
  sourceDescription: { type: 'string', title: 'Source information' },
  assignedById: { type: 'user', title: 'Responsible person', defaultCurrentUser: true, seed: '1' },
  observers: { type: 'user', title: 'Observers', multiple: true },
  comments: { type: 'string', title: 'Comment' },
  lastActivityBy: { type: 'user', title: 'Last activity by', auto: 'createdBy' },
  lastActivityTime: { type: 'datetime', title: 'Last activity', auto: 'createdAt' },
});

export function bindTyped(portal: Portal, entityTypeId: number, ownerType: string): ItemBinding {
  const def: EntityDef = {
    name: `crm.item.${entityTypeId}`,
    table: `crm_item_${entityTypeId}`,
    idField: 'id',
    wire: 'typed',
    userFields: true,
    datesAsDateTime: true,
    fields: typedItemFields(),
  };
  createTable(portal.db, def);
  const names = [def.idField, ...Object.keys(def.fields)];
  return {
    entityTypeId,
    ownerType,
    table: new EntityTable(def, portal),
    def,
    columnOf: new Map(names.map((n) => [n, n])),
    itemNameOf: new Map(names.map((n) => [n, n])),
    stageColumn: 'stageId',
    categoryColumn: 'categoryId',
    legacy: false,
  };
}

/** The item's JSON as crm.item.get shows it: real numbers, Y/N flags, datetimes, `fm`. */
export function itemOf(b: ItemBinding, row: Row, select?: ReadonlySet<string>): Row {
  const typed: EntityDef = { ...b.def, wire: 'typed', datesAsDateTime: true };
  const out: Row = {};
  const want = (name: string) => !select || select.has('*') || select.has(name);
  for (const [col, name] of b.itemNameOf) {
    if (!want(name) || !(col in row)) continue;
    const def = col === b.def.idField ? undefined : b.def.fields[col];
    let value = def ? toWire(typed, def, row[col]) : row[col];
    if (def && (def.type === 'char' || def.type === 'boolean') && typeof value === 'boolean') value = value ? 'Y' : 'N';
    out[name] = value;
  }
  if (b.legacy && (!select || select.has('*'))) {
    // `fm` is not a field: only `select: ['*']` returns it (crm.item.list, select).
    const fm: Row[] = [];
    for (const col of MULTIFIELDS) {
      if (!b.def.fields[col] || !(col in row)) continue;
      let list: unknown = [];
      try {
        list = JSON.parse(String(row[col] ?? '[]'));
      } catch {
        list = [];
      }
      if (!Array.isArray(list)) continue;
      list.forEach((v, i) => {
        if (!isObject(v)) return;
        fm.push({
          id: Number(v['ID'] ?? i + 1),
          valueType: v['VALUE_TYPE'] ?? 'WORK',
          value: v['VALUE'] ?? '',
          typeId: v['TYPE_ID'] ?? col,
        });
      });
    }
    out['fm'] = fm;
  }
  // User fields: `ufCrm_…` names unless the caller asked for the original ones.
  if (row['__uf'] !== undefined) {
    let ufs: Row = {};
    try {
      ufs = JSON.parse(String(row['__uf'] ?? '{}')) as Row;
    } catch {
      ufs = {};
    }
    for (const [k, v] of Object.entries(ufs)) {
      const name = camelOfUpper(k);
      if (!select || select.has('*') || select.has(name) || select.has(k)) out[name] = v;
    }
  }
  out['entityTypeId'] = b.entityTypeId;
  return out;
}

/**
 * Item fields → the field names `EntityTable` stores (legacy UPPER names for legacy tables).
 * Unknown names are ignored, as the portal ignores them; `fm` becomes the multifield columns.
 */
export function columnsOfItem(
  b: ItemBinding,
  fields: Readonly<Record<string, unknown>>,
  nextFmId: () => number,
  current?: Row,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'fm') continue;
    const col = b.columnOf.get(name) ?? (/^uf/i.test(name) ? upperOfCamel(name) : undefined);
    if (col === undefined) continue;
    const def = b.def.fields[col];
    // The item API takes booleans as "Y"/"N" or true/false; tables store Y/N.
    out[col] = def && def.type === 'boolean' && typeof value === 'boolean' ? (value ? 'Y' : 'N') : value;
  }
  const fm = fields['fm'];
  if (b.legacy && fm !== undefined) {
    if (!Array.isArray(fm) && !isObject(fm))
      throw new RestError('100', 'Expected iterable value for multiple field, but got type instead', 400);
    const lists = new Map<string, Row[]>();
    for (const col of MULTIFIELDS) {
      let old: unknown = [];
      try {
        old = JSON.parse(String(current?.[col] ?? '[]'));
      } catch {
        old = [];
      }
      lists.set(col, Array.isArray(old) ? (old as Row[]) : []);
    }
    // An object keyed n0, n1, ... adds; a key equal to an existing id updates or (empty value) deletes (§9).
    const entries = Array.isArray(fm) ? fm.map((v, i) => [`n${i}`, v] as const) : Object.entries(fm);
    for (const [key, raw] of entries) {
      if (!isObject(raw)) continue;
      const typeId = String(raw['typeId'] ?? '').toUpperCase();
      // Without typeId nothing happens and no error is raised (§9).
      const list = lists.get(typeId);
      if (!list) continue;
      const existing = list.findIndex((v) => String(v['ID']) === key);
      const value = raw['value'] === undefined ? undefined : String(raw['value']);
      if (existing >= 0) {
        if (value === '') list.splice(existing, 1);
        else
          list[existing] = {
            ...list[existing],
            ...(value === undefined ? {} : { VALUE: value }),
            ...(raw['valueType'] ? { VALUE_TYPE: String(raw['valueType']) } : {}),
          };
      } else if (value) {
        list.push({
          ID: String(nextFmId()),
          VALUE_TYPE: String(raw['valueType'] ?? 'WORK'),
          VALUE: value,
          TYPE_ID: typeId,
        });
      }
    }
    for (const [col, list] of lists) if (b.def.fields[col]) out[col] = list;
  }
  return out;
}

/** `crm.item.fields`: camelCase names with the docs' `upperName`. */
export function describeItem(b: ItemBinding): Row {
  const legacyDescription = b.table.describe();
  const fields: Row = {};
  for (const [col, name] of b.itemNameOf) {
    const d = legacyDescription[col] as Row | undefined;
    if (!d) continue;
    fields[name] = {
      ...d,
      type: d['type'] === 'char' ? 'boolean' : d['type'],
      upperName: b.legacy ? col : upperOfCamel(col),
    };
  }
  return fields;
}
