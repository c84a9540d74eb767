/**
 * The task store: the task table (through the generic EntityTable, UPPER_SNAKE columns, legacy
 * wire typing) plus the side tables every task method reads (per-user flags, history,
 * attachments, dependencies, checklist items, comments, results, elapsed time, stages, user
 * fields), and the conversion of a task row into the camelCase object of tasks.task.get.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import type { EntityDef, FieldDef } from '../entity.js';
import { buildSelect, type Selection } from '../listQuery.js';
import { EntityTable, type Row } from '../table.js';
import type { AuthContext, Portal } from '../types.js';
import { camel, idList, upperSnake, userSummary } from './shared.js';

/** Task status codes (REAL_STATUS) as the docs list them in tasks.task.getFields. */
export const STATUS = {
  NEW: 1,
  PENDING: 2,
  IN_PROGRESS: 3,
  SUPPOSEDLY_COMPLETED: 4,
  COMPLETED: 5,
  DEFERRED: 6,
  DECLINED: 7,
} as const;

const char = (def: 'Y' | 'N', extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'char', default: def, ...extra });
const ro = (type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type, readOnly: true, ...extra });

export const taskEntity: EntityDef = {
  name: 'tasks.task',
  table: 'tasks_task',
  idField: 'ID',
  wire: 'legacy',
  userFields: true,
  fields: {
    PARENT_ID: { type: 'integer', title: 'Base Task ID' },
    TITLE: { type: 'string', title: 'Title', seed: "'Task #' || n" },
    DESCRIPTION: { type: 'string', title: 'Description', default: '' },
    MARK: { type: 'string', title: 'Rating' },
    PRIORITY: { type: 'integer', title: 'Priority', default: 1 },
    MULTITASK: char('N'),
    NOT_VIEWED: char('N'),
    REPLICATE: char('N'),
    STAGE_ID: { type: 'integer', title: 'Stage', default: 0 },
    SPRINT_ID: ro('integer'),
    BACKLOG_ID: ro('integer'),
    CREATED_BY: { type: 'user', title: 'Created By', defaultCurrentUser: true },
    CREATED_DATE: { type: 'datetime', title: 'Created Date', auto: 'createdAt' },
    RESPONSIBLE_ID: { type: 'user', title: 'Responsible', defaultCurrentUser: true, seed: '1 + (n % 5)' },
    CHANGED_BY: { type: 'user', title: 'Changed By', auto: 'modifiedBy' },
    CHANGED_DATE: { type: 'datetime', title: 'Changed Date', auto: 'modifiedAt' },
    STATUS_CHANGED_BY: ro('user'),
    CLOSED_BY: ro('user'),
    CLOSED_DATE: ro('datetime'),
    ACTIVITY_DATE: { type: 'datetime', title: 'Activity Date', auto: 'modifiedAt' },
    DATE_START: ro('datetime'),
    DEADLINE: { type: 'datetime', title: 'Deadline' },
    START_DATE_PLAN: { type: 'datetime', title: 'Planned Start Date' },
    END_DATE_PLAN: { type: 'datetime', title: 'Planned Completion Date' },
    GUID: ro('string'),
    XML_ID: { type: 'string', title: 'External ID' },
    COMMENTS_COUNT: ro('integer'),
    SERVICE_COMMENTS_COUNT: ro('integer'),
    ALLOW_CHANGE_DEADLINE: char('N'),
    ALLOW_TIME_TRACKING: char('N'),
    TASK_CONTROL: char('N'),
    ADD_IN_REPORT: char('N'),
    FORKED_BY_TEMPLATE_ID: ro('integer'),
    TIME_ESTIMATE: { type: 'integer', title: 'Estimated Time', default: 0 },
    TIME_SPENT_IN_LOGS: ro('integer'),
    MATCH_WORK_TIME: char('N'),
    FORUM_TOPIC_ID: ro('integer'),
    FORUM_ID: ro('integer'),
    SITE_ID: { type: 'string', title: 'Site', default: 's1' },
    SUBORDINATE: ro('char', { default: 'Y' }),
    EXCHANGE_MODIFIED: ro('string'),
    EXCHANGE_ID: ro('integer'),
    OUTLOOK_VERSION: ro('integer', { default: 1 }),
    VIEWED_DATE: ro('datetime'),
    SORTING: ro('double'),
    DURATION_FACT: ro('integer'),
    IS_PINNED: ro('char', { default: 'N' }),
    IS_PINNED_IN_GROUP: ro('char', { default: 'N' }),
    FLOW_ID: { type: 'integer', title: 'Flow' },
    DESCRIPTION_IN_BBCODE: ro('char', { default: 'Y' }),
    STATUS: { type: 'integer', title: 'Status', default: STATUS.PENDING, seed: '2 + (n % 4)' },
    STATUS_CHANGED_DATE: { type: 'datetime', title: 'Status Changed Date', auto: 'createdAt' },
    DURATION_PLAN: { type: 'integer', title: 'Planned Duration' },
    DURATION_TYPE: { type: 'string', title: 'Duration Type', default: 'days' },
    GROUP_ID: { type: 'integer', title: 'Project', default: 0 },
    AUDITORS: { type: 'user', title: 'Auditors', multiple: true },
    ACCOMPLICES: { type: 'user', title: 'Accomplices', multiple: true },
    TAGS: { type: 'string', title: 'Tags', multiple: true },
    TASK_REQUIRE_RESULT: char('N'),
  },
};

/** Fields the wire object shows but that are kept per user, not as task columns. */
const PER_USER = new Set(['FAVORITE', 'IS_MUTED']);

export type TaskSelection = Selection & { perUser: string[] };

export interface UserFieldRow {
  ID: number;
  FIELD_NAME: string;
  USER_TYPE_ID: string;
  MULTIPLE: string;
}

export class TaskStore {
  readonly table: EntityTable;

  constructor(readonly portal: Portal) {
    this.table = new EntityTable(taskEntity, portal);
    portal.db.exec(`
      CREATE TABLE IF NOT EXISTS tasks_user_flag (TASK_ID INTEGER, USER_ID INTEGER, FLAG TEXT, PRIMARY KEY (TASK_ID, USER_ID, FLAG));
      CREATE TABLE IF NOT EXISTS tasks_history (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, USER_ID INTEGER, CREATED_DATE TEXT, FIELD TEXT, VALUE_FROM TEXT, VALUE_TO TEXT);
      CREATE TABLE IF NOT EXISTS tasks_attachment (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, FILE_ID INTEGER);
      CREATE TABLE IF NOT EXISTS tasks_dependence (FROM_ID INTEGER, TO_ID INTEGER, LINK_TYPE INTEGER, PRIMARY KEY (FROM_ID, TO_ID));
      CREATE TABLE IF NOT EXISTS tasks_checklist (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, PARENT_ID INTEGER, CREATED_BY INTEGER,
        TITLE TEXT, SORT_INDEX INTEGER, IS_COMPLETE TEXT, IS_IMPORTANT TEXT, TOGGLED_BY INTEGER, TOGGLED_DATE TEXT, MEMBERS TEXT);
      CREATE TABLE IF NOT EXISTS tasks_comment (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, AUTHOR_ID INTEGER, POST_DATE TEXT, POST_MESSAGE TEXT, FILES TEXT);
      CREATE TABLE IF NOT EXISTS tasks_result (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, COMMENT_ID INTEGER UNIQUE, CREATED_BY INTEGER,
        CREATED_AT TEXT, UPDATED_AT TEXT, STATUS INTEGER, TEXT TEXT);
      CREATE TABLE IF NOT EXISTS tasks_elapsed (ID INTEGER PRIMARY KEY AUTOINCREMENT, TASK_ID INTEGER, USER_ID INTEGER, COMMENT_TEXT TEXT,
        SECONDS INTEGER, SOURCE INTEGER, CREATED_DATE TEXT, DATE_START TEXT, DATE_STOP TEXT);
      CREATE TABLE IF NOT EXISTS tasks_stage (ID INTEGER PRIMARY KEY AUTOINCREMENT, TITLE TEXT, SORT INTEGER, COLOR TEXT, SYSTEM_TYPE TEXT,
        ENTITY_ID INTEGER, ENTITY_TYPE TEXT);
      CREATE TABLE IF NOT EXISTS tasks_userfield (ID INTEGER PRIMARY KEY AUTOINCREMENT, ENTITY_ID TEXT, FIELD_NAME TEXT UNIQUE, USER_TYPE_ID TEXT,
        XML_ID TEXT, SORT INTEGER, MULTIPLE TEXT, MANDATORY TEXT, SHOW_FILTER TEXT, SHOW_IN_LIST TEXT, EDIT_IN_LIST TEXT, IS_SEARCHABLE TEXT,
        SETTINGS TEXT, EDIT_FORM_LABEL TEXT, LIST_COLUMN_LABEL TEXT, LIST_FILTER_LABEL TEXT, ERROR_MESSAGE TEXT, HELP_MESSAGE TEXT);
    `);
    // The built-in task user fields every portal has (task.item.userfield.getlist example).
    const builtIn =
      this.db.prepare(`INSERT OR IGNORE INTO tasks_userfield (ENTITY_ID, FIELD_NAME, USER_TYPE_ID, XML_ID, SORT, MULTIPLE, MANDATORY,
      SHOW_FILTER, SHOW_IN_LIST, EDIT_IN_LIST, IS_SEARCHABLE, SETTINGS) VALUES ('TASKS_TASK', ?, ?, ?, 100, ?, 'N', 'N', ?, ?, ?, ?)`);
    builtIn.run(
      'UF_CRM_TASK',
      'crm',
      '',
      'Y',
      'N',
      'N',
      'N',
      JSON.stringify({ LEAD: 'Y', CONTACT: 'Y', COMPANY: 'Y', DEAL: 'Y' }),
    );
    builtIn.run('UF_MAIL_MESSAGE', 'mail_message', '', 'N', 'N', 'N', 'N', '[]');
    builtIn.run(
      'UF_TASK_WEBDAV_FILES',
      'disk_file',
      'TASK_WEBDAV_FILES',
      'Y',
      'Y',
      'Y',
      'Y',
      JSON.stringify({ IBLOCK_ID: 0, SECTION_ID: 0, UF_TO_SAVE_ALLOW_EDIT: '' }),
    );
  }

  get db(): Database.Database {
    return this.portal.db;
  }

  now(): string {
    return isoDateTime(this.portal.clock.now());
  }

  get(id: number): Row | undefined {
    return this.table.get(id);
  }

  userFields(): UserFieldRow[] {
    return this.db
      .prepare(`SELECT ID, FIELD_NAME, USER_TYPE_ID, MULTIPLE FROM tasks_userfield ORDER BY ID`)
      .all() as UserFieldRow[];
  }

  /** Incoming task fields (UPPER_SNAKE or camelCase) in the UPPER_SNAKE form the table keeps. */
  normalizeFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) out[upperSnake(k)] = v;
    return out;
  }

  checkFields(f: Record<string, unknown>): void {
    if ('TITLE' in f && (f['TITLE'] === null || String(f['TITLE']).trim() === ''))
      throw new RestError('ERROR_CORE', 'Task title not specified', 400);
    if ('RESPONSIBLE_ID' in f && !(Number(f['RESPONSIBLE_ID']) > 0))
      throw new RestError('ERROR_CORE', 'Responsible person not specified', 400);
    if ('STATUS' in f && !(Number(f['STATUS']) >= 1 && Number(f['STATUS']) <= 7))
      throw new RestError('ERROR_CORE', 'Incorrect status', 400);
    if (
      f['PARENT_ID'] !== undefined &&
      f['PARENT_ID'] !== null &&
      Number(f['PARENT_ID']) > 0 &&
      !this.get(Number(f['PARENT_ID']))
    ) {
      throw new RestError('ERROR_CORE', 'Task specified in the "Parent Task" field not found', 400);
    }
    const start = f['START_DATE_PLAN'];
    const end = f['END_DATE_PLAN'];
    if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) < Date.parse(start)) {
      throw new RestError('ERROR_CORE', 'The end date in scheduling is earlier than the start date', 400);
    }
  }

  insert(fields: Record<string, unknown>, auth: AuthContext): number {
    const f = this.normalizeFields(fields);
    if (!('TITLE' in f)) throw new RestError('ERROR_CORE', 'Task title not specified', 400);
    this.checkFields(f);
    const id = this.table.insert(
      f,
      auth,
      (name) => new RestError('ERROR_CORE', `Required field ${name} value not entered`, 400),
    );
    this.db.prepare(`UPDATE tasks_task SET GUID = ? WHERE ID = ?`).run(`{${randomUUID()}}`, id);
    this.history(id, auth.userId, 'NEW', null, null);
    return id;
  }

  /** Applies an update and writes one history entry per changed field, as the task log does. */
  update(id: number, row: Row, fields: Record<string, unknown>, auth: AuthContext): void {
    const f = this.normalizeFields(fields);
    this.checkFields(f);
    if (f['PARENT_ID'] !== undefined && Number(f['PARENT_ID']) === id)
      throw new RestError('ERROR_CORE', 'Cannot bind the node to itself', 400);
    this.table.update(id, row, f, auth);
    const after = this.get(id)!;
    for (const name of Object.keys(f)) {
      if (!(name in taskEntity.fields) || name === 'ID') continue;
      const from = row[name] ?? null;
      const to = after[name] ?? null;
      if (String(from) !== String(to)) this.history(id, auth.userId, name, from, to);
    }
    if ('STATUS' in f && String(row['STATUS']) !== String(after['STATUS'])) this.setStatusMeta(id, auth.userId);
  }

  private setStatusMeta(id: number, userId: number): void {
    this.db
      .prepare(`UPDATE tasks_task SET STATUS_CHANGED_BY = ?, STATUS_CHANGED_DATE = ? WHERE ID = ?`)
      .run(userId, this.now(), id);
  }

  /** Status change of an action (start, complete, ...), with its side columns and a history entry. */
  setStatus(id: number, status: number, userId: number): void {
    const row = this.get(id)!;
    const now = this.now();
    const closing = status === STATUS.COMPLETED || status === STATUS.SUPPOSEDLY_COMPLETED;
    this.db
      .prepare(`UPDATE tasks_task SET STATUS = ?, STATUS_CHANGED_BY = ?, STATUS_CHANGED_DATE = ?, CHANGED_BY = ?, CHANGED_DATE = ?, ACTIVITY_DATE = ?,
        CLOSED_BY = ?, CLOSED_DATE = ?, DATE_START = CASE WHEN ? = 3 AND DATE_START IS NULL THEN ? ELSE DATE_START END WHERE ID = ?`)
      .run(status, userId, now, userId, now, now, closing ? userId : 0, closing ? now : null, status, now, id);
    this.history(id, userId, 'STATUS', row['STATUS'], status);
  }

  setColumn(id: number, column: string, value: unknown, userId: number, historyField?: string): void {
    const row = this.get(id)!;
    const now = this.now();
    this.db
      .prepare(`UPDATE tasks_task SET "${column}" = ?, CHANGED_BY = ?, CHANGED_DATE = ? WHERE ID = ?`)
      .run(value, userId, now, id);
    if (historyField) this.history(id, userId, historyField, row[column], value);
  }

  delete(id: number): boolean {
    const ok = this.table.delete(id);
    if (ok) {
      for (const t of [
        'tasks_user_flag',
        'tasks_attachment',
        'tasks_checklist',
        'tasks_comment',
        'tasks_result',
        'tasks_elapsed',
        'tasks_history',
      ]) {
        this.db.prepare(`DELETE FROM ${t} WHERE TASK_ID = ?`).run(id);
      }
      this.db.prepare(`DELETE FROM tasks_dependence WHERE FROM_ID = ? OR TO_ID = ?`).run(id, id);
    }
    return ok;
  }

  history(taskId: number, userId: number, field: string, from: unknown, to: unknown): void {
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    this.db
      .prepare(
        `INSERT INTO tasks_history (TASK_ID, USER_ID, CREATED_DATE, FIELD, VALUE_FROM, VALUE_TO) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(taskId, userId, this.now(), field, str(from), str(to));
  }

  flag(taskId: number, userId: number, flag: 'favorite' | 'muted'): boolean {
    return !!this.db
      .prepare(`SELECT 1 FROM tasks_user_flag WHERE TASK_ID = ? AND USER_ID = ? AND FLAG = ?`)
      .get(taskId, userId, flag);
  }

  setFlag(taskId: number, userId: number, flag: 'favorite' | 'muted', on: boolean): void {
    if (on)
      this.db
        .prepare(`INSERT OR IGNORE INTO tasks_user_flag (TASK_ID, USER_ID, FLAG) VALUES (?, ?, ?)`)
        .run(taskId, userId, flag);
    else
      this.db
        .prepare(`DELETE FROM tasks_user_flag WHERE TASK_ID = ? AND USER_ID = ? AND FLAG = ?`)
        .run(taskId, userId, flag);
  }

  /** Members of a task: creator, responsible, accomplices, auditors. */
  members(row: Row): { creator: number; responsible: number; accomplices: number[]; auditors: number[] } {
    return {
      creator: Number(row['CREATED_BY']),
      responsible: Number(row['RESPONSIBLE_ID']),
      accomplices: idList(row['ACCOMPLICES']),
      auditors: idList(row['AUDITORS']),
    };
  }

  /**
   * What a user may do with a task in its current status (the `action` map). Transitions follow
   * the task life cycle: start from pending, pause from in progress, complete/defer while open,
   * approve/disapprove while awaiting control, renew once closed or deferred.
   */
  actions(row: Row, userId: number): Record<string, boolean> {
    const s = Number(row['STATUS']);
    const m = this.members(row);
    const isCreator = m.creator === userId;
    const open = s === STATUS.NEW || s === STATUS.PENDING || s === STATUS.IN_PROGRESS;
    const fav = this.flag(Number(row['ID']), userId, 'favorite');
    return {
      accept: false,
      decline: false,
      complete: open,
      approve: s === STATUS.SUPPOSEDLY_COMPLETED && isCreator,
      disapprove: s === STATUS.SUPPOSEDLY_COMPLETED && isCreator,
      start: s === STATUS.NEW || s === STATUS.PENDING,
      pause: s === STATUS.IN_PROGRESS,
      delegate: open,
      remove: true,
      edit: true,
      defer: open,
      renew:
        s === STATUS.COMPLETED || s === STATUS.DEFERRED || s === STATUS.SUPPOSEDLY_COMPLETED || s === STATUS.DECLINED,
      create: true,
      changeDeadline: true,
      checklistAddItems: true,
      addFavorite: !fav,
      deleteFavorite: fav,
      rate: true,
      take: false,
      'edit.originator': isCreator,
      'checklist.reorder': true,
      'elapsedtime.add': true,
      'dayplan.timer.toggle': false,
      'edit.plan': true,
      'checklist.add': true,
      'favorite.add': !fav,
      'favorite.delete': fav,
    };
  }

  selection(select: unknown): TaskSelection {
    const list = Array.isArray(select) ? select.map((s) => upperSnake(String(s))) : select;
    const perUser = Array.isArray(list) ? list.filter((n) => PER_USER.has(String(n))) : [];
    return { ...buildSelect(taskEntity, list), perUser };
  }

  private checklistItems(taskId: number): Row[] {
    return this.db
      .prepare(`SELECT * FROM tasks_checklist WHERE TASK_ID = ? ORDER BY PARENT_ID, SORT_INDEX, ID`)
      .all(taskId) as Row[];
  }

  /** The task as tasks.task.get shows it: camelCase, legacy typing, plus the embedded objects. */
  toWire(row: Row, userId: number, sel?: TaskSelection, method: 'get' | 'list' = 'get'): Row {
    const full = !sel;
    const selection = sel ?? buildSelect(taskEntity, ['*', 'UF_*']);
    const upper = this.table.toWire(row, selection);
    const out: Row = {};
    const id = Number(row['ID']);
    for (const [k, v] of Object.entries(upper)) {
      if (k === 'TAGS') continue;
      out[camel(k)] = v;
    }
    const wanted = (name: string) => full || !!sel?.perUser.includes(name);
    if (wanted('FAVORITE')) out['favorite'] = this.flag(id, userId, 'favorite') ? 'Y' : 'N';
    if (wanted('IS_MUTED')) out['isMuted'] = this.flag(id, userId, 'muted') ? 'Y' : 'N';
    if (full || selection.userFields) {
      // Registered user fields always show, with an empty value when never set.
      const ufs = JSON.parse(String(row['__uf'] ?? '{}')) as Row;
      for (const uf of this.userFields()) {
        const key = camel(uf.FIELD_NAME);
        if (uf.FIELD_NAME === 'UF_TASK_WEBDAV_FILES') {
          out[key] = (
            this.db.prepare(`SELECT ID FROM tasks_attachment WHERE TASK_ID = ? ORDER BY ID`).all(id) as { ID: number }[]
          ).map((r) => r.ID);
        } else {
          const v = ufs[uf.FIELD_NAME];
          out[key] = v === undefined ? (uf.MULTIPLE === 'Y' ? [] : null) : v;
        }
        delete out[uf.FIELD_NAME];
      }
      for (const k of Object.keys(out))
        if (/^UF_/.test(k)) {
          out[camel(k)] = out[k];
          delete out[k];
        }
    }
    const m = this.members(row);
    if (!full) {
      // A select still brings a few fields nobody selected. The docs' examples select ID, TITLE,
      // ... and answer also with descriptionInBbcode, group and responsible (tasks.task.get and
      // tasks.task.list), and with favorite, creator and action (tasks.task.get)
      // (https://apidocs.bitrix24.com/api-reference/tasks/tasks-task-get.html, .../tasks-task-list.html).
      out['descriptionInBbcode'] ??= this.table.toWire(row, buildSelect(taskEntity, ['DESCRIPTION_IN_BBCODE']))[
        'DESCRIPTION_IN_BBCODE'
      ];
      out['group'] = [];
      out['responsible'] = userSummary(m.responsible);
      if (method === 'get') {
        out['favorite'] ??= this.flag(id, userId, 'favorite') ? 'Y' : 'N';
        out['creator'] = userSummary(m.creator);
        out['action'] = this.actions(row, userId);
      }
      return out;
    }

    const dataOf = (ids: number[]) =>
      ids.length ? Object.fromEntries(ids.map((u) => [String(u), userSummary(u)])) : [];
    const items = this.checklistItems(id);
    const results = this.db.prepare(`SELECT STATUS FROM tasks_result WHERE TASK_ID = ?`).all(id) as {
      STATUS: number;
    }[];
    const tagList = (() => {
      try {
        return JSON.parse(String(row['TAGS'] ?? '[]')) as string[];
      } catch {
        return [];
      }
    })();
    out['checklist'] = items.length
      ? Object.fromEntries(items.map((it) => [String(it['ID']), checklistCamel(it)]))
      : [];
    out['group'] = [];
    out['creator'] = userSummary(m.creator);
    out['responsible'] = userSummary(m.responsible);
    out['accomplicesData'] = dataOf(m.accomplices);
    out['auditorsData'] = dataOf(m.auditors);
    out['newCommentsCount'] = 0;
    out['action'] = this.actions(row, userId);
    out['checkListTree'] = checklistTree(items, userId);
    out['checkListCanAdd'] = true;
    out['taskHasResult'] = results.length ? 'Y' : 'N';
    out['taskHasOpenResult'] = results.some((r) => r.STATUS === 0) ? 'Y' : 'N';
    out['timerIsRunningForCurrentUser'] = 'N';
    out['parsedDescription'] = row['DESCRIPTION'] ?? '';
    out['lengthDeadline'] = null;
    out['timeElapsed'] = null;
    out['subStatus'] = String(row['STATUS']);
    out['counter'] = {
      counters: {
        expired: 0,
        newComments: 0,
        projectExpired: 0,
        projectNewComments: 0,
        mutedExpired: 0,
        mutedNewComments: 0,
      },
      color: 'gray',
      value: 0,
    };
    out['tags'] = Object.fromEntries(tagList.map((t, i) => [String(i + 1), { id: i + 1, title: String(t) }]));
    return out;
  }

  /** Recomputes a task's COMMENTS_COUNT and TIME_SPENT_IN_LOGS after a comment or time record changes. */
  refreshCounters(taskId: number): void {
    this.db
      .prepare(`UPDATE tasks_task SET
        COMMENTS_COUNT = (SELECT NULLIF(COUNT(*), 0) FROM tasks_comment WHERE TASK_ID = @id),
        TIME_SPENT_IN_LOGS = (SELECT SUM(SECONDS) FROM tasks_elapsed WHERE TASK_ID = @id) WHERE ID = @id`)
      .run({ id: taskId });
  }
}

/** One checklist item as the task object embeds it (camelCase, legacy typing). */
export function checklistCamel(it: Row): Row {
  return {
    id: String(it['ID']),
    taskId: String(it['TASK_ID']),
    createdBy: String(it['CREATED_BY']),
    parentId: Number(it['PARENT_ID']) || 0,
    title: it['TITLE'],
    sortIndex: String(it['SORT_INDEX']),
    isComplete: it['IS_COMPLETE'],
    isImportant: it['IS_IMPORTANT'],
    toggledBy: it['TOGGLED_BY'] === null ? null : String(it['TOGGLED_BY']),
    toggledDate: it['TOGGLED_DATE'],
    ufChecklistFiles: false,
    members: [],
    attachments: [],
    entityId: String(it['TASK_ID']),
    action: { modify: true, remove: true, toggle: true, add: true, addAccomplice: true },
  };
}

function checklistTree(items: Row[], userId: number): Row {
  const node = (it: Row | undefined, nodeId: number): Row => {
    const id = it ? Number(it['ID']) : 0;
    const children = items.filter((c) => (Number(c['PARENT_ID']) || 0) === id);
    return {
      nodeId,
      fields: {
        id: it ? id : null,
        copiedId: null,
        entityId: it ? Number(it['TASK_ID']) : null,
        userId,
        createdBy: it ? Number(it['CREATED_BY']) : null,
        parentId: it ? Number(it['PARENT_ID']) || 0 : null,
        title: it ? it['TITLE'] : '',
        sortIndex: it ? Number(it['SORT_INDEX']) : null,
        displaySortIndex: '',
        isComplete: it ? it['IS_COMPLETE'] === 'Y' : false,
        isImportant: it ? it['IS_IMPORTANT'] === 'Y' : false,
        completedCount: children.filter((c) => c['IS_COMPLETE'] === 'Y').length,
        members: [],
        attachments: [],
        nodeId: null,
      },
      action: it ? { modify: true, remove: true, toggle: true, add: true, addAccomplice: true } : [],
      descendants: children.map((c) => node(c, Number(c['ID']))),
    };
  };
  return node(undefined, 0);
}
