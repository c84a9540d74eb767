import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseStr, type Emulator } from '../src/index.js';
import { call, start } from './helpers.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: Record<string, any>;
}

/** A local event handler that records form POSTs; `/fail` answers 500. */
async function handlerServer() {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: parseStr(Buffer.concat(chunks).toString()),
      });
      res.writeHead(req.url === '/fail' ? 500 : 200).end('ok');
      waiters.splice(0).forEach((w) => w());
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

describe('events', () => {
  test('event.bind + crm.deal.add → form POST with event, handler id, data, ts, auth incl. application_token', async () => {
    const t = emu.issueTokens().access_token;
    const bind = await call(ep(), 'event.bind', { auth: t, event: 'onCrmDealAdd', handler: `${hs.url}/deal` });
    expect(bind.body.result).toBe(true);
    const dup = await call(ep(), 'event.bind', { auth: t, event: 'ONCRMDEALADD', handler: `${hs.url}/deal` });
    expect(dup.status).toBe(400);
    expect(dup.body.error_description).toContain('Handler already binded');
    const got = await call(ep(), 'event.get', { auth: t });
    expect(got.body.result).toEqual([{ event: 'ONCRMDEALADD', handler: `${hs.url}/deal`, auth_type: '0', offline: 0 }]);

    const id = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'evented' } })).body.result;
    await emu.eventsIdle();
    const post = hs.received.find((r) => r.path === '/deal')!;
    expect(post.contentType).toBe('application/x-www-form-urlencoded');
    expect(post.body.event).toBe('ONCRMDEALADD');
    expect(post.body.data).toEqual({ FIELDS: { ID: String(id) } });
    expect(post.body.event_handler_id).toMatch(/^\d+$/);
    expect(post.body.ts).toMatch(/^\d+$/);
    expect(post.body.auth.application_token).toBe(emu.oauth.app.applicationToken);
    expect(post.body.auth.member_id).toBe(emu.memberId);
    expect(post.body.auth.refresh_token).toBeUndefined();
    // The token in the event is usable.
    expect((await call(ep(), 'server.time', { auth: post.body.auth.access_token })).status).toBe(200);
    expect(emu.stats().eventsDelivered).toBeGreaterThanOrEqual(1);
  });

  test('unknown event → ERROR_EVENT_NOT_FOUND; unbind counts', async () => {
    const t = emu.issueTokens().access_token;
    const r = await call(ep(), 'event.bind', { auth: t, event: 'ONNOTHING', handler: `${hs.url}/x` });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('ERROR_EVENT_NOT_FOUND');
    await call(ep(), 'event.bind', { auth: t, event: 'ONCRMDEALUPDATE', handler: `${hs.url}/fail` });
    const un = await call(ep(), 'event.unbind', { auth: t, event: 'ONCRMDEALUPDATE', handler: `${hs.url}/fail` });
    expect(un.body.result).toEqual({ count: 1 });
  });

  test('a failing handler is not retried', async () => {
    const t = emu.issueTokens().access_token;
    await call(ep(), 'event.bind', { auth: t, event: 'ONCRMDEALDELETE', handler: `${hs.url}/fail` });
    const before = emu.stats().eventsFailed;
    const id = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'gone' } })).body.result;
    await call(emu.webhookUrl, 'crm.deal.delete', { id });
    await emu.eventsIdle();
    await new Promise((r) => setTimeout(r, 100));
    await emu.eventsIdle();
    expect(hs.received.filter((r) => r.path === '/fail')).toHaveLength(1);
    expect(emu.stats().eventsFailed).toBe(before + 1);
  });

  test('install sends ONAPPINSTALL with refresh_token and application_token; uninstall sends ONAPPUNINSTALL without tokens', async () => {
    const app = emu.registerApp({
      installHandler: `${hs.url}/install`,
      eventHandler: `${hs.url}/app-events`,
      scopes: 'crm',
    });
    const tokens = await emu.install(app);
    const inst = hs.received.find((r) => r.path === '/install')!;
    expect(inst.body.event).toBe('ONAPPINSTALL');
    expect(inst.body.auth.refresh_token).toBe(tokens.refresh_token);
    expect(inst.body.auth.access_token).toBe(tokens.access_token);
    expect(inst.body.auth.application_token).toBe(app.applicationToken);
    expect(inst.body.data).toMatchObject({ INSTALLED: 'Y' });
    await emu.uninstall(app, true);
    const un = hs.received.find((r) => r.path === '/app-events')!;
    expect(un.body.event).toBe('ONAPPUNINSTALL');
    expect(un.body.auth.application_token).toBe(app.applicationToken);
    expect(un.body.auth.access_token).toBeUndefined();
    expect(un.body.data).toEqual({ LANGUAGE_ID: 'en', CLEAN: '1' });
    // Tokens are revoked.
    expect((await call(ep(), 'server.time', { auth: tokens.access_token })).body.error).toBe('invalid_token');
  });

  test('offline events: one row per object, clear=0 reserves with process_id, clear/error/list', async () => {
    const app = emu.registerApp({ scopes: 'crm' });
    await emu.install(app);
    const t = emu.issueTokens(app).access_token;
    expect(
      (await call(ep(), 'event.bind', { auth: t, event: 'ONCRMDEALUPDATE', event_type: 'offline' })).body.result,
    ).toBe(true);
    const a = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'o1' } })).body.result;
    const b = (await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'o2' } })).body.result;
    for (let i = 0; i < 5; i++) await call(emu.webhookUrl, 'crm.deal.update', { id: a, fields: { TITLE: `o1-${i}` } });
    await call(emu.webhookUrl, 'crm.deal.update', { id: b, fields: { TITLE: 'o2-x' } });

    const list = await call(ep(), 'event.offline.list', { auth: t });
    expect(list.body.total).toBe(2);
    expect(list.body.result[0]).toMatchObject({ EVENT_NAME: 'ONCRMDEALUPDATE', PROCESS_ID: null, ERROR: '0' });

    const reserved = await call(ep(), 'event.offline.get', { auth: t, clear: 0, limit: 1 });
    const pid = reserved.body.result.process_id;
    expect(pid).toMatch(/^[0-9a-f]{32}$/);
    expect(reserved.body.result.events).toHaveLength(1);
    expect(reserved.body.result.events[0].EVENT_DATA).toEqual({ FIELDS: { ID: a } });
    // A parallel reader gets the other row, not the reserved one.
    const other = await call(ep(), 'event.offline.get', { auth: t, clear: 0 });
    expect(other.body.result.events.map((e: any) => e.EVENT_DATA.FIELDS.ID)).toEqual([b]);
    // Re-read by process_id.
    const again = await call(ep(), 'event.offline.get', { auth: t, process_id: pid });
    expect(again.body.result.events.map((e: any) => e.ID)).toEqual(reserved.body.result.events.map((e: any) => e.ID));
    // Mark the second batch as error, clear the first.
    await call(ep(), 'event.offline.error', {
      auth: t,
      process_id: other.body.result.process_id,
      message_id: [other.body.result.events[0].MESSAGE_ID],
    });
    expect((await call(ep(), 'event.offline.clear', { auth: t, process_id: pid })).body.result).toBe(true);
    const rest = await call(ep(), 'event.offline.list', { auth: t });
    expect(rest.body.total).toBe(1);
    expect(rest.body.result[0].ERROR).toBe('1');
    const errs = await call(ep(), 'event.offline.get', { auth: t, error: 1 });
    expect(errs.body.result.process_id).toBeNull();
    expect(errs.body.result.events).toHaveLength(1);
    expect((await call(ep(), 'event.offline.list', { auth: t })).body.total).toBe(0);
    // Webhooks cannot read offline events.
    expect((await call(emu.webhookUrl, 'event.offline.get')).body.error).toBe('WRONG_AUTH_TYPE');
  });

  test('ONOFFLINEEVENT notifies at most once per minTimeout, with refresh_token and empty data', async () => {
    const app = emu.registerApp({ scopes: 'crm' });
    await emu.install(app);
    const t = emu.issueTokens(app).access_token;
    await call(ep(), 'event.bind', { auth: t, event: 'ONCRMDEALADD', event_type: 'offline' });
    await call(ep(), 'event.bind', {
      auth: t,
      event: 'ONOFFLINEEVENT',
      handler: `${hs.url}/offline`,
      options: { minTimeout: 30 },
    });
    const notices = () => hs.received.filter((r) => r.path === '/offline');
    for (let i = 0; i < 3; i++) await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: `n${i}` } });
    await emu.eventsIdle();
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.body.event).toBe('ONOFFLINEEVENT');
    expect(notices()[0]!.body.auth.refresh_token).toMatch(/^[a-z0-9]{32}$/);
    expect(notices()[0]!.body.data).toBeUndefined();
    emu.advanceTime(31_000);
    await call(emu.webhookUrl, 'crm.deal.add', { fields: { TITLE: 'later' } });
    await emu.eventsIdle();
    expect(notices()).toHaveLength(2);
    expect((await call(ep(), 'event.offline.list', { auth: t })).body.total).toBe(4);
  });
});
