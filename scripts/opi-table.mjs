#!/usr/bin/env node
// @ts-check
// Writes docs/opi-parity.md: every function of the OPI Bitrix24 library (docs/opi-functions.tsv:
// region, function, REST method, params, kind) next to its b24kit call. The list is project
// data (docs/opi-functions.tsv, imported by scripts/opi-functions.mjs).
//
//   node scripts/opi-table.mjs           rewrite the page
//   node scripts/opi-table.mjs --check   exit 1 when it is stale
//
// CALLS below is the hand-written part (OAuth helpers, local helpers, calls whose parameters
// say more than the method name). Every other remote row becomes `b24.<method path>(params)`,
// with the method's exact spelling taken from the generated method index.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { opiFunctionsFile } from './opi-functions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const tsvPath = opiFunctionsFile;
const outFile = join(root, 'docs/opi-parity.md');

/** @type {Record<string, string>} OPI function -> b24kit call (markdown code). */
const CALLS = {
  // SettingsAndAdministartion
  GetAppAuthLink: 'authorizeUrl({ portal, clientId, state }) — @b24kit/auth',
  GetToken: 'exchangeCode({ clientId, clientSecret, code }) — @b24kit/auth',
  RefreshToken: 'refreshTokens({ clientId, clientSecret, refreshToken }) — @b24kit/auth',
  ServerTime: 'b24.server.time()',
  // ChatsAndDialogsManagement
  CreateChat: 'b24.im.chat.add(chat({ TITLE, USERS, ... }))',
  GetChatUsers: 'b24.im.chat.user.list({ CHAT_ID })',
  LeaveChat: 'b24.im.chat.leave({ CHAT_ID })',
  GetUsers: 'b24.im.user.list.get({ ID: [ids] })',
  AddUsersToChat: "b24.im.chat.user.add({ CHAT_ID, USERS, HIDE_HISTORY: 'N' })",
  DeleteUserFromChat: 'b24.im.chat.user.delete({ CHAT_ID, USER_ID })',
  ChangeChatTitle: 'b24.im.chat.updateTitle({ CHAT_ID, TITLE })',
  ChangeChatColor: 'b24.im.chat.updateColor({ CHAT_ID, COLOR })',
  ChangeChatPicture: 'b24.im.chat.updateAvatar({ CHAT_ID, AVATAR: await fileBase64(pathOrBuffer) })',
  ChangeChatOwner: 'b24.im.chat.setOwner({ CHAT_ID, USER_ID })',
  DisableChatNotifications: "b24.im.chat.mute({ CHAT_ID, MUTE: 'Y' })",
  EnableChatNotifications: "b24.im.chat.mute({ CHAT_ID, MUTE: 'N' })",
  GetChatMessagesList: "b24.im.dialog.messages.get({ DIALOG_ID: 'chat' + id, LAST_ID, FIRST_ID })",
  GetDialog: "b24.im.dialog.get({ DIALOG_ID: 'chat' + id })",
  GetChatMembersList: "b24.im.dialog.users.list({ DIALOG_ID: 'chat' + id })",
  SendWritingNotification: "b24.im.dialog.writing({ DIALOG_ID: 'chat' + id })",
  GetUserStatus: 'b24.im.user.status.get()',
  SetUserStatus: "b24.im.user.status.set({ STATUS: 'online' | 'dnd' | 'away' | 'break' })",
  ReadAll: 'b24.im.dialog.read.all()',
  GetChatFilesFolder: 'b24.im.disk.folder.get({ CHAT_ID })',
  GetChatStructure: 'chat({ ... }) / chatStructure.template({ clear })',
  // MessageManagement
  SendMessage: 'b24.im.message.add({ DIALOG_ID, MESSAGE, ATTACH: [pictureBlock(...), fileBlock(...)] })',
  EditMessage: 'b24.im.message.update({ MESSAGE_ID, MESSAGE, ATTACH })',
  SetMessageReaction: 'b24.im.message.like({ MESSAGE_ID })',
  DeleteMessage: 'b24.im.message.delete({ MESSAGE_ID })',
  SendFile: 'b24.im.disk.file.commit({ CHAT_ID, FILE_ID, MESSAGE })',
  MarkMessageAsReaded: 'b24.im.dialog.read({ DIALOG_ID, MESSAGE_ID })',
  MarkMessageAsUnreaded: 'b24.im.dialog.unread({ DIALOG_ID, MESSAGE_ID })',
  GetPictureBlock: 'pictureBlock(name, url)',
  GetFileBlock: 'fileBlock(name, url)',
  // NotificationsManagement
  CreatePersonalNotification: 'b24.im.notify.personal.add({ USER_ID, MESSAGE, TAG, ATTACH })',
  CreateSystemNotification: 'b24.im.notify.system.add({ USER_ID, MESSAGE, TAG, ATTACH })',
  DeleteNotification: 'b24.im.notify.delete({ ID })',
  // LeadsManagement / DealsManagement
  CreateLead: 'b24.crm.lead.add({ fields })',
  DeleteLead: 'b24.crm.lead.delete({ id })',
  GetLead: 'b24.crm.lead.get({ id })',
  GetLeadsList: 'b24.crm.lead.list({ filter: leadFilter({ ... }), start })',
  UpdateLead: 'b24.crm.lead.update({ id, fields })',
  GetLeadStructure: 'b24.crm.lead.fields()',
  GetLeadFilterStructure: 'leadFilter({ ... }) / leadFilterStructure.template({ clear })',
  CreateDeal: 'b24.crm.deal.add({ fields })',
  DeleteDeal: 'b24.crm.deal.delete({ id })',
  GetDeal: 'b24.crm.deal.get({ id })',
  GetDealsList: 'b24.crm.deal.list({ filter: dealFilter({ ... }), start })',
  UpdateDeal: 'b24.crm.deal.update({ id, fields })',
  GetDealStructure: 'b24.crm.deal.fields()',
  GetDealsFilterStructure: 'dealFilter({ ... }) / dealFilterStructure.template({ clear })',
  // Local helpers of the other regions
  GetTasksFilterStructure: 'taskFilter({ ... }) / taskFilterStructure.template({ clear })',
  GetCommentStructure: 'taskComment({ ... }) / taskCommentStructure.template({ clear })',
  GetUserFilterStructure: 'userFilter({ ... }) / userFilterStructure.template({ clear })',
  GetCalednarCustomSettingsStructure: 'calendarSettings({ ... }) / calendarSettingsStructure.template({ clear })',
  GetCalendarStructure: 'calendarSection({ ... }) / calendarSectionStructure.template({ clear })',
  GetCalendarEventsStructure: 'calendarEvent({ ... }) / calendarEventStructure.template({ clear })',
  GetCalendarEventsFilterStructure: 'calendarEventQuery({ ... }) / calendarEventQueryStructure.template({ clear })',
};

/** The generated methods (each domain's methods.ts): lowercase name -> name as the client spells it. */
function clientNames() {
  const dir = join(root, 'packages/client/src/generated');
  /** @type {Map<string, string>} */
  const names = new Map();
  for (const domain of readdirSync(dir)) {
    const file = join(dir, domain, 'methods.ts');
    if (!existsSync(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/\bdef\(\s*'([^']+)'/g))
      names.set(/** @type {string} */ (m[1]).toLowerCase(), /** @type {string} */ (m[1]));
  }
  return names;
}

/** `crm.deal.fields (GET)` -> `crm.deal.fields`; annotations after the name are dropped. */
/** @param {string} cell */
const restName = (cell) => /** @type {string} */ (cell.trim().split(/\s/)[0]);

/**
 * @param {string} cell
 * @param {Map<string, string>} names
 */
function derivedCall(cell, names) {
  const name = restName(cell);
  const spelled = names.get(name.toLowerCase());
  if (!spelled)
    throw new Error(`opi-table: ${name} is not in the generated client (packages/client/src/generated/*/methods.ts)`);
  return `b24.${spelled}(params)`;
}

/**
 * @param {string} tsv
 * @param {Map<string, string>} names
 */
export function render(tsv, names) {
  const rows = tsv
    .trim()
    .split('\n')
    .slice(1)
    .map((/** @type {string} */ line) => /** @type {[string, string, string, string, string]} */ (line.split('\t')));
  const out = [
    '# OPI parity: every function of the OPI Bitrix24 library in b24kit',
    '',
    '<!-- Generated by scripts/opi-table.mjs from docs/opi-functions.tsv. Do not edit by hand. -->',
    '',
    `The ${rows.length} functions of the Bitrix24 library of the Open Integrations Package, by region, with the`,
    'REST method they call and the b24kit call that does the same. `b24` is a client made with',
    '`createClient({ webhook })` or `createClient({ oauth })` from `@b24kit/client`; helpers such as',
    '`dealFilter`, `pictureBlock` and `fileInput` are exported by `@b24kit/client`; the OAuth helpers',
    'come from `@b24kit/auth`. File inputs accept a path, a Buffer or a stream: `await fileInput(source, name?)`',
    'returns the `[name, base64]` pair that file parameters take.',
    '',
    'Differences on purpose: empty values (`0`, `false`, `""`) are sent, never dropped; ChangeChatColor',
    'calls `im.chat.updateColor` and FindUsers calls `user.search`; the authorize link keeps a portal',
    'domain that starts with `http`.',
    '',
    '| Region | OPI function | REST method | b24kit |',
    '|---|---|---|---|',
  ];
  for (const [region, fn, method, , kind] of rows) {
    const call = CALLS[fn] ?? (kind === 'remote' ? derivedCall(method, names) : undefined);
    if (!call) throw new Error(`opi-table: no b24kit call for ${region}/${fn} (${kind}); add it to CALLS`);
    const rest = kind === 'local-helper' ? '— (local)' : `\`${method.replace(/\|/g, '\\|')}\``;
    const [code, note] = call.split(' — ');
    out.push(`| ${region} | ${fn} | ${rest} | \`${code}\`${note ? ` (${note})` : ''} |`);
  }
  return out.join('\n') + '\n';
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const page = render(readFileSync(tsvPath, 'utf8'), clientNames());
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outFile, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== page) {
      console.error('docs/opi-parity.md is stale: run node scripts/opi-table.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, page);
    console.log(
      `wrote docs/opi-parity.md (${page.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Region')).length} functions)`,
    );
  }
}
