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
  test('booking.v1.resource add/update/delete → onBookingResource* with {ID} (documented payload)', async () => {
    await bind('onBookingResourceAdd', '/r-add');
    await bind('ONBOOKINGRESOURCEUPDATE', '/r-update');
    await bind('onBookingResourceDelete', '/r-delete');
    const add = await call(emu.webhookUrl, 'booking.v1.resource.add', { fields: { name: 'Room 1', typeId: 1 } });
    expect(add.status).toBe(200);
    const id = String(add.body.result?.resource?.id ?? add.body.result?.id ?? add.body.result);
    expect(id).toMatch(/^\d+$/);
    await call(emu.webhookUrl, 'booking.v1.resource.update', { id, fields: { name: 'Room 2' } });
    await call(emu.webhookUrl, 'booking.v1.resource.delete', { id });
    await emu.eventsIdle();
    const [added] = posts('/r-add');
    expect(added?.event).toBe('ONBOOKINGRESOURCEADD');
    expect(added?.data).toEqual({ ID: id });
    expect(added?.auth.application_token).toBe(emu.oauth.app.applicationToken);
    expect(posts('/r-update').map((p) => [p.event, p.data])).toEqual([['ONBOOKINGRESOURCEUPDATE', { ID: id }]]);
    expect(posts('/r-delete').map((p) => [p.event, p.data])).toEqual([['ONBOOKINGRESOURCEDELETE', { ID: id }]]);
  });

  test('a failed change raises nothing', async () => {
    await bind('onBookingResourceDelete', '/r-delete-missing');
    const r = await call(emu.webhookUrl, 'booking.v1.resource.delete', { id: 987654 });
    expect(r.status).toBe(400);
    await emu.eventsIdle();
    expect(posts('/r-delete-missing')).toEqual([]);
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
