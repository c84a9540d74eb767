/**
 * crm.timeline.*: comments, log messages, bindings, pins, notes and content blocks keep state
 * over one set of timeline records bound to CRM items (https://apidocs.bitrix24.com/api-reference/crm/timeline/).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseStr, type Emulator } from '../../src/index.js';
import { call, start } from '../helpers.js';

let emu: Emulator;
let deal: number;
let company: number;
const w = (method: string, params: Record<string, unknown> = {}) => call(emu.webhookUrl, method, params);

beforeAll(async () => {
  emu = await start();
  deal = (await w('crm.deal.add', { fields: { TITLE: 'Timeline deal' } })).body.result;
  company = (await w('crm.company.add', { fields: { TITLE: 'Timeline company' } })).body.result;
});
afterAll(() => emu.close());

describe('comments', () => {
  test('add → get/list with server-set CREATED and AUTHOR_ID; update; delete', async () => {
    const add = await w('crm.timeline.comment.add', {
      fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'first' },
    });
    expect(add.status).toBe(200);
    const id = add.body.result as number;
    expect(typeof id).toBe('number');
    const got = (await w('crm.timeline.comment.get', { id })).body.result;
    expect(got).toMatchObject({
      ID: String(id),
      ENTITY_ID: String(deal),
      ENTITY_TYPE: 'deal',
      COMMENT: 'first',
      AUTHOR_ID: '1',
    });
    expect(got.CREATED).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect((await w('crm.timeline.comment.update', { id, fields: { COMMENT: 'second' } })).body.result).toBe(id);
    const list = await w('crm.timeline.comment.list', { filter: { ENTITY_ID: deal, ENTITY_TYPE: 'deal' } });
    expect(list.body.total).toBe(1);
    expect(list.body.result.map((c: any) => c.COMMENT)).toEqual(['second']);
    // Another item's timeline does not show it.
    const other = await w('crm.timeline.comment.list', { filter: { ENTITY_ID: company, ENTITY_TYPE: 'company' } });
    expect(other.body.result).toEqual([]);
    expect((await w('crm.timeline.comment.delete', { id })).status).toBe(200);
    const gone = await w('crm.timeline.comment.get', { id });
    expect(gone.status).toBe(400);
    expect(gone.body.error_description).toBe('Not found.');
  });

  test('the documented errors: owner not found, empty comment, list without its two filter fields', async () => {
    const missing = await w('crm.timeline.comment.add', {
      fields: { ENTITY_ID: 987654, ENTITY_TYPE: 'deal', COMMENT: 'x' },
    });
    expect(missing.body.error).toBe('OWNER_NOT_FOUND');
    const badType = await w('crm.timeline.comment.add', {
      fields: { ENTITY_ID: deal, ENTITY_TYPE: 'planet', COMMENT: 'x' },
    });
    expect(badType.body.error).toBe('OWNER_NOT_FOUND');
    const blank = await w('crm.timeline.comment.add', {
      fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: '  ' },
    });
    expect([blank.status, blank.body.error, blank.body.error_description]).toEqual([
      400,
      'INVALID_ARG_VALUE',
      'Empty comment',
    ]);
    const noFilter = await w('crm.timeline.comment.list', { filter: { ENTITY_TYPE: 'deal' } });
    expect(noFilter.status).toBe(400);
  });

  test('files are stored and served', async () => {
    const bytes = Buffer.from('timeline file body');
    const id = (
      await w('crm.timeline.comment.add', {
        fields: {
          ENTITY_ID: deal,
          ENTITY_TYPE: 'deal',
          COMMENT: 'with file',
          FILES: [['note.txt', bytes.toString('base64')]],
        },
      })
    ).body.result;
    const files = Object.values((await w('crm.timeline.comment.get', { id })).body.result.FILES) as any[];
    expect(files.map((f) => [f.name, f.size])).toEqual([['note.txt', bytes.length]]);
    const dl = await fetch(files[0].urlDownload);
    expect(Buffer.from(await dl.arrayBuffer()).toString()).toBe('timeline file body');
  });

  test('events: onCrmTimelineCommentAdd/Update/Delete carry {ID}', async () => {
    const received: any[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(parseStr(Buffer.concat(chunks).toString()));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const t = emu.issueTokens().access_token;
      for (const event of ['onCrmTimelineCommentAdd', 'onCrmTimelineCommentUpdate', 'onCrmTimelineCommentDelete'])
        expect((await call(`${emu.baseUrl}/rest/`, 'event.bind', { auth: t, event, handler: url })).body.result).toBe(
          true,
        );
      const id = (
        await w('crm.timeline.comment.add', { fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'e' } })
      ).body.result;
      await w('crm.timeline.comment.update', { id, fields: { COMMENT: 'e2' } });
      await w('crm.timeline.comment.delete', { id });
      await emu.eventsIdle();
      expect(received.map((r) => [r.event, r.data])).toEqual([
        ['ONCRMTIMELINECOMMENTADD', { ID: String(id) }],
        ['ONCRMTIMELINECOMMENTUPDATE', { ID: String(id) }],
        ['ONCRMTIMELINECOMMENTDELETE', { ID: String(id) }],
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('bindings', () => {
  test('bind shows a record in a second timeline; delete then needs the owner; unbind', async () => {
    const id = (
      await w('crm.timeline.comment.add', { fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'shared' } })
    ).body.result;
    const bind = await w('crm.timeline.bindings.bind', {
      fields: { OWNER_ID: id, ENTITY_ID: company, ENTITY_TYPE: 'company' },
    });
    expect(bind.body.result).toBe(true);
    const list = await w('crm.timeline.bindings.list', { filter: { OWNER_ID: id } });
    expect(list.body.result).toEqual([
      { OWNER_ID: String(id), ENTITY_ID: String(deal), ENTITY_TYPE: 'deal' },
      { OWNER_ID: String(id), ENTITY_ID: String(company), ENTITY_TYPE: 'company' },
    ]);
    expect(list.body.total).toBe(2);
    const inCompany = await w('crm.timeline.comment.list', { filter: { ENTITY_ID: company, ENTITY_TYPE: 'company' } });
    expect(inCompany.body.result.map((c: any) => c.ID)).toContain(String(id));
    const ambiguous = await w('crm.timeline.comment.delete', { id });
    expect(ambiguous.body.error).toBe('MULTIPLE_BINDINGS');
    // With the owner named, the comment leaves that item's timeline only.
    expect((await w('crm.timeline.comment.delete', { id, ownerTypeId: 4, ownerId: company })).status).toBe(200);
    expect((await w('crm.timeline.comment.get', { id })).status).toBe(200);
    const unbindAgain = await w('crm.timeline.bindings.unbind', {
      fields: { OWNER_ID: id, ENTITY_ID: company, ENTITY_TYPE: 'company' },
    });
    expect([unbindAgain.status, unbindAgain.body.error_description]).toEqual([400, 'Not found.']);
  });

  test('the documented errors name the field', async () => {
    const noRecord = await w('crm.timeline.bindings.bind', {
      fields: { OWNER_ID: 987654, ENTITY_ID: deal, ENTITY_TYPE: 'deal' },
    });
    expect([noRecord.body.error, noRecord.body.error_description]).toEqual(['', 'OWNER_ID is not defined or invalid.']);
    const list = await w('crm.timeline.bindings.list', { filter: {} });
    expect(list.body.error_description).toBe('OWNER_ID is not defined or invalid.');
  });
});

describe('log messages', () => {
  test('add → get; list per item, ten a page, newest first; delete', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const r = await w('crm.timeline.logmessage.add', {
        fields: { entityTypeId: 4, entityId: company, title: `T${i}`, text: `text ${i}`, iconCode: 'info' },
      });
      expect(r.status).toBe(200);
      expect(r.body.result.logMessage).toMatchObject({
        title: `T${i}`,
        text: `text ${i}`,
        iconCode: 'info',
        authorId: 1,
      });
      ids.push(r.body.result.logMessage.id);
    }
    const got = (await w('crm.timeline.logmessage.get', { id: ids[0] })).body.result.logMessage;
    expect(got.id).toBe(ids[0]);
    const page1 = await w('crm.timeline.logmessage.list', { entityTypeId: 4, entityId: company });
    expect(page1.body.total).toBe(12);
    expect(page1.body.next).toBe(10);
    expect(page1.body.result.map((r: any) => r.id)).toEqual(ids.slice(2).reverse());
    const page2 = await w('crm.timeline.logmessage.list', { entityTypeId: 4, entityId: company, start: 10 });
    expect(page2.body.result.map((r: any) => r.id)).toEqual(ids.slice(0, 2).reverse());
    const asc = await w('crm.timeline.logmessage.list', { entityTypeId: 4, entityId: company, order: { id: 'asc' } });
    expect(asc.body.result[0].id).toBe(ids[0]);
    expect((await w('crm.timeline.logmessage.delete', { id: ids[0] })).body.result).toBe(true);
    expect((await w('crm.timeline.logmessage.get', { id: ids[0] })).body.error).toBe('NOT_FOUND');
    const noOwner = await w('crm.timeline.logmessage.add', {
      fields: { entityTypeId: 2, entityId: 987654, title: 't', text: 't', iconCode: 'info' },
    });
    expect(noOwner.body.error).toBe('OWNER_NOT_FOUND');
  });
});

describe('pins and notes', () => {
  test('at most three pinned records per timeline; unpin frees a place', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (await w('crm.timeline.comment.add', { fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: `pin ${i}` } }))
          .body.result,
      );
    for (const id of ids.slice(0, 3))
      expect((await w('crm.timeline.item.pin', { id, ownerTypeId: 2, ownerId: deal })).body).toMatchObject({
        result: null,
      });
    const fourth = await w('crm.timeline.item.pin', { id: ids[3], ownerTypeId: 2, ownerId: deal });
    expect([fourth.body.error, fourth.body.error_description]).toEqual([
      '0',
      'Only three events can be added to favorites',
    ]);
    await w('crm.timeline.item.unpin', { id: ids[0], ownerTypeId: 2, ownerId: deal });
    expect((await w('crm.timeline.item.pin', { id: ids[3], ownerTypeId: 2, ownerId: deal })).status).toBe(200);
    // A record not in that item's timeline, an item that does not exist.
    expect((await w('crm.timeline.item.pin', { id: ids[0], ownerTypeId: 4, ownerId: company })).body.error).toBe(
      'NOT_FOUND',
    );
    expect((await w('crm.timeline.item.pin', { id: ids[0], ownerTypeId: 2, ownerId: 987654 })).body.error).toBe(
      'OWNER_NOT_FOUND',
    );
  });

  test('note: save, get, save again (updated), delete', async () => {
    const id = (
      await w('crm.timeline.comment.add', { fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'noted' } })
    ).body.result;
    const target = { ownerTypeId: 2, ownerId: deal, itemType: 1, itemId: id };
    expect((await w('crm.timeline.note.get', target)).body.error).toBe('NOT_FOUND');
    expect((await w('crm.timeline.note.save', { ...target, text: 'Test note' })).body.result).toBe(true);
    const note = (await w('crm.timeline.note.get', target)).body.result;
    expect(note).toMatchObject({ text: 'Test note', createdById: 1, updatedById: 1 });
    await w('crm.timeline.note.save', { ...target, text: 'Changed' });
    expect((await w('crm.timeline.note.get', target)).body.result.text).toBe('Changed');
    expect((await w('crm.timeline.note.delete', target)).body.result).toBe(true);
    expect((await w('crm.timeline.note.delete', target)).body.error).toBe('NOT_FOUND');
    const elsewhere = await w('crm.timeline.note.save', { ...target, ownerTypeId: 4, ownerId: company, text: 'x' });
    expect(elsewhere.body.error).toBe('NOT_FOUND');
  });
});

describe('content blocks', () => {
  test('only in an application context; set → get → delete per record', async () => {
    const id = (
      await w('crm.timeline.comment.add', { fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'blocks' } })
    ).body.result;
    const target = { entityTypeId: 2, entityId: deal, timelineId: id };
    const layout = { blocks: { block_1: { type: 'text', properties: { value: 'Hello!', bold: true } } } };
    const byWebhook = await w('crm.timeline.layout.blocks.set', { ...target, layout });
    expect(byWebhook.body.error).toBe('ERROR_WRONG_CONTEXT');
    const auth = emu.issueTokens().access_token;
    const app = (method: string, params: Record<string, unknown>) =>
      call(`${emu.baseUrl}/rest/`, method, { ...params, auth });
    expect((await app('crm.timeline.layout.blocks.get', target)).body.result).toBeNull();
    expect((await app('crm.timeline.layout.blocks.set', { ...target, layout: { blocks: {} } })).body.error).toBe(
      'FIELD_IS_REQUIRED',
    );
    expect((await app('crm.timeline.layout.blocks.set', { ...target, layout })).body.result).toEqual({ success: true });
    expect((await app('crm.timeline.layout.blocks.get', target)).body.result).toEqual({ layout });
    expect((await app('crm.timeline.layout.blocks.delete', target)).body.result).toEqual({ success: true });
    expect((await app('crm.timeline.layout.blocks.delete', target)).body.error).toBe('NOT_FOUND');
    expect((await app('crm.timeline.layout.blocks.get', { ...target, entityId: 987654 })).body.error).toBe(
      'OWNER_NOT_FOUND',
    );
  });
});

test('the timeline methods are stateful, none example-backed', () => {
  const timeline = emu.methods().filter((m) => m.name.toLowerCase().startsWith('crm.timeline.'));
  const handwritten = timeline.filter((m) => !/\.(icon|logo)\./.test(m.name.toLowerCase()));
  expect(handwritten.length).toBe(22);
  expect(timeline.filter((m) => m.kind !== 'stateful').map((m) => m.name)).toEqual([]);
});
