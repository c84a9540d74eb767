/**
 * Tasks (scope `task`): tasks.task.* with status actions, checklists, comments and results,
 * elapsed time, Kanban stages, custom task fields, dependencies and the day plan; and
 * tasks.task.add/get/update/delete/list on REST 3.0 over the same rows.
 */
import { registerChecklistMethods } from './tasks/checklist.js';
import { registerCommentMethods } from './tasks/comments.js';
import { registerElapsedMethods } from './tasks/elapsed.js';
import { registerStageMethods } from './tasks/stages.js';
import { TaskStore } from './tasks/store.js';
import { registerTaskMethods } from './tasks/task.js';
import { registerUserFieldMethods } from './tasks/userfields.js';
import { registerTaskV3Methods } from './tasks/v3.js';
import type { Domain } from './types.js';

export const tasksDomain: Domain = (api) => {
  const store = new TaskStore(api.portal);
  registerTaskMethods(api, store);
  registerChecklistMethods(api, store);
  registerCommentMethods(api, store);
  registerElapsedMethods(api, store);
  registerStageMethods(api, store);
  registerUserFieldMethods(api);
  registerTaskV3Methods(api, store);
};
