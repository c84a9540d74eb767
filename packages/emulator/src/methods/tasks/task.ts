/**
 * tasks.task.*: CRUD with camelCase results (`result.task`, list rows in `result.tasks`, §6.4),
 * the status actions (start, pause, complete, defer, renew, approve, disapprove) with the task
 * life cycle's status codes, delegation, watching, favorites, mute, history, access, file
 * attachment, plus task.dependence.* and task.planner.getlist.
 */
import { RestError } from '../../errors.js';
import { param } from '../../params.js';
import { buildOrder, buildWhere } from '../listQuery.js';
import type { CallContext, DomainApi, MethodHandler } from '../types.js';
import {
  arg,
  idList,
  isObject,
  missingParam,
  requiredId,
  toInt,
  toPositiveInt,
  upperSnake,
  wrongTaskId,
} from './shared.js';
import { TASK_FIELDS } from './fields.js';
import { STATUS, taskEntity, type TaskStore } from './store.js';
import { offsetAnswer, readStart } from '../../paging.js';

const SCOPE = 'task';

/** Documented error codes differ per action page ('0' for start/complete, 1048582 for the rest). */
const notAllowed = (code: '0' | '1048582') => new RestError(code, 'Action on the task is not allowed', 400);

export function registerTaskMethods(api: DomainApi, store: TaskStore): void {
  const { portal } = api;
  for (const ev of ['ONTASKADD', 'ONTASKUPDATE', 'ONTASKDELETE']) api.event(ev);
  api.seeder('tasks.task', (count, fields) => store.table.seed(count, fields));

  const load = (ctx: CallContext, name = 'taskId', index = 0) => {
    const id = requiredId(ctx, name, index);
    const row = store.get(id);
    if (!row) throw wrongTaskId();
    return { id, row };
  };
  const reply = (ctx: CallContext, id: number) => ({ result: { task: store.toWire(store.get(id)!, ctx.auth.userId) } });
  const updated = (ctx: CallContext, id: number) => {
    portal.raiseEvent(
      'ONTASKUPDATE',
      {
        FIELDS_BEFORE: { ID: id },
        FIELDS_AFTER: { ID: id },
        IS_ACCESSIBLE_BEFORE: 'undefined',
        IS_ACCESSIBLE_AFTER: 'undefined',
      },
      ctx.auth,
    );
    return reply(ctx, id);
  };
  const readFields = (ctx: CallContext): Record<string, unknown> => {
    const raw = arg(ctx, 'fields', 1);
    if (raw === undefined || raw === null) throw missingParam('fields');
    if (Array.isArray(raw) && raw.length === 0) return {};
    if (!isObject(raw))
      throw new RestError('100', 'Invalid value to match with parameter {fields}. Should be value of type array.', 400);
    return raw;
  };
  const m = (name: string, handler: MethodHandler) => api.method({ name, scope: SCOPE, handler });

  m('tasks.task.add', (ctx) => {
    const raw = arg(ctx, 'fields', 0);
    if (raw === undefined || raw === null) throw missingParam('fields');
    if (!isObject(raw))
      throw new RestError('100', 'Invalid value to match with parameter {fields}. Should be value of type array.', 400);
    const id = store.insert(raw, ctx.auth);
    portal.raiseEvent(
      'ONTASKADD',
      {
        FIELDS_BEFORE: 'undefined',
        FIELDS_AFTER: { ID: id },
        IS_ACCESSIBLE_BEFORE: 'N',
        IS_ACCESSIBLE_AFTER: 'undefined',
      },
      ctx.auth,
    );
    return reply(ctx, id);
  });

  m('tasks.task.update', (ctx) => {
    const { id, row } = load(ctx);
    store.update(id, row, readFields(ctx), ctx.auth);
    return updated(ctx, id);
  });

  m('tasks.task.get', (ctx) => {
    const { row } = load(ctx);
    const select = arg(ctx, 'select', 1);
    if (select !== undefined && select !== null && !Array.isArray(select) && !isObject(select)) {
      throw new RestError(
        '100',
        'Invalid value {} to match with parameter {select}. Should be value of type array.',
        400,
      );
    }
    const sel = Array.isArray(select) && select.length && !select.includes('*') ? store.selection(select) : undefined;
    return { result: { task: store.toWire(row, ctx.auth.userId, sel) } };
  });

  m('tasks.task.delete', (ctx) => {
    const { id } = load(ctx);
    store.delete(id);
    portal.raiseEvent(
      'ONTASKDELETE',
      {
        FIELDS_BEFORE: { ID: id },
        FIELDS_AFTER: 'undefined',
        IS_ACCESSIBLE_BEFORE: 'undefined',
        IS_ACCESSIBLE_AFTER: 'N',
      },
      ctx.auth,
    );
    return { result: { task: true } };
  });

  m('tasks.task.list', (ctx) => {
    const filterRaw = param(ctx.params, 'filter');
    const filter: Record<string, unknown> = {};
    if (isObject(filterRaw)) {
      for (const [k, v] of Object.entries(filterRaw)) {
        const mm = /^([^A-Za-z_]*)(.*)$/.exec(k)!;
        const field = upperSnake(mm[2]!);
        filter[mm[1]! + (field === 'REAL_STATUS' ? 'STATUS' : field)] = v;
      }
    }
    const orderRaw = param(ctx.params, 'order');
    const order: Record<string, unknown> = {};
    if (isObject(orderRaw)) {
      for (const [k, v] of Object.entries(orderRaw)) {
        const key = upperSnake(k);
        if (key !== 'ID' && !(key in taskEntity.fields))
          throw new RestError('0', 'Invalid sorting key (internal error)', 400);
        order[key] = v;
      }
    }
    const where = buildWhere(taskEntity, filter);
    const orderSql = buildOrder(taskEntity, order);
    const select = param(ctx.params, 'select');
    const sel = Array.isArray(select) && select.length && !select.includes('*') ? store.selection(select) : undefined;
    const page = readStart(ctx);
    const rows = store.table.select(where, orderSql, store.selection(['*', 'UF_*']), page.limit, page.offset);
    const tasks = rows.map((r) => store.toWire(r, ctx.auth.userId, sel, 'list'));
    return offsetAnswer(
      ctx,
      page,
      tasks,
      () => store.table.count(where),
      (t) => ({ tasks: t }),
    );
  });

  m('tasks.task.getFields', () => {
    const fields: Record<string, unknown> = { ...TASK_FIELDS };
    for (const uf of store.userFields()) fields[uf.FIELD_NAME] = { title: uf.FIELD_NAME, type: uf.USER_TYPE_ID };
    return { result: { fields } };
  });

  // Status actions: [method, allowed from, target, error code of its docs page].
  const act = (
    name: string,
    from: readonly number[],
    to: (ctx: CallContext, row: Record<string, unknown>) => number,
    code: '0' | '1048582',
  ) =>
    m(name, (ctx) => {
      const { id, row } = load(ctx);
      if (!from.includes(Number(row['STATUS']))) throw notAllowed(code);
      store.setStatus(id, to(ctx, row), ctx.auth.userId);
      return updated(ctx, id);
    });
  const OPEN = [STATUS.NEW, STATUS.PENDING, STATUS.IN_PROGRESS];
  act('tasks.task.start', [STATUS.NEW, STATUS.PENDING], () => STATUS.IN_PROGRESS, '0');
  act('tasks.task.pause', [STATUS.IN_PROGRESS], () => STATUS.PENDING, '1048582');
  act('tasks.task.defer', OPEN, () => STATUS.DEFERRED, '1048582');
  // With "task control" on, a task closed by someone other than its creator waits for review (4).
  act(
    'tasks.task.complete',
    OPEN,
    (ctx, row) =>
      row['TASK_CONTROL'] === 'Y' && Number(row['CREATED_BY']) !== ctx.auth.userId
        ? STATUS.SUPPOSEDLY_COMPLETED
        : STATUS.COMPLETED,
    '0',
  );
  act(
    'tasks.task.renew',
    [STATUS.SUPPOSEDLY_COMPLETED, STATUS.COMPLETED, STATUS.DEFERRED, STATUS.DECLINED],
    () => STATUS.PENDING,
    '1048582',
  );
  act('tasks.task.approve', [STATUS.SUPPOSEDLY_COMPLETED], () => STATUS.COMPLETED, '1048582');
  act('tasks.task.disapprove', [STATUS.SUPPOSEDLY_COMPLETED], () => STATUS.PENDING, '1048582');

  m('tasks.task.delegate', (ctx) => {
    const { id, row } = load(ctx);
    const raw = arg(ctx, 'userId', 1);
    if (raw === undefined || raw === null || raw === '') throw missingParam('userId');
    const userId = toPositiveInt(raw);
    if (userId === undefined)
      throw new RestError('100', 'Invalid value to match with parameter {userId}. Should be value of type int.', 400);
    const s = Number(row['STATUS']);
    if (!(OPEN as readonly number[]).includes(s)) throw notAllowed('0');
    const previous = Number(row['RESPONSIBLE_ID']);
    store.setColumn(id, 'RESPONSIBLE_ID', userId, ctx.auth.userId, 'RESPONSIBLE_ID');
    // The delegating responsible stays on the task as an auditor; the status starts over.
    const auditors = idList(row['AUDITORS']);
    if (previous !== userId && !auditors.includes(previous)) auditors.push(previous);
    store.setColumn(id, 'AUDITORS', JSON.stringify(auditors), ctx.auth.userId);
    if (s !== STATUS.PENDING) store.setStatus(id, STATUS.PENDING, ctx.auth.userId);
    return updated(ctx, id);
  });

  const watch = (name: string, on: boolean) =>
    m(name, (ctx) => {
      const { id, row } = load(ctx);
      const me = ctx.auth.userId;
      const auditors = idList(row['AUDITORS']).filter((u) => u !== me);
      if (on) auditors.push(me);
      store.setColumn(id, 'AUDITORS', JSON.stringify(auditors), me, 'AUDITORS');
      return updated(ctx, id);
    });
  watch('tasks.task.startwatch', true);
  watch('tasks.task.stopwatch', false);

  const mute = (name: string, on: boolean) =>
    m(name, (ctx) => {
      const { id } = load(ctx, 'id');
      store.setFlag(id, ctx.auth.userId, 'muted', on);
      return reply(ctx, id);
    });
  mute('tasks.task.mute', true);
  mute('tasks.task.unmute', false);

  const favorite = (name: string, on: boolean) =>
    m(name, (ctx) => {
      const { id } = load(ctx);
      store.setFlag(id, ctx.auth.userId, 'favorite', on);
      return { result: true };
    });
  favorite('tasks.task.favorite.add', true);
  favorite('tasks.task.favorite.remove', false);

  m('tasks.task.history.list', (ctx) => {
    const { id } = load(ctx);
    const filter = param(ctx.params, 'filter');
    const order = param(ctx.params, 'order');
    const args: unknown[] = [id];
    let where = 'TASK_ID = ?';
    if (isObject(filter)) {
      for (const [k, v] of Object.entries(filter)) {
        if (k.toUpperCase() === 'FIELD') {
          const list = Array.isArray(v) ? v : [v];
          where += ` AND FIELD IN (${list.map(() => '?').join(',')})`;
          args.push(...list.map(String));
        }
      }
    }
    let dir = 'ASC';
    if (isObject(order)) {
      const d = Object.values(order)[0];
      if (String(d).toUpperCase() === 'DESC') dir = 'DESC';
    }
    const rows = portal.db
      .prepare(`SELECT * FROM tasks_history WHERE ${where} ORDER BY ID ${dir}`)
      .all(...args) as Record<string, unknown>[];
    const list = rows.map((h) => ({
      id: String(h['ID']),
      createdDate: h['CREATED_DATE'],
      field: h['FIELD'],
      value: { from: h['VALUE_FROM'], to: h['VALUE_TO'] },
      user: {
        id: String(h['USER_ID']),
        name: `User ${String(h['USER_ID'])}`,
        lastName: '',
        secondName: '',
        login: `user${String(h['USER_ID'])}`,
      },
    }));
    return { result: { list } };
  });

  m('tasks.task.getaccess', (ctx) => {
    const { row } = load(ctx);
    const users = arg(ctx, 'users', 1);
    if (users !== undefined && users !== null && !Array.isArray(users) && !isObject(users)) {
      throw new RestError(
        '100',
        'Invalid value {} to match with parameter {users}. Should be value of type array.',
        400,
      );
    }
    const ids = (users === undefined || users === null ? [ctx.auth.userId] : Object.values(users))
      .map((u) => toPositiveInt(u))
      .filter((u): u is number => u !== undefined);
    const allowedActions: Record<string, Record<string, boolean>> = {};
    for (const u of ids) allowedActions[String(u)] = store.actions(row, u);
    return { result: { allowedActions } };
  });

  m('tasks.task.files.attach', (ctx) => {
    const { id } = load(ctx);
    const raw = arg(ctx, 'fileId', 1);
    if (raw === undefined || raw === null || raw === '') throw missingParam('fileId');
    const fileId = toPositiveInt(raw);
    if (fileId === undefined)
      throw new RestError(
        '100',
        `Invalid value ${JSON.stringify(raw)} to match with parameter {fileId}. Should be value of type int.`,
        400,
      );
    // Files come from Drive (disk.folder.uploadfile); an unknown file is refused as the portal does.
    let exists = false;
    try {
      exists = !!portal.db.prepare(`SELECT 1 FROM disk_object WHERE ID = ? AND TYPE = 'file'`).get(fileId);
    } catch {
      exists = false;
    }
    if (!exists) throw new RestError('0', 'Access denied (internal error)', 400);
    const attachmentId = Number(
      portal.db.prepare(`INSERT INTO tasks_attachment (TASK_ID, FILE_ID) VALUES (?, ?)`).run(id, fileId)
        .lastInsertRowid,
    );
    store.history(id, ctx.auth.userId, 'UF_TASK_WEBDAV_FILES', null, fileId);
    return { result: { attachmentId } };
  });

  // Dependencies (Gantt links): 0 start-start, 1 start-finish, 2 finish-start, 3 finish-finish.
  const depIds = (ctx: CallContext) => {
    const from = toPositiveInt(arg(ctx, 'taskIdFrom', 0));
    const to = toPositiveInt(arg(ctx, 'taskIdTo', 1));
    if (from === undefined) throw missingParam('taskIdFrom');
    if (to === undefined) throw missingParam('taskIdTo');
    return { from, to };
  };
  m('task.dependence.add', (ctx) => {
    const { from, to } = depIds(ctx);
    const type = toInt(arg(ctx, 'linkType', 2));
    if (type === undefined) throw missingParam('linkType');
    if (type < 0 || type > 3 || from === to || !store.get(from) || !store.get(to)) {
      throw new RestError('ACTION_NOT_ALLOWED', 'Unable to add a link between tasks', 400);
    }
    const exists = portal.db
      .prepare(`SELECT 1 FROM tasks_dependence WHERE (FROM_ID = ? AND TO_ID = ?) OR (FROM_ID = ? AND TO_ID = ?)`)
      .get(from, to, to, from);
    if (exists) throw new RestError('ILLEGAL_NEW_LINK', 'A link between tasks already exists', 400);
    portal.db.prepare(`INSERT INTO tasks_dependence (FROM_ID, TO_ID, LINK_TYPE) VALUES (?, ?, ?)`).run(from, to, type);
    return { result: [] };
  });
  m('task.dependence.delete', (ctx) => {
    const { from, to } = depIds(ctx);
    if (!store.get(from) || !store.get(to))
      throw new RestError('ACTION_NOT_ALLOWED', 'It is not possible to delete the dependency between tasks', 400);
    const n = portal.db.prepare(`DELETE FROM tasks_dependence WHERE FROM_ID = ? AND TO_ID = ?`).run(from, to).changes;
    if (!n) throw new RestError('ILLEGAL_NEW_LINK', 'The dependency between tasks does not exist', 400);
    return { result: [] };
  });

  // The day plan: the emulator's plan is the caller's tasks in progress (the UI that curates it is not emulated).
  m('task.planner.getlist', (ctx) => {
    const me = ctx.auth.userId;
    const rows = portal.db
      .prepare(
        `SELECT ID FROM tasks_task WHERE STATUS = ? AND (RESPONSIBLE_ID = ? OR EXISTS (SELECT 1 FROM json_each(COALESCE(ACCOMPLICES, '[]')) WHERE CAST(value AS INTEGER) = ?)) ORDER BY ID`,
      )
      .all(STATUS.IN_PROGRESS, me, me) as { ID: number }[];
    return { result: rows.map((r) => r.ID) };
  });
}
