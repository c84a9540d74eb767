// Hand-written knowledge the docs catalog does not carry (or carries wrongly): list shapes,
// idempotency, app-only methods, positional methods, result type names, and the holes in the
// documented parameter tables. slice.mjs applies these on top of the catalog facts.

/** Methods outside the OPI parity list that the schema must also describe. */
export const extraMethods = ['server.time', 'profile', 'scope', 'methods', 'method.get', 'app.info', 'user.current'];

/** First name segment -> domain (the subpath export). */
export const domainOf = {
  crm: 'crm',
  tasks: 'tasks',
  task: 'tasks',
  disk: 'disk',
  im: 'im',
  log: 'log',
  department: 'department',
  user: 'user',
  calendar: 'calendar',
  timeman: 'timeman',
  server: 'main',
  profile: 'main',
  scope: 'main',
  methods: 'main',
  method: 'main',
  app: 'main',
};

/** Entity file of a method inside its domain, when the default (second segment) does not fit. */
export const entityOf = {
  'task.item.userfield': 'userfield',
};

/**
 * List metadata (descriptor `list`): where rows sit inside `result`, the id field, and
 * whether `>ID` + `order ID ASC` + `start=-1` keyset paging works.
 */
export const lists = {
  'crm.deal.list': { rows: '', idField: 'ID', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
  'crm.lead.list': { rows: '', idField: 'ID', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
  // REST 2 tasks.task.list: rows in result.tasks, camelCase keys, filter supports `>ID`.
  'tasks.task.list': { rows: 'tasks', idField: 'id', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
  'tasks.task.result.list': { rows: '', idField: 'id', keyset: false },
  'task.checklistitem.getlist': { rows: '', idField: 'ID', keyset: false },
  'task.commentitem.getlist': { rows: '', idField: 'ID', keyset: false, filterParam: 'FILTER', orderParam: 'ORDER' },
  'task.elapseditem.getlist': { rows: '', idField: 'ID', keyset: false, filterParam: 'FILTER', orderParam: 'ORDER', selectParam: 'SELECT' },
  'task.item.userfield.getlist': { rows: '', idField: 'ID', keyset: false, filterParam: 'FILTER', orderParam: 'ORDER' },
  'disk.storage.getList': { rows: '', idField: 'ID', keyset: false, filterParam: 'filter', orderParam: 'order' },
  'disk.storage.getChildren': { rows: '', idField: 'ID', keyset: false, filterParam: 'filter', orderParam: 'order' },
  'disk.folder.getChildren': { rows: '', idField: 'ID', keyset: false, filterParam: 'filter', orderParam: 'order' },
  'department.get': { rows: '', idField: 'ID', keyset: false },
  // user.get/user.search take `sort` (a field) + `order` (a direction), not an order object.
  'user.get': { rows: '', idField: 'ID', keyset: false, filterParam: 'FILTER' },
  'user.search': { rows: '', idField: 'ID', keyset: false, filterParam: 'FILTER' },
  'log.blogpost.get': { rows: '', idField: 'ID', keyset: false },
  'im.dialog.users.list': { rows: '', idField: 'id', keyset: false },
};

/** Methods only an OAuth application may call (webhooks get WRONG_AUTH_TYPE). */
export const appOnly = ['app.info', 'disk.storage.getForApp'];

/** Read-like names are idempotent by default; these are also safe to repeat. */
export const idempotentExtra = [
  'crm.deal.update', 'crm.lead.update', 'crm.deal.delete', 'crm.lead.delete',
  'tasks.task.update', 'tasks.task.delete', 'tasks.task.mute', 'tasks.task.unmute',
  'tasks.task.startwatch', 'tasks.task.stopwatch', 'tasks.task.favorite.add', 'tasks.task.favorite.remove',
  'department.update', 'department.delete', 'user.update',
  'calendar.section.update', 'calendar.section.delete', 'calendar.event.update', 'calendar.event.delete',
  'calendar.user.settings.set', 'calendar.meeting.status.set',
  'disk.storage.rename', 'disk.folder.rename', 'disk.file.rename',
  'im.chat.updateTitle', 'im.chat.updateColor', 'im.chat.updateAvatar', 'im.chat.setOwner', 'im.chat.mute',
  'im.user.status.set', 'im.dialog.read', 'im.dialog.read.all', 'im.dialog.unread', 'im.dialog.writing',
  'task.checklistitem.update', 'task.checklistitem.complete', 'task.checklistitem.renew',
  'task.commentitem.update', 'task.elapseditem.update', 'task.item.userfield.update', 'task.stages.update',
  'task.stages.movetask',
];
/** Read-looking names that change state. */
export const notIdempotent = ['timeman.open', 'timeman.close', 'timeman.pause'];

/** Legacy task.* methods also accept their arguments as a positional array in this order. */
export const positionalPrefixes = ['task.checklistitem.', 'task.commentitem.', 'task.elapseditem.', 'task.item.userfield.'];

/**
 * Methods whose parameter list is not exhaustive (wildcard user fields, case-insensitive legacy
 * names, catalog holes): descriptors omit `params`, so core does not reject names it does not know.
 */
export const openParams = [
  'crm.deal.list', 'crm.lead.list', 'crm.deal.get', 'crm.lead.get', 'crm.deal.add', 'crm.lead.add',
  'crm.deal.update', 'crm.lead.update', 'crm.deal.delete', 'crm.lead.delete',
  'log.blogpost.add', 'log.blogpost.update', 'user.add', 'user.update', 'user.get', 'user.search',
  'department.get', 'calendar.event.add', 'calendar.event.update', 'tasks.task.list', 'tasks.task.get',
  'tasks.task.add', 'tasks.task.update', 'im.chat.add', 'disk.folder.uploadFile', 'disk.storage.uploadFile',
];

/** Parameter fixes: the docs' tables miss or under-mark these. `null` removes a parameter. */
export const paramFixes = {
  'crm.deal.add': { fields: { required: true } },
  'crm.lead.add': { fields: { required: true } },
  'crm.deal.update': { fields: { required: true } },
  'crm.lead.update': { fields: { required: true } },
  'tasks.task.get': { taskId: { required: true } },
  'tasks.task.list': { start: { type: 'integer' } },
  'department.add': { NAME: { type: 'string', required: true, first: true } },
  'department.update': { NAME: { type: 'string' } },
  'calendar.event.add': { name: { type: 'string', required: true } },
  'calendar.event.update': { name: { type: 'string' } },
  'calendar.section.add': { name: { type: 'string', required: true } },
  'calendar.section.update': { name: { type: 'string' } },
  'im.chat.mute': { MUTE: { type: 'yn', required: true } },
  // ATTACH is a list of blocks or {ID, COLOR, BLOCKS} (chats/messages/attachments.md).
  'im.message.add': { SYSTEM: { type: 'yn' }, URL_PREVIEW: { type: 'yn' }, ATTACH: { type: 'object | object[]' } },
  'im.message.update': { URL_PREVIEW: { type: 'yn' }, IS_EDITED: { type: 'yn' }, ATTACH: { type: 'object | object[]' } },
  'im.notify.personal.add': { ATTACH: { type: 'object | object[]' } },
  'im.notify.system.add': { ATTACH: { type: 'object | object[]' } },
  // One of CHAT_ID / DIALOG_ID and one of FILE_ID / UPLOAD_ID (each may be a list) is required.
  'im.disk.file.commit': { CHAT_ID: { required: false }, DIALOG_ID: { required: false }, FILE_ID: { required: false }, UPLOAD_ID: { required: false } },
  'im.disk.folder.get': { CHAT_ID: { required: false }, DIALOG_ID: { required: false } },
  'im.message.like': { ACTION: { type: 'string' } },
  'disk.folder.uploadFile': { fileContent: { type: 'file' } },
  'disk.storage.uploadFile': { fileContent: { type: 'file' } },
  'disk.folder.addSubFolder': { data: { type: 'object' } },
  'disk.storage.addFolder': { data: { type: 'object' } },
  'im.chat.user.add': { USERS: { type: 'integer[]' }, HIDE_HISTORY: { type: 'yn' } },
  'im.chat.add': { USERS: { type: 'integer[]' } },
  'im.user.list.get': { ID: { type: 'integer[]' } },
  'calendar.accessibility.get': { users: { type: 'integer[]' } },
};

/**
 * Result types by method: a type expression. Names not defined by the catalog are inferred from
 * the documented response example under that name (`infer`), or written by hand in `handTypes`.
 * `nested` names the types inferred for object-valued keys.
 */
export const results = {
  'crm.deal.get': { type: 'Deal', table: 'Deal' },
  'crm.deal.list': { type: 'Deal[]', table: 'Deal' },
  'crm.lead.get': { type: 'Lead', table: 'Lead' },
  'crm.lead.list': { type: 'Lead[]', infer: false },
  'crm.deal.fields': { type: 'Record<CrmFieldInfo>', inferRecord: 'CrmFieldInfo', nested: { settings: 'object' } },
  'crm.lead.fields': { type: 'Record<CrmFieldInfo>', inferRecord: 'CrmFieldInfo', nested: { settings: 'object' } },
  'department.get': { type: 'Department[]', table: 'Department' },
  'user.get': { type: 'User[]' },
  'user.search': { type: 'User[]' },
  'user.current': { type: 'User' },
  'user.fields': { type: 'Record<string>', infer: false },
  'profile': { type: 'Profile' },
  'app.info': { type: 'AppInfo' },
  'method.get': { type: 'MethodInfo' },
  'server.time': { type: 'string' },
  'scope': { type: 'string[]' },
  'methods': { type: 'string[]' },
  'tasks.task.get': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.add': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.update': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.approve': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.disapprove': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.complete': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.renew': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.defer': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.pause': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.start': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.startwatch': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.stopwatch': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.delegate': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.mute': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.unmute': { type: 'TaskResponse', nested: { task: 'Task' } },
  'tasks.task.list': { type: 'TaskListResult', nested: { tasks: 'Task' } },
  'tasks.task.delete': { type: 'TaskDeleteResult' },
  'tasks.task.getFields': { type: 'TaskFieldsResult', inferRecord: 'TaskFieldInfo', recordPath: 'fields' },
  'tasks.task.getaccess': { type: 'object', infer: false },
  'tasks.task.history.list': { type: 'TaskHistoryResult', infer: false },
  'tasks.task.result.list': { type: 'TaskResultEntry[]' },
  'tasks.task.result.addFromComment': { type: 'TaskResultEntry' },
  'tasks.task.result.deleteFromComment': { type: 'any', infer: false },
  'tasks.task.files.attach': { type: 'TaskFileAttachResult' },
  'task.checklistitem.get': { type: 'ChecklistItem' },
  'task.checklistitem.getlist': { type: 'ChecklistItem[]' },
  'task.checklistitem.update': { type: 'any', infer: false },
  'task.commentitem.get': { type: 'CommentItem' },
  'task.commentitem.getlist': { type: 'CommentItem[]' },
  'task.elapseditem.get': { type: 'ElapsedItem', fromArray: true },
  'task.elapseditem.getlist': { type: 'ElapsedItem[]' },
  'task.elapseditem.update': { type: 'any', infer: false },
  'task.elapseditem.delete': { type: 'any', infer: false },
  'task.item.userfield.getlist': { type: 'TaskUserField[]' },
  'task.item.userfield.get': { type: 'TaskUserField', infer: false },
  'task.stages.get': { type: 'Record<TaskStage>', inferRecord: 'TaskStage' },
  'task.dependence.add': { type: 'any', infer: false },
  'task.dependence.delete': { type: 'any', infer: false },
  'task.planner.getlist': { type: 'integer[]' },
  'timeman.open': { type: 'TimemanStatus' },
  'timeman.close': { type: 'TimemanStatus' },
  'timeman.pause': { type: 'TimemanStatus' },
  'timeman.status': { type: 'TimemanStatus' },
  'timeman.settings': { type: 'TimemanSettings' },
  'disk.storage.get': { type: 'Storage' },
  'disk.storage.getForApp': { type: 'Storage' },
  'disk.storage.rename': { type: 'Storage' },
  'disk.storage.getList': { type: 'Storage[]' },
  'disk.storage.getChildren': { type: 'DiskObject[]' },
  'disk.folder.getChildren': { type: 'DiskObject[]' },
  'disk.storage.addFolder': { type: 'Folder' },
  'disk.folder.get': { type: 'Folder' },
  'disk.folder.addSubFolder': { type: 'Folder' },
  'disk.folder.copyTo': { type: 'Folder' },
  'disk.folder.moveTo': { type: 'Folder' },
  'disk.folder.markDeleted': { type: 'Folder' },
  'disk.folder.restore': { type: 'Folder' },
  'disk.folder.rename': { type: 'Folder' },
  'disk.folder.getFields': { type: 'Record<DiskFieldInfo>', inferRecord: 'DiskFieldInfo' },
  // Without fileContent the upload methods answer with an upload URL (PROTOCOL.md §8).
  'disk.folder.uploadFile': { type: 'DiskFile | UploadTarget' },
  'disk.storage.uploadFile': { type: 'DiskFile | UploadTarget' },
  'disk.file.get': { type: 'DiskFile' },
  'disk.file.copyTo': { type: 'DiskFile' },
  'disk.file.moveTo': { type: 'DiskFile' },
  'disk.file.markDeleted': { type: 'DiskFile' },
  'disk.file.restore': { type: 'DiskFile' },
  'disk.file.rename': { type: 'DiskFile' },
  'im.chat.user.list': { type: 'integer[]' },
  'im.user.list.get': { type: 'Record<ImUser | null>', infer: false },
  'im.dialog.users.list': { type: 'ImUser[]' },
  'im.dialog.get': { type: 'ImDialog' },
  'im.dialog.messages.get': { type: 'ImDialogMessages' },
  'im.dialog.read': { type: 'ImDialogReadState' },
  'im.disk.file.commit': { type: 'ImDiskFileCommit' },
  'im.disk.folder.get': { type: 'ImDiskFolder' },
  'log.blogpost.get': { type: 'BlogPost[]', infer: false },
  'log.blogpost.getusers.important': { type: 'string[]' },
  'calendar.event.get': { type: 'CalendarEvent[]', infer: false },
  'calendar.event.getbyid': { type: 'CalendarEvent' },
  'calendar.event.update': { type: 'integer' },
  'calendar.section.get': { type: 'CalendarSection[]', infer: false },
  'calendar.section.update': { type: 'integer' },
  'calendar.accessibility.get': { type: 'Record<object[]>', infer: false },
  'calendar.settings.get': { type: 'CalendarSettings' },
  'calendar.user.settings.get': { type: 'CalendarUserSettings' },
};

/** Types written by hand where the docs give neither a field table nor an example. */
export const handTypes = {
  disk: {
    UploadTarget: {
      description: 'Answer of an upload method called without fileContent: POST the file as multipart to uploadUrl.',
      fields: { field: { type: 'string', required: true }, uploadUrl: { type: 'string', required: true } },
    },
  },
  tasks: {
    TaskHistoryResult: { fields: { list: { type: 'object[]' } } },
    TaskFieldsResult: { fields: { fields: { type: 'Record<TaskFieldInfo>', required: true } } },
    TaskUserField: {
      fields: Object.fromEntries(
        ['ID', 'ENTITY_ID', 'FIELD_NAME', 'USER_TYPE_ID', 'XML_ID', 'SORT', 'MULTIPLE', 'MANDATORY', 'SHOW_FILTER',
          'SHOW_IN_LIST', 'EDIT_IN_LIST', 'IS_SEARCHABLE'].map((n) => [n, { type: 'string' }]),
      ),
      open: true,
    },
  },
  log: {
    BlogPost: {
      description: 'A feed post as log.blogpost.get returns it (numbers arrive as strings).',
      fields: Object.fromEntries(
        ['ID', 'BLOG_ID', 'PUBLISH_STATUS', 'TITLE', 'AUTHOR_ID', 'ENABLE_COMMENTS', 'NUM_COMMENTS', 'CODE', 'MICRO',
          'DETAIL_TEXT', 'DATE_PUBLISH', 'CATEGORY_ID', 'HAS_SOCNET_ALL', 'HAS_TAGS', 'HAS_IMAGES', 'HAS_PROPS',
          'HAS_COMMENT_IMAGES'].map((n) => [n, { type: 'string' }]),
      ),
      open: true,
    },
  },
  calendar: {
    CalendarSection: {
      description: 'A calendar section as calendar.section.get returns it.',
      fields: {
        ...Object.fromEntries(
          ['ID', 'NAME', 'DESCRIPTION', 'COLOR', 'TEXT_COLOR', 'CAL_TYPE', 'OWNER_ID', 'CREATED_BY', 'DATE_CREATE',
            'TIMESTAMP_X', 'ACTIVE'].map((n) => [n, { type: 'string' }]),
        ),
        EXPORT: { type: 'object' },
        PERM: { type: 'Record<boolean>' },
      },
      open: true,
    },
  },
};

/** Short descriptions in our own words, by the last name segment; `{e}` is the entity. */
export const verbDescriptions = {
  add: 'Creates {e}.',
  update: 'Updates {e}.',
  delete: 'Deletes {e}.',
  get: 'Returns {e}.',
  getbyid: 'Returns {e} by its id.',
  list: 'Lists {e} rows, 50 per page.',
  getlist: 'Lists {e} rows.',
  fields: 'Describes the fields of {e}.',
  getfields: 'Describes the fields of {e}.',
};

/** Descriptions that the verb table cannot produce. */
export const descriptions = {
  'server.time': 'Returns the current server time (ISO 8601).',
  profile: 'Returns basic data of the user the call is made for.',
  scope: 'Lists the permission scopes of the current credentials (or all with full=true).',
  methods: 'Lists the methods available to the current credentials.',
  'method.get': 'Tells whether a method exists and is available to the current credentials.',
  'app.info': 'Returns information about the calling application (application context only).',
  'user.current': 'Returns the user the call is made for.',
  'disk.folder.uploadFile': 'Uploads a file into a folder; without fileContent it returns an upload URL for a multipart POST.',
  'disk.storage.uploadFile': 'Uploads a file into the root of a storage; without fileContent it returns an upload URL.',
  'im.chat.mute': 'Turns chat notifications off (MUTE=Y) or on (MUTE=N).',
};

/** Deprecated methods and what replaces them. */
export const replacements = {
  'crm.deal.add': 'crm.item.add', 'crm.deal.get': 'crm.item.get', 'crm.deal.list': 'crm.item.list',
  'crm.deal.update': 'crm.item.update', 'crm.deal.delete': 'crm.item.delete', 'crm.deal.fields': 'crm.item.fields',
  'crm.lead.add': 'crm.item.add', 'crm.lead.get': 'crm.item.get', 'crm.lead.list': 'crm.item.list',
  'crm.lead.update': 'crm.item.update', 'crm.lead.delete': 'crm.item.delete', 'crm.lead.fields': 'crm.item.fields',
};
