/**
 * task.checklistitem.*: checklist items of a task (legacy methods: UPPER_CASE keys, numbers as
 * strings, named `TASKID/ITEMID/FIELDS` or positional arguments).
 */
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { arg, isObject, legacyCore, legacyId, toInt, yn } from './shared.js';
import type { TaskStore } from './store.js';

export function registerChecklistMethods(api: DomainApi, store: TaskStore): void {
  const db = api.portal.db;
  const m = (name: string, handler: (ctx: CallContext) => { result: unknown }) =>
    api.method({ name, scope: 'task', handler });

  const task = (ctx: CallContext, method: string, action: string) => {
    const taskId = legacyId(ctx, 'TASKID', 0, method);
    if (!store.get(taskId))
      throw legacyCore(`TASKS_ERROR_EXCEPTION_#8; ${action}: action not allowed; 8/TE/ACTION_NOT_ALLOWED`);
    return taskId;
  };
  const item = (ctx: CallContext, method: string, taskId: number): Row => {
    const itemId = legacyId(ctx, 'ITEMID', 1, method);
    const row = db.prepare(`SELECT * FROM tasks_checklist WHERE ID = ? AND TASK_ID = ?`).get(itemId, taskId) as
      | Row
      | undefined;
    if (!row)
      throw legacyCore(
        'TASKS_ERROR_EXCEPTION_#512; Check listitem not found or not accessible; 512/TE/ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE',
      );
    return row;
  };
  const fields = (ctx: CallContext, index: number, method: string): Record<string, unknown> => {
    const raw = arg(ctx, 'FIELDS', index);
    if (!isObject(raw)) {
      throw legacyCore(
        `TASKS_ERROR_EXCEPTION_#256; Param #${index} (arFields) expected by method ${method}, but not given.; 256/TE/WRONG_ARGUMENTS`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k.toUpperCase()] = v;
    return out;
  };
  const now = () => store.now();

  m('task.checklistitem.add', (ctx) => {
    const method = 'ctaskchecklistitem::add()';
    const taskId = task(ctx, method, 'Adding item');
    const f = fields(ctx, 1, method);
    const title = f['TITLE'];
    if (title === undefined || title === null || String(title).trim() === '') {
      throw legacyCore('TASKS_ERROR_EXCEPTION_#8; Item name not specified; 8/TE/ACTION_FAILED_TO_BE_PROCESSED');
    }
    const parent = toInt(f['PARENT_ID']) ?? 0;
    const sort =
      toInt(f['SORT_INDEX']) ??
      ((
        db
          .prepare(`SELECT MAX(SORT_INDEX) AS s FROM tasks_checklist WHERE TASK_ID = ? AND PARENT_ID = ?`)
          .get(taskId, parent) as { s: number | null }
      ).s ?? -1) + 1;
    const complete = yn(f['IS_COMPLETE']);
    const id = Number(
      db
        .prepare(`INSERT INTO tasks_checklist (TASK_ID, PARENT_ID, CREATED_BY, TITLE, SORT_INDEX, IS_COMPLETE, IS_IMPORTANT, TOGGLED_BY, TOGGLED_DATE, MEMBERS)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          taskId,
          parent,
          ctx.auth.userId,
          String(title),
          sort,
          complete,
          yn(f['IS_IMPORTANT']),
          complete === 'Y' ? ctx.auth.userId : null,
          complete === 'Y' ? now() : null,
          JSON.stringify(f['MEMBERS'] ?? []),
        ).lastInsertRowid,
    );
    store.history(taskId, ctx.auth.userId, 'CHECKLIST_ITEM_CREATE', null, String(title));
    return { result: id };
  });

  m('task.checklistitem.update', (ctx) => {
    const method = 'ctaskchecklistitem::update()';
    const taskId = task(ctx, method, 'Updating item');
    const row = item(ctx, method, taskId);
    const f = fields(ctx, 2, method);
    if ('TITLE' in f && (f['TITLE'] === null || String(f['TITLE']).trim() === '')) {
      throw legacyCore(
        `TASKS_ERROR_EXCEPTION_#8; Incorrect value [] specified for field TITLE; 8/TE/ACTION_FAILED_TO_BE_PROCESSED`,
      );
    }
    const next = {
      TITLE: 'TITLE' in f ? String(f['TITLE']) : row['TITLE'],
      SORT_INDEX: toInt(f['SORT_INDEX']) ?? row['SORT_INDEX'],
      PARENT_ID: 'PARENT_ID' in f ? (toInt(f['PARENT_ID']) ?? 0) : row['PARENT_ID'],
      IS_IMPORTANT: 'IS_IMPORTANT' in f ? yn(f['IS_IMPORTANT']) : row['IS_IMPORTANT'],
      IS_COMPLETE: 'IS_COMPLETE' in f ? yn(f['IS_COMPLETE']) : row['IS_COMPLETE'],
    };
    const toggled = next.IS_COMPLETE !== row['IS_COMPLETE'];
    db.prepare(`UPDATE tasks_checklist SET TITLE = ?, SORT_INDEX = ?, PARENT_ID = ?, IS_IMPORTANT = ?, IS_COMPLETE = ?,
      TOGGLED_BY = CASE WHEN ? THEN ? ELSE TOGGLED_BY END, TOGGLED_DATE = CASE WHEN ? THEN ? ELSE TOGGLED_DATE END WHERE ID = ?`).run(
      next.TITLE,
      next.SORT_INDEX,
      next.PARENT_ID,
      next.IS_IMPORTANT,
      next.IS_COMPLETE,
      toggled ? 1 : 0,
      ctx.auth.userId,
      toggled ? 1 : 0,
      now(),
      row['ID'],
    );
    return { result: null };
  });

  m('task.checklistitem.delete', (ctx) => {
    const method = 'ctaskchecklistitem::delete()';
    const taskId = task(ctx, method, 'Deleting item');
    const row = item(ctx, method, taskId);
    // Children go with their parent, as a checklist tree does.
    const drop = (id: number) => {
      for (const c of db
        .prepare(`SELECT ID FROM tasks_checklist WHERE PARENT_ID = ? AND TASK_ID = ?`)
        .all(id, taskId) as { ID: number }[])
        drop(c.ID);
      db.prepare(`DELETE FROM tasks_checklist WHERE ID = ?`).run(id);
    };
    drop(Number(row['ID']));
    return { result: true };
  });

  m('task.checklistitem.get', (ctx) => {
    const method = 'ctaskchecklistitem::get()';
    const taskId = task(ctx, method, 'Reading item');
    return { result: itemWire(item(ctx, method, taskId)) };
  });

  m('task.checklistitem.getlist', (ctx) => {
    const method = 'ctaskchecklistitem::getlist()';
    const taskId = task(ctx, method, 'Reading items');
    const order = arg(ctx, 'ORDER', 1);
    const terms: string[] = [];
    if (isObject(order)) {
      for (const [k, v] of Object.entries(order)) {
        const col = k.toUpperCase();
        if (
          ![
            'ID',
            'TITLE',
            'SORT_INDEX',
            'IS_COMPLETE',
            'IS_IMPORTANT',
            'TOGGLED_DATE',
            'CREATED_BY',
            'PARENT_ID',
          ].includes(col)
        ) {
          throw legacyCore(
            `TASKS_ERROR_EXCEPTION_#256; Param #1 (arOrder) for method ${method} contains an unknown field; 256/TE/WRONG_ARGUMENTS`,
          );
        }
        terms.push(`${col} ${String(v).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
      }
    }
    terms.push('SORT_INDEX ASC', 'ID ASC');
    const rows = db
      .prepare(`SELECT * FROM tasks_checklist WHERE TASK_ID = ? ORDER BY ${terms.join(', ')}`)
      .all(taskId) as Row[];
    return { result: rows.map(itemWire) };
  });

  const toggle = (name: string, complete: boolean) =>
    m(name, (ctx) => {
      const method = `ctaskchecklistitem::${complete ? 'complete' : 'renew'}()`;
      const taskId = task(ctx, method, complete ? 'Completing item' : 'Renewing item');
      const row = item(ctx, method, taskId);
      db.prepare(`UPDATE tasks_checklist SET IS_COMPLETE = ?, TOGGLED_BY = ?, TOGGLED_DATE = ? WHERE ID = ?`).run(
        complete ? 'Y' : 'N',
        ctx.auth.userId,
        now(),
        row['ID'],
      );
      return { result: true };
    });
  toggle('task.checklistitem.complete', true);
  toggle('task.checklistitem.renew', false);

  m('task.checklistitem.moveafteritem', (ctx) => {
    const method = 'ctaskchecklistitem::moveafteritem()';
    const taskId = task(ctx, method, 'Moving item');
    const row = item(ctx, method, taskId);
    const afterId = legacyId(ctx, 'AFTERITEMID', 2, method);
    const after = db.prepare(`SELECT * FROM tasks_checklist WHERE ID = ? AND TASK_ID = ?`).get(afterId, taskId) as
      | Row
      | undefined;
    if (!after) throw legacyCore('TASKS_ERROR_EXCEPTION_#8; Moving item: action not allowed; 8/TE/ACTION_NOT_ALLOWED');
    // Renumber the siblings so the item sits right after the other one.
    const siblings = (
      db
        .prepare(
          `SELECT ID FROM tasks_checklist WHERE TASK_ID = ? AND PARENT_ID = ? AND ID <> ? ORDER BY SORT_INDEX, ID`,
        )
        .all(taskId, after['PARENT_ID'], row['ID']) as { ID: number }[]
    ).map((r) => r.ID);
    siblings.splice(siblings.indexOf(afterId) + 1, 0, Number(row['ID']));
    const set = db.prepare(`UPDATE tasks_checklist SET SORT_INDEX = ?, PARENT_ID = ? WHERE ID = ?`);
    siblings.forEach((id, i) => set.run(i, after['PARENT_ID'], id));
    return { result: null };
  });
}

export function itemWire(r: Row): Row {
  let members: unknown = [];
  try {
    members = JSON.parse(String(r['MEMBERS'] ?? '[]'));
  } catch {
    members = [];
  }
  return {
    ID: String(r['ID']),
    TASK_ID: String(r['TASK_ID']),
    PARENT_ID: String(r['PARENT_ID'] ?? 0),
    CREATED_BY: String(r['CREATED_BY']),
    TITLE: r['TITLE'],
    SORT_INDEX: String(r['SORT_INDEX']),
    IS_COMPLETE: r['IS_COMPLETE'],
    IS_IMPORTANT: r['IS_IMPORTANT'],
    TOGGLED_BY: r['TOGGLED_BY'] === null ? null : String(r['TOGGLED_BY']),
    TOGGLED_DATE: r['TOGGLED_DATE'] ?? '',
    MEMBERS: Array.isArray(members) ? members : [],
    ATTACHMENTS: [],
  };
}
