/**
 * The messenger store: chats, members with their read state, messages, notifications, user
 * status and typing marks; each chat's Drive folder (inside the Drive domain's table); the wire
 * shapes of users, messages and files; and every SQL statement of the domain. Method handlers
 * live in ./methods.ts. Shapes follow the docs' response examples: typed JSON (real numbers and
 * booleans), not the legacy CRM wire typing.
 */
import { randomUUID } from 'node:crypto';
import { isoDateTime } from '../../clock.js';
import { RestError } from '../../errors.js';
import { toBool, toPositiveInt } from '../../wire.js';
import type { AuthContext, Portal } from '../types.js';

/** The documented chat colours (im.chat.add, im.chat.updateColor) and their hex codes. */
export const COLORS: Readonly<Record<string, string>> = {
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
export const STATUSES = new Set(['online', 'dnd', 'away', 'break']);

export interface ChatRow {
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
export interface MemberRow {
  CHAT_ID: number;
  USER_ID: number;
  MUTE: 'Y' | 'N';
  LAST_READ_ID: number;
  /** With HIDE_HISTORY=Y a member sees only messages after this id. */
  START_ID: number;
}
export interface MessageRow {
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

export const err = (code: string, text: string, status = 400) => new RestError(code, text, status);
export const accessError = (status = 400) => err('ACCESS_ERROR', 'Action unavailable', status);

export const posInt = toPositiveInt;
export const truthyYN = (raw: unknown) => toBool(raw) === true;
export const list = (raw: unknown): unknown[] =>
  Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object'
      ? Object.values(raw)
      : raw === undefined || raw === null || raw === ''
        ? []
        : [raw];

/** The messenger's tables and operations over the portal's database. */
export function createImStore(portal: Portal) {
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

  const removeMember = (chat: ChatRow, userId: number) => {
    db.prepare(`DELETE FROM im_member WHERE CHAT_ID = ? AND USER_ID = ?`).run(chat.ID, userId);
    if (chat.OWNER === userId) {
      // The owner's seat passes to the longest-standing member, as when an owner leaves on a portal.
      const next = members(chat.ID)[0];
      db.prepare(`UPDATE im_chat SET OWNER = ? WHERE ID = ?`).run(next?.USER_ID ?? 0, chat.ID);
    }
  };

  /** Stores a base64 image (optionally a data: URL) as the chat avatar. */
  const setAvatar = (chatId: number, raw: string) => {
    const b64 = raw.replace(/^data:[^;,]*;base64,/, '');
    const bytes = /^[A-Za-z0-9+/=\s]+$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    const type = imageType(bytes);
    if (!type) throw err('AVATAR_ERROR', 'Avatar incorrect type');
    const fileId = portal.saveFile(`avatar.${type.split('/')[1]}`, bytes, type);
    db.prepare(`UPDATE im_chat SET AVATAR_FILE = ? WHERE ID = ?`).run(fileId, chatId);
  };

  const setTitle = (chatId: number, title: string) =>
    db.prepare(`UPDATE im_chat SET TITLE = ? WHERE ID = ?`).run(title, chatId);
  const setColor = (chatId: number, color: string) =>
    db.prepare(`UPDATE im_chat SET COLOR = ? WHERE ID = ?`).run(color, chatId);
  const setOwner = (chatId: number, userId: number) =>
    db.prepare(`UPDATE im_chat SET OWNER = ? WHERE ID = ?`).run(userId, chatId);
  const setMute = (chatId: number, userId: number, mute: 'Y' | 'N') =>
    db.prepare(`UPDATE im_member SET MUTE = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(mute, chatId, userId);
  const setLastRead = (chatId: number, userId: number, lastId: number) =>
    db.prepare(`UPDATE im_member SET LAST_READ_ID = ? WHERE CHAT_ID = ? AND USER_ID = ?`).run(lastId, chatId, userId);
  /** Marks every chat of the user read up to its last message. */
  const readAll = (userId: number) =>
    db
      .prepare(`UPDATE im_member SET LAST_READ_ID = MAX(LAST_READ_ID, COALESCE((SELECT MAX(ID) FROM im_message WHERE im_message.CHAT_ID = im_member.CHAT_ID), 0))
        WHERE USER_ID = ?`)
      .run(userId);
  /** The first message the member has not read (0 when none). */
  const firstUnreadId = (chatId: number, me: MemberRow) =>
    (
      db
        .prepare(
          `SELECT MIN(ID) AS m FROM im_message WHERE CHAT_ID = ? AND ID > ? AND AUTHOR_ID <> ? AND DELETED = 'N'`,
        )
        .get(chatId, me.LAST_READ_ID, me.USER_ID) as { m: number | null }
    ).m ?? 0;
  const messageCount = (chatId: number) =>
    (
      db.prepare(`SELECT COUNT(*) AS c FROM im_message WHERE CHAT_ID = ? AND DELETED = 'N'`).get(chatId) as {
        c: number;
      }
    ).c;
  /** A page of history above `floor`: after `firstId` (oldest first), else before `lastId` (newest first). */
  const historyPage = (
    chatId: number,
    firstId: number | undefined,
    lastId: number | undefined,
    floor: number,
    limit: number,
  ): MessageRow[] =>
    firstId !== undefined
      ? (db
          .prepare(`SELECT * FROM im_message WHERE CHAT_ID = ? AND ID > ? AND ID > ? ORDER BY ID ASC LIMIT ?`)
          .all(chatId, firstId, floor, limit) as MessageRow[])
      : (db
          .prepare(`SELECT * FROM im_message WHERE CHAT_ID = ? AND ID < ? AND ID > ? ORDER BY ID DESC LIMIT ?`)
          .all(chatId, lastId ?? Number.MAX_SAFE_INTEGER, floor, limit) as MessageRow[]);
  const setWriting = (chatId: number, userId: number) =>
    db
      .prepare(
        `INSERT INTO im_writing (CHAT_ID, USER_ID, AT) VALUES (?, ?, ?) ON CONFLICT (CHAT_ID, USER_ID) DO UPDATE SET AT = excluded.AT`,
      )
      .run(chatId, userId, now());
  const updateMessage = (id: number, text: string, attach: string | null, edited: 'Y' | 'N', deleted: boolean) =>
    db
      .prepare(`UPDATE im_message SET TEXT = ?, ATTACH = ?, EDITED = ?, DELETED = ? WHERE ID = ?`)
      .run(text, attach, edited, deleted ? 'Y' : 'N', id);
  /** The row stays as a "deleted" placeholder in the history, as the portal shows it. */
  const deleteMessage = (id: number) =>
    db.prepare(`UPDATE im_message SET TEXT = '', ATTACH = NULL, DELETED = 'Y' WHERE ID = ?`).run(id);
  const setLikes = (id: number, likes: number[]) =>
    db.prepare(`UPDATE im_message SET LIKES = ? WHERE ID = ?`).run(JSON.stringify(likes), id);

  /** Stores a notification; one with a tag replaces the older ones of that tag (same app). */
  const addNotification = (n: {
    type: 'personal' | 'system';
    userId: number;
    authorId: number;
    senderId: number;
    message: string;
    messageOut: string | null;
    tag: string | null;
    subTag: string | null;
    attach: string | null;
    appKey: string;
  }): number => {
    if (n.tag) db.prepare(`DELETE FROM im_notify WHERE TAG = ? AND APP_KEY = ?`).run(n.tag, n.appKey);
    return Number(
      db
        .prepare(
          `INSERT INTO im_notify (TYPE, USER_ID, AUTHOR_ID, SENDER_ID, MESSAGE, MESSAGE_OUT, TAG, SUB_TAG, ATTACH, APP_KEY, DATE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          n.type,
          n.userId,
          n.authorId,
          n.senderId,
          n.message,
          n.messageOut,
          n.tag,
          n.subTag,
          n.attach,
          n.appKey,
          now(),
        ).lastInsertRowid,
    );
  };
  /** One's own notifications, or those one sent (system ones have no author but a sender). */
  const deleteNotification = (id: number, userId: number): boolean =>
    db.prepare(`DELETE FROM im_notify WHERE ID = ? AND (USER_ID = ? OR SENDER_ID = ?)`).run(id, userId, userId)
      .changes > 0;
  const deleteNotificationsByTag = (tag: string | null, subTag: string | null, appKey: string): boolean =>
    (tag
      ? db.prepare(`DELETE FROM im_notify WHERE TAG = ? AND APP_KEY = ?`).run(tag, appKey)
      : db.prepare(`DELETE FROM im_notify WHERE SUB_TAG = ? AND APP_KEY = ?`).run(subTag, appKey)
    ).changes > 0;
  const setStatus = (userId: number, status: string) =>
    db
      .prepare(
        `INSERT INTO im_user_status (USER_ID, STATUS) VALUES (?, ?) ON CONFLICT (USER_ID) DO UPDATE SET STATUS = excluded.STATUS`,
      )
      .run(userId, status);

  return {
    now,
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
    setTitle,
    setColor,
    setOwner,
    setMute,
    setLastRead,
    readAll,
    firstUnreadId,
    messageCount,
    historyPage,
    setWriting,
    updateMessage,
    deleteMessage,
    setLikes,
    addNotification,
    deleteNotification,
    deleteNotificationsByTag,
    setStatus,
  };
}

export type ImStore = ReturnType<typeof createImStore>;

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
