/**
 * The messenger (scope `im`): group and private chats with members, owners, mute and read
 * state; messages with attachments, likes, edits and deletion; chat files through the Drive
 * folder of a chat; personal and system notifications; user status. Shapes follow the docs'
 * response examples: typed JSON (real numbers and booleans), not the legacy CRM wire typing.
 */
import { randomUUID } from 'node:crypto';
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { param } from '../params.js';
import { toBool, toPositiveInt } from '../wire.js';
import type { AuthContext, CallContext, Domain } from './types.js';

/** The documented chat colours (im.chat.add, im.chat.updateColor) and their hex codes. */
const COLORS: Readonly<Record<string, string>> = {
  RED: '#df532d',
  GREEN: '#29619b',
  MINT: '#4ba984',
  LIGHT_BLUE: '#4ba5c3',
  DARK_BLUE: '#3e99ce',
  PURPLE: '#8474c8',
  AQUA: '#1eb4aa',
  PINK: '#f76187',
  LIME: '#58cc47',
  BROWN: '#ab7761',
  AZURE: '#29619b',
  KHAKI: '#728f7a',
  SAND: '#ba9c7b',
  MARENGO: '#556574',
  GRAY: '#909090',
  GRAPHITE: '#3e4a56',
};
const STATUSES = new Set(['online', 'dnd', 'away', 'break']);

interface ChatRow {
  ID: number;
  TYPE: 'C' | 'O' | 'P';
  TITLE: string;
  DESCRIPTION: string;
  COLOR: string;
  AVATAR_FILE: number | null;
  OWNER: number;
  ENTITY_TYPE: string;
  ENTITY_ID: string;
  DATE_CREATE: string;
  DISK_FOLDER_ID: number | null;
  PRIVATE_KEY: string | null;
}
interface MemberRow {
  CHAT_ID: number;
  USER_ID: number;
  MUTE: 'Y' | 'N';
  LAST_READ_ID: number;
  /** With HIDE_HISTORY=Y a member sees only messages after this id. */
  START_ID: number;
}
interface MessageRow {
  ID: number;
  CHAT_ID: number;
  AUTHOR_ID: number;
  DATE: string;
  TEXT: string;
  ATTACH: string | null;
  LIKES: string;
  FILE_IDS: string;
  UUID: string;
  EDITED: 'Y' | 'N';
  DELETED: 'Y' | 'N';
}

const err = (code: string, text: string, status = 400) => new RestError(code, text, status);
const accessError = (status = 400) => err('ACCESS_ERROR', 'Action unavailable', status);

const posInt = toPositiveInt;
const truthyYN = (raw: unknown) => toBool(raw) === true;
const list = (raw: unknown): unknown[] =>
  Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object'
      ? Object.values(raw)
      : raw === undefined || raw === null || raw === ''
        ? []
        : [raw];

export const imDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  db.exec(`
    CREATE TABLE IF NOT EXISTS im_chat (ID INTEGER PRIMARY KEY AUTOINCREMENT, TYPE TEXT NOT NULL, TITLE TEXT NOT NULL,
      DESCRIPTION TEXT NOT NULL DEFAULT '', COLOR TEXT NOT NULL, AVATAR_FILE INTEGER, OWNER INTEGER NOT NULL,
      ENTITY_TYPE TEXT NOT NULL DEFAULT '', ENTITY_ID TEXT NOT NULL DEFAULT '', DATE_CREATE TEXT NOT NULL,
      DISK_FOLDER_ID INTEGER, PRIVATE_KEY TEXT UNIQUE);
    CREATE TABLE IF NOT EXISTS im_member (CHAT_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL, MUTE TEXT NOT NULL DEFAULT 'N',
      LAST_READ_ID INTEGER NOT NULL DEFAULT 0, START_ID INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (CHAT_ID, USER_ID));
    CREATE TABLE IF NOT EXISTS im_message (ID INTEGER PRIMARY KEY AUTOINCREMENT, CHAT_ID INTEGER NOT NULL, AUTHOR_ID INTEGER NOT NULL,
      DATE TEXT NOT NULL, TEXT TEXT NOT NULL, ATTACH TEXT, LIKES TEXT NOT NULL DEFAULT '[]', FILE_IDS TEXT NOT NULL DEFAULT '[]',
      UUID TEXT NOT NULL, EDITED TEXT NOT NULL DEFAULT 'N', DELETED TEXT NOT NULL DEFAULT 'N');
    CREATE INDEX IF NOT EXISTS im_message_chat ON im_message (CHAT_ID, ID);
    CREATE TABLE IF NOT EXISTS im_notify (ID INTEGER PRIMARY KEY AUTOINCREMENT, TYPE TEXT NOT NULL, USER_ID INTEGER NOT NULL,
      AUTHOR_ID INTEGER NOT NULL, SENDER_ID INTEGER NOT NULL, MESSAGE TEXT NOT NULL, MESSAGE_OUT TEXT, TAG TEXT, SUB_TAG TEXT, ATTACH TEXT,
      APP_KEY TEXT NOT NULL DEFAULT '', DATE TEXT NOT NULL, READ TEXT NOT NULL DEFAULT 'N');
    CREATE TABLE IF NOT EXISTS im_user_status (USER_ID INTEGER PRIMARY KEY, STATUS TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS im_writing (CHAT_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL, AT TEXT NOT NULL, PRIMARY KEY (CHAT_ID, USER_ID));
  `);

  const now = () => isoDateTime(portal.clock.now());
  const chatById = (id: number) => db.prepare(`SELECT * FROM im_chat WHERE ID = ?`).get(id) as ChatRow | undefined;
  const member = (chatId: number, userId: number) =>
    db.prepare(`SELECT * FROM im_member WHERE CHAT_ID = ? AND USER_ID = ?`).get(chatId, userId) as
      | MemberRow
      | undefined;
  const members = (chatId: number) =>
    db.prepare(`SELECT * FROM im_member WHERE CHAT_ID = ? ORDER BY rowid`).all(chatId) as MemberRow[];
  const lastMessageId = (chatId: number) =>
    (db.prepare(`SELECT MAX(ID) AS m FROM im_message WHERE CHAT_ID = ?`).get(chatId) as { m: number | null }).m ?? 0;
  const addMember = (chatId: number, userId: number, hideHistory: boolean) => {
    const start = hideHistory ? lastMessageId(chatId) : 0;
    db.prepare(`INSERT OR IGNORE INTO im_member (CHAT_ID, USER_ID, LAST_READ_ID, START_ID) VALUES (?, ?, ?, ?)`).run(
      chatId,
      userId,
      start,
      start,
    );
  };

  /** A user as im.* shows them. The emulator has no user directory of its own: names are derived from the id. */
  const userName = (id: number) => (id === 1 ? ['Admin', 'Emulator'] : [`User${id}`, 'Emulator']) as [string, string];
  const statusOf = (id: number) =>
    (db.prepare(`SELECT STATUS FROM im_user_status WHERE USER_ID = ?`).get(id) as { STATUS: string } | undefined)
      ?.STATUS ?? 'online';
  const imUser = (id: number) => {
    const [first, last] = userName(id);
    const colors = Object.values(COLORS);
    return {
      id,
      active: true,
      name: `${first} ${last}`,
      first_name: first,
      last_name: last,
      work_position: '',
      color: colors[id % colors.length] ?? '#df532d',
      avatar: '',
      avatar_hr: '',
      gender: 'M',
      birthday: '',
      extranet: false,
      network: false,
      bot: false,
      connector: false,
      external_auth_id: 'default',
      status: statusOf(id),
      idle: false,
      last_activity_date: now(),
      mobile_last_date: false,
      desktop_last_date: false,
      absent: false,
      departments: [1],
      // The docs show `phones` as an object when a user has numbers on file, else `false`; here even ids have one.
      phones:
        id % 2 === 0
          ? {
              work_phone: `+1555${String(id).padStart(7, '0')}`,
              personal_mobile: `+1556${String(id).padStart(7, '0')}`,
              inner_phone: String(100 + id),
            }
          : false,
      bot_data: null,
      type: 'user',
      website: '',
      email: `user${id}@example.invalid`,
    };
  };

  const createChat = (type: ChatRow['TYPE'], title: string, owner: number, extra: Partial<ChatRow> = {}): number => {
    const id = Number(
      db
        .prepare(`INSERT INTO im_chat (TYPE, TITLE, DESCRIPTION, COLOR, OWNER, ENTITY_TYPE, ENTITY_ID, DATE_CREATE, PRIVATE_KEY)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          type,
          title,
          extra.DESCRIPTION ?? '',
          extra.COLOR ?? 'GRAPHITE',
          owner,
          extra.ENTITY_TYPE ?? '',
          extra.ENTITY_ID ?? '',
          now(),
          extra.PRIVATE_KEY ?? null,
        ).lastInsertRowid,
    );
    addMember(id, owner, false);
    return id;
  };

  /** The private chat of two users, made on first use as the portal does. */
  const privateChat = (a: number, b: number): ChatRow => {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    const found = db.prepare(`SELECT * FROM im_chat WHERE PRIVATE_KEY = ?`).get(key) as ChatRow | undefined;
    if (found) return found;
    const id = createChat('P', '', a, { PRIVATE_KEY: key });
    addMember(id, b, false);
    return chatById(id)!;
  };

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

  const unreadCount = (chatId: number, userId: number) => {
    const me = member(chatId, userId);
    if (!me) return 0;
    return (
      db
        .prepare(
          `SELECT COUNT(*) AS c FROM im_message WHERE CHAT_ID = ? AND ID > ? AND AUTHOR_ID <> ? AND DELETED = 'N'`,
        )
        .get(chatId, Math.max(me.LAST_READ_ID, me.START_ID), userId) as { c: number }
    ).c;
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

  const postMessage = (
    chatId: number,
    authorId: number,
    text: string,
    attach: string | null,
    fileIds: number[] = [],
  ): number => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO im_message (CHAT_ID, AUTHOR_ID, DATE, TEXT, ATTACH, FILE_IDS, UUID) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(chatId, authorId, now(), text, attach, JSON.stringify(fileIds), randomUUID()).lastInsertRowid,
    );
    // Sending marks everything up to one's own message as read.
    db.prepare(`UPDATE im_member SET LAST_READ_ID = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(id, chatId, authorId);
    return id;
  };
  const messageById = (id: number) =>
    db.prepare(`SELECT * FROM im_message WHERE ID = ?`).get(id) as MessageRow | undefined;
  const messageParam = (ctx: CallContext): MessageRow => {
    const id = posInt(param(ctx.params, 'MESSAGE_ID'));
    if (id === undefined) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
    const msg = messageById(id);
    if (!msg) throw err('MESSAGE_ID_ERROR', "Message ID can't be empty");
    return msg;
  };

  const dialogId = (chat: ChatRow, viewer: number) => {
    if (chat.TYPE !== 'P') return `chat${chat.ID}`;
    const other = members(chat.ID).find((m) => m.USER_ID !== viewer);
    return String(other?.USER_ID ?? viewer);
  };
  const avatarUrl = (chat: ChatRow, auth: AuthContext) =>
    chat.AVATAR_FILE ? portal.downloadUrl(chat.AVATAR_FILE, auth) : '';

  // ---- disk: each chat gets a Drive folder on first request, inside the Drive domain's table ----
  const CHAT_STORAGE_BASE = 100_000;
  const chatFolder = (chat: ChatRow): number => {
    if (chat.DISK_FOLDER_ID) return chat.DISK_FOLDER_ID;
    const t = now();
    const id = Number(
      db
        .prepare(`INSERT INTO disk_object (NAME, TYPE, PARENT_ID, STORAGE_ID, CREATE_TIME, UPDATE_TIME, CREATED_BY, UPDATED_BY)
          VALUES (?, 'folder', NULL, ?, ?, ?, ?, ?)`)
        .run(`chat${chat.ID}`, CHAT_STORAGE_BASE + chat.ID, t, t, chat.OWNER, chat.OWNER).lastInsertRowid,
    );
    db.prepare(`UPDATE im_chat SET DISK_FOLDER_ID = ? WHERE ID = ?`).run(id, chat.ID);
    return id;
  };
  const diskFile = (id: number) =>
    db.prepare(`SELECT * FROM disk_object WHERE ID = ? AND TYPE = 'file'`).get(id) as
      | Record<string, unknown>
      | undefined;
  const extOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');
  const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);
  const fileModel = (row: Record<string, unknown>, chatId: number, auth: AuthContext, date: string) => {
    const name = String(row['NAME']);
    const url = row['FILE_ID'] ? portal.downloadUrl(Number(row['FILE_ID']), auth) : '';
    const [first, last] = userName(Number(row['CREATED_BY']));
    const image = IMAGE_EXT.has(extOf(name));
    return {
      id: Number(row['ID']),
      chatId,
      date,
      type: image ? 'image' : 'file',
      name,
      extension: extOf(name),
      size: Number(row['SIZE'] ?? 0),
      image: image ? { height: 0, width: 0 } : false,
      status: 'done',
      progress: 100,
      authorId: Number(row['CREATED_BY']),
      authorName: `${first} ${last}`,
      urlPreview: url,
      urlShow: url,
      urlDownload: url,
      viewerAttrs: {
        viewer: '',
        viewerType: image ? 'image' : 'cloud-document',
        src: url,
        viewerResized: '',
        objectId: String(row['ID']),
        viewerGroupBy: String(chatId),
        imChatId: chatId,
        title: name,
        actions: '[{"type":"download"}]',
      },
      mediaUrl: { preview: { '250': url } },
      isTranscribable: false,
      isVideoNote: false,
      isVoiceNote: false,
    };
  };

  const messageWire = (m: MessageRow, viewer: MemberRow | undefined) => {
    const likes = JSON.parse(m.LIKES) as number[];
    const files = JSON.parse(m.FILE_IDS) as number[];
    const params: Record<string, unknown> = {};
    if (likes.length) params['LIKE'] = likes;
    if (files.length) params['FILE_ID'] = files;
    if (m.ATTACH) {
      // Stored as sent: a bare block list, one attach object or a list of them. History shows a
      // list of attach objects ({ID, COLOR, BLOCKS}), as the docs' format describes.
      const raw = JSON.parse(m.ATTACH) as unknown;
      const isBlocks = (v: unknown) =>
        Array.isArray(v) && v.every((b) => b && typeof b === 'object' && !('BLOCKS' in b));
      const attaches = isBlocks(raw) ? [{ BLOCKS: raw }] : Array.isArray(raw) ? raw : [raw];
      params['ATTACH'] = attaches.map((a, i) => ({ ID: `${m.ID}${i}`, COLOR: '', ...(a as object) }));
    }
    if (m.EDITED === 'Y') params['IS_EDITED'] = 'Y';
    if (m.DELETED === 'Y') params['IS_DELETED'] = 'Y';
    const viewerId = viewer?.USER_ID ?? 0;
    return {
      id: m.ID,
      chat_id: m.CHAT_ID,
      author_id: m.AUTHOR_ID,
      date: m.DATE,
      text: m.TEXT,
      unread: m.AUTHOR_ID !== viewerId && m.ID > (viewer?.LAST_READ_ID ?? 0),
      uuid: m.UUID,
      replaces: [],
      // PHP sends an empty params array as [].
      params: Object.keys(params).length ? params : [],
      disappearing_date: null,
    };
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

  const removeMember = (chat: ChatRow, userId: number) => {
    db.prepare(`DELETE FROM im_member WHERE CHAT_ID = ? AND USER_ID = ?`).run(chat.ID, userId);
    if (chat.OWNER === userId) {
      // The owner's seat passes to the longest-standing member, as when an owner leaves on a portal.
      const next = members(chat.ID)[0];
      db.prepare(`UPDATE im_chat SET OWNER = ? WHERE ID = ?`).run(next?.USER_ID ?? 0, chat.ID);
    }
  };

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
      db.prepare(`UPDATE im_chat SET TITLE = ? WHERE ID = ?`).run(title.trim(), chat.ID);
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
      db.prepare(`UPDATE im_chat SET COLOR = ? WHERE ID = ?`).run(color, chat.ID);
      return { result: true };
    },
  });

  /** Stores a base64 image (optionally a data: URL) as the chat avatar. */
  const setAvatar = (chatId: number, raw: string) => {
    const b64 = raw.replace(/^data:[^;,]*;base64,/, '');
    const bytes = /^[A-Za-z0-9+/=\s]+$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    const type = imageType(bytes);
    if (!type) throw err('AVATAR_ERROR', 'Avatar incorrect type');
    const fileId = portal.saveFile(`avatar.${type.split('/')[1]}`, bytes, type);
    db.prepare(`UPDATE im_chat SET AVATAR_FILE = ? WHERE ID = ?`).run(fileId, chatId);
  };

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
      db.prepare(`UPDATE im_chat SET OWNER = ? WHERE ID = ?`).run(userId, chat.ID);
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
      db.prepare(`UPDATE im_member SET MUTE = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(mute, chat.ID, me.USER_ID);
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
      const firstUnread = me
        ? ((
            db
              .prepare(
                `SELECT MIN(ID) AS m FROM im_message WHERE CHAT_ID = ? AND ID > ? AND AUTHOR_ID <> ? AND DELETED = 'N'`,
              )
              .get(chat.ID, me.LAST_READ_ID, me.USER_ID) as { m: number | null }
          ).m ?? 0)
        : 0;
      const count = (
        db.prepare(`SELECT COUNT(*) AS c FROM im_message WHERE CHAT_ID = ? AND DELETED = 'N'`).get(chat.ID) as {
          c: number;
        }
      ).c;
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
      let rows: MessageRow[];
      if (firstId !== undefined) {
        rows = db
          .prepare(`SELECT * FROM im_message WHERE CHAT_ID = ? AND ID > ? AND ID > ? ORDER BY ID ASC LIMIT ?`)
          .all(chat.ID, firstId, floor, limit) as MessageRow[];
      } else {
        rows = db
          .prepare(`SELECT * FROM im_message WHERE CHAT_ID = ? AND ID < ? AND ID > ? ORDER BY ID DESC LIMIT ?`)
          .all(chat.ID, lastId ?? Number.MAX_SAFE_INTEGER, floor, limit) as MessageRow[];
      }
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
      db.prepare(
        `INSERT INTO im_writing (CHAT_ID, USER_ID, AT) VALUES (?, ?, ?) ON CONFLICT (CHAT_ID, USER_ID) DO UPDATE SET AT = excluded.AT`,
      ).run(chat.ID, ctx.auth.userId, now());
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
      db.prepare(`UPDATE im_member SET LAST_READ_ID = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(
        lastId,
        chat.ID,
        me.USER_ID,
      );
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
      db.prepare(`UPDATE im_member SET LAST_READ_ID = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(
        Math.min(me.LAST_READ_ID, msgId - 1),
        chat.ID,
        me.USER_ID,
      );
      return { result: true };
    },
  });

  api.method({
    name: 'im.dialog.read.all',
    scope: 'im',
    handler: (ctx) => {
      db.prepare(`UPDATE im_member SET LAST_READ_ID = MAX(LAST_READ_ID, COALESCE((SELECT MAX(ID) FROM im_message WHERE im_message.CHAT_ID = im_member.CHAT_ID), 0))
        WHERE USER_ID = ?`).run(ctx.auth.userId);
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
      db.prepare(`UPDATE im_message SET TEXT = ?, ATTACH = ?, EDITED = ?, DELETED = ? WHERE ID = ?`).run(
        newText,
        newAttach,
        edited,
        deleted ? 'Y' : 'N',
        msg.ID,
      );
      return { result: true };
    },
  });

  api.method({
    name: 'im.message.delete',
    scope: 'im',
    handler: (ctx) => {
      const msg = ownMessage(ctx);
      // The row stays as a "deleted" placeholder in the history, as the portal shows it.
      db.prepare(`UPDATE im_message SET TEXT = '', ATTACH = NULL, DELETED = 'Y' WHERE ID = ?`).run(msg.ID);
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
      db.prepare(`UPDATE im_message SET LIKES = ? WHERE ID = ?`).run(JSON.stringify(next), msg.ID);
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
    // A new notification with an existing tag replaces the older ones (same app).
    if (tag) db.prepare(`DELETE FROM im_notify WHERE TAG = ? AND APP_KEY = ?`).run(tag, key);
    const id = db
      .prepare(
        `INSERT INTO im_notify (TYPE, USER_ID, AUTHOR_ID, SENDER_ID, MESSAGE, MESSAGE_OUT, TAG, SUB_TAG, ATTACH, APP_KEY, DATE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        type,
        userId,
        type === 'system' ? 0 : ctx.auth.userId,
        ctx.auth.userId,
        message,
        strOrNull(param(ctx.params, 'MESSAGE_OUT')),
        tag,
        subTag,
        attach,
        key,
        now(),
      ).lastInsertRowid;
    return { result: Number(id) };
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
        // One's own notifications, or those one sent (system ones have no author but a sender).
        const r = db
          .prepare(`DELETE FROM im_notify WHERE ID = ? AND (USER_ID = ? OR SENDER_ID = ?)`)
          .run(id, ctx.auth.userId, ctx.auth.userId);
        return { result: r.changes > 0 };
      }
      if (!tag && !subTag) throw err('PARAMS_ERROR', 'Incorrect params');
      if (ctx.auth.type === 'webhook' && !strOrNull(param(ctx.params, 'CLIENT_ID'))) {
        throw err('ACCESS_DENIED', 'Access denied! Client ID not specified', 403);
      }
      const key = appKey(ctx);
      const r = tag
        ? db.prepare(`DELETE FROM im_notify WHERE TAG = ? AND APP_KEY = ?`).run(tag, key)
        : db.prepare(`DELETE FROM im_notify WHERE SUB_TAG = ? AND APP_KEY = ?`).run(subTag, key);
      return { result: r.changes > 0 };
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
      db.prepare(
        `INSERT INTO im_user_status (USER_ID, STATUS) VALUES (?, ?) ON CONFLICT (USER_ID) DO UPDATE SET STATUS = excluded.STATUS`,
      ).run(ctx.auth.userId, status);
      return { result: true };
    },
  });
};

/** The MIME type of PNG, JPEG, GIF, WebP or BMP bytes, from their signature. */
function imageType(b: Buffer): string | undefined {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && b.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  if (
    b.length >= 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  return undefined;
}
