/**
 * Fixtures of the calendar, drive, messenger and user domains for the every-method test: what a
 * caller makes or knows first (a section and events in user 1's calendar, a folder and files on
 * the shared drive, a group chat with user 2, a notification), and the params that name them or
 * give an accepted value where the minimal sample ('x') is not one (a calendar type, a chat
 * colour, a status, an e-mail address); and a comment in deal 1's timeline (deals 1..3 are seeded
 * first) with a note, for crm.timeline.*.
 */
import type { Call } from './fixtures.js';

export interface DomainFixtures {
  readonly [name: string]: number | undefined;
}

/** A 1×1 PNG, the smallest image im.chat.updateAvatar accepts. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const ROOT_FOLDER = 1;
const USER_CALENDAR = { type: 'user', ownerId: 1 } as const;
const DEAL_1 = { ENTITY_ID: 1, ENTITY_TYPE: 'deal' } as const;
/** A note on a timeline record (itemType 1) of deal 1. */
const noteOf = (record: number | undefined) => ({ ownerTypeId: 2, ownerId: 1, itemType: 1, itemId: record });

/** The fixture comment in deal 1's timeline, as the layout.blocks methods name a record. */
const LAYOUT_TARGET = (record: number | undefined) => ({ entityTypeId: 2, entityId: 1, timelineId: record });

/** The id in an answer: the result itself, or its ID/id (one level down for `{item: {...}}`). */
function idIn(body: unknown): number | undefined {
  type Obj = Record<string, unknown>;
  const r = body && typeof body === 'object' ? (body as Obj)['result'] : undefined;
  const pick = (v: unknown): unknown => (v && typeof v === 'object' ? ((v as Obj)['ID'] ?? (v as Obj)['id']) : v);
  const direct = pick(r);
  const inner =
    direct === undefined && r && typeof r === 'object'
      ? pick(Object.values(r).find((v) => v && typeof v === 'object'))
      : undefined;
  const n = Number(direct ?? inner);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export async function createDomainFixtures(call: Call): Promise<DomainFixtures> {
  const make = async (method: string, params: Record<string, unknown>) => idIn((await call(method, params)).body);
  const event = (name: string, extra: Record<string, unknown> = {}) =>
    make('calendar.event.add', {
      ...USER_CALENDAR,
      name,
      from: '2025-01-15 10:00:00',
      to: '2025-01-15 11:00:00',
      auto_detect_section: 'Y',
      ...extra,
    });
  const folder = (name: string) => make('disk.folder.addSubFolder', { id: ROOT_FOLDER, data: { NAME: name } });
  const file = (name: string) =>
    make('disk.folder.uploadFile', {
      id: ROOT_FOLDER,
      data: { NAME: name },
      fileContent: [name, Buffer.from(`fixture ${name}`).toString('base64')],
    });
  const chat = (title: string) => make('im.chat.add', { USERS: [2], TITLE: title });
  const record = await make('crm.timeline.comment.add', { fields: { ...DEAL_1, COMMENT: 'Fixture comment' } });
  await call('crm.timeline.note.save', { ...noteOf(record), text: 'Fixture note' });
  return {
    section: await make('calendar.section.add', { ...USER_CALENDAR, name: 'Fixture section' }),
    sectionToDelete: await make('calendar.section.add', { ...USER_CALENDAR, name: 'Fixture section to delete' }),
    event: await event('Fixture event'),
    eventToDelete: await event('Fixture event to delete'),
    meeting: await event('Fixture meeting', { is_meeting: 'Y', attendees: [1, 2] }),
    resource: await make('calendar.resource.add', { name: 'Fixture room' }),
    resourceToDelete: await make('calendar.resource.add', { name: 'Fixture room to delete' }),
    folder: await folder('Fixture folder'),
    target: await folder('Fixture target'),
    folderToMove: await folder('Fixture folder to move'),
    folderToDelete: await folder('Fixture folder to delete'),
    folderToTrash: await folder('Fixture folder to trash'),
    file: await file('fixture.txt'),
    fileToDelete: await file('fixture-delete.txt'),
    fileToTrash: await file('fixture-trash.txt'),
    fileToMove: await file('fixture-move.txt'),
    chat: await chat('Fixture chat'),
    chatToLeave: await chat('Fixture chat to leave'),
    chatToKick: await chat('Fixture chat to kick from'),
    notification: await make('im.notify.personal.add', { USER_ID: 1, MESSAGE: 'Fixture notification' }),
    record,
    appStorage: await make('disk.storage.getForApp', {}),
  };
}

/** Params that name a fixture of these domains (merged over the minimal params), or none. */
export function domainFixtureParams(method: string, f: DomainFixtures): Record<string, unknown> {
  switch (method) {
    case 'calendar.section.get':
    case 'calendar.event.get':
      return { ...USER_CALENDAR };
    case 'calendar.section.add':
      return { ...USER_CALENDAR };
    case 'calendar.section.update':
      return { ...USER_CALENDAR, id: f['section'] };
    case 'calendar.section.delete':
      return { ...USER_CALENDAR, id: f['sectionToDelete'] };
    case 'calendar.event.add':
      return { ...USER_CALENDAR, section: f['section'], from: '2025-01-15 12:00:00', to: '2025-01-15 13:00:00' };
    case 'calendar.event.update':
      return { ...USER_CALENDAR, id: f['event'] };
    case 'calendar.event.getbyid':
      return { id: f['event'] };
    case 'calendar.event.delete':
      return { id: f['eventToDelete'] };
    case 'calendar.meeting.status.get':
      return { eventId: f['meeting'] };
    case 'calendar.meeting.status.set':
      return { eventId: f['meeting'], status: 'Y' };
    case 'calendar.resource.update':
      return { resourceId: f['resource'] };
    case 'calendar.resource.delete':
      return { resourceId: f['resourceToDelete'] };
    case 'disk.folder.addSubFolder':
      return { id: f['folder'], data: { NAME: 'Fixture subfolder' } };
    case 'disk.storage.addFolder':
      return { data: { NAME: 'Fixture storage folder' } };
    case 'disk.folder.copyTo':
      return { id: f['folder'], targetFolderId: f['target'] };
    case 'disk.folder.moveTo':
      return { id: f['folderToMove'], targetFolderId: f['target'] };
    case 'disk.folder.deleteTree':
      return { id: f['folderToDelete'] };
    case 'disk.folder.markDeleted':
      return { id: f['folderToTrash'] };
    case 'disk.file.get':
    case 'disk.file.getExternalLink':
    case 'disk.file.rename':
    case 'disk.file.restore':
      return { id: f['file'] };
    case 'disk.file.uploadVersion':
      return { id: f['file'], fileContent: ['fixture.txt', Buffer.from('fixture v2').toString('base64')] };
    case 'disk.file.copyTo':
      return { id: f['file'], targetFolderId: f['target'] };
    case 'disk.file.moveTo':
      return { id: f['fileToMove'], targetFolderId: f['target'] };
    case 'disk.file.delete':
      return { id: f['fileToDelete'] };
    case 'disk.file.markDeleted':
      return { id: f['fileToTrash'] };
    case 'im.chat.mute':
    case 'im.chat.updateTitle':
    case 'im.disk.folder.get':
      return { CHAT_ID: f['chat'] };
    case 'im.chat.updateColor':
      return { CHAT_ID: f['chat'], COLOR: 'MINT' };
    case 'im.chat.updateAvatar':
      return { CHAT_ID: f['chat'], AVATAR: PNG };
    case 'im.chat.setOwner':
      return { CHAT_ID: f['chat'], USER_ID: 2 };
    case 'im.chat.leave':
      return { CHAT_ID: f['chatToLeave'] };
    case 'im.chat.user.delete':
      // The owner (user 1) removes user 2.
      return { CHAT_ID: f['chatToKick'], USER_ID: 2 };
    case 'im.disk.file.commit':
      return { CHAT_ID: f['chat'], FILE_ID: f['file'] };
    case 'im.notify.delete':
      return { ID: f['notification'] };
    case 'im.user.status.set':
      return { STATUS: 'away' };
    case 'disk.storage.rename':
      return { id: f['appStorage'], newName: 'Fixture app storage' };
    case 'crm.timeline.layout.blocks.set':
      return {
        ...LAYOUT_TARGET(f['record']),
        layout: { blocks: { note: { type: 'text', properties: { value: 'x' } } } },
      };
    case 'crm.timeline.layout.blocks.get':
    case 'crm.timeline.layout.blocks.delete':
      return LAYOUT_TARGET(f['record']);
    case 'crm.timeline.comment.add':
      return { fields: { ...DEAL_1, COMMENT: 'x' } };
    case 'crm.timeline.comment.list':
      return { filter: DEAL_1 };
    case 'crm.timeline.bindings.bind':
    case 'crm.timeline.bindings.unbind':
      return { fields: { OWNER_ID: f['record'], ENTITY_ID: 2, ENTITY_TYPE: 'deal' } };
    case 'crm.timeline.bindings.list':
      return { filter: { OWNER_ID: f['record'] } };
    case 'crm.timeline.item.pin':
    case 'crm.timeline.item.unpin':
      return { id: f['record'], ownerTypeId: 2, ownerId: 1 };
    case 'crm.timeline.note.get':
    case 'crm.timeline.note.save':
    case 'crm.timeline.note.delete':
      return noteOf(f['record']);
    case 'user.add':
      return { EMAIL: 'fixture.user@example.invalid' };
    default:
      return {};
  }
}
