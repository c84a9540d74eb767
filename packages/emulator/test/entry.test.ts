// The run-time side of the emulator's typed entry points (the compile-time side is
// entry.check.ts): what a name or field the types would refuse does when it arrives anyway.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unknownName, type Emulator } from '../src/index.js';
import { call, start } from './helpers.js';

let emu: Emulator;
let handler: http.Server;
let handlerUrl: string;
beforeAll(async () => {
  emu = await start();
  handler = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((r) => handler.listen(0, '127.0.0.1', r));
  handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => handler.close(() => r()));
});

describe('seed', () => {
  test('a field the entity does not store is refused, naming it and the nearest field', () => {
    const seed = emu.seed as (entity: string, count: number, fields?: Record<string, unknown>) => number;
    expect(() => seed('crm.deal', 1, { TITEL: 'x' })).toThrow(
      'seed: crm.deal has no field "TITEL" the emulator stores (did you mean "TITLE"?)',
    );
    expect(() => seed('crm.deal', 1, { NOTHING_LIKE_IT: 1 })).toThrow(/has no field "NOTHING_LIKE_IT"[^(]*$/);
    expect(() => seed('crm.deal', 1, { ID: 7 })).toThrow('seed: crm.deal assigns ID itself; leave it out');
    expect(() => seed('tasks.task', 1, { RESPONSIBLE: 1 })).toThrow(/tasks\.task has no field "RESPONSIBLE"/);
    // Nothing was inserted by the refused calls.
    expect(emu.seed('crm.deal', 0)).toBe(0);
  });

  test('typed fields land in the rows', async () => {
    expect(emu.seed('crm.deal', 3, { TITLE: 'Seeded', STAGE_ID: 'WON', OPPORTUNITY: 250 })).toBe(3);
    const r = await call(emu.webhookUrl, 'crm.deal.list', {
      filter: { TITLE: 'Seeded' },
      select: ['STAGE_ID', 'OPPORTUNITY'],
    });
    expect(r.body.total).toBe(3);
    expect(r.body.result[0]).toMatchObject({ STAGE_ID: 'WON', OPPORTUNITY: '250.00' });
  });
});

describe('unknownName', () => {
  test('passes a name through, and refuses an empty one', () => {
    expect(unknownName('vendor.sync')).toBe('vendor.sync');
    expect(() => unknownName('')).toThrow('unknownName: a name must be a non-empty string, got ""');
    expect(() => unknownName(undefined as unknown as string)).toThrow(/non-empty string/);
  });

  test('a fault rule on a described method and on an unknown name', async () => {
    emu.setFaults({ rules: [{ kind: '503', rate: 1, methods: ['server.time', unknownName('vendor.sync')] }] });
    try {
      expect((await call(emu.webhookUrl, 'server.time', {})).status).toBe(503);
      expect((await call(emu.webhookUrl, 'vendor.sync', {})).status).toBe(503);
      expect((await call(emu.webhookUrl, 'crm.deal.fields', {})).status).toBe(200);
    } finally {
      emu.setFaults(undefined);
    }
  });
});

describe('deliveries(event)', () => {
  test('only the deliveries of that event, matched case-insensitively', async () => {
    const app = emu.registerApp({ eventHandler: handlerUrl, events: ['ONCRMDEALADD', 'ONCRMLEADADD'] });
    await emu.install(app);
    const token = emu.issueTokens(app).access_token;
    await call(`${emu.baseUrl}/rest/`, 'crm.deal.add', { auth: token, fields: { TITLE: 'a' } });
    await call(`${emu.baseUrl}/rest/`, 'crm.lead.add', { auth: token, fields: { TITLE: 'b' } });
    await call(`${emu.baseUrl}/rest/`, 'crm.lead.add', { auth: token, fields: { TITLE: 'c' } });
    await emu.eventsIdle();
    expect(emu.deliveries('ONCRMDEALADD').map((d) => d.event)).toEqual(['ONCRMDEALADD']);
    expect(emu.deliveries('ONCRMLEADADD')).toHaveLength(2);
    expect(emu.deliveries(unknownName('onCrmLeadAdd'))).toHaveLength(2);
    expect(emu.deliveries().length).toBeGreaterThanOrEqual(3);
  });
});
