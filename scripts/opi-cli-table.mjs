#!/usr/bin/env node
// @ts-check
// Writes packages/cli/src/opi/functions.ts, the table behind `b24 opi FUNCTION --flag value`:
// every function of the OPI Bitrix24 library (docs/opi-functions.tsv: region, function, REST method,
// params `Name:Type:Default:cliflag`, kind) with the REST param each OPI param becomes.
// The list is project data (docs/opi-functions.tsv, imported by scripts/opi-functions.mjs).
//
//   node scripts/opi-cli-table.mjs           rewrite the file
//   node scripts/opi-cli-table.mjs --check   exit 1 when it is stale
//
// MAPPING below is the hand-written part: for each function, OPI param name -> REST target.
// A target is `path` or `path:how`; `path` is dotted for nested params (`FIELDS.TITLE`);
// `how` says how the flag's text becomes the value (default: from the OPI type):
//   number   numeric text -> number (ids), other text kept as a string
//   string   as given          bool   true/false -> boolean     yn   -> "Y"/"N"
//   yn-not   inverted Y/N (Fire=true -> ACTIVE=N)                object  JSON object
//   spread   JSON object whose keys become top-level params      list    comma list or JSON array
//   blocks   JSON array of attachment blocks (one object is wrapped)
//   dialog   a chat id as DIALOG_ID (`chat` + id when numeric)
//   base64   path of a file -> its base64 content               file    path -> [name, base64]
//   files    JSON map name -> path (or base64) -> [[name, base64], ...]
//   ignore   accepted for compatibility, not sent (the REST method has no such param)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { opiFunctionsFile } from './opi-functions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const tsvPath = opiFunctionsFile;
const outFile = join(root, 'packages/cli/src/opi/functions.ts');

const task = { TaskID: 'taskId' };
const checklist = { TaskID: 'TASKID', ElementID: 'ITEMID' };
const comment = { TaskID: 'TASKID', CommentID: 'ITEMID' };
const elapsed = { TaskID: 'TASKID', RecordID: 'ITEMID' };
const chat = { ChatID: 'CHAT_ID' };
const dialog = { ChatID: 'DIALOG_ID:dialog' };
const userId = { UserID: 'USER_ID' };

/**
 * function -> { params: OPI name -> target, fixed?: params always sent, post?: local step, note? }
 * @type {Record<string, { params?: Record<string, string>, fixed?: Record<string, unknown>, post?: string, note?: string }>}
 */
const MAPPING = {
  ServerTime: {},
  CreatePost: {
    params: {
      Text: 'POST_MESSAGE',
      Visibility: 'DEST:list',
      Files: 'FILES:files',
      Title: 'POST_TITLE',
      Important: 'IMPORTANT:yn',
    },
  },
  UpdatePost: {
    params: {
      PostID: 'POST_ID',
      Text: 'POST_MESSAGE',
      Visibility: 'DEST:list',
      Files: 'FILES:files',
      Title: 'POST_TITLE',
    },
  },
  DeletePost: { params: { PostID: 'POST_ID' } },
  GetImportantPostViewers: { params: { PostID: 'POST_ID' } },
  GetPosts: { params: { PostID: 'POST_ID', Filter: 'LOG_RIGHTS:list' } },
  AddPostComment: { params: { PostID: 'POST_ID', Text: 'TEXT' } },
  AddPostRecipients: { params: { PostID: 'POST_ID', Visibility: 'DEST:list' } },

  GetTask: { params: task },
  GetTasksList: { params: { Filter: 'filter', Indent: 'start', Fields: 'select:list' } },
  CreateTask: { params: { FieldsStructure: 'fields' } },
  UpdateTask: { params: { ...task, FieldsStructure: 'fields' } },
  DeleteTask: { params: task },
  AttachFileToTopic: { params: { ...task, FileID: 'fileId' } },
  ApproveTask: { params: task },
  DisapproveTask: { params: task },
  CompleteTask: { params: task },
  RenewTask: { params: task },
  DeferTask: { params: task },
  PauseTask: { params: task },
  StartTask: { params: task },
  StartWatchingTask: { params: task },
  StopWatchingTask: { params: task },
  DelegateTask: { params: { ...task, UserID: 'userId' } },
  AddTaskToFavorites: { params: task },
  RemoveTaskFromFavorites: { params: task },
  GetTaskHistory: { params: task },
  CheckTaskAccesses: { params: { ...task, Users: 'users:list' } },
  MuteTask: { params: { TaskID: 'id' } },
  UnmuteTask: { params: { TaskID: 'id' } },
  CreateTasksDependencies: { params: { FromID: 'taskIdFrom', DestinationID: 'taskIdTo', LinkType: 'linkType' } },
  DeleteTasksDependencies: {
    params: { FromID: 'taskIdFrom', DestinationID: 'taskIdTo', LinkType: 'linkType:ignore' },
    note: 'task.dependence.delete takes no link type; --linktype is accepted and not sent',
  },
  GetDailyPlan: {},
  GetTaskFieldsStructure: {},
  GetCustomTaskFieldsList: {},
  AddCustomTaskField: {
    params: {
      Type: 'PARAMS.USER_TYPE_ID',
      Name: 'PARAMS.FIELD_NAME',
      ExternalID: 'PARAMS.XML_ID',
      Title: 'PARAMS.LABEL',
      Signature: 'PARAMS.EDIT_FORM_LABEL',
    },
  },
  UpdateCustomTaskField: {
    params: { FieldID: 'ID', ExternalID: 'DATA.XML_ID', Title: 'DATA.LABEL', Signature: 'DATA.EDIT_FORM_LABEL' },
  },
  GetCustomTaskField: { params: { FieldID: 'ID' } },
  DeleteCustomTaskField: { params: { FieldID: 'ID' } },
  AddTasksChecklistElement: { params: { TaskID: 'TASKID', Text: 'FIELDS.TITLE', Completed: 'FIELDS.IS_COMPLETE:yn' } },
  UpdateTasksChecklistElement: { params: { ...checklist, Text: 'FIELDS.TITLE' } },
  DeleteTasksChecklistElement: { params: checklist },
  GetTasksChecklist: { params: { TaskID: 'TASKID' } },
  GetTasksChecklistElement: { params: checklist },
  CompleteTasksChecklistElement: { params: checklist },
  RenewTasksChecklistElement: { params: checklist },
  GetTaskCommentsList: { params: { TaskID: 'TASKID' } },
  GetTaskComment: { params: comment },
  AddTaskComment: { params: { TaskID: 'TASKID', Text: 'FIELDS.POST_MESSAGE' } },
  UpdateTaskComment: { params: { ...comment, Text: 'FIELDS.POST_MESSAGE' } },
  DeleteTaskComment: { params: comment },
  GetResultsList: { params: task },
  CreateResultFromComment: { params: { CommentID: 'commentId' } },
  DeleteResultFromComment: { params: { CommentID: 'commentId' } },
  AddKanbanStage: {
    params: {
      Name: 'fields.TITLE',
      Color: 'fields.COLOR',
      PrevStageID: 'fields.AFTER_ID',
      EntityID: 'fields.ENTITY_ID',
      AsAdmin: 'isAdmin',
    },
  },
  UpdateKanbansStage: {
    params: {
      Name: 'fields.TITLE',
      StageID: 'id',
      Color: 'fields.COLOR',
      PrevStageID: 'fields.AFTER_ID',
      AsAdmin: 'isAdmin',
    },
  },
  DeleteKanbanStage: { params: { StageID: 'id', AsAdmin: 'isAdmin' } },
  GetKanbanStages: { params: { EntityID: 'entityId', AsAdmin: 'isAdmin' } },
  MoveTaskToKanbanStage: { params: { TaskID: 'id', StageID: 'stageId', Prev: 'before', After: 'after' } },
  AddTaskTimeAccounting: {
    params: {
      TaskID: 'TASKID',
      Time: 'ARFIELDS.SECONDS',
      UserID: 'ARFIELDS.USER_ID',
      Text: 'ARFIELDS.COMMENT_TEXT',
      SetupDate: 'ARFIELDS.CREATED_DATE',
    },
  },
  DeleteTaskTimeAccounting: { params: elapsed },
  GetTaskTimeAccountingList: { params: { TaskID: 'TASKID' } },
  GetTaskTimeAccounting: { params: elapsed },
  UpdateTaskTimeAccounting: {
    params: { ...elapsed, Time: 'ARFIELDS.SECONDS', Text: 'ARFIELDS.COMMENT_TEXT', SetupDate: 'ARFIELDS.CREATED_DATE' },
  },

  StartTimekeeping: { params: { UserID: 'USER_ID', Time: 'TIME', Report: 'REPORT' } },
  StopTimekeeping: { params: { UserID: 'USER_ID', Time: 'TIME', Report: 'REPORT' } },
  PauseTimekeeping: { params: { UserID: 'USER_ID' } },
  GetTimekeepingStatus: { params: { UserID: 'USER_ID' } },
  GetTimekeepingSettings: { params: { UserID: 'USER_ID' } },

  GetStoragesList: {},
  GetAppStorage: {},
  GetStorage: { params: { StorageID: 'id' } },
  RenameStorage: { params: { StorageID: 'id', Name: 'newName' } },
  GetStorageObjects: { params: { StorageID: 'id' } },
  CreateStorageFolder: { params: { StorageID: 'id', Name: 'data.NAME' } },
  GetFolderInformation: { params: { FolderID: 'id' } },
  CreateSubfolder: { params: { FolderID: 'id', Name: 'data.NAME' } },
  MakeFolderCopy: { params: { FolderID: 'id', DestinationID: 'targetFolderId' } },
  MoveFolder: { params: { FolderID: 'id', DestinationID: 'targetFolderId' } },
  DeleteFolder: { params: { FolderID: 'id' } },
  GetFolderExternalLink: { params: { FolderID: 'id' } },
  GetFolderItems: { params: { FolderID: 'id', Filter: 'filter' } },
  MarkFolderAsDeleted: { params: { FolderID: 'id' } },
  RestoreFolder: { params: { FolderID: 'id' } },
  RenameFolder: { params: { FolderID: 'id', Name: 'newName' } },
  GetFolderFilterStructure: { params: { Clear: 'clear:local' }, post: 'filter-fields' },
  UploadFileToStorage: {
    params: { Name: 'data.NAME', File: 'fileContent:file', StorageID: 'id', Rights: 'rights:list' },
  },
  UploadFileToFolder: {
    params: { Name: 'data.NAME', File: 'fileContent:file', FolderID: 'id' },
    note: 'sends the file inline (fileContent) in one call instead of the two-step upload URL',
  },
  GetFileInformation: { params: { FileID: 'id' } },
  DeleteFile: { params: { FileID: 'id' } },
  GetFileExternalLink: { params: { FileID: 'id' } },
  MarkFileAsDeleted: { params: { FileID: 'id' } },
  RestoreFile: { params: { FileID: 'id' } },
  MakeFileCopy: { params: { FileID: 'id', FolderID: 'targetFolderId' } },
  MoveFileToFolder: { params: { FileID: 'id', FolderID: 'targetFolderId' } },
  RenameFile: { params: { FileID: 'id', Name: 'newName' } },

  CreateChat: { params: { ChatStructure: 'fields:spread' } },
  GetChatUsers: { params: chat },
  LeaveChat: { params: chat },
  GetUsers: { params: { UserIDs: 'ID:list' } },
  AddUsersToChat: { params: { ...chat, UserIDs: 'USERS:list', HideHistory: 'HIDE_HISTORY:yn' } },
  DeleteUserFromChat: { params: { ...chat, ...userId } },
  ChangeChatTitle: { params: { ...chat, Title: 'TITLE' } },
  ChangeChatColor: {
    params: { ...chat, Color: 'COLOR' },
    note: 'calls im.chat.updateColor (OPI documents another method)',
  },
  ChangeChatPicture: { params: { ...chat, Image: 'AVATAR:base64' } },
  ChangeChatOwner: { params: { ...chat, ...userId } },
  DisableChatNotifications: { params: chat, fixed: { MUTE: 'Y' } },
  EnableChatNotifications: { params: chat, fixed: { MUTE: 'N' } },
  GetChatMessagesList: { params: { ...dialog, LastID: 'LAST_ID', FirstID: 'FIRST_ID' } },
  GetDialog: { params: dialog },
  GetChatMembersList: { params: dialog },
  SendWritingNotification: { params: dialog },
  GetUserStatus: {},
  SetUserStatus: { params: { Status: 'STATUS:string' } },
  ReadAll: {},
  GetChatFilesFolder: { params: chat },
  SendMessage: { params: { ...dialog, Text: 'MESSAGE', Attachments: 'ATTACH:blocks' } },
  EditMessage: { params: { MessageID: 'MESSAGE_ID', Text: 'MESSAGE', Attachments: 'ATTACH:blocks' } },
  SetMessageReaction: { params: { MessageID: 'MESSAGE_ID' } },
  DeleteMessage: { params: { MessageID: 'MESSAGE_ID' } },
  SendFile: { params: { ...chat, FileID: 'FILE_ID', Description: 'MESSAGE' } },
  MarkMessageAsReaded: { params: { ...dialog, MessageID: 'MESSAGE_ID' } },
  MarkMessageAsUnreaded: { params: { ...dialog, MessageID: 'MESSAGE_ID' } },
  CreatePersonalNotification: { params: { ...userId, Text: 'MESSAGE', Tag: 'TAG', Attachments: 'ATTACH:blocks' } },
  CreateSystemNotification: { params: { ...userId, Text: 'MESSAGE', Tag: 'TAG', Attachments: 'ATTACH:blocks' } },
  DeleteNotification: { params: { NotificationID: 'ID' } },

  CreateDepartment: { params: { Name: 'NAME', ParentID: 'PARENT', HeadID: 'UF_HEAD' } },
  UpdateDepartment: { params: { DepartmentID: 'ID', Name: 'NAME', ParentID: 'PARENT', HeadID: 'UF_HEAD' } },
  GetDepartments: { params: { DepartmentID: 'ID', Name: 'NAME', ParentID: 'PARENT', HeadID: 'UF_HEAD' } },
  DeleteDepartment: { params: { DepartmentID: 'ID' } },

  GetCurrentUser: {},
  GetUser: { params: { UserID: 'FILTER.ID' } },
  CreateUser: { params: { FieldsStructure: 'fields:spread' } },
  UpdateUser: { params: { UserID: 'ID', FieldsStructure: 'fields:spread' } },
  ChangeUserStatus: { params: { UserID: 'ID', Fire: 'ACTIVE:yn-not' } },
  FindUsers: { params: { FilterStructure: 'FILTER:object' }, note: 'calls user.search (OPI documents another method)' },
  GetUserFieldsStructure: {},

  CreateLead: { params: { FieldsStructure: 'fields' } },
  DeleteLead: { params: { LeadID: 'id' } },
  GetLead: { params: { LeadID: 'id' } },
  GetLeadsList: { params: { Filter: 'filter', Indent: 'start' } },
  UpdateLead: { params: { LeadID: 'id', FieldsStructure: 'fields' } },
  GetLeadStructure: {},
  CreateDeal: { params: { FieldsStructure: 'fields' } },
  DeleteDeal: { params: { DealID: 'id' } },
  GetDeal: { params: { DealID: 'id' } },
  GetDealsList: { params: { Filter: 'filter', Indent: 'start' } },
  UpdateDeal: { params: { DealID: 'id', FieldsStructure: 'fields' } },
  GetDealStructure: {},

  GetCalendarList: { params: { OwnerID: 'ownerId', Type: 'type' } },
  CreateCalendar: { params: { FieldsStructure: 'fields:spread' } },
  UpdateCalendar: { params: { CalendarID: 'id:string', FieldsStructure: 'fields:spread' } },
  DeleteCalendar: { params: { CalendarID: 'id', OwnerID: 'ownerId', Type: 'type' } },
  GetUserBusy: { params: { Users: 'users:list', StartDate: 'from', EndDate: 'to' } },
  GetCustomCalendarSettings: {},
  SetCustomCalendarSettings: { params: { SettingsStructure: 'settings' } },
  GetCalendarSettingsStructure: {},
  CreateCalendarEvent: { params: { EventDescription: 'fields:spread' } },
  UpdateCalendarEvent: { params: { EventID: 'id', EventDescription: 'fields:spread' } },
  GetCalendarEvent: { params: { EventID: 'id' } },
  GetCalendarEvents: { params: { OwnerID: 'ownerId', Type: 'type', Filter: 'filter:spread' } },
  DeleteCalendarEvent: { params: { EventID: 'id' } },
  GetUserParticipationStatus: { params: { EventID: 'eventId' } },
  SetUserParticipationStatus: { params: { EventID: 'eventId', Status: 'status' } },
};

/**
 * Local helpers: which schema structure each one prints (a type's fields or a method's params).
 * @type {Record<string, { type?: string, method?: string, block?: string, filter?: boolean, upper?: boolean }>}
 */
const STRUCTURES = {
  // tasks.task.list reads filter keys in UPPER_SNAKE case (RESPONSIBLE_ID) while rows come back camelCase.
  GetTasksFilterStructure: { type: 'tasks/Task', filter: true, upper: true },
  GetCommentStructure: { type: 'tasks/CommentItem' },
  GetChatStructure: { method: 'im.chat.add' },
  GetPictureBlock: { block: 'IMAGE' },
  GetFileBlock: { block: 'FILE' },
  GetUserFilterStructure: { type: 'user/User', filter: true },
  GetLeadFilterStructure: { type: 'crm/Lead', filter: true },
  GetDealsFilterStructure: { type: 'crm/Deal', filter: true },
  GetCalednarCustomSettingsStructure: { type: 'calendar/CalendarUserSettings' },
  GetCalendarStructure: { method: 'calendar.section.add' },
  GetCalendarEventsStructure: { method: 'calendar.event.add' },
  GetCalendarEventsFilterStructure: { method: 'calendar.event.get', filter: true },
};

/**
 * The auth functions and what they call in @b24kit/auth.
 * @type {Record<string, { call: string, params: Record<string, string> }>}
 */
const AUTH = {
  GetAppAuthLink: { call: 'authorizeUrl', params: { Domain: 'portal', ClientID: 'clientId' } },
  GetToken: { call: 'exchangeCode', params: { ClientID: 'clientId', ClientSecret: 'clientSecret', Code: 'code' } },
  RefreshToken: {
    call: 'refreshTokens',
    params: { ClientID: 'clientId', ClientSecret: 'clientSecret', Refresh: 'refreshToken' },
  },
};

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`opi-cli-table: ${message}`);
  process.exit(1);
}

/**
 * `Name:Type:Default:cliflag`; the default is empty for a required param, `''` for an optional one.
 * @param {string} text
 * @param {string} fn
 */
function parseParam(text, fn) {
  const parts = text.split(':');
  if (parts.length < 4) fail(`${fn}: cannot read param "${text}"`);
  const name = /** @type {string} */ (parts[0]);
  const flag = /** @type {string} */ (parts[parts.length - 1]);
  const type = /** @type {string} */ (parts[1]);
  const rawDefault = parts.slice(2, -1).join(':');
  const required = rawDefault === '';
  let def;
  if (!required && rawDefault !== "''") {
    const unquoted = rawDefault.replace(/^'(.*)'$/, '$1');
    def = /^(true|false)$/i.test(unquoted)
      ? unquoted.toLowerCase() === 'true'
      : /^-?\d+$/.test(unquoted)
        ? Number(unquoted)
        : unquoted;
  }
  return { name, type, flag, required, ...(def === undefined ? {} : { default: def }) };
}

/** @param {string} type */
function defaultHow(type) {
  const t = type.toLowerCase();
  if (t.startsWith('boolean')) return 'bool';
  if (t.startsWith('structure') || t.startsWith('map')) return 'object';
  if (t.startsWith('array of structure')) return 'blocks';
  if (t.startsWith('array') || t.includes('array of')) return 'list';
  if (t.includes('binarydata')) return 'file';
  if (t.includes('number')) return 'number';
  return 'string';
}

const HOWS = new Set([
  'number',
  'string',
  'bool',
  'yn',
  'yn-not',
  'object',
  'spread',
  'list',
  'blocks',
  'dialog',
  'base64',
  'file',
  'files',
  'ignore',
  'local',
]);

// Field lists for the local helpers come from the schema, the project's one API source.
const schemaCache = new Map();
/**
 * @param {string} domain
 * @returns {any[]}
 */
function loadDomain(domain) {
  if (schemaCache.has(domain)) return schemaCache.get(domain);
  const dir = join(root, 'schema', domain);
  const docs = [];
  for (const name of readdirSync(dir).sort())
    if (name.endsWith('.yaml')) docs.push(parse(readFileSync(join(dir, name), 'utf8')));
  schemaCache.set(domain, docs);
  return docs;
}
/**
 * @param {{ type?: string, method?: string }} spec
 * @returns {Array<[string, string]>}
 */
function fieldsOf(spec) {
  if (spec.type) {
    const [domain, typeName] = /** @type {[string, string]} */ (spec.type.split('/'));
    for (const doc of loadDomain(domain)) {
      const type = doc?.types?.[typeName];
      if (type) return Object.entries(type.fields ?? {}).map(([n, f]) => [n, String(f?.type ?? 'any')]);
    }
    fail(`no type ${spec.type} in schema/`);
  }
  const domain = /** @type {string} */ (/** @type {string} */ (spec.method).split('.')[0]);
  for (const doc of loadDomain(domain)) {
    const method = doc?.methods?.[/** @type {string} */ (spec.method)];
    if (method)
      return Object.entries(method.params ?? {}).map(([n, p]) => [
        n,
        String(p?.type ?? (p?.fields ? 'object' : 'any')),
      ]);
  }
  fail(`no method ${spec.method} in schema/`);
}

const rows = readFileSync(tsvPath, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => /** @type {[string, string, string, string, string]} */ (line.split('\t')));
if (rows.length !== 179) fail(`expected 179 functions in ${tsvPath}, found ${rows.length}`);
const used = new Set();
const functions = rows.map(([region, name, rest, paramText, kind]) => {
  const params = paramText
    .split(';')
    .filter(Boolean)
    .map((p) => parseParam(p, name));
  const base = { name, region, kind, rest };
  if (kind === 'auth') {
    const auth = AUTH[name] ?? fail(`${name}: no AUTH entry`);
    used.add(name);
    return {
      ...base,
      auth: auth.call,
      flags: params.map((p) => ({ ...p, to: auth.params[p.name] ?? fail(`${name}: no target for ${p.name}`) })),
    };
  }
  if (kind === 'local-helper') {
    const structure = STRUCTURES[name] ?? fail(`${name}: no STRUCTURES entry`);
    used.add(name);
    const fields = structure.block
      ? []
      : fieldsOf(structure).map(([n, t]) => [
          structure.upper ? n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() : n,
          t,
        ]);
    const data = structure.block ? { block: structure.block } : { filter: Boolean(structure.filter), fields };
    return {
      ...base,
      structure: data,
      flags: params.map((p) => ({
        ...p,
        to:
          p.name === 'Clear'
            ? 'clear'
            : p.name === 'AsMap'
              ? 'asMap'
              : p.name === 'Name'
                ? 'NAME'
                : p.name === 'URL'
                  ? 'LINK'
                  : fail(`${name}: no target for ${p.name}`),
      })),
    };
  }
  const mapping = MAPPING[name] ?? fail(`${name}: no MAPPING entry`);
  used.add(name);
  const method = rest.split(' ')[0];
  const flags = params.map((p) => {
    if (p.name === 'URL') return { ...p, to: 'url', how: 'url' };
    if (p.name === 'Token') return { ...p, to: 'token', how: 'token' };
    const target = mapping.params?.[p.name] ?? fail(`${name}: no target for ${p.name}`);
    const [to, how = defaultHow(p.type)] = target.split(':');
    if (!HOWS.has(how)) fail(`${name}: unknown how "${how}" for ${p.name}`);
    return { ...p, to, how };
  });
  for (const key of Object.keys(mapping.params ?? {})) {
    if (!params.some((p) => p.name === key)) fail(`${name}: MAPPING names ${key}, which the TSV does not list`);
  }
  return {
    ...base,
    method,
    flags,
    ...(mapping.fixed ? { fixed: mapping.fixed } : {}),
    ...(mapping.post ? { post: mapping.post } : {}),
    ...(mapping.note ? { note: mapping.note } : {}),
  };
});
for (const key of [...Object.keys(MAPPING), ...Object.keys(STRUCTURES), ...Object.keys(AUTH)]) {
  if (!used.has(key)) fail(`${key} is mapped but not in the TSV`);
}

const text = [
  '// Generated by scripts/opi-cli-table.mjs from docs/opi-functions.tsv and schema/. DO NOT EDIT.',
  "import type { OpiFunction } from './types.js';",
  '',
  '/** The 179 functions of the OPI Bitrix24 library, in the order of the parity list. */',
  'export const opiFunctions: readonly OpiFunction[] = [',
  ...functions.map((f) => `  ${JSON.stringify(f)},`),
  '];',
  '',
].join('\n');

if (args.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outFile, 'utf8');
  } catch {}
  if (current !== text) fail('packages/cli/src/opi/functions.ts is stale: run node scripts/opi-cli-table.mjs');
} else {
  writeFileSync(outFile, text);
  console.log(`${functions.length} functions -> ${outFile}`);
}
