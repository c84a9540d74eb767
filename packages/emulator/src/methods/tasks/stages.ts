/**
 * task.stages.*: Kanban stages of a project (entityId = group id) or of the caller's "My plan"
 * (entityId 0). An entity gets its default stages the first time it is read or written.
 * Moving a task sets its `stageId` (the emulator keeps one stage per task for both boards).
 */
import { RestError } from '../../errors.js';
import { param } from '../../params.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { arg, isObject, missingParam, toInt, toPositiveInt } from './shared.js';
import type { TaskStore } from './store.js';

const DEFAULTS = {
  U: [
    ['Not Planned', '00C4FB', 'NEW'],
    ['I Will Do It This Week', '47D1E2', null],
    ['I Will Do It Later', 'FFD800', null],
  ],
  G: [
    ['New', '00C4FB', 'NEW'],
    ['In Progress', '47D1E2', null],
    ['Done', '75D900', null],
  ],
} as const;

const notFound = () => new RestError('NOT_FOUND', 'Stage not found', 400);

export function registerStageMethods(api: DomainApi, store: TaskStore): void {
  const db = api.portal.db;
  const m = (name: string, handler: (ctx: CallContext) => { result: unknown }) =>
    api.method({ name, scope: 'task', handler });

  /** entityId 0 means the caller's own plan. */
  const entityOf = (ctx: CallContext, raw: unknown): { type: 'U' | 'G'; id: number } => {
    const n = toInt(raw) ?? 0;
    return n > 0 ? { type: 'G', id: n } : { type: 'U', id: ctx.auth.userId };
  };
  const ensure = (e: { type: 'U' | 'G'; id: number }) => {
    if (db.prepare(`SELECT 1 FROM tasks_stage WHERE ENTITY_TYPE = ? AND ENTITY_ID = ?`).get(e.type, e.id)) return;
    const ins = db.prepare(
      `INSERT INTO tasks_stage (TITLE, SORT, COLOR, SYSTEM_TYPE, ENTITY_ID, ENTITY_TYPE) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    DEFAULTS[e.type].forEach(([title, color, system], i) => ins.run(title, (i + 1) * 100, color, system, e.id, e.type));
  };
  const stages = (e: { type: 'U' | 'G'; id: number }) =>
    db
      .prepare(`SELECT * FROM tasks_stage WHERE ENTITY_TYPE = ? AND ENTITY_ID = ? ORDER BY SORT, ID`)
      .all(e.type, e.id) as Row[];
  const stage = (raw: unknown): Row => {
    const id = toPositiveInt(raw);
    const row =
      id === undefined ? undefined : (db.prepare(`SELECT * FROM tasks_stage WHERE ID = ?`).get(id) as Row | undefined);
    if (!row) throw notFound();
    return row;
  };
  /** Places a stage right after `afterId` (0 or none = first) and renumbers SORT by 100s. */
  const place = (e: { type: 'U' | 'G'; id: number }, stageId: number, afterId: number) => {
    const ids = stages(e)
      .map((s) => Number(s['ID']))
      .filter((id) => id !== stageId);
    const at = afterId > 0 && ids.includes(afterId) ? ids.indexOf(afterId) + 1 : 0;
    ids.splice(at, 0, stageId);
    const set = db.prepare(`UPDATE tasks_stage SET SORT = ? WHERE ID = ?`);
    ids.forEach((id, i) => set.run((i + 1) * 100, id));
  };
  const fieldsOf = (ctx: CallContext): Record<string, unknown> => {
    const raw = arg(ctx, 'fields');
    // task.stages.update documents `fields` as an array; a list of one object is accepted too.
    const obj = Array.isArray(raw) ? Object.assign({}, ...raw.filter(isObject)) : raw;
    if (!isObject(obj))
      throw new RestError('ERROR_ARGUMENT', "Parameter 'fields' must be an object", 400, { argument: 'fields' });
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k.toUpperCase()] = v;
    return out;
  };

  m('task.stages.get', (ctx) => {
    // entityId is required on the page (0 = the caller's "My Plan"); its missing-param error is
    // assumed to be the tasks controllers' code 100, as the page documents no other.
    const entityId = param(ctx.params, 'entityId');
    if (entityId === undefined || entityId === null || entityId === '') throw missingParam('entityId');
    const e = entityOf(ctx, entityId);
    ensure(e);
    return { result: Object.fromEntries(stages(e).map((s) => [String(s['ID']), stageWire(s)])) };
  });

  m('task.stages.add', (ctx) => {
    const f = fieldsOf(ctx);
    const title = f['TITLE'];
    if (title === undefined || title === null || String(title).trim() === '')
      throw new RestError('EMPTY_TITLE', 'Stage title is not specified', 400);
    const e = entityOf(ctx, f['ENTITY_ID']);
    ensure(e);
    const id = Number(
      db
        .prepare(
          `INSERT INTO tasks_stage (TITLE, SORT, COLOR, SYSTEM_TYPE, ENTITY_ID, ENTITY_TYPE) VALUES (?, 0, ?, NULL, ?, ?)`,
        )
        .run(String(title), String(f['COLOR'] ?? '') || 'FFD800', e.id, e.type).lastInsertRowid,
    );
    place(e, id, toInt(f['AFTER_ID']) ?? 0);
    return { result: id };
  });

  m('task.stages.update', (ctx) => {
    const row = stage(param(ctx.params, 'id'));
    const f = fieldsOf(ctx);
    if ('TITLE' in f && String(f['TITLE'] ?? '').trim() === '')
      throw new RestError('EMPTY_TITLE', 'Stage title is not specified', 400);
    db.prepare(`UPDATE tasks_stage SET TITLE = ?, COLOR = ? WHERE ID = ?`).run(
      'TITLE' in f ? String(f['TITLE']) : row['TITLE'],
      'COLOR' in f && f['COLOR'] !== '' ? String(f['COLOR']) : row['COLOR'],
      row['ID'],
    );
    if ('AFTER_ID' in f)
      place(
        { type: row['ENTITY_TYPE'] as 'U' | 'G', id: Number(row['ENTITY_ID']) },
        Number(row['ID']),
        toInt(f['AFTER_ID']) ?? 0,
      );
    return { result: true };
  });

  m('task.stages.delete', (ctx) => {
    const row = stage(param(ctx.params, 'id'));
    const e = { type: row['ENTITY_TYPE'] as 'U' | 'G', id: Number(row['ENTITY_ID']) };
    const first = stages(e)[0];
    if (first && Number(first['ID']) === Number(row['ID']))
      throw new RestError('CANT_DELETE_FIRST', 'Cannot delete the first stage. Move the stage to delete it', 400);
    if (row['SYSTEM_TYPE'] === 'NEW') throw new RestError('IS_SYSTEM', 'The default stage cannot be deleted', 400);
    db.prepare(`DELETE FROM tasks_stage WHERE ID = ?`).run(row['ID']);
    // Tasks on the removed stage fall back to the board's first stage.
    db.prepare(`UPDATE tasks_task SET STAGE_ID = ? WHERE STAGE_ID = ?`).run(first ? first['ID'] : 0, row['ID']);
    return { result: true };
  });

  m('task.stages.movetask', (ctx) => {
    const taskId = toPositiveInt(param(ctx.params, 'id'));
    const task = taskId === undefined ? undefined : store.get(taskId);
    if (!task || taskId === undefined)
      throw new RestError('TASK_NOT_FOUND', 'Task not found or access to it is denied', 400);
    const row = stage(param(ctx.params, 'stageId'));
    // A project board only holds the project's tasks.
    if (row['ENTITY_TYPE'] === 'G' && Number(task['GROUP_ID']) !== Number(row['ENTITY_ID'])) {
      throw new RestError('ACCESS_DENIED_MOVE', 'You cannot move this task', 400);
    }
    store.setColumn(taskId, 'STAGE_ID', Number(row['ID']), ctx.auth.userId, 'STAGE');
    return { result: true };
  });
}

function stageWire(s: Row): Row {
  return {
    ID: String(s['ID']),
    TITLE: s['TITLE'],
    SORT: String(s['SORT']),
    COLOR: s['COLOR'],
    SYSTEM_TYPE: s['SYSTEM_TYPE'],
    ENTITY_ID: String(s['ENTITY_ID']),
    ENTITY_TYPE: s['ENTITY_TYPE'],
    ADDITIONAL_FILTER: [],
    TO_UPDATE: [],
    TO_UPDATE_ACCESS: null,
  };
}
