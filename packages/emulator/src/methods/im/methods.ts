/**
 * Messenger methods (scope `im`): group and private chats with members, owners, mute and read
 * state; messages with attachments, likes, edits and deletion; chat files through the Drive
 * folder of a chat; personal and system notifications; user status. Over the messenger store
 * (./store.ts).
 */
import { param } from '../../params.js';
import type { AuthContext, CallContext, DomainApi } from '../types.js';
import {
  accessError,
  type ChatRow,
  COLORS,
  err,
  type ImStore,
  list,
  type MemberRow,
  type MessageRow,
  posInt,
  STATUSES,
  truthyYN,
} from './store.js';

export function registerImMethods(api: DomainApi, store: ImStore): void {
  const { portal } = api;
  const {
    chatById,
    member,
    members,
    lastMessageId,
    addMember,
    userName,
    statusOf,
    imUser,
    createChat,
    privateChat,
    unreadCount,
    postMessage,
    messageById,
    dialogId,
    avatarUrl,
    chatFolder,
    diskFile,
    extOf,
    IMAGE_EXT,
    fileModel,
    messageWire,
    removeMember,
    setAvatar,
  } = store;

  /** DIALOG_ID is `chatN`, `sgN` (a workgroup chat, not emulated) or a user id for a private chat. */
  const dialog = (ctx: CallContext, raw: unknown, status = 400): ChatRow => {
    const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (s === '') throw err('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
    const m = /^chat(\d+)$/i.exec(s);
    if (m) {
      const chat = chatById(Number(m[1]));
      if (!chat) throw accessError(status);
      return chat;
    }
    const userId = posInt(s);
    if (userId === undefined) throw accessError(status);
    return privateChat(ctx.auth.userId, userId);
  };
  const chatParam = (ctx: CallContext, status = 400, dialogAlso = true): ChatRow => {
    const rawId = param(ctx.params, 'CHAT_ID');
    if (rawId !== undefined && rawId !== '') {
      const id = posInt(rawId);
      if (id === undefined) throw err('CHAT_ID_EMPTY', "Chat ID can't be empty");
      const chat = chatById(id);
      if (!chat) throw accessError(status);
      return chat;
    }
    const d = dialogAlso ? param(ctx.params, 'DIALOG_ID') : undefined;
    if (d === undefined || d === '') throw err('CHAT_ID_EMPTY', "Chat ID can't be empty");
    return dialog(ctx, d, status);
  };
  /** Members may act; anyone may read an open chat. */
  const requireMember = (chat: ChatRow, auth: AuthContext, status = 400, readOnly = false): MemberRow | undefined => {
    const me = member(chat.ID, auth.userId);
    if (!me && !(readOnly && chat.TYPE === 'O')) throw accessError(status);
    return me;
  };
  const requireGroup = (chat: ChatRow) => {
    // Changing a private dialog's title, colour or avatar is refused as the docs say.
    if (chat.TYPE === 'P') throw err('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
  };

  const attachParam = (ctx: CallContext): string | null => {
    const raw = param(ctx.params, 'ATTACH');
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'object') throw err('ATTACH_ERROR', 'Incorrect attach params');
    const blocks = Array.isArray(raw)
      ? raw
      : 'BLOCKS' in raw
        ? list((raw as Record<string, unknown>)['BLOCKS'])
        : [raw];
    if (blocks.some((b) => b === null || typeof b !== 'object' || Array.isArray(b) || Object.keys(b).length === 0))
      throw err('ATTACH_ERROR', 'Incorrect attach params');
    const json = JSON.stringify(raw);
    if (json.length > 30_000) throw err('ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
    return json;
  };

  const messageParam = (ctx: CallContext): MessageRow => {
    const id = posInt(param(ctx.params, 'MESSAGE_ID'));
    if (id === undefined) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
    const msg = messageById(id);
    if (!msg) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
    return msg;
  };

  // ---------------------------------- chats ----------------------------------
  api.method({
    name: 'im.chat.add',
    scope: 'im',
    handler: (ctx) => {
      const me = ctx.auth.userId;
      const users = [
        ...new Set(
          list(param(ctx.params, 'USERS')).map((u) => {
            const id = posInt(u);
            if (id === undefined) throw err('USER_ID_EMPTY', `Invalid user id in USERS: ${JSON.stringify(u)}`);
            return id;
          }),
        ),
      ].filter((u) => u !== me);
      const type = String(param(ctx.params, 'TYPE') ?? 'CHAT').toUpperCase() === 'OPEN' ? 'O' : 'C';
      const colorRaw = param(ctx.params, 'COLOR');
      const color = typeof colorRaw === 'string' && colorRaw !== '' ? colorRaw.toUpperCase() : undefined;
      if (color !== undefined && !COLORS[color]) throw err('WRONG_COLOR', 'This color currently unavailable');
      const titleRaw = param(ctx.params, 'TITLE');
      const title =
        typeof titleRaw === 'string' && titleRaw.trim() !== ''
          ? titleRaw.trim()
          : `Chat with ${[me, ...users].map((u) => userName(u).join(' ')).join(', ')}`;
      const id = createChat(type, title, me, {
        DESCRIPTION: String(param(ctx.params, 'DESCRIPTION') ?? ''),
        ...(color ? { COLOR: color } : {}),
        ENTITY_TYPE: String(param(ctx.params, 'ENTITY_TYPE') ?? ''),
        ENTITY_ID: String(param(ctx.params, 'ENTITY_ID') ?? ''),
      });
      for (const u of users) addMember(id, u, false);
      const avatar = param(ctx.params, 'AVATAR');
      if (typeof avatar === 'string' && avatar !== '') setAvatar(id, avatar);
      const text = param(ctx.params, 'MESSAGE');
      if (typeof text === 'string' && text !== '') postMessage(id, me, text, null);
      return { result: id };
    },
  });

  api.method({
    name: 'im.chat.user.list',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 400, false);
      requireMember(chat, ctx.auth, 400, true);
      return { result: members(chat.ID).map((m) => m.USER_ID) };
    },
  });

  api.method({
    name: 'im.chat.user.add',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 400, false);
      requireMember(chat, ctx.auth);
      if (chat.TYPE === 'P') throw err('ACCESS_ERROR', 'It is forbidden to add users to this chat');
      const users = list(param(ctx.params, 'USERS')).map((u) => posInt(u));
      if (users.length === 0 || users.some((u) => u === undefined))
        throw err('USER_ID_EMPTY', "User ID can't be empty");
      const hide = truthyYN(param(ctx.params, 'HIDE_HISTORY'));
      for (const u of users) addMember(chat.ID, u!, hide);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.user.delete',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 400, false);
      const userId = posInt(param(ctx.params, 'USER_ID'));
      if (userId === undefined) throw err('USER_ID_EMPTY', "User ID can't be empty");
      requireMember(chat, ctx.auth);
      if (chat.TYPE === 'P') throw err('ACCESS_ERROR', 'It is forbidden to delete users of this chat');
      if (userId !== ctx.auth.userId && chat.OWNER !== ctx.auth.userId) {
        throw err('ACCESS_DENIED_KICK', 'Insufficient rights to exclude participants from the chat');
      }
      if (!member(chat.ID, userId)) throw err('USER_NOT_FOUND', 'The specified user is not in the chat');
      removeMember(chat, userId);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.leave',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 400, false);
      requireMember(chat, ctx.auth);
      if (chat.TYPE === 'P') throw err('ACCESS_ERROR', 'It is forbidden to delete users of this chat');
      removeMember(chat, ctx.auth.userId);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.updateTitle',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx);
      const title = param(ctx.params, 'TITLE');
      if (typeof title !== 'string' || title.trim() === '') throw err('TITLE_EMPTY', "Title can't be empty");
      requireGroup(chat);
      requireMember(chat, ctx.auth);
      store.setTitle(chat.ID, title.trim());
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.updateColor',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx);
      requireGroup(chat);
      requireMember(chat, ctx.auth);
      const raw = param(ctx.params, 'COLOR');
      const color = typeof raw === 'string' ? raw.toUpperCase() : '';
      if (!COLORS[color]) throw err('WRONG_COLOR', 'This color currently unavailable');
      if (chat.COLOR === color) throw err('WRONG_REQUEST', "This color currently set or chat doesn't exist");
      store.setColor(chat.ID, color);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.updateAvatar',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx);
      requireGroup(chat);
      requireMember(chat, ctx.auth);
      const avatar = param(ctx.params, 'AVATAR');
      if (typeof avatar !== 'string' || avatar === '') throw err('AVATAR_ERROR', 'Avatar incorrect type');
      setAvatar(chat.ID, avatar);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.setOwner',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx);
      const userId = posInt(param(ctx.params, 'USER_ID'));
      if (userId === undefined) throw err('USER_ID_EMPTY', "User ID can't be empty");
      requireMember(chat, ctx.auth);
      if (chat.OWNER !== ctx.auth.userId || !member(chat.ID, userId)) {
        throw err('WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');
      }
      store.setOwner(chat.ID, userId);
      return { result: true };
    },
  });

  api.method({
    name: 'im.chat.mute',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 403);
      const me = requireMember(chat, ctx.auth, 403)!;
      // MUTE defaults to Y: the method exists to switch notifications off.
      const raw = param(ctx.params, 'MUTE');
      const mute = raw === undefined || raw === '' ? 'Y' : truthyYN(raw) ? 'Y' : 'N';
      store.setMute(chat.ID, me.USER_ID, mute);
      return { result: true };
    },
  });

  // --------------------------------- dialogs ---------------------------------
  const dialogParam = (ctx: CallContext, status = 400) => dialog(ctx, param(ctx.params, 'DIALOG_ID'), status);

  api.method({
    name: 'im.dialog.get',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx, 403);
      const me = requireMember(chat, ctx.auth, 403, true);
      const all = members(chat.ID);
      const last = lastMessageId(chat.ID);
      const firstUnread = me ? store.firstUnreadId(chat.ID, me) : 0;
      const count = store.messageCount(chat.ID);
      const type = chat.TYPE === 'P' ? 'private' : chat.TYPE === 'O' ? 'open' : 'chat';
      const role = chat.OWNER === ctx.auth.userId ? 'owner' : me ? 'member' : 'guest';
      return {
        result: {
          id: chat.ID,
          parent_chat_id: 0,
          parent_message_id: 0,
          name: chat.TYPE === 'P' ? userName(Number(dialogId(chat, ctx.auth.userId))).join(' ') : chat.TITLE,
          description: chat.DESCRIPTION,
          owner: chat.OWNER,
          extranet: false,
          avatar: avatarUrl(chat, ctx.auth),
          color: COLORS[chat.COLOR] ?? '#3e4a56',
          type,
          counter: me ? unreadCount(chat.ID, me.USER_ID) : 0,
          user_counter: all.length,
          message_count: count,
          unread_id: firstUnread,
          restrictions: {
            avatar: chat.TYPE !== 'P',
            rename: chat.TYPE !== 'P',
            extend: chat.TYPE !== 'P',
            call: true,
            mute: true,
            leave: chat.TYPE !== 'P',
            leave_owner: chat.TYPE !== 'P',
            send: true,
            user_list: true,
            path: '',
            path_title: '',
          },
          last_message_id: last,
          last_id: me?.LAST_READ_ID ?? 0,
          marked_id: 0,
          disk_folder_id: chat.DISK_FOLDER_ID ?? 0,
          entity_type: chat.ENTITY_TYPE,
          entity_id: chat.ENTITY_ID,
          entity_data_1: '',
          entity_data_2: '',
          entity_data_3: '',
          mute_list: all.filter((m) => m.MUTE === 'Y').map((m) => m.USER_ID),
          date_create: chat.DATE_CREATE,
          message_type: chat.TYPE,
          public: '',
          role,
          entity_link: { type: chat.ENTITY_TYPE, url: '', id: chat.ENTITY_ID },
          text_field_enabled: true,
          background_id: null,
          permissions: {
            manage_users_add: 'member',
            manage_users_delete: 'manager',
            manage_ui: 'member',
            manage_settings: 'owner',
            manage_messages: 'member',
            can_post: 'member',
          },
          is_new: false,
          readed_list: all
            .filter((m) => m.USER_ID !== ctx.auth.userId)
            .map((m) => ({
              user_id: m.USER_ID,
              user_name: userName(m.USER_ID).join(' '),
              message_id: m.LAST_READ_ID,
              date: null,
            })),
          manager_list: [chat.OWNER],
          last_message_views: {
            message_id: last,
            first_viewers: [],
            count_of_viewers: all.filter((m) => m.LAST_READ_ID >= last && last > 0).length,
          },
          dialog_id: dialogId(chat, ctx.auth.userId),
        },
      };
    },
  });

  api.method({
    name: 'im.dialog.messages.get',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx, 403);
      const me = requireMember(chat, ctx.auth, 403, true);
      const num = (name: string) => {
        const raw = param(ctx.params, name);
        if (raw === undefined || raw === '' || raw === null) return undefined;
        const n =
          typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isSafeInteger(n) || n < 0)
          throw err(`${name.replace('_ID', '')}_ID_STRING`, `${name} can't be string`);
        return n;
      };
      const lastId = num('LAST_ID');
      const firstId = num('FIRST_ID');
      const limit = Math.min(50, Math.max(1, num('LIMIT') ?? 20));
      const floor = me?.START_ID ?? 0;
      const rows = store.historyPage(chat.ID, firstId, lastId, floor, limit);
      const authors = [...new Set(rows.map((r) => r.AUTHOR_ID).filter((a) => a > 0))];
      const files = rows.flatMap((r) =>
        (JSON.parse(r.FILE_IDS) as number[]).flatMap((id) => {
          const f = diskFile(id);
          return f ? [fileModel(f, chat.ID, ctx.auth, r.DATE)] : [];
        }),
      );
      return {
        result: { chat_id: chat.ID, messages: rows.map((r) => messageWire(r, me)), users: authors.map(imUser), files },
      };
    },
  });

  api.method({
    name: 'im.dialog.users.list',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx, 400);
      requireMember(chat, ctx.auth, 400, true);
      const all = members(chat.ID);
      const limit = Math.min(200, posInt(param(ctx.params, 'LIMIT')) ?? 50);
      const lastIdRaw = posInt(param(ctx.params, 'LAST_ID'));
      const offset = posInt(param(ctx.params, 'OFFSET')) ?? 0;
      // LAST_ID pages by user id (ascending), OFFSET by position.
      const ordered = [...all].sort((a, b) => a.USER_ID - b.USER_ID);
      const page =
        lastIdRaw !== undefined
          ? ordered.filter((m) => m.USER_ID > lastIdRaw).slice(0, limit)
          : ordered.slice(offset, offset + limit);
      return { result: page.map((m) => imUser(m.USER_ID)), total: all.length };
    },
  });

  api.method({
    name: 'im.dialog.writing',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx);
      requireMember(chat, ctx.auth);
      store.setWriting(chat.ID, ctx.auth.userId);
      return { result: true };
    },
  });

  api.method({
    name: 'im.dialog.read',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx);
      const me = requireMember(chat, ctx.auth)!;
      const rawMsg = param(ctx.params, 'MESSAGE_ID');
      const upTo = rawMsg === undefined || rawMsg === '' ? lastMessageId(chat.ID) : posInt(rawMsg);
      if (upTo === undefined) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
      const lastId = Math.max(me.LAST_READ_ID, upTo);
      store.setLastRead(chat.ID, me.USER_ID, lastId);
      return {
        result: {
          dialogId: dialogId(chat, me.USER_ID),
          chatId: chat.ID,
          lastId,
          counter: unreadCount(chat.ID, me.USER_ID),
        },
      };
    },
  });

  api.method({
    name: 'im.dialog.unread',
    scope: 'im',
    handler: (ctx) => {
      const chat = dialogParam(ctx);
      const me = requireMember(chat, ctx.auth)!;
      const msgId = posInt(param(ctx.params, 'MESSAGE_ID'));
      if (msgId === undefined) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
      const msg = messageById(msgId);
      if (!msg || msg.CHAT_ID !== chat.ID) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
      // Everything from this message on becomes unread again.
      store.setLastRead(chat.ID, me.USER_ID, Math.min(me.LAST_READ_ID, msgId - 1));
      return { result: true };
    },
  });

  api.method({
    name: 'im.dialog.read.all',
    scope: 'im',
    handler: (ctx) => {
      store.readAll(ctx.auth.userId);
      return { result: true };
    },
  });

  // -------------------------------- messages ---------------------------------
  api.method({
    name: 'im.message.add',
    scope: 'im',
    handler: (ctx) => {
      const rawDialog = param(ctx.params, 'DIALOG_ID');
      const rawUser = param(ctx.params, 'USER_ID');
      const rawChat = param(ctx.params, 'CHAT_ID');
      let chat: ChatRow;
      if (rawDialog !== undefined && rawDialog !== '') chat = dialog(ctx, rawDialog);
      else if (rawChat !== undefined && rawChat !== '') chat = chatParam(ctx);
      else if (rawUser !== undefined && rawUser !== '') {
        const u = posInt(rawUser);
        if (u === undefined) throw err('USER_ID_EMPTY', "User ID can't be empty");
        chat = privateChat(ctx.auth.userId, u);
      } else throw err('USER_ID_EMPTY', "User ID can't be empty");
      requireMember(chat, ctx.auth);
      const text = param(ctx.params, 'MESSAGE');
      const attach = attachParam(ctx);
      const message = typeof text === 'string' ? text : typeof text === 'number' ? String(text) : '';
      if (message.trim() === '' && !attach) throw err('MESSAGE_EMPTY', "Message can't be empty");
      const reply = param(ctx.params, 'REPLY_ID');
      if (reply !== undefined && reply !== '' && reply !== 0 && reply !== '0') {
        const target = messageById(posInt(reply) ?? 0);
        if (!target) throw err('REPLY_ACCESS_ERROR', 'Action unavailable');
        if (target.CHAT_ID !== chat.ID)
          throw err('REPLY_FROM_OTHER_CHAT_ERROR', 'You can only reply to a message within the same chat');
      }
      return { result: postMessage(chat.ID, ctx.auth.userId, message, attach) };
    },
  });

  const ownMessage = (ctx: CallContext): MessageRow => {
    const msg = messageParam(ctx);
    if (msg.AUTHOR_ID !== ctx.auth.userId || msg.DELETED === 'Y') {
      throw err('CANT_EDIT_MESSAGE', "Time has expired for modification or you don't have access");
    }
    return msg;
  };

  api.method({
    name: 'im.message.update',
    scope: 'im',
    handler: (ctx) => {
      const msg = ownMessage(ctx);
      const text = param(ctx.params, 'MESSAGE');
      const attachGiven = param(ctx.params, 'ATTACH') !== undefined;
      const attach = attachParam(ctx);
      const newText = typeof text === 'string' ? text : typeof text === 'number' ? String(text) : msg.TEXT;
      const newAttach = attachGiven ? attach : msg.ATTACH;
      // An update that leaves neither text nor attachment deletes the message (as on a portal).
      const deleted = newText.trim() === '' && !newAttach;
      const edited = String(param(ctx.params, 'IS_EDITED') ?? 'Y').toUpperCase() === 'N' ? 'N' : 'Y';
      store.updateMessage(msg.ID, newText, newAttach, edited, deleted);
      return { result: true };
    },
  });

  api.method({
    name: 'im.message.delete',
    scope: 'im',
    handler: (ctx) => {
      const msg = ownMessage(ctx);
      store.deleteMessage(msg.ID);
      return { result: true };
    },
  });

  api.method({
    name: 'im.message.like',
    scope: 'im',
    handler: (ctx) => {
      const msg = messageParam(ctx);
      const chat = chatById(msg.CHAT_ID)!;
      requireMember(chat, ctx.auth);
      const action = String(param(ctx.params, 'ACTION') ?? 'auto').toLowerCase() || 'auto';
      if (!['auto', 'plus', 'minus'].includes(action)) throw err('PARAMS_ERROR', `Unknown ACTION: ${action}`);
      const likes = JSON.parse(msg.LIKES) as number[];
      const has = likes.includes(ctx.auth.userId);
      const add = action === 'plus' || (action === 'auto' && !has);
      if ((add && has) || (!add && !has)) throw err('WITHOUT_CHANGES', 'Action completed without changes');
      const next = add ? [...likes, ctx.auth.userId] : likes.filter((u) => u !== ctx.auth.userId);
      store.setLikes(msg.ID, next);
      return { result: true };
    },
  });

  // ---------------------------------- files ----------------------------------
  api.method({
    name: 'im.disk.folder.get',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 403);
      requireMember(chat, ctx.auth, 403);
      return { result: { ID: chatFolder(chat) } };
    },
  });

  api.method({
    name: 'im.disk.file.commit',
    scope: 'im',
    handler: (ctx) => {
      const chat = chatParam(ctx, 403);
      requireMember(chat, ctx.auth, 403);
      const fileRaw = param(ctx.params, 'FILE_ID');
      const ids = list(fileRaw === undefined || fileRaw === '' ? param(ctx.params, 'UPLOAD_ID') : fileRaw).map(posInt);
      if (ids.length === 0 || ids.some((id) => id === undefined)) throw err('FILES_ERROR', 'List of files is empty');
      const rows = ids.map((id) => diskFile(id!));
      if (rows.some((r) => !r)) throw err('FILES_ERROR', 'File not found on Drive');
      const text = param(ctx.params, 'MESSAGE');
      const messageId = postMessage(
        chat.ID,
        ctx.auth.userId,
        typeof text === 'string' ? text : '',
        null,
        ids as number[],
      );
      const date = messageById(messageId)!.DATE;
      const files: Record<string, unknown> = {};
      const models: Record<string, unknown> = {};
      for (const row of rows as Record<string, unknown>[]) {
        const key = `upload${String(row['ID'])}`;
        // The docs show dates here as `{}` (a date object the server serializes without fields).
        files[key] = { ...fileModel(row, chat.ID, ctx.auth, date), date: {} };
        models[key] = {
          id: Number(row['ID']),
          name: row['NAME'],
          createTime: {},
          updateTime: {},
          deleteTime: null,
          code: null,
          xmlId: null,
          storageId: Number(row['STORAGE_ID']),
          realObjectId: Number(row['ID']),
          parentId: row['PARENT_ID'],
          deletedType: 0,
          createdBy: String(row['CREATED_BY']),
          updatedBy: String(row['UPDATED_BY']),
          deletedBy: '0',
          uniqueCode: `f${String(row['ID'])}`,
          typeFile: IMAGE_EXT.has(extOf(String(row['NAME']))) ? 2 : 0,
          globalContentVersion: 1,
          fileId: row['FILE_ID'],
          size: Number(row['SIZE'] ?? 0),
          etag: `${String(row['FILE_ID'])}`,
          links: { download: portal.downloadUrl(Number(row['FILE_ID']), ctx.auth), showInGrid: '', preview: '' },
        };
      }
      return { result: { FILES: files, DISK_ID: ids.map(String), FILE_MODELS: models, MESSAGE_ID: messageId } };
    },
  });

  // ------------------------------- notifications -----------------------------
  const notify = (type: 'personal' | 'system') => (ctx: CallContext) => {
    const userId = posInt(param(ctx.params, 'USER_ID'));
    if (userId === undefined) throw err('USER_ID_EMPTY', "User ID can't be empty");
    const text = param(ctx.params, 'MESSAGE');
    const attach = attachParam(ctx);
    const message = typeof text === 'string' ? text : typeof text === 'number' ? String(text) : '';
    if (message.trim() === '' && !attach) throw err('MESSAGE_EMPTY', "Message can't be empty");
    const tag = strOrNull(param(ctx.params, 'TAG'));
    const subTag = strOrNull(param(ctx.params, 'SUB_TAG'));
    const key = appKey(ctx);
    const id = store.addNotification({
      type,
      userId,
      authorId: type === 'system' ? 0 : ctx.auth.userId,
      senderId: ctx.auth.userId,
      message,
      messageOut: strOrNull(param(ctx.params, 'MESSAGE_OUT')),
      tag,
      subTag,
      attach,
      appKey: key,
    });
    return { result: id };
  };
  const strOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
  /** Tags are scoped to the application: its client id, or CLIENT_ID for a webhook. */
  const appKey = (ctx: CallContext) => ctx.auth.clientId ?? strOrNull(param(ctx.params, 'CLIENT_ID')) ?? '';

  api.method({ name: 'im.notify.personal.add', scope: 'im', handler: notify('personal') });
  api.method({ name: 'im.notify.system.add', scope: 'im', handler: notify('system') });
  api.method({
    name: 'im.notify.delete',
    scope: 'im',
    handler: (ctx) => {
      const idRaw = param(ctx.params, 'ID');
      const tag = strOrNull(param(ctx.params, 'TAG'));
      const subTag = strOrNull(param(ctx.params, 'SUB_TAG'));
      if (idRaw !== undefined && idRaw !== '' && idRaw !== 0 && idRaw !== '0') {
        const id = posInt(idRaw);
        if (id === undefined) throw err('PARAMS_ERROR', 'Incorrect params');
        return { result: store.deleteNotification(id, ctx.auth.userId) };
      }
      if (!tag && !subTag) throw err('PARAMS_ERROR', 'Incorrect params');
      if (ctx.auth.type === 'webhook' && !strOrNull(param(ctx.params, 'CLIENT_ID'))) {
        throw err('ACCESS_DENIED', 'Access denied! Client ID not specified', 403);
      }

      return { result: store.deleteNotificationsByTag(tag, subTag, appKey(ctx)) };
    },
  });

  // ---------------------------------- users ----------------------------------
  api.method({
    name: 'im.user.list.get',
    scope: 'im',
    handler: (ctx) => {
      const raw = param(ctx.params, 'ID');
      if (raw === undefined || raw === null || typeof raw !== 'object')
        throw err('INVALID_FORMAT', 'A wrong format for the ID field is passed');
      const ids = list(raw).map((v) => posInt(v));
      if (ids.some((id) => id === undefined)) throw err('INVALID_FORMAT', 'A wrong format for the ID field is passed');
      const users = ids.map((id) => imUser(id!));
      if (String(param(ctx.params, 'RESULT_TYPE') ?? '').toLowerCase() === 'array') return { result: users };
      return { result: Object.fromEntries(users.map((u) => [String(u.id), u])) };
    },
  });

  api.method({ name: 'im.user.status.get', scope: 'im', handler: (ctx) => ({ result: statusOf(ctx.auth.userId) }) });
  api.method({
    name: 'im.user.status.set',
    scope: 'im',
    handler: (ctx) => {
      const status = param(ctx.params, 'STATUS');
      if (typeof status !== 'string' || !STATUSES.has(status)) throw err('STATUS_ERROR', 'Status is not available');
      store.setStatus(ctx.auth.userId, status);
      return { result: true };
    },
  });
}
