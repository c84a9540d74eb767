/**
 * Messenger structures: the parameters of im.chat.add (OPI GetChatStructure) and the picture
 * and file blocks of a message or notification `ATTACH` (OPI GetPictureBlock, GetFileBlock).
 */
import { defineStructure } from './structure.js';
import { B24ArgumentError } from '@b24kit/core';

/** The colours im.chat.add and im.chat.updateColor accept. */
export const CHAT_COLORS = [
  'RED',
  'GREEN',
  'MINT',
  'LIGHT_BLUE',
  'DARK_BLUE',
  'PURPLE',
  'AQUA',
  'PINK',
  'LIME',
  'BROWN',
  'AZURE',
  'KHAKI',
  'SAND',
  'MARENGO',
  'GRAY',
  'GRAPHITE',
] as const;
export type ChatColor = (typeof CHAT_COLORS)[number];

const chatFields = {
  TYPE: 'OPEN (open chat) or CHAT (closed, the default)',
  TITLE: 'Title',
  DESCRIPTION: 'Description',
  COLOR: `Colour: ${CHAT_COLORS.join(', ')}`,
  MESSAGE: 'First message',
  USERS: 'Member user ids',
  AVATAR: 'Avatar, base64 image',
  ENTITY_TYPE: 'Type of the linked object',
  ENTITY_ID: 'Id of the linked object',
  OWNER_ID: 'Owner user id',
} as const;

export type ChatStructure = {
  TYPE?: 'OPEN' | 'CHAT';
  TITLE?: string;
  DESCRIPTION?: string;
  COLOR?: ChatColor;
  MESSAGE?: string;
  USERS?: (number | string)[];
  AVATAR?: string;
  ENTITY_TYPE?: string;
  ENTITY_ID?: string;
  OWNER_ID?: number | string;
};

const chatBase = defineStructure<keyof typeof chatFields, ChatStructure>({ name: 'chat', fields: chatFields });
export const chatStructure = {
  ...chatBase,
  build(values: ChatStructure): ChatStructure {
    const out = chatBase.build(values);
    if (out.COLOR !== undefined && !CHAT_COLORS.includes(out.COLOR)) {
      throw new B24ArgumentError(
        `chat: COLOR must be one of ${CHAT_COLORS.join(', ')}, got ${JSON.stringify(out.COLOR)}`,
      );
    }
    if (out.TYPE !== undefined && out.TYPE !== 'OPEN' && out.TYPE !== 'CHAT') {
      throw new B24ArgumentError(`chat: TYPE must be OPEN or CHAT, got ${JSON.stringify(out.TYPE)}`);
    }
    return out;
  },
};
/** Checked parameters for im.chat.add: `b24.im.chat.add(chat({ TITLE: 'Team', USERS: [5] }))`. */
export const chat = (values: ChatStructure): ChatStructure => chatStructure.build(values);

export type PictureBlock = {
  IMAGE: { NAME?: string; LINK: string; PREVIEW?: string; WIDTH?: number; HEIGHT?: number };
};
export type FileBlock = {
  FILE: { NAME?: string; LINK: string; SIZE?: number };
};
/** One block of an `ATTACH` list. */
export type AttachBlock = PictureBlock | FileBlock | Readonly<Record<string, unknown>>;

function checkLink(what: string, link: unknown): string {
  if (typeof link !== 'string' || link === '')
    throw new B24ArgumentError(`${what}: LINK must be a non-empty URL string`);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new B24ArgumentError(`${what}: LINK is not an absolute URL: ${JSON.stringify(link)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new B24ArgumentError(`${what}: LINK must be http(s), got ${url.protocol}`);
  return link;
}

/** A picture block: `{IMAGE: {NAME, LINK}}` (plus PREVIEW, WIDTH, HEIGHT when given). */
export function pictureBlock(
  name: string,
  link: string,
  extra: Omit<PictureBlock['IMAGE'], 'NAME' | 'LINK'> = {},
): PictureBlock {
  return { IMAGE: { NAME: name, LINK: checkLink('picture block', link), ...extra } };
}

/** A file block: `{FILE: {NAME, LINK}}` (plus SIZE in bytes when given). */
export function fileBlock(name: string, link: string, extra: Omit<FileBlock['FILE'], 'NAME' | 'LINK'> = {}): FileBlock {
  return { FILE: { NAME: name, LINK: checkLink('file block', link), ...extra } };
}
