/**
 * OPI region MessageManagement: each function performed with b24kit against the emulator,
 * asserting the stored message, its attachments, likes and read state.
 */
import { createClient, fileBlock, fileInput, pictureBlock, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
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

const newChat = async () => `chat${await b24.im.chat.add({ TITLE: 'Messages', USERS: [5] })}`;
const latest = async (dialog: string, client = b24) =>
  (await client.im.dialog.messages.get({ DIALOG_ID: dialog })).messages;

describe('OPI MessageManagement', () => {
  it('SendMessage → im.message.add (text with picture and file blocks)', async () => {
    const dialog = await newChat();
    const blocks = [
      pictureBlock('Logo', 'https://example.com/logo.png'),
      fileBlock('Report', 'https://example.com/r.pdf'),
    ];
    const id = await b24.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'See attached', ATTACH: blocks });
    expect(id).toBeGreaterThan(0);
    const [m] = await latest(dialog, as5);
    expect(m).toMatchObject({ id, text: 'See attached', author_id: 1, unread: true });
    expect((m!.params as { ATTACH: unknown[] }).ATTACH).toEqual([{ ID: `${id}0`, COLOR: '', BLOCKS: blocks }]);
    // A user id as DIALOG_ID is the private dialog with that user.
    const direct = await b24.im.message.add({ DIALOG_ID: '5', MESSAGE: 'psst' });
    expect((await latest('1', as5))[0]).toMatchObject({ id: direct, text: 'psst' });
  });

  it('EditMessage → im.message.update', async () => {
    const dialog = await newChat();
    const id = await b24.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'typo' });
    expect(
      await b24.im.message.update({
        MESSAGE_ID: id,
        MESSAGE: 'fixed',
        ATTACH: [pictureBlock('P', 'https://example.com/p.png')],
      }),
    ).toBe(true);
    const [m] = await latest(dialog);
    expect(m).toMatchObject({ id, text: 'fixed', params: { IS_EDITED: 'Y' } });
    await expect(as5.im.message.update({ MESSAGE_ID: id, MESSAGE: 'not mine' })).rejects.toMatchObject({
      code: 'CANT_EDIT_MESSAGE',
    });
  });

  it('SetMessageReaction → im.message.like', async () => {
    const dialog = await newChat();
    const id = await b24.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'like me' });
    expect(await as5.im.message.like({ MESSAGE_ID: id })).toBe(true);
    expect((await latest(dialog))[0]!.params).toMatchObject({ LIKE: [5] });
    // The default action toggles: a second call takes the like back.
    await as5.im.message.like({ MESSAGE_ID: id });
    expect((await latest(dialog))[0]!.params).toEqual([]);
  });

  it('DeleteMessage → im.message.delete', async () => {
    const dialog = await newChat();
    const id = await b24.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'oops' });
    expect(await b24.im.message.delete({ MESSAGE_ID: id })).toBe(true);
    expect((await latest(dialog))[0]).toMatchObject({ id, text: '', params: { IS_DELETED: 'Y' } });
    await expect(b24.im.message.delete({ MESSAGE_ID: id })).rejects.toMatchObject({ code: 'CANT_EDIT_MESSAGE' });
  });

  it('SendFile → im.disk.file.commit (after uploading to the chat folder)', async () => {
    const dialog = await newChat();
    const chatId = Number(dialog.slice(4));
    const folder = await b24.im.disk.folder.get({ CHAT_ID: chatId });
    const uploaded = await b24.disk.folder.uploadFile({
      id: folder.ID!,
      data: { NAME: 'notes.txt' },
      fileContent: await fileInput(Buffer.from('hello file'), 'notes.txt'),
    });
    // With fileContent the upload happens in one step and answers the stored file, not an upload link.
    if (!('ID' in uploaded)) throw new Error('expected the stored file');
    const file = uploaded;
    const sent = await b24.im.disk.file.commit({ CHAT_ID: chatId, FILE_ID: file.ID!, MESSAGE: 'Notes' });
    expect(sent.DISK_ID).toEqual([String(file.ID)]);
    const history = await as5.im.dialog.messages.get({ DIALOG_ID: dialog });
    expect(history.messages[0]).toMatchObject({
      id: sent.MESSAGE_ID,
      text: 'Notes',
      params: { FILE_ID: [Number(file.ID)] },
    });
    expect(history.files[0]).toMatchObject({ name: 'notes.txt', size: 10 });
    expect(await (await fetch(history.files[0]!.urlDownload!)).text()).toBe('hello file');
  });

  it('MarkMessageAsReaded → im.dialog.read', async () => {
    const dialog = await newChat();
    const first = await as5.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'a' });
    await as5.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'b' });
    const state = await b24.im.dialog.read({ DIALOG_ID: dialog, MESSAGE_ID: first });
    expect(state).toMatchObject({ dialogId: dialog, lastId: first, counter: 1 });
    expect((await b24.im.dialog.get({ DIALOG_ID: dialog })).counter).toBe(1);
    // The author sees their message as read by the reader.
    expect((await as5.im.dialog.get({ DIALOG_ID: dialog })).readed_list).toEqual([
      expect.objectContaining({ user_id: 1, message_id: first }),
    ]);
  });

  it('MarkMessageAsUnreaded → im.dialog.unread', async () => {
    const dialog = await newChat();
    const first = await as5.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'a' });
    await as5.im.message.add({ DIALOG_ID: dialog, MESSAGE: 'b' });
    await b24.im.dialog.read({ DIALOG_ID: dialog });
    expect((await b24.im.dialog.get({ DIALOG_ID: dialog })).counter).toBe(0);
    expect(await b24.im.dialog.unread({ DIALOG_ID: dialog, MESSAGE_ID: first })).toBe(true);
    expect((await b24.im.dialog.get({ DIALOG_ID: dialog })).counter).toBe(2);
  });

  it('GetPictureBlock (local helper) → pictureBlock()', () => {
    expect(pictureBlock('Logo', 'https://example.com/l.png')).toEqual({
      IMAGE: { NAME: 'Logo', LINK: 'https://example.com/l.png' },
    });
  });

  it('GetFileBlock (local helper) → fileBlock()', () => {
    expect(fileBlock('Doc', 'https://example.com/d.pdf')).toEqual({
      FILE: { NAME: 'Doc', LINK: 'https://example.com/d.pdf' },
    });
  });
});
