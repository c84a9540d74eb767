/**
 * task.commentitem.* (legacy: `TASKID/ITEMID/FIELDS`, UPPER_CASE keys) and tasks.task.result.*
 * (REST 2 controller: camelCase keys, real numbers), which turns a comment into a task result.
 */
import { RestError } from '../../errors.js';
import type { EntityDef } from '../entity.js';
import { buildWhere } from '../listQuery.js';
import type { Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';
import { arg, isObject, legacyCore, legacyId, requiredId, toPositiveInt, wrongTaskId } from './shared.js';
import type { TaskStore } from './store.js';

/** Only for building the getlist filter; the table itself is created by the store. */
const commentFilterEntity: EntityDef = {
  name: 'task.commentitem',
  table: 'tasks_comment',
  idField: 'ID',
  wire: 'legacy',
  fields: { AUTHOR_ID: { type: 'integer' }, POST_DATE: { type: 'datetime' }, POST_MESSAGE: { type: 'string' } },
};

/** The few BB codes results show formatted (`formattedText`). */
function bbToHtml(text: string): string {
  return text.replace(/\[(\/?)(B|I|U|S)\]/gi, (_, slash: string, tag: string) => `<${slash}${tag.toLowerCase()}>`);
}

export function registerCommentMethods(api: DomainApi, store: TaskStore): void {
  const { portal } = api;
  const db = portal.db;
  for (const ev of ['ONTASKCOMMENTADD', 'ONTASKCOMMENTUPDATE', 'ONTASKCOMMENTDELETE']) api.event(ev);
  const m = (name: string, handler: (ctx: CallContext) => { result: unknown }) =>
    api.method({ name, scope: 'task', handler });

  const task = (ctx: CallContext, method: string) => {
    const taskId = legacyId(ctx, 'TASKID', 0, method);
    if (!store.get(taskId))
      throw legacyCore('TASKS_ERROR_EXCEPTION_#8; Action failed; 8/TE/ACTION_FAILED_TO_BE_PROCESSED');
    return taskId;
  };
  const comment = (ctx: CallContext, method: string, taskId: number): Row => {
    const id = legacyId(ctx, 'ITEMID', 1, method);
    const row = db.prepare(`SELECT * FROM tasks_comment WHERE ID = ? AND TASK_ID = ?`).get(id, taskId) as
      | Row
      | undefined;
    if (!row)
      throw legacyCore(
        'TASKS_ERROR_EXCEPTION_#512; Comment not found or not accessible; 512/TE/ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE',
      );
    return row;
  };
  const fields = (ctx: CallContext, index: number, method: string): Record<string, unknown> => {
    const raw = arg(ctx, 'FIELDS', index);
    if (!isObject(raw))
      throw legacyCore(
        `TASKS_ERROR_EXCEPTION_#256; Param #${index} (arFields) for method ${method} expected to be of type "array"; 256/TE/WRONG_ARGUMENTS`,
      );
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k.toUpperCase()] = v;
    return out;
  };
  const event = (name: string, ctx: CallContext, id: number, taskId: number, action?: string) =>
    portal.raiseEvent(
      name,
      {
        FIELDS_BEFORE: name === 'ONTASKCOMMENTADD' ? 'undefined' : { ID: id, TASK_ID: taskId },
        FIELDS_AFTER: action ? { ID: id, TASK_ID: taskId, ACTION: action } : { ID: id, TASK_ID: taskId },
        IS_ACCESSIBLE_BEFORE: 'undefined',
        IS_ACCESSIBLE_AFTER: 'undefined',
      },
      ctx.auth,
    );

  m('task.commentitem.add', (ctx) => {
    const method = 'ctaskcommentitem::add()';
    const taskId = task(ctx, method);
    const f = fields(ctx, 1, method);
    const text = f['POST_MESSAGE'];
    if (text === undefined || text === null || String(text).trim() === '')
      throw legacyCore('Comment text is not specified');
    const author = toPositiveInt(f['AUTHOR_ID']) ?? ctx.auth.userId;
    const date =
      typeof f['POST_DATE'] === 'string' && !Number.isNaN(Date.parse(f['POST_DATE'])) ? f['POST_DATE'] : store.now();
    const files = Array.isArray(f['UF_FORUM_MESSAGE_DOC']) ? f['UF_FORUM_MESSAGE_DOC'] : [];
    const id = Number(
      db
        .prepare(
          `INSERT INTO tasks_comment (TASK_ID, AUTHOR_ID, POST_DATE, POST_MESSAGE, FILES) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(taskId, author, date, String(text), JSON.stringify(files)).lastInsertRowid,
    );
    store.refreshCounters(taskId);
    store.history(taskId, ctx.auth.userId, 'COMMENT', null, id);
    event('ONTASKCOMMENTADD', ctx, id, taskId);
    return { result: id };
  });

  m('task.commentitem.update', (ctx) => {
    const method = 'ctaskcommentitem::update()';
    const taskId = task(ctx, method);
    const row = comment(ctx, method, taskId);
    const f = fields(ctx, 2, method);
    const text = f['POST_MESSAGE'];
    if (text === undefined || text === null || String(text).trim() === '')
      throw legacyCore('Comment text not specified.');
    db.prepare(`UPDATE tasks_comment SET POST_MESSAGE = ? WHERE ID = ?`).run(String(text), row['ID']);
    event('ONTASKCOMMENTUPDATE', ctx, Number(row['ID']), taskId, 'EDIT');
    return { result: true };
  });

  m('task.commentitem.delete', (ctx) => {
    const method = 'ctaskcommentitem::delete()';
    const taskId = task(ctx, method);
    const row = comment(ctx, method, taskId);
    db.prepare(`DELETE FROM tasks_comment WHERE ID = ?`).run(row['ID']);
    db.prepare(`DELETE FROM tasks_result WHERE COMMENT_ID = ?`).run(row['ID']);
    store.refreshCounters(taskId);
    event('ONTASKCOMMENTDELETE', ctx, Number(row['ID']), taskId, 'DEL');
    return { result: true };
  });

  m('task.commentitem.get', (ctx) => {
    const method = 'ctaskcommentitem::get()';
    const taskId = task(ctx, method);
    return { result: commentWire(comment(ctx, method, taskId)) };
  });

  m('task.commentitem.getlist', (ctx) => {
    const method = 'ctaskcommentitem::getlist()';
    const taskId = task(ctx, method);
    const order = arg(ctx, 'ORDER', 1);
    const filter = arg(ctx, 'FILTER', 2);
    const terms: string[] = [];
    if (isObject(order)) {
      for (const [k, v] of Object.entries(order)) {
        const col = k.toUpperCase();
        if (!['ID', 'AUTHOR_ID', 'POST_DATE'].includes(col))
          throw legacyCore(
            `TASKS_ERROR_EXCEPTION_#256; Param #1 (arOrder) for method ${method} contains an unknown field; 256/TE/WRONG_ARGUMENTS`,
          );
        terms.push(`${col} ${String(v).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
      }
    }
    terms.push('ID ASC');
    let where;
    try {
      where = buildWhere(commentFilterEntity, isObject(filter) ? filter : undefined);
    } catch {
      throw legacyCore(
        `TASKS_ERROR_EXCEPTION_#256; Param #2 (arFilter) for method ${method} is invalid; 256/TE/WRONG_ARGUMENTS`,
      );
    }
    const rows = db
      .prepare(`SELECT * FROM tasks_comment WHERE TASK_ID = ? AND (${where.sql}) ORDER BY ${terms.join(', ')}`)
      .all(taskId, ...where.args) as Row[];
    return { result: rows.map(commentWire) };
  });

  // Results: a comment marked as the task's result.
  const resultWire = (r: Row) => ({
    id: r['ID'],
    taskId: r['TASK_ID'],
    commentId: r['COMMENT_ID'],
    createdBy: r['CREATED_BY'],
    createdAt: r['CREATED_AT'],
    updatedAt: r['UPDATED_AT'],
    status: r['STATUS'],
    text: r['TEXT'],
    formattedText: bbToHtml(String(r['TEXT'] ?? '')),
    files: [],
  });
  const commentById = (ctx: CallContext): Row => {
    const id = requiredId(ctx, 'commentId', 0);
    const row = db.prepare(`SELECT * FROM tasks_comment WHERE ID = ?`).get(id) as Row | undefined;
    if (!row) throw new RestError('0', 'Comment not found.', 400);
    return row;
  };

  m('tasks.task.result.list', (ctx) => {
    const taskId = requiredId(ctx, 'taskId', 0);
    if (!store.get(taskId)) throw wrongTaskId();
    const rows = db.prepare(`SELECT * FROM tasks_result WHERE TASK_ID = ? ORDER BY ID DESC`).all(taskId) as Row[];
    return { result: rows.map(resultWire) };
  });

  m('tasks.task.result.addFromComment', (ctx) => {
    const c = commentById(ctx);
    if (db.prepare(`SELECT 1 FROM tasks_result WHERE COMMENT_ID = ?`).get(c['ID']))
      throw new RestError('0', 'Result already exists.', 400);
    const now = store.now();
    const id = db
      .prepare(
        `INSERT INTO tasks_result (TASK_ID, COMMENT_ID, CREATED_BY, CREATED_AT, UPDATED_AT, STATUS, TEXT) VALUES (?, ?, ?, ?, ?, 0, ?)`,
      )
      .run(c['TASK_ID'], c['ID'], ctx.auth.userId, now, now, c['POST_MESSAGE']).lastInsertRowid;
    return { result: resultWire(db.prepare(`SELECT * FROM tasks_result WHERE ID = ?`).get(id) as Row) };
  });

  m('tasks.task.result.deleteFromComment', (ctx) => {
    const c = commentById(ctx);
    db.prepare(`DELETE FROM tasks_result WHERE COMMENT_ID = ?`).run(c['ID']);
    return { result: null };
  });
}

function commentWire(r: Row): Row {
  let files: unknown[] = [];
  try {
    files = JSON.parse(String(r['FILES'] ?? '[]')) as unknown[];
  } catch {
    files = [];
  }
  const out: Row = {
    POST_MESSAGE_HTML: null,
    ID: String(r['ID']),
    AUTHOR_ID: String(r['AUTHOR_ID']),
    AUTHOR_NAME: `User ${String(r['AUTHOR_ID'])}`,
    AUTHOR_EMAIL: '',
    POST_DATE: r['POST_DATE'],
    POST_MESSAGE: r['POST_MESSAGE'],
  };
  // A comment without files shows an empty ATTACHED_OBJECTS (the docs' task.commentitem.getlist
  // example: `"ATTACHED_OBJECTS": {}`).
  out['ATTACHED_OBJECTS'] = {};
  if (Array.isArray(files) && files.length) {
    out['ATTACHED_OBJECTS'] = Object.fromEntries(
      files.map((f, i) => [
        String(i + 1),
        {
          ATTACHMENT_ID: String(i + 1),
          NAME: String(f),
          SIZE: '0',
          FILE_ID: String(f),
          DOWNLOAD_URL: '',
          VIEW_URL: '',
        },
      ]),
    );
  }
  return out;
}
