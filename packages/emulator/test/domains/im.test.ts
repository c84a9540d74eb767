import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, start } from '../helpers.js';

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

let emu: Emulator;
let user5: string;
beforeAll(async () => {
  emu = await start();
  user5 = emu.createWebhook({ userId: 5 });
});
afterAll(() => emu.close());

const ok = async (method: string, params?: unknown, base = emu.webhookUrl) => {
  const r = await call(base, method, params);
  if (r.status !== 200) throw new Error(`${method}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { result: any; total?: number };
};
const fails = async (method: string, params: unknown, code: string, status = 400, base = emu.webhookUrl) => {
  const r = await call(base, method, params);
  expect(r.body.error, `${method} ${JSON.stringify(params)}`).toBe(code);
  expect(r.status).toBe(status);
  expect(r.body.time).toBeUndefined();
};
const shape = (method: string, body: unknown, optional: string[] = []) =>
  expect(shapeDifferences(body, documented(method)!.responseExample, { optional, checkTime: false })).toEqual([]);

describe('im: contract shapes of every method', () => {
  test('each response has the keys and JSON kinds of the documented example', async () => {
    const add = await ok('im.chat.add', { TITLE: 'Shape', USERS: [5, 7], MESSAGE: 'first', COLOR: 'MINT' });
    shape('im.chat.add', add);
    const chatId = add.result as number;
    const dialog = `chat${chatId}`;
    shape('im.chat.user.list', await ok('im.chat.user.list', { CHAT_ID: chatId }));
    shape('im.chat.user.add', await ok('im.chat.user.add', { CHAT_ID: chatId, USERS: [9] }));
    shape('im.chat.user.delete', await ok('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: 9 }));
    shape('im.chat.updateTitle', await ok('im.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'Renamed' }));
    shape('im.chat.updateColor', await ok('im.chat.updateColor', { CHAT_ID: chatId, COLOR: 'PINK' }));
    shape('im.chat.updateAvatar', await ok('im.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: PNG }));
    shape('im.chat.mute', await ok('im.chat.mute', { CHAT_ID: chatId, MUTE: 'Y' }));
    const msg = await ok('im.message.add', { DIALOG_ID: dialog, MESSAGE: 'hello' });
    shape('im.message.add', msg);
    shape('im.message.update', await ok('im.message.update', { MESSAGE_ID: msg.result, MESSAGE: 'hello!' }));
    const reply5 = await ok('im.message.add', { DIALOG_ID: dialog, MESSAGE: 'from five' }, user5);
    shape('im.message.like', await ok('im.message.like', { MESSAGE_ID: reply5.result }));
    shape('im.dialog.read', await ok('im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: reply5.result }));
    shape('im.dialog.unread', await ok('im.dialog.unread', { DIALOG_ID: dialog, MESSAGE_ID: reply5.result }));
    shape('im.dialog.read.all', await ok('im.dialog.read.all'));
    shape('im.dialog.writing', await ok('im.dialog.writing', { DIALOG_ID: dialog }));
    shape('im.dialog.get', await ok('im.dialog.get', { DIALOG_ID: dialog }));
    // `phones` is an object for users with numbers on file (even ids here), false otherwise; the
    // examples show each kind in a different place, so pick members that match each example.
    const user2 = emu.createWebhook({ userId: 2 });
    const evenChat = (await ok('im.chat.add', { TITLE: 'Even', USERS: [4, 6] }, user2)).result as number;
    shape('im.dialog.users.list', await ok('im.dialog.users.list', { DIALOG_ID: `chat${evenChat}` }, user2));
    shape('im.user.list.get', await ok('im.user.list.get', { ID: [4, 5], RESULT_TYPE: 'array' }));
    shape('im.user.status.set', await ok('im.user.status.set', { STATUS: 'dnd' }));
    shape('im.user.status.get', await ok('im.user.status.get'));
    const folder = await ok('im.disk.folder.get', { CHAT_ID: chatId });
    shape('im.disk.folder.get', folder);
    const up = await ok('disk.folder.uploadfile', {
      id: folder.result.ID,
      data: { NAME: 'pic.png' },
      fileContent: ['pic.png', PNG],
    });
    const commit = await ok('im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: up.result.ID, MESSAGE: 'see file' });
    // The docs' example is an image that the server measured; the emulator does not decode pixels.
    shape('im.disk.file.commit', commit, ['result.FILES.upload5249', 'result.FILE_MODELS.upload5249']);
    // Entries are keyed by upload<ID>: compare ours with the example's entry.
    const ex = (documented('im.disk.file.commit')!.responseExample as any).result;
    const key = `upload${up.result.ID}`;
    expect(Object.keys(commit.result.FILES)).toEqual([key]);
    expect(shapeDifferences(commit.result.FILES[key], ex.FILES.upload5249)).toEqual([]);
    expect(shapeDifferences(commit.result.FILE_MODELS[key], ex.FILE_MODELS.upload5249)).toEqual([]);
    shape('im.dialog.messages.get', await ok('im.dialog.messages.get', { DIALOG_ID: dialog }), [
      'result.messages.0.params.LIKE',
    ]);
    shape('im.notify.personal.add', await ok('im.notify.personal.add', { USER_ID: 5, MESSAGE: 'p' }));
    const sys = await ok('im.notify.system.add', { USER_ID: 5, MESSAGE: 's' });
    shape('im.notify.system.add', sys);
    shape('im.notify.delete', await ok('im.notify.delete', { ID: sys.result }));
    shape('im.message.delete', await ok('im.message.delete', { MESSAGE_ID: msg.result }));
    shape('im.chat.setOwner', await ok('im.chat.setOwner', { CHAT_ID: chatId, USER_ID: 5 }));
    shape('im.chat.leave', await ok('im.chat.leave', { CHAT_ID: chatId }));
  });
});

describe('im: chats and members', () => {
  test('chat.add makes the caller owner and member, with the documented default title and colour', async () => {
    const id = (await ok('im.chat.add', { USERS: [5, '7', 5] })).result as number;
    expect((await ok('im.chat.user.list', { CHAT_ID: id })).result).toEqual([1, 5, 7]);
    const d = (await ok('im.dialog.get', { DIALOG_ID: `chat${id}` })).result;
    expect(d).toMatchObject({
      id,
      owner: 1,
      type: 'chat',
      message_type: 'C',
      role: 'owner',
      dialog_id: `chat${id}`,
      user_counter: 3,
    });
    expect(d.name).toBe('Chat with Admin Emulator, User5 Emulator, User7 Emulator');
    const open = (await ok('im.chat.add', { TYPE: 'OPEN', TITLE: 'Open one' })).result as number;
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${open}` })).result).toMatchObject({
      type: 'open',
      name: 'Open one',
    });
    // Open chats can be read by non-members; closed ones cannot.
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${open}` }, user5)).result.role).toBe('guest');
    const closed = (await ok('im.chat.add', { TITLE: 'closed' })).result as number;
    await fails('im.dialog.get', { DIALOG_ID: `chat${closed}` }, 'ACCESS_ERROR', 403, user5);
  });

  test('title, colour, avatar and owner changes persist; bad values get the documented errors', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'T', USERS: [5] })).result as number;
    await ok('im.chat.updateTitle', { CHAT_ID: id, TITLE: 'New title' });
    await ok('im.chat.updateColor', { CHAT_ID: id, COLOR: 'lime' });
    await ok('im.chat.updateAvatar', { CHAT_ID: id, AVATAR: `data:image/png;base64,${PNG}` });
    const d = (await ok('im.dialog.get', { DIALOG_ID: `chat${id}` })).result;
    expect(d.name).toBe('New title');
    expect(d.color).toBe('#58cc47');
    expect(d.avatar).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest\/download/);
    await fails('im.chat.updateTitle', { CHAT_ID: id, TITLE: '  ' }, 'TITLE_EMPTY');
    await fails('im.chat.updateColor', { CHAT_ID: id, COLOR: 'ULTRAVIOLET' }, 'WRONG_COLOR');
    await fails('im.chat.updateColor', { CHAT_ID: id, COLOR: 'LIME' }, 'WRONG_REQUEST');
    await fails(
      'im.chat.updateAvatar',
      { CHAT_ID: id, AVATAR: Buffer.from('not an image').toString('base64') },
      'AVATAR_ERROR',
    );
    await fails('im.chat.updateTitle', { TITLE: 'x' }, 'CHAT_ID_EMPTY');
    await fails('im.chat.updateTitle', { CHAT_ID: 999999, TITLE: 'x' }, 'ACCESS_ERROR');
    await fails('im.chat.setOwner', { CHAT_ID: id, USER_ID: 42 }, 'WRONG_REQUEST');
    await ok('im.chat.setOwner', { CHAT_ID: id, USER_ID: 5 });
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${id}` })).result.owner).toBe(5);
    // No longer the owner: cannot hand the chat on again.
    await fails('im.chat.setOwner', { CHAT_ID: id, USER_ID: 1 }, 'WRONG_REQUEST');
  });

  test('user.add/delete/leave change the member list; only the owner kicks others', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'M', USERS: [5] })).result as number;
    await ok('im.chat.user.add', { CHAT_ID: id, USERS: [7, 8] });
    expect((await ok('im.chat.user.list', { CHAT_ID: id })).result).toEqual([1, 5, 7, 8]);
    await fails('im.chat.user.delete', { CHAT_ID: id, USER_ID: 7 }, 'ACCESS_DENIED_KICK', 400, user5);
    await ok('im.chat.user.delete', { CHAT_ID: id, USER_ID: 7 });
    await fails('im.chat.user.delete', { CHAT_ID: id, USER_ID: 7 }, 'USER_NOT_FOUND');
    await fails('im.chat.user.delete', { CHAT_ID: id }, 'USER_ID_EMPTY');
    await ok('im.chat.leave', { CHAT_ID: id });
    expect((await ok('im.chat.user.list', { CHAT_ID: id }, user5)).result).toEqual([5, 8]);
    // The owner left: the longest-standing member took over.
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${id}` }, user5)).result.owner).toBe(5);
    await fails('im.chat.leave', { CHAT_ID: id }, 'ACCESS_ERROR');
    await fails('im.chat.user.list', {}, 'CHAT_ID_EMPTY');
  });

  test('HIDE_HISTORY=Y hides earlier messages from the new member', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'H' })).result as number;
    await ok('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'secret past' });
    await ok('im.chat.user.add', { CHAT_ID: id, USERS: [5], HIDE_HISTORY: 'Y' });
    await ok('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'after join' });
    const seen = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` }, user5)).result.messages.map(
      (m: any) => m.text,
    );
    expect(seen).toEqual(['after join']);
    const owner = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` })).result.messages.map(
      (m: any) => m.text,
    );
    expect(owner).toEqual(['after join', 'secret past']);
  });

  test('mute toggles the caller in mute_list; users.list pages with total', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'Mute', USERS: [5, 6, 7] })).result as number;
    await ok('im.chat.mute', { CHAT_ID: id, MUTE: 'Y' });
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${id}` })).result.mute_list).toEqual([1]);
    await ok('im.chat.mute', { DIALOG_ID: `chat${id}`, MUTE: 'N' });
    expect((await ok('im.dialog.get', { DIALOG_ID: `chat${id}` })).result.mute_list).toEqual([]);
    const page = await ok('im.dialog.users.list', { DIALOG_ID: `chat${id}`, LIMIT: 2, OFFSET: 1 });
    expect(page.total).toBe(4);
    expect(page.result.map((u: any) => u.id)).toEqual([5, 6]);
    await fails('im.chat.mute', { MUTE: 'Y' }, 'CHAT_ID_EMPTY');
  });
});

describe('im: messages and read state', () => {
  test('private dialogs by user id; history pages with LAST_ID / FIRST_ID', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++)
      ids.push((await ok('im.message.add', { DIALOG_ID: '5', MESSAGE: `m${i}` })).result as number);
    const latest = (await ok('im.dialog.messages.get', { DIALOG_ID: '5', LIMIT: 2 })).result;
    expect(latest.messages.map((m: any) => m.text)).toEqual(['m5', 'm4']);
    const older = (await ok('im.dialog.messages.get', { DIALOG_ID: '5', LAST_ID: ids[3], LIMIT: 2 })).result;
    expect(older.messages.map((m: any) => m.text)).toEqual(['m3', 'm2']);
    const newer = (await ok('im.dialog.messages.get', { DIALOG_ID: '5', FIRST_ID: ids[2] })).result;
    expect(newer.messages.map((m: any) => m.text)).toEqual(['m4', 'm5']);
    // The other side sees the same dialog under the caller's id.
    const theirs = (await ok('im.dialog.messages.get', { DIALOG_ID: '1' }, user5)).result;
    expect(theirs.chat_id).toBe(latest.chat_id);
    expect((await ok('im.dialog.get', { DIALOG_ID: '1' }, user5)).result).toMatchObject({
      type: 'private',
      dialog_id: '1',
      counter: 5,
    });
    await fails('im.dialog.messages.get', { DIALOG_ID: '5', LAST_ID: 'abc' }, 'LAST_ID_STRING');
    await fails('im.dialog.messages.get', {}, 'DIALOG_ID_EMPTY');
  });

  test('update, like and delete; only the author edits', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'E', USERS: [5] })).result as number;
    const mid = (
      await ok('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'draft', ATTACH: [{ MESSAGE: 'block' }] })
    ).result as number;
    await fails('im.message.update', { MESSAGE_ID: mid, MESSAGE: 'hijack' }, 'CANT_EDIT_MESSAGE', 400, user5);
    await ok('im.message.update', { MESSAGE_ID: mid, MESSAGE: 'final' });
    await ok('im.message.like', { MESSAGE_ID: mid, ACTION: 'plus' }, user5);
    await fails('im.message.like', { MESSAGE_ID: mid, ACTION: 'plus' }, 'WITHOUT_CHANGES', 400, user5);
    let [m] = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` })).result.messages;
    expect(m).toMatchObject({
      id: mid,
      text: 'final',
      author_id: 1,
      params: { LIKE: [5], IS_EDITED: 'Y', ATTACH: [{ ID: `${mid}0`, COLOR: '', BLOCKS: [{ MESSAGE: 'block' }] }] },
    });
    await ok('im.message.like', { MESSAGE_ID: mid }, user5); // auto: toggles off
    await ok('im.message.delete', { MESSAGE_ID: mid });
    [m] = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` })).result.messages;
    expect(m).toMatchObject({ id: mid, text: '', params: { IS_DELETED: 'Y' } });
    expect(m.params.LIKE).toBeUndefined();
    await fails('im.message.delete', { MESSAGE_ID: mid }, 'CANT_EDIT_MESSAGE');
    // The documented attach-object form keeps its own ID and keys.
    const card = { ID: 7, COLOR_TOKEN: 'primary', BLOCKS: [{ LINK: { NAME: 'Open', LINK: 'https://example.com' } }] };
    await ok('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'Card', ATTACH: card });
    [m] = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` })).result.messages;
    expect(m.params.ATTACH).toEqual([{ ...card, COLOR: '' }]);
    await fails('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: ' ' }, 'MESSAGE_EMPTY');
    await fails('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'x', ATTACH: 'junk' }, 'ATTACH_ERROR');
    await fails('im.message.update', {}, 'MESSAGE_ID_ERROR');
  });

  test('read, unread and read.all move the counter', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'R', USERS: [5] })).result as number;
    const dialog = `chat${id}`;
    const m1 = (await ok('im.message.add', { DIALOG_ID: dialog, MESSAGE: 'a' }, user5)).result as number;
    const m2 = (await ok('im.message.add', { DIALOG_ID: dialog, MESSAGE: 'b' }, user5)).result as number;
    await ok('im.message.add', { DIALOG_ID: dialog, MESSAGE: 'c' }, user5);
    expect((await ok('im.dialog.get', { DIALOG_ID: dialog })).result).toMatchObject({ counter: 3, unread_id: m1 });
    expect((await ok('im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: m2 })).result).toEqual({
      dialogId: dialog,
      chatId: id,
      lastId: m2,
      counter: 1,
    });
    await ok('im.dialog.unread', { DIALOG_ID: dialog, MESSAGE_ID: m1 });
    expect((await ok('im.dialog.get', { DIALOG_ID: dialog })).result.counter).toBe(3);
    await ok('im.dialog.read.all');
    expect((await ok('im.dialog.get', { DIALOG_ID: dialog })).result.counter).toBe(0);
    await fails('im.dialog.unread', { DIALOG_ID: dialog }, 'MESSAGE_ID_ERROR');
    await ok('im.dialog.writing', { DIALOG_ID: dialog });
    expect(emu.db.prepare('SELECT USER_ID FROM im_writing WHERE CHAT_ID = ?').all(id)).toEqual([{ USER_ID: 1 }]);
  });

  test('files: chat folder, upload through Drive, commit posts a message with the file', async () => {
    const id = (await ok('im.chat.add', { TITLE: 'F' })).result as number;
    const folder = (await ok('im.disk.folder.get', { CHAT_ID: id })).result.ID as number;
    expect((await ok('im.disk.folder.get', { DIALOG_ID: `chat${id}` })).result.ID).toBe(folder);
    const file = (
      await ok('disk.folder.uploadfile', {
        id: folder,
        data: { NAME: 'a.txt' },
        fileContent: ['a.txt', Buffer.from('hi').toString('base64')],
      })
    ).result;
    const c = (await ok('im.disk.file.commit', { DIALOG_ID: `chat${id}`, FILE_ID: [file.ID], MESSAGE: 'doc' })).result;
    expect(c.DISK_ID).toEqual([String(file.ID)]);
    const got = (await ok('im.dialog.messages.get', { DIALOG_ID: `chat${id}` })).result;
    expect(got.messages[0]).toMatchObject({ id: c.MESSAGE_ID, text: 'doc', params: { FILE_ID: [file.ID] } });
    expect(got.files[0]).toMatchObject({ id: file.ID, name: 'a.txt', type: 'file', size: 2 });
    const bytes = await (await fetch(got.files[0].urlDownload)).text();
    expect(bytes).toBe('hi');
    await fails('im.disk.file.commit', { CHAT_ID: id, FILE_ID: 987654 }, 'FILES_ERROR');
    await fails('im.disk.folder.get', { CHAT_ID: id }, 'ACCESS_ERROR', 403, user5);
  });
});

describe('im: notifications, users, status', () => {
  test('personal and system notifications persist; delete by id and by tag', async () => {
    const p = (await ok('im.notify.personal.add', { USER_ID: 5, MESSAGE: 'hello', TAG: 'T1', CLIENT_ID: 'app1' }))
      .result as number;
    const s = (await ok('im.notify.system.add', { USER_ID: 5, MESSAGE: 'sys', ATTACH: [{ MESSAGE: 'x' }] }))
      .result as number;
    const rows = emu.db
      .prepare('SELECT ID, TYPE, USER_ID, AUTHOR_ID, TAG FROM im_notify WHERE ID IN (?, ?) ORDER BY ID')
      .all(p, s);
    expect(rows).toEqual([
      { ID: p, TYPE: 'personal', USER_ID: 5, AUTHOR_ID: 1, TAG: 'T1' },
      { ID: s, TYPE: 'system', USER_ID: 5, AUTHOR_ID: 0, TAG: null },
    ]);
    // The same tag replaces the older notification.
    const p2 = (await ok('im.notify.personal.add', { USER_ID: 5, MESSAGE: 'again', TAG: 'T1', CLIENT_ID: 'app1' }))
      .result as number;
    expect(emu.db.prepare('SELECT ID FROM im_notify WHERE TAG = ?').all('T1')).toEqual([{ ID: p2 }]);
    await fails('im.notify.delete', { TAG: 'T1' }, 'ACCESS_DENIED', 403);
    expect((await ok('im.notify.delete', { TAG: 'T1', CLIENT_ID: 'app1' })).result).toBe(true);
    expect((await ok('im.notify.delete', { ID: s })).result).toBe(true);
    expect((await ok('im.notify.delete', { ID: s })).result).toBe(false);
    expect(emu.db.prepare('SELECT COUNT(*) AS c FROM im_notify WHERE ID IN (?, ?, ?)').get(p, s, p2)).toEqual({ c: 0 });
    await fails('im.notify.delete', {}, 'PARAMS_ERROR');
    await fails('im.notify.personal.add', { MESSAGE: 'x' }, 'USER_ID_EMPTY');
    await fails('im.notify.system.add', { USER_ID: 5 }, 'MESSAGE_EMPTY');
  });

  test('user.list.get keyed by id or as an array; status round-trips', async () => {
    const keyed = (await ok('im.user.list.get', { ID: [1, 5] })).result;
    expect(Object.keys(keyed)).toEqual(['1', '5']);
    expect(keyed['5']).toMatchObject({ id: 5, first_name: 'User5' });
    await fails('im.user.list.get', { ID: 5 }, 'INVALID_FORMAT');
    await ok('im.user.status.set', { STATUS: 'away' }, user5);
    expect((await ok('im.user.status.get', {}, user5)).result).toBe('away');
    expect((await ok('im.user.list.get', { ID: [5], RESULT_TYPE: 'array' })).result[0].status).toBe('away');
    await fails('im.user.status.set', { STATUS: 'Away' }, 'STATUS_ERROR');
  });
});
