/**
 * task.elapseditem.*: time spent on a task (legacy: `TASKID/ITEMID/ARFIELDS`). Each change
 * recomputes the task's `timeSpentInLogs`.
 */
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import type { EntityDef } from '../entity.js';
import { buildWhere } from '../listQuery.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { arg, isObject, toInt, toPositiveInt } from './shared.js';
import type { TaskStore } from './store.js';

/** Error codes of the elapsed-time pages are hexadecimal strings. */
const taskNotFound = () => new RestError('0x000001', 'Task not found', 400);
const notAllowed = () => new RestError('0x000004', 'Action not allowed', 400);
const badParams = () => new RestError('0x000100', 'Invalid method parameters provided', 400);

const SORTABLE = ['ID', 'TASK_ID', 'USER_ID', 'SECONDS', 'MINUTES', 'CREATED_DATE', 'DATE_START', 'DATE_STOP'];

const elapsedFilterEntity: EntityDef = {
  name: 'task.elapseditem',
  table: 'tasks_elapsed',
  idField: 'ID',
  wire: 'legacy',
  fields: { TASK_ID: { type: 'integer' }, USER_ID: { type: 'integer' }, CREATED_DATE: { type: 'datetime' } },
};

export function registerElapsedMethods(api: DomainApi, store: TaskStore): void {
  const db = api.portal.db;
  const m = (name: string, handler: (ctx: CallContext) => { result: unknown; total?: number }) =>
    api.method({ name, scope: 'task', handler });

  const task = (ctx: CallContext) => {
    const id = toPositiveInt(arg(ctx, 'TASKID', 0));
    if (id === undefined) throw badParams();
    if (!store.get(id)) throw taskNotFound();
    return id;
  };
  const record = (ctx: CallContext, taskId: number): Row => {
    const id = toPositiveInt(arg(ctx, 'ITEMID', 1));
    if (id === undefined) throw badParams();
    const row = db.prepare(`SELECT * FROM tasks_elapsed WHERE ID = ? AND TASK_ID = ?`).get(id, taskId) as
      | Row
      | undefined;
    if (!row) throw notAllowed();
    return row;
  };
  const fields = (ctx: CallContext, index: number): Record<string, unknown> => {
    const raw = arg(ctx, 'ARFIELDS', index);
    if (!isObject(raw)) throw badParams();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k.toUpperCase()] = v;
    return out;
  };
  const date = (v: unknown, fallback: string): string => {
    if (typeof v !== 'string' || v === '') return fallback;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw badParams();
    return isoDateTime(ms);
  };

  m('task.elapseditem.add', (ctx) => {
    const taskId = task(ctx);
    const f = fields(ctx, 1);
    const seconds = toInt(f['SECONDS']);
    if (seconds === undefined || seconds < 0) throw badParams();
    const now = store.now();
    const created = date(f['CREATED_DATE'], now);
    const id = Number(
      db
        .prepare(
          `INSERT INTO tasks_elapsed (TASK_ID, USER_ID, COMMENT_TEXT, SECONDS, SOURCE, CREATED_DATE, DATE_START, DATE_STOP) VALUES (?, ?, ?, ?, 2, ?, ?, ?)`,
        )
        .run(
          taskId,
          toPositiveInt(f['USER_ID']) ?? ctx.auth.userId,
          String(f['COMMENT_TEXT'] ?? ''),
          seconds,
          created,
          date(f['DATE_START'], now),
          date(f['DATE_STOP'], now),
        ).lastInsertRowid,
    );
    store.refreshCounters(taskId);
    return { result: id };
  });

  m('task.elapseditem.update', (ctx) => {
    const taskId = task(ctx);
    const row = record(ctx, taskId);
    const f = fields(ctx, 2);
    const seconds = 'SECONDS' in f ? toInt(f['SECONDS']) : Number(row['SECONDS']);
    if (seconds === undefined || seconds < 0) throw badParams();
    db.prepare(
      `UPDATE tasks_elapsed SET SECONDS = ?, COMMENT_TEXT = ?, USER_ID = ?, CREATED_DATE = ? WHERE ID = ?`,
    ).run(
      seconds,
      'COMMENT_TEXT' in f ? String(f['COMMENT_TEXT'] ?? '') : row['COMMENT_TEXT'],
      toPositiveInt(f['USER_ID']) ?? row['USER_ID'],
      date(f['CREATED_DATE'], String(row['CREATED_DATE'])),
      row['ID'],
    );
    store.refreshCounters(taskId);
    return { result: null };
  });

  m('task.elapseditem.delete', (ctx) => {
    const taskId = task(ctx);
    const row = record(ctx, taskId);
    db.prepare(`DELETE FROM tasks_elapsed WHERE ID = ?`).run(row['ID']);
    store.refreshCounters(taskId);
    return { result: null };
  });

  // The docs' example shows the record inside a one-element array.
  m('task.elapseditem.get', (ctx) => {
    const taskId = task(ctx);
    return { result: [elapsedWire(record(ctx, taskId))] };
  });

  m('task.elapseditem.getlist', (ctx) => {
    // Called as (TASKID, ORDER, FILTER, SELECT, PARAMS) or, without a task, (ORDER, FILTER, ...).
    const named = arg(ctx, 'TASKID');
    const first = ctx.params['0'];
    const positionalTask = named === undefined && first !== undefined && !isObject(first) && !Array.isArray(first);
    const taskRaw = named ?? (positionalTask ? first : undefined);
    const shift = named === undefined && !positionalTask && first !== undefined ? 0 : 1;
    const where: string[] = [];
    const args: unknown[] = [];
    if (taskRaw !== undefined) {
      const taskId = toPositiveInt(taskRaw);
      if (taskId === undefined) throw badParams();
      if (!store.get(taskId)) throw taskNotFound();
      where.push('TASK_ID = ?');
      args.push(taskId);
    }
    const order = arg(ctx, 'ORDER', shift);
    const filter = arg(ctx, 'FILTER', shift + 1);
    const terms: string[] = [];
    if (isObject(order)) {
      for (const [k, v] of Object.entries(order)) {
        const col = k.toUpperCase();
        if (!SORTABLE.includes(col)) throw badParams();
        terms.push(`${col === 'MINUTES' ? 'SECONDS' : col} ${String(v).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
      }
    }
    terms.push('ID ASC');
    let f;
    try {
      f = buildWhere(elapsedFilterEntity, isObject(filter) ? filter : undefined);
    } catch {
      throw badParams();
    }
    where.push(`(${f.sql})`);
    args.push(...f.args);
    const rows = db
      .prepare(`SELECT * FROM tasks_elapsed WHERE ${where.join(' AND ')} ORDER BY ${terms.join(', ')}`)
      .all(...args) as Row[];
    return { result: rows.map(elapsedWire), total: rows.length };
  });
}

function elapsedWire(r: Row): Row {
  const seconds = Number(r['SECONDS']);
  return {
    ID: String(r['ID']),
    TASK_ID: String(r['TASK_ID']),
    USER_ID: String(r['USER_ID']),
    COMMENT_TEXT: r['COMMENT_TEXT'],
    SECONDS: String(seconds),
    MINUTES: String(Math.round(seconds / 60)),
    SOURCE: String(r['SOURCE']),
    CREATED_DATE: r['CREATED_DATE'],
    DATE_START: r['DATE_START'],
    DATE_STOP: r['DATE_STOP'],
  };
}
