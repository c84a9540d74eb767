/**
 * tasks.task.add/get/update/delete/list on REST 3.0 (/rest/api/), over the same task rows as the
 * REST 2 methods. Field names and values follow the Task object of
 * https://apidocs.bitrix24.com/api-reference/tasks/fields-rest-v3.html (camelCase, real numbers
 * and booleans, priority and status as words); errors are the REST 3.0 ones.
 */
import { RestError } from '../../errors.js';
import { readV3Pagination } from '../../paging.js';
import { param } from '../../params.js';
import { v3Validation } from '../../schema/validate.js';
import { isObject, toBool, toDateTime, toInt, toPositiveInt } from '../../wire.js';
import type { EntityDef, FieldDef } from '../entity.js';
import { buildOrder, buildWhereV3, v3Error } from '../listQuery.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { taskEntity, type TaskStore } from './store.js';

type Kind = 'int' | 'string' | 'datetime' | 'bool' | 'priority' | 'status' | 'mark';

/** v3 field → [column, kind]. */
const FIELDS: Readonly<Record<string, readonly [string, Kind]>> = {
  id: ['ID', 'int'],
  title: ['TITLE', 'string'],
  description: ['DESCRIPTION', 'string'],
  creatorId: ['CREATED_BY', 'int'],
  responsibleId: ['RESPONSIBLE_ID', 'int'],
  deadline: ['DEADLINE', 'datetime'],
  startPlan: ['START_DATE_PLAN', 'datetime'],
  endPlan: ['END_DATE_PLAN', 'datetime'],
  priority: ['PRIORITY', 'priority'],
  status: ['STATUS', 'status'],
  statusChanged: ['STATUS_CHANGED_DATE', 'datetime'],
  statusChangedById: ['STATUS_CHANGED_BY', 'int'],
  groupId: ['GROUP_ID', 'int'],
  parentId: ['PARENT_ID', 'int'],
  created: ['CREATED_DATE', 'datetime'],
  changed: ['CHANGED_DATE', 'datetime'],
  closed: ['CLOSED_DATE', 'datetime'],
  closedById: ['CLOSED_BY', 'int'],
  activity: ['ACTIVITY_DATE', 'datetime'],
  started: ['DATE_START', 'datetime'],
  estimatedTime: ['TIME_ESTIMATE', 'int'],
  mark: ['MARK', 'mark'],
  allowsChangeDeadline: ['ALLOW_CHANGE_DEADLINE', 'bool'],
  allowsTimeTracking: ['ALLOW_TIME_TRACKING', 'bool'],
};
const READ_ONLY = new Set([
  'id',
  'created',
  'changed',
  'closed',
  'closedById',
  'activity',
  'started',
  'statusChanged',
  'statusChangedById',
]);
/** Sortable fields (tasks-task-list-rest-v3.md). */
const SORTABLE = new Set([
  'id',
  'title',
  'creatorId',
  'created',
  'responsibleId',
  'deadline',
  'startPlan',
  'endPlan',
  'groupId',
  'priority',
  'status',
  'started',
  'estimatedTime',
  'changed',
  'closed',
  'activity',
  'mark',
  'allowsChangeDeadline',
  'allowsTimeTracking',
]);
const PRIORITY = ['low', 'average', 'high'];
/** REST 2 status numbers → REST 3.0 words; 1 (new) reads as pending, as the v3 list has no "new". */
const STATUS: Record<number, string> = {
  1: 'pending',
  2: 'pending',
  3: 'in_progress',
  4: 'supposedly_completed',
  5: 'completed',
  6: 'deferred',
  7: 'declined',
};
const STATUS_IN: Record<string, number> = {
  pending: 2,
  in_progress: 3,
  supposedly_completed: 4,
  completed: 5,
  deferred: 6,
  declined: 7,
};

function toWireValue(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined || v === '') return kind === 'mark' ? null : kind === 'string' ? (v ?? null) : null;
  switch (kind) {
    case 'int':
      return toInt(v) ?? null;
    case 'bool':
      return v === 'Y';
    case 'priority':
      return PRIORITY[Number(v)] ?? 'average';
    case 'status':
      return STATUS[Number(v)] ?? 'pending';
    default:
      return v;
  }
}

/** A v3 value → the stored one; a value of the wrong type is the documented validation error. */
function fromWire(field: string, kind: Kind, v: unknown): unknown {
  const wrong = (type: string) =>
    v3Validation(`Field \`${field}\` requires data type \`${type}\` for this request`, field);
  if (v === null) return null;
  switch (kind) {
    case 'int': {
      const n = typeof v === 'number' && Number.isInteger(v) ? v : undefined;
      if (n === undefined) throw wrong('int');
      return n;
    }
    case 'string':
      if (typeof v !== 'string') throw wrong('string');
      return v;
    case 'datetime': {
      const d = typeof v === 'string' ? toDateTime(v) : undefined;
      if (!d) throw wrong('DateTime');
      return d;
    }
    case 'bool': {
      const b = typeof v === 'boolean' ? v : toBool(v);
      if (b === undefined) throw wrong('bool');
      return b ? 'Y' : 'N';
    }
    case 'priority': {
      const i = PRIORITY.indexOf(String(v));
      if (i < 0) throw wrong('string');
      return i;
    }
    case 'status': {
      const s = STATUS_IN[String(v)];
      if (s === undefined) throw wrong('string');
      return s;
    }
    case 'mark':
      if (v !== 'N' && v !== 'P') throw wrong('string');
      return v;
  }
}

export function registerTaskV3Methods(api: DomainApi, store: TaskStore): void {
  const v3 = { scope: 'task', apiVersion: 3 as const };
  const view: EntityDef = {
    ...taskEntity,
    column: (field) => {
      const f = FIELDS[field];
      if (!f) return undefined;
      const def: FieldDef =
        f[1] === 'int' || f[1] === 'priority' || f[1] === 'status' ? { type: 'integer' } : { type: 'string' };
      return { expr: `"${f[0]}"`, def };
    },
  };
  const item = (row: Row, select?: readonly string[]): Row => {
    const out: Row = {};
    for (const [name, [col, kind]] of Object.entries(FIELDS)) {
      if (select && !select.includes(name)) continue;
      out[name] = toWireValue(kind, row[col]);
    }
    return out;
  };
  /** `select`: own fields only; an unknown own field is left out, not an error (rest-v3.md). */
  const selection = (ctx: CallContext, all: boolean): string[] | undefined => {
    const s = param(ctx.params, 'select');
    if (s === undefined) return all ? undefined : ['id'];
    if (!Array.isArray(s)) throw v3Validation('Field `select` requires data type `array` for this request', 'select');
    const names = s.map(String);
    for (const n of names) {
      if (n.includes('.')) {
        // Related objects (responsible.name, ...) are not modelled: named as the docs name an unknown related field.
        throw v3Error(
          'UNKNOWNDTOPROPERTYEXCEPTION',
          `Unknown field \`${n.slice(n.indexOf('.') + 1)}\` for entity \`UserDto\``,
        );
      }
    }
    return ['id', ...names.filter((n) => n in FIELDS && n !== 'id')];
  };
  const readId = (ctx: CallContext): number => {
    const raw = param(ctx.params, 'id');
    if (raw === undefined || raw === null) throw v3Validation('Required field `id` is not specified', 'id');
    const id = typeof raw === 'number' ? toPositiveInt(raw) : undefined;
    if (id === undefined) throw v3Validation('Field `id` requires data type `int` for this request', 'id');
    return id;
  };
  const notFound = (id: number) => v3Error('ENTITYNOTFOUNDEXCEPTION', `Task with ID = \`${id}\` not found`);
  const readFields = (ctx: CallContext, adding: boolean): Row => {
    const raw = param(ctx.params, 'fields');
    if (raw === undefined) throw v3Validation('Required field `fields` is missing', 'fields');
    if (!isObject(raw)) throw v3Validation('Field `fields` requires data type `object` for this request', 'fields');
    if (adding) {
      for (const f of ['title', 'creatorId', 'responsibleId']) {
        if (raw[f] === undefined || raw[f] === null || raw[f] === '')
          throw v3Validation(`Required field \`${f}\` is missing`, f);
      }
    }
    const cols: Row = {};
    for (const [name, value] of Object.entries(raw)) {
      const f = FIELDS[name];
      // Unknown and read-only fields are not written (the docs list no error for them).
      if (!f || READ_ONLY.has(name)) continue;
      cols[f[0]] = fromWire(name, f[1], value);
    }
    return cols;
  };

  api.method({
    name: 'tasks.task.add',
    ...v3,
    handler: (ctx) => {
      const cols = readFields(ctx, true);
      const id = store.insert(cols, ctx.auth);
      return { result: { item: item(store.get(id)!) } };
    },
  });
  api.method({
    name: 'tasks.task.get',
    ...v3,
    handler: (ctx) => {
      const id = readId(ctx);
      const row = store.get(id);
      if (!row) throw notFound(id);
      return { result: { item: item(row, selection(ctx, true)) } };
    },
  });
  api.method({
    name: 'tasks.task.update',
    ...v3,
    handler: (ctx) => {
      const id = readId(ctx);
      const row = store.get(id);
      if (!row) throw notFound(id);
      store.update(id, row, readFields(ctx, false), ctx.auth);
      return { result: { result: true } };
    },
  });
  api.method({
    name: 'tasks.task.delete',
    ...v3,
    handler: (ctx) => {
      const id = readId(ctx);
      if (!store.delete(id)) throw notFound(id);
      return { result: { result: true } };
    },
  });
  api.method({
    name: 'tasks.task.list',
    ...v3,
    handler: (ctx) => {
      const where = buildWhereV3(view, param(ctx.params, 'filter'));
      const order = param(ctx.params, 'order');
      if (order !== undefined && !isObject(order))
        throw v3Validation('Field `order` requires data type `object` for this request', 'order');
      for (const k of Object.keys(order ?? {})) {
        if (!SORTABLE.has(k))
          throw v3Error('UNKNOWNDTOPROPERTYEXCEPTION', `Unknown field \`${k}\` for entity \`TaskDto\``);
      }
      let orderSql: string;
      try {
        orderSql = buildOrder(view, order);
      } catch (err) {
        if (err instanceof RestError) throw v3Validation('Order direction should be one of {ASC|DESC}', 'order');
        throw err;
      }
      // `limit` defaults to 50; the docs name 1000 as the most a page holds.
      const p = readV3Pagination(param(ctx.params, 'pagination'));
      if ('error' in p) throw v3Validation(p.error, 'pagination');
      const limit = Math.min(p.limit, 1000);
      const sel = selection(ctx, false);
      const rows = store.table.select(where, orderSql, store.selection(['*']), limit, p.offset);
      ctx.spend((ctx.portal.timeModel.skipRowUs * p.offset) / 1000);
      return { result: { items: rows.map((r) => item(r, sel)) } };
    },
  });
}
