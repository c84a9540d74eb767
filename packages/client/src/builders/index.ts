/** Typed structures and helpers for method parameters (the OPI local helpers). */
export {
  defineStructure,
  splitFilterKey,
  FILTER_OPERATORS,
  type FilterKey,
  type FilterOperator,
  type Structure,
  type StructureSpec,
  type TemplateOptions,
} from './structure.js';
export {
  dealFilter,
  leadFilter,
  dealFilterStructure,
  leadFilterStructure,
  type DealFilter,
  type LeadFilter,
  type DealField,
  type LeadField,
  type FilterValue,
} from './crm.js';
export {
  taskFilter,
  taskFields,
  taskComment,
  taskFilterStructure,
  taskFieldsStructure,
  taskCommentStructure,
  type TaskFilter,
  type TaskFields,
  type TaskComment,
  type TaskFilterField,
  type TaskFieldName,
} from './tasks.js';
export {
  chat,
  chatStructure,
  pictureBlock,
  fileBlock,
  CHAT_COLORS,
  type ChatColor,
  type ChatStructure,
  type PictureBlock,
  type FileBlock,
  type AttachBlock,
} from './im.js';
export { userFilter, userFilterStructure, type UserFilter, type UserFilterField } from './user.js';
export {
  calendarSection,
  calendarEvent,
  calendarEventQuery,
  calendarSettings,
  calendarSectionStructure,
  calendarEventStructure,
  calendarEventQueryStructure,
  calendarSettingsStructure,
  type CalendarSection,
  type CalendarEvent,
  type CalendarEventQuery,
  type CalendarSettings,
} from './calendar.js';
export { fileInput, fileBase64, type FileSource } from './file-input.js';
