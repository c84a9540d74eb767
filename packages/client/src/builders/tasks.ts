/**
 * Task structures: the filter of tasks.task.list (OPI GetTasksFilterStructure), the `fields`
 * of tasks.task.add/update, and a task comment (OPI GetCommentStructure, task.commentitem.add).
 */
import type { TaskCommentitemAddParams } from '../generated/tasks/types.js';
import type { FilterValue } from './crm.js';
import type { CheckedFilter } from '../method.js';
import { defineStructure, type FilterKey } from './structure.js';

const taskFilterFields = {
  ID: 'Task identifier',
  PARENT_ID: 'Parent task identifier',
  GROUP_ID: 'Workgroup identifier',
  CREATED_BY: 'Creator',
  STATUS_CHANGED_BY: 'User who last changed the status',
  PRIORITY: 'Priority: 0 low, 1 medium, 2 high',
  FORUM_TOPIC_ID: 'Forum topic identifier',
  RESPONSIBLE_ID: 'Responsible person',
  TITLE: 'Title (pattern search with % and _)',
  TAG: 'Tag',
  REAL_STATUS: 'Status: 2 pending, 3 in progress, 4 awaiting control, 5 completed, 6 deferred',
  STATUS: 'Status for sorting, plus -3 almost overdue, -2 not viewed, -1 overdue',
  MARK: 'Rating: N or P',
  SITE_ID: 'Site identifier',
  ADD_IN_REPORT: 'In the report: Y or N',
  DATE_START: 'Start date',
  DEADLINE: 'Deadline',
  CREATED_DATE: 'Creation date',
  CLOSED_DATE: 'Completion date',
  CHANGED_DATE: 'Last modification date',
  ACCOMPLICE: 'Participant identifier',
  AUDITOR: 'Observer identifier',
  DEPENDS_ON: 'Previous task identifier',
  ONLY_ROOT_TASKS: 'Only root tasks: Y or N',
  STAGE_ID: 'Stage',
  SPRINT_ID: 'Sprint identifier',
  BACKLOG_ID: 'Backlog identifier',
  UF_CRM_TASK: 'CRM bindings',
} as const;

const taskFieldFields = {
  TITLE: 'Title (required)',
  DESCRIPTION: 'Description',
  RESPONSIBLE_ID: 'Responsible person (required)',
  CREATED_BY: 'Creator',
  DEADLINE: 'Deadline, ISO 8601',
  START_DATE_PLAN: 'Planned start, ISO 8601',
  END_DATE_PLAN: 'Planned end, ISO 8601',
  PRIORITY: 'Priority: 0 low, 1 medium, 2 high',
  ACCOMPLICES: 'Participant ids',
  AUDITORS: 'Observer ids',
  TAGS: 'Tags',
  ALLOW_CHANGE_DEADLINE: 'Responsible may change the deadline: Y or N',
  TASK_CONTROL: 'Check the result on completion: Y or N',
  MATCH_WORK_TIME: 'Skip weekends and holidays: Y or N',
  ALLOW_TIME_TRACKING: 'Time tracking: Y or N',
  TIME_ESTIMATE: 'Estimated time, seconds',
  PARENT_ID: 'Parent task',
  DEPENDS_ON: 'Previous task ids',
  GROUP_ID: 'Workgroup',
  STAGE_ID: 'Stage',
  MARK: 'Rating: N or P',
  ADD_IN_REPORT: 'In the report: Y or N',
  UF_CRM_TASK: 'CRM bindings, e.g. D_1 for deal 1',
  SE_PARAMETER: 'Extra parameters: [{CODE, VALUE}]',
} as const;

const commentFields = {
  POST_MESSAGE: 'Comment text (required)',
  AUTHOR_ID: 'Author',
  POST_DATE: 'Date, ISO 8601',
  UF_FORUM_MESSAGE_DOC: 'Attached Drive files, e.g. ["n123"]',
} as const;

export type TaskFilterField = keyof typeof taskFilterFields;
export type TaskFilter = {
  [K in FilterKey<TaskFilterField> | FilterKey<`UF_${string}`> | '::SUBFILTER-PARAMS']?:
    | FilterValue
    | Record<string, unknown>;
};
export type TaskFieldName = keyof typeof taskFieldFields;
export type TaskFields = { [K in TaskFieldName | `UF_${string}`]?: unknown };
export type TaskComment = Partial<TaskCommentitemAddParams['FIELDS']>;

const taskFilterBase = defineStructure<TaskFilterField, TaskFilter>({
  name: 'task filter',
  fields: taskFilterFields,
  filter: true,
  userFields: true,
});
export const taskFilterStructure = {
  ...taskFilterBase,
  // The favourites sub-filter (`::SUBFILTER-PARAMS`) is a documented key of its own.
  build: (values: TaskFilter): TaskFilter => {
    const { '::SUBFILTER-PARAMS': sub, ...rest } = values;
    const built = taskFilterBase.build(rest);
    return sub === undefined ? built : { ...built, '::SUBFILTER-PARAMS': sub };
  },
};
export const taskFieldsStructure = defineStructure<TaskFieldName, TaskFields>({
  name: 'task fields',
  fields: taskFieldFields,
  userFields: true,
});
export const taskCommentStructure = defineStructure<keyof typeof commentFields, TaskComment>({
  name: 'task comment',
  fields: commentFields,
});

/** A checked filter for tasks.task.list: `taskFilter({ RESPONSIBLE_ID: 1, '!REAL_STATUS': 5 })`. */
export const taskFilter = (values: TaskFilter): TaskFilter & CheckedFilter =>
  taskFilterStructure.build(values) as TaskFilter & CheckedFilter;
/** Checked `fields` for tasks.task.add / tasks.task.update. */
export const taskFields = (values: TaskFields): TaskFields => taskFieldsStructure.build(values);
/** Checked `FIELDS` for task.commentitem.add / update. */
export const taskComment = (values: TaskComment): TaskComment => taskCommentStructure.build(values);
