/**
 * The generic tables raise the schema's events on add, update and delete, through the same
 * delivery as the hand-written domains: a handler bound with event.bind gets a form POST with
 * the payload the event's docs page documents.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseStr, type Emulator } from '../../src/index.js';
import { call, start } from '../helpers.js';

interface Received {
  path: string;
  body: Record<string, any>;
}

async function handlerServer() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: parseStr(Buffer.concat(chunks).toString()) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let emu: Emulator;
let hs: Awaited<ReturnType<typeof handlerServer>>;
const ep = () => `${emu.baseUrl}/rest/`;
beforeAll(async () => {
  emu = await start();
  hs = await handlerServer();
});
afterAll(async () => {
  await emu.close();
  await hs.close();
});

async function bind(event: string, path: string) {
  const t = emu.issueTokens().access_token;
  const r = await call(ep(), 'event.bind', { auth: t, event, handler: `${hs.url}${path}` });
  expect(r.body).toMatchObject({ result: true });
}
const posts = (path: string) => hs.received.filter((r) => r.path === path).map((r) => r.body);

describe('events of the generic tables', () => {
  test('crm.timeline.comment add/update/delete → onCrmTimelineComment* with {ID} (documented payload)', async () => {
    await bind('onCrmTimelineCommentAdd', '/c-add');
    await bind('ONCRMTIMELINECOMMENTUPDATE', '/c-update');
    await bind('onCrmTimelineCommentDelete', '/c-delete');
    const deal = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'commented' } })).body.result;
    const add = await call(emu.webhookUrl, 'crm.timeline.comment.add', {
      fields: { ENTITY_ID: deal, ENTITY_TYPE: 'deal', COMMENT: 'first' },
    });
    expect(add.status).toBe(200);
    const id = String(add.body.result);
    await call(emu.webhookUrl, 'crm.timeline.comment.update', { id, fields: { COMMENT: 'second' } });
    await call(emu.webhookUrl, 'crm.timeline.comment.delete', { id });
    await emu.eventsIdle();
    const [added] = posts('/c-add');
    expect(added?.event).toBe('ONCRMTIMELINECOMMENTADD');
    expect(added?.data).toEqual({ ID: id });
    expect(added?.auth.application_token).toBe(emu.oauth.app.applicationToken);
    expect(posts('/c-update').map((p) => [p.event, p.data])).toEqual([['ONCRMTIMELINECOMMENTUPDATE', { ID: id }]]);
    expect(posts('/c-delete').map((p) => [p.event, p.data])).toEqual([['ONCRMTIMELINECOMMENTDELETE', { ID: id }]]);
  });

  test('a failed change raises nothing', async () => {
    await bind('onCrmTimelineCommentDelete', '/c-delete-missing');
    const r = await call(emu.webhookUrl, 'crm.timeline.comment.delete', { id: 987654 });
    expect(r.status).toBe(400);
    await emu.eventsIdle();
    expect(posts('/c-delete-missing')).toEqual([]);
  });

  test('crm.currency (keyed by code) → onCrmCurrencyAdd/Delete with {FIELDS: {ID: code}}', async () => {
    await bind('onCrmCurrencyAdd', '/cur-add');
    await bind('onCrmCurrencyDelete', '/cur-delete');
    const add = await call(emu.webhookUrl, 'crm.currency.add', {
      fields: { CURRENCY: 'XTS', AMOUNT_CNT: 1, AMOUNT: 2.5 },
    });
    expect(add.status).toBe(200);
    await call(emu.webhookUrl, 'crm.currency.delete', { id: 'XTS' });
    await emu.eventsIdle();
    expect(posts('/cur-add').map((p) => p.data)).toEqual([{ FIELDS: { ID: 'XTS' } }]);
    expect(posts('/cur-delete').map((p) => p.data)).toEqual([{ FIELDS: { ID: 'XTS' } }]);
  });

  test('payload fields beside ID come from the row (onCrmDealUserFieldAdd: ENTITY_ID, FIELD_NAME)', async () => {
    await bind('onCrmDealUserFieldAdd', '/uf-add');
    const add = await call(emu.webhookUrl, 'crm.deal.userfield.add', {
      fields: { USER_TYPE_ID: 'string', FIELD_NAME: 'UF_CRM_EVENTED', ENTITY_ID: 'CRM_DEAL' },
    });
    expect(add.status).toBe(200);
    await emu.eventsIdle();
    const [p] = posts('/uf-add');
    expect(p?.event).toBe('ONCRMDEALUSERFIELDADD');
    expect(p?.data).toEqual({
      FIELDS: { ID: String(add.body.result), ENTITY_ID: 'CRM_DEAL', FIELD_NAME: 'UF_CRM_EVENTED' },
    });
  });

  test('a family named apart from its events: crm.requisite.bankdetail → onCrmBankDetailAdd', async () => {
    await bind('onCrmBankDetailAdd', '/bank-add');
    const add = await call(emu.webhookUrl, 'crm.requisite.bankdetail.add', {
      fields: { ENTITY_ID: 1, COUNTRY_ID: 1, NAME: 'Main account' },
    });
    expect(add.status).toBe(200);
    await emu.eventsIdle();
    expect(posts('/bank-add').map((p) => [p.event, p.data])).toEqual([
      ['ONCRMBANKDETAILADD', { FIELDS: { ID: String(add.body.result) } }],
    ]);
  });
});
