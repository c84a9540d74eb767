/**
 * OPI region ChatsAndDialogsManagement: each function performed with b24kit against the
 * emulator, asserting the effect on chats, members, read state and status.
 */
import { chat, createClient, fileBase64, fileInput, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
);

let em: Emulator;
let b24: B24Client;
/** The same portal as user 5. */
let as5: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
  as5 = createClient({ webhook: em.createWebhook({ userId: 5 }), retry: false });
});
afterAll(async () => {
  await b24?.close();
  await as5?.close();
  await em?.close();
});

const newChat = (title: string, users: number[] = [5]) => b24.im.chat.add(chat({ TITLE: title, USERS: users }));
const members = (id: number) => b24.im.chat.user.list({ CHAT_ID: id });
const dialog = (id: number, client = b24) => client.im.dialog.get({ DIALOG_ID: `chat${id}` });

describe('OPI ChatsAndDialogsManagement', () => {
  it('CreateChat → im.chat.add', async () => {
    const id = await b24.im.chat.add(
      chat({
        TITLE: 'Project',
        DESCRIPTION: 'About it',
        COLOR: 'AQUA',
        TYPE: 'OPEN',
        USERS: [5, 7],
        MESSAGE: 'Welcome',
      }),
    );
    expect(id).toBeGreaterThan(0);
    const d = await dialog(id);
    expect(d).toMatchObject({ name: 'Project', description: 'About it', type: 'open', owner: 1, user_counter: 3 });
    const history = await b24.im.dialog.messages.get({ DIALOG_ID: `chat${id}` });
    expect(history.messages.map((m) => m.text)).toEqual(['Welcome']);
  });

  it('GetChatUsers → im.chat.user.list', async () => {
    const id = await newChat('Users', [5, 8]);
    expect(await members(id)).toEqual([1, 5, 8]);
  });

  it('LeaveChat → im.chat.leave', async () => {
    const id = await newChat('Leave');
    expect(await as5.im.chat.leave({ CHAT_ID: id })).toBe(true);
    expect(await members(id)).toEqual([1]);
    await expect(as5.im.chat.leave({ CHAT_ID: id })).rejects.toMatchObject({ code: 'ACCESS_ERROR' });
  });

  it('GetUsers → im.user.list.get', async () => {
    const users = await b24.im.user.list.get({ ID: [1, 5] });
    expect(Object.keys(users)).toEqual(['1', '5']);
    expect(users['5']).toMatchObject({ id: 5, active: true, first_name: 'User5' });
  });

  it('AddUsersToChat → im.chat.user.add (HideHistory false is sent as N)', async () => {
    const id = await newChat('Add', []);
    await b24.im.message.add({ DIALOG_ID: `chat${id}`, MESSAGE: 'before' });
    // HIDE_HISTORY 'N' must reach the portal even though it is the "empty" choice.
    expect(await b24.im.chat.user.add({ CHAT_ID: id, USERS: [5], HIDE_HISTORY: 'N' })).toBe(true);
    await b24.im.chat.user.add({ CHAT_ID: id, USERS: [6], HIDE_HISTORY: 'Y' });
    expect(await members(id)).toEqual([1, 5, 6]);
    expect((await as5.im.dialog.messages.get({ DIALOG_ID: `chat${id}` })).messages.map((m) => m.text)).toEqual([
      'before',
    ]);
    const as6 = createClient({ webhook: em.createWebhook({ userId: 6 }), retry: false });
    expect((await as6.im.dialog.messages.get({ DIALOG_ID: `chat${id}` })).messages).toEqual([]);
    await as6.close();
  });

  it('DeleteUserFromChat → im.chat.user.delete', async () => {
    const id = await newChat('Kick', [5, 9]);
    expect(await b24.im.chat.user.delete({ CHAT_ID: id, USER_ID: 9 })).toBe(true);
    expect(await members(id)).toEqual([1, 5]);
    await expect(as5.im.chat.user.delete({ CHAT_ID: id, USER_ID: 1 })).rejects.toMatchObject({
      code: 'ACCESS_DENIED_KICK',
    });
  });

  it('ChangeChatTitle → im.chat.updateTitle', async () => {
    const id = await newChat('Old');
    expect(await b24.im.chat.updateTitle({ CHAT_ID: id, TITLE: 'New' })).toBe(true);
    expect((await dialog(id)).name).toBe('New');
  });

  it('ChangeChatColor → im.chat.updateColor (not updateTitle, the OPI defect)', async () => {
    const id = await newChat('Colour');
    expect(await b24.im.chat.updateColor({ CHAT_ID: id, COLOR: 'PURPLE' })).toBe(true);
    const d = await dialog(id);
    expect(d.color).toBe('#8474c8');
    expect(d.name).toBe('Colour');
    expect(em.stats().callsByMethod['im.chat.updatecolor']).toBeGreaterThan(0);
  });

  it('ChangeChatPicture → im.chat.updateAvatar (image from a Buffer or a path)', async () => {
    const id = await newChat('Avatar');
    expect(await b24.im.chat.updateAvatar({ CHAT_ID: id, AVATAR: await fileBase64(PNG) })).toBe(true);
    const url = (await dialog(id)).avatar!;
    const served = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(served.equals(PNG)).toBe(true);
    const [, b64] = await fileInput(PNG, 'a.png');
    await expect(
      b24.im.chat.updateAvatar({ CHAT_ID: id, AVATAR: Buffer.from('text').toString('base64') }),
    ).rejects.toMatchObject({ code: 'AVATAR_ERROR' });
    expect(b64).toBe(PNG.toString('base64'));
  });

  it('ChangeChatOwner → im.chat.setOwner', async () => {
    const id = await newChat('Owner');
    expect(await b24.im.chat.setOwner({ CHAT_ID: id, USER_ID: 5 })).toBe(true);
    expect((await dialog(id)).owner).toBe(5);
    expect((await dialog(id, as5)).role).toBe('owner');
  });

  it('DisableChatNotifications → im.chat.mute (MUTE=Y)', async () => {
    const id = await newChat('Mute');
    expect(await b24.im.chat.mute({ CHAT_ID: id, MUTE: 'Y' })).toBe(true);
    expect((await dialog(id)).mute_list).toEqual([1]);
  });

  it('EnableChatNotifications → im.chat.mute (MUTE=N)', async () => {
    const id = await newChat('Unmute');
    await b24.im.chat.mute({ CHAT_ID: id, MUTE: 'Y' });
    expect(await b24.im.chat.mute({ CHAT_ID: id, MUTE: 'N' })).toBe(true);
    expect((await dialog(id)).mute_list).toEqual([]);
  });

  it('GetChatMessagesList → im.dialog.messages.get (LAST_ID / FIRST_ID, 0 is sent)', async () => {
    const id = await newChat('History');
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three'])
      ids.push(await b24.im.message.add({ DIALOG_ID: `chat${id}`, MESSAGE: text }));
    const latest = await b24.im.dialog.messages.get({ DIALOG_ID: `chat${id}` });
    expect(latest.chat_id).toBe(id);
    expect(latest.messages.map((m) => m.text)).toEqual(['three', 'two', 'one']);
    const older = await b24.im.dialog.messages.get({ DIALOG_ID: `chat${id}`, LAST_ID: ids[2]! });
    expect(older.messages.map((m) => m.text)).toEqual(['two', 'one']);
    // FIRST_ID 0 ("from the beginning") is a value and must be sent: it turns the order ascending.
    const fromStart = await b24.im.dialog.messages.get({ DIALOG_ID: `chat${id}`, FIRST_ID: 0 });
    expect(fromStart.messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });

  it('GetDialog → im.dialog.get', async () => {
    const id = await newChat('Dialog', [5, 6]);
    const d = await b24.im.dialog.get({ DIALOG_ID: `chat${id}` });
    expect(d).toMatchObject({
      id,
      name: 'Dialog',
      dialog_id: `chat${id}`,
      type: 'chat',
      owner: 1,
      role: 'owner',
      user_counter: 3,
    });
    // A user id opens the private dialog with that user.
    expect(await b24.im.dialog.get({ DIALOG_ID: '5' })).toMatchObject({ type: 'private', dialog_id: '5' });
  });

  it('GetChatMembersList → im.dialog.users.list', async () => {
    const id = await newChat('Members', [5, 6]);
    const users = await b24.im.dialog.users.list({ DIALOG_ID: `chat${id}` });
    expect(users.map((u) => u.id)).toEqual([1, 5, 6]);
    expect(users[1]).toMatchObject({ id: 5, name: 'User5 Emulator', type: 'user' });
  });

  it('SendWritingNotification → im.dialog.writing', async () => {
    const id = await newChat('Writing');
    expect(await as5.im.dialog.writing({ DIALOG_ID: `chat${id}` })).toBe(true);
    expect(em.db.prepare('SELECT USER_ID FROM im_writing WHERE CHAT_ID = ?').all(id)).toEqual([{ USER_ID: 5 }]);
  });

  it('GetUserStatus → im.user.status.get', async () => {
    expect(await b24.im.user.status.get()).toBe('online');
  });

  it('SetUserStatus → im.user.status.set', async () => {
    expect(await as5.im.user.status.set({ STATUS: 'dnd' })).toBe(true);
    expect(await as5.im.user.status.get()).toBe('dnd');
    expect(await b24.im.user.status.get()).toBe('online');
    await expect(b24.im.user.status.set({ STATUS: 'busy' })).rejects.toMatchObject({ code: 'STATUS_ERROR' });
  });

  it('ReadAll → im.dialog.read.all', async () => {
    const a = await newChat('ReadAll A');
    const b = await newChat('ReadAll B');
    await as5.im.message.add({ DIALOG_ID: `chat${a}`, MESSAGE: 'x' });
    await as5.im.message.add({ DIALOG_ID: `chat${b}`, MESSAGE: 'y' });
    expect((await dialog(a)).counter).toBe(1);
    expect(await b24.im.dialog.read.all()).toBe(true);
    expect((await dialog(a)).counter).toBe(0);
    expect((await dialog(b)).counter).toBe(0);
  });

  it('GetChatFilesFolder → im.disk.folder.get', async () => {
    const id = await newChat('Files');
    const folder = await b24.im.disk.folder.get({ CHAT_ID: id });
    expect(folder.ID).toBeGreaterThan(0);
    expect((await b24.im.disk.folder.get({ CHAT_ID: id })).ID).toBe(folder.ID);
    // The folder is a real Drive folder: a file uploads into it.
    const file = await b24.disk.folder.uploadFile({
      id: folder.ID!,
      data: { NAME: 'x.txt' },
      fileContent: await fileInput(Buffer.from('x'), 'x.txt'),
    });
    expect(file).toMatchObject({ NAME: 'x.txt' });
  });

  it('GetChatStructure (local helper) → chat()', () => {
    expect(chat({ TITLE: 'T', USERS: [1] })).toEqual({ TITLE: 'T', USERS: [1] });
  });
});
