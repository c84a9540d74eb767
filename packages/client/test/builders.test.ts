import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  calendarEvent,
  calendarEventQuery,
  calendarEventQueryStructure,
  calendarEventStructure,
  calendarSection,
  calendarSectionStructure,
  calendarSettings,
  calendarSettingsStructure,
  chat,
  chatStructure,
  dealFilter,
  dealFilterStructure,
  defineStructure,
  fileBase64,
  fileBlock,
  fileInput,
  leadFilter,
  leadFilterStructure,
  pictureBlock,
  splitFilterKey,
  taskComment,
  taskCommentStructure,
  taskFields,
  taskFilter,
  taskFilterStructure,
  userFilter,
  userFilterStructure,
} from '@b24kit/client';
import { afterAll, describe, expect, it, test } from 'vitest';

describe('splitFilterKey', () => {
  test.each([
    ['TITLE', '', 'TITLE'],
    ['>=OPPORTUNITY', '>=', 'OPPORTUNITY'],
    ['!=%TITLE', '!=%', 'TITLE'],
    ['!%=TITLE', '!%=', 'TITLE'],
    ['!STATUS', '!', 'STATUS'],
    ['@ID', '@', 'ID'],
    ['%=NAME', '%=', 'NAME'],
    ['<DEADLINE', '<', 'DEADLINE'],
    ['>', '', '>'],
  ])('%s → %s + %s', (key, operator, field) => {
    expect(splitFilterKey(key)).toEqual({ operator, field });
  });
});

describe('structures keep empty values and refuse unknown names', () => {
  it('deal filter: 0, false and "" survive; undefined is dropped', () => {
    expect(
      dealFilter({ '>=OPPORTUNITY': 0, CLOSED: 'N', TITLE: '', IS_NEW: false as never, STAGE_ID: undefined }),
    ).toEqual({
      '>=OPPORTUNITY': 0,
      CLOSED: 'N',
      TITLE: '',
      IS_NEW: false,
    });
  });

  test.each([
    ['deal', () => dealFilter({ NOPE: 1 } as never), /deal filter: unknown field "NOPE"/],
    ['lead', () => leadFilter({ '>STAGE_ID': 'NEW' } as never), /lead filter: unknown field ">STAGE_ID"/],
    ['task', () => taskFilter({ RESPONSIBLE: 1 } as never), /task filter: unknown field "RESPONSIBLE"/],
    ['task fields', () => taskFields({ '>TITLE': 'x' } as never), /task fields: unknown field ">TITLE"/],
    ['comment', () => taskComment({ TEXT: 'x' } as never), /task comment: unknown field "TEXT"/],
    ['user', () => userFilter({ FULL_NAME: 'x' } as never), /user filter: unknown field "FULL_NAME"/],
    ['calendar event', () => calendarEvent({ title: 'x' } as never), /calendar event: unknown field "title"/],
    ['calendar section', () => calendarSection({ colour: 'x' } as never), /calendar section: unknown field "colour"/],
    [
      'calendar query',
      () => calendarEventQuery({ sections: [1] } as never),
      /calendar event filter: unknown field "sections"/,
    ],
    ['calendar settings', () => calendarSettings({ View: 'day' } as never), /calendar settings: unknown field "View"/],
    ['chat', () => chat({ NAME: 'x' } as never), /chat: unknown field "NAME"/],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  it('accepts operator prefixes, UF_ fields and LOGIC on filters', () => {
    expect(leadFilter({ '%TITLE': 'acme', '!STATUS_ID': 'JUNK', UF_CRM_1: 'x', '>=UF_CRM_2': 3 })).toEqual({
      '%TITLE': 'acme',
      '!STATUS_ID': 'JUNK',
      UF_CRM_1: 'x',
      '>=UF_CRM_2': 3,
    });
    expect(dealFilter({ LOGIC: 'OR', '@ID': [1, 2] })).toEqual({ LOGIC: 'OR', '@ID': [1, 2] });
    expect(taskFilter({ '!REAL_STATUS': 5, '::SUBFILTER-PARAMS': { FAVORITE: 'Y' } })).toEqual({
      '!REAL_STATUS': 5,
      '::SUBFILTER-PARAMS': { FAVORITE: 'Y' },
    });
    // Plain structures take no operators.
    expect(() => calendarEvent({ '>from': 'x' } as never)).toThrow(/unknown field ">from"/);
    expect(() => dealFilter(null as never)).toThrow(/expected an object of fields, got null/);
    expect(() => dealFilter([] as never)).toThrow(/got an array/);
  });

  it('chat checks TYPE and COLOR against the documented values', () => {
    expect(chat({ TITLE: 'T', COLOR: 'MINT', TYPE: 'OPEN', USERS: [5] })).toEqual({
      TITLE: 'T',
      COLOR: 'MINT',
      TYPE: 'OPEN',
      USERS: [5],
    });
    expect(() => chat({ COLOR: 'ORANGE' as never })).toThrow(/COLOR must be one of RED, GREEN/);
    expect(() => chat({ TYPE: 'PUBLIC' as never })).toThrow(/TYPE must be OPEN or CHAT/);
  });

  it('returns a copy, not the caller object', () => {
    const input = { TITLE: 'x' };
    const out = taskFields(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });
});

describe('templates (OPI Clear flag)', () => {
  test.each([
    ['deal filter', dealFilterStructure, ['ID', 'TITLE', 'STAGE_ID', 'OPPORTUNITY', 'ASSIGNED_BY_ID']],
    ['lead filter', leadFilterStructure, ['ID', 'TITLE', 'STATUS_ID', 'NAME', 'PHONE']],
    ['task filter', taskFilterStructure, ['ID', 'RESPONSIBLE_ID', 'REAL_STATUS', 'DEADLINE', 'GROUP_ID']],
    ['comment', taskCommentStructure, ['POST_MESSAGE', 'AUTHOR_ID', 'POST_DATE', 'UF_FORUM_MESSAGE_DOC']],
    ['user filter', userFilterStructure, ['ACTIVE', 'NAME', 'LAST_NAME', 'UF_DEPARTMENT', 'USER_TYPE']],
    ['chat', chatStructure, ['TYPE', 'TITLE', 'COLOR', 'USERS', 'AVATAR']],
    ['calendar section', calendarSectionStructure, ['type', 'ownerId', 'name', 'color', 'export']],
    [
      'calendar event',
      calendarEventStructure,
      ['type', 'ownerId', 'name', 'from', 'to', 'section', 'attendees', 'remind'],
    ],
    ['calendar event filter', calendarEventQueryStructure, ['type', 'ownerId', 'from', 'to', 'section']],
    ['calendar settings', calendarSettingsStructure, ['view', 'meetSection', 'showDeclined', 'defaultReminders']],
  ] as const)('%s', (_name, structure, must) => {
    const described = structure.template() as Record<string, string>;
    const clear = structure.template({ clear: true }) as Record<string, string>;
    expect(Object.keys(described)).toEqual(expect.arrayContaining([...must]));
    expect(Object.keys(clear)).toEqual(Object.keys(described));
    expect(Object.values(clear).every((v) => v === '')).toBe(true);
    expect(Object.values(described).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
    expect(structure.keys).toEqual(Object.keys(described));
  });

  it('defineStructure works for a custom structure', () => {
    const s = defineStructure<'A' | 'B', { A?: number; B?: string }>({
      name: 'demo',
      fields: { A: 'first', B: 'second' },
    });
    expect(s.template()).toEqual({ A: 'first', B: 'second' });
    expect(s.build({ A: 0 })).toEqual({ A: 0 });
    expect(() => s.build({ C: 1 } as never)).toThrow('demo: unknown field "C"; known fields: A, B');
  });
});

describe('message blocks', () => {
  it('picture and file blocks have the ATTACH shapes', () => {
    expect(pictureBlock('Logo', 'https://example.com/logo.png')).toEqual({
      IMAGE: { NAME: 'Logo', LINK: 'https://example.com/logo.png' },
    });
    expect(pictureBlock('Logo', 'https://example.com/l.png', { WIDTH: 100, HEIGHT: 50 })).toEqual({
      IMAGE: { NAME: 'Logo', LINK: 'https://example.com/l.png', WIDTH: 100, HEIGHT: 50 },
    });
    expect(fileBlock('report.pdf', 'http://example.com/r.pdf', { SIZE: 0 })).toEqual({
      FILE: { NAME: 'report.pdf', LINK: 'http://example.com/r.pdf', SIZE: 0 },
    });
  });

  test.each([
    ['', /LINK must be a non-empty URL/],
    ['example.com/x.png', /not an absolute URL/],
    ['ftp://example.com/x.png', /must be http\(s\), got ftp:/],
  ])('bad link %j', (link, message) => {
    expect(() => pictureBlock('x', link)).toThrow(message);
    expect(() => fileBlock('x', link)).toThrow(message);
  });
});

describe('fileInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b24kit-fi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);

  it('reads a path, naming the file after it', async () => {
    const path = join(dir, 'data.bin');
    writeFileSync(path, bytes);
    expect(await fileInput(path)).toEqual(['data.bin', bytes.toString('base64')]);
    expect(await fileInput(path, 'other.bin')).toEqual(['other.bin', bytes.toString('base64')]);
  });

  it('takes a Buffer, a Uint8Array view, an ArrayBuffer', async () => {
    expect(await fileInput(bytes, 'a.bin')).toEqual(['a.bin', bytes.toString('base64')]);
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    expect(await fileInput(big.subarray(2, 5), 'v.bin')).toEqual(['v.bin', Buffer.from([1, 2, 3]).toString('base64')]);
    expect(await fileInput(new Uint8Array([7, 8]).buffer, 'ab.bin')).toEqual(['ab.bin', 'Bwg=']);
  });

  it('drains a readable stream of many chunks', async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => Buffer.alloc(1000, i));
    const [name, b64] = await fileInput(Readable.from(chunks), 's.bin');
    expect(name).toBe('s.bin');
    expect(Buffer.from(b64, 'base64').equals(Buffer.concat(chunks))).toBe(true);
    expect(await fileBase64(Readable.from(['he', 'llo']))).toBe(Buffer.from('hello').toString('base64'));
  });

  it('clear errors: missing file, missing name, wrong source', async () => {
    await expect(fileInput(join(dir, 'absent.txt'))).rejects.toThrow(/cannot read ".*absent\.txt" \(ENOENT\)/);
    await expect(fileInput(bytes)).rejects.toThrow('fileInput: a file name is required when the source is not a path');
    await expect(fileInput(42 as never, 'x')).rejects.toThrow(
      /expected a path, a Buffer\/Uint8Array or a readable stream, got number/,
    );
    await expect(fileInput(Readable.from([{ a: 1 }], { objectMode: true }) as never, 'x')).rejects.toThrow(
      /stream chunk must be bytes/,
    );
  });
});
