/**
 * How the generic tables name rows where a family has no plain `id`: a code the get leaves
 * optional (entity.get without ENTITY lists every storage), a `get` that is a list
 * (entity.item.get, telephony.externalLine.get), fields that together name a row
 * (crm.address.update/delete), and `fields` left out where the docs mark it optional.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { call, start } from '../helpers.js';

let emu: Emulator;
let app: (method: string, params?: Record<string, unknown>) => ReturnType<typeof call>;
beforeAll(async () => {
  emu = await start();
  const token = emu.issueTokens().access_token;
  app = (method, params = {}) => call(`${emu.baseUrl}/rest/`, method, { ...params, auth: token });
});
afterAll(() => emu.close());

describe('generic tables without a plain id', () => {
  test('entity.get: one storage by ENTITY, every storage without it (the page’s result table)', async () => {
    for (const code of ['dishes', 'drinks'])
      expect((await app('entity.add', { ENTITY: code, NAME: code })).status).toBe(200);
    const one = await app('entity.get', { ENTITY: 'drinks' });
    expect(one.status).toBe(200);
    expect(one.body.result).toMatchObject({ ENTITY: 'drinks', NAME: 'drinks' });
    const all = await app('entity.get');
    expect(Array.isArray(all.body.result)).toBe(true);
    expect(all.body.result.map((e: { ENTITY: string }) => e.ENTITY)).toEqual(
      expect.arrayContaining(['dishes', 'drinks']),
    );
    expect((await app('entity.update', { ENTITY: 'drinks', NAME: 'Drinks v2' })).body.result).toBe(true);
    expect((await app('entity.get', { ENTITY: 'drinks' })).body.result.NAME).toBe('Drinks v2');
    expect((await app('entity.delete', { ENTITY: 'dishes' })).body.result).toBe(true);
    const left = (await app('entity.get')).body.result.map((e: { ENTITY: string }) => e.ENTITY);
    expect(left).toContain('drinks');
    expect(left).not.toContain('dishes');
    expect((await app('entity.get', { ENTITY: 'dishes' })).status).toBe(400);
  });

  test('entity.item.get lists the items of one storage', async () => {
    await app('entity.add', { ENTITY: 'fruit', NAME: 'Fruit' });
    await app('entity.add', { ENTITY: 'veg', NAME: 'Veg' });
    await app('entity.item.add', { ENTITY: 'fruit', NAME: 'apple' });
    await app('entity.item.add', { ENTITY: 'fruit', NAME: 'pear' });
    await app('entity.item.add', { ENTITY: 'veg', NAME: 'leek' });
    const fruit = await app('entity.item.get', { ENTITY: 'fruit' });
    expect(fruit.status).toBe(200);
    expect(fruit.body.result.map((r: { NAME: string }) => r.NAME).sort()).toEqual(['apple', 'pear']);
    expect(fruit.body.total).toBe(2);
    const veg = await app('entity.item.get', { ENTITY: 'veg' });
    expect(veg.body.result.map((r: { NAME: string }) => r.NAME)).toEqual(['leek']);
  });

  test('telephony.externalLine.*: get lists the lines, update and delete name one by NUMBER', async () => {
    const hook = emu.webhookUrl;
    expect((await call(hook, 'telephony.externalLine.add', { NUMBER: '5550001', NAME: 'Sales' })).status).toBe(200);
    const lines = async () =>
      (await call(hook, 'telephony.externalLine.get')).body.result as { NUMBER: string; NAME: string }[];
    expect((await lines()).find((l) => l.NUMBER === '5550001')?.NAME).toBe('Sales');
    expect((await call(hook, 'telephony.externalLine.update', { NUMBER: '5550001', NAME: 'Support' })).status).toBe(
      200,
    );
    expect((await lines()).find((l) => l.NUMBER === '5550001')?.NAME).toBe('Support');
    expect((await call(hook, 'telephony.externalLine.delete', { NUMBER: '5550001' })).status).toBe(200);
    expect((await lines()).some((l) => l.NUMBER === '5550001')).toBe(false);
    expect((await call(hook, 'telephony.externalLine.delete', { NUMBER: '5550001' })).status).toBe(400);
  });

  test('crm.address.update/delete name the address by TYPE_ID, ENTITY_TYPE_ID and ENTITY_ID', async () => {
    const hook = emu.webhookUrl;
    const key = (entityId: string) => ({ TYPE_ID: 1, ENTITY_TYPE_ID: 8, ENTITY_ID: entityId });
    for (const [id, city] of [
      ['901', 'Berlin'],
      ['902', 'Paris'],
    ] as const)
      expect((await call(hook, 'crm.address.add', { fields: { ...key(id), CITY: city } })).body.result).toBe(true);
    expect((await call(hook, 'crm.address.update', { fields: { ...key('902'), CITY: 'Lyon' } })).body.result).toBe(
      true,
    );
    const cities = async () =>
      Object.fromEntries(
        (
          (await call(hook, 'crm.address.list', { filter: { ENTITY_TYPE_ID: 8 } })).body.result as Record<
            string,
            string
          >[]
        )
          .filter((a) => a['ENTITY_ID'] === '901' || a['ENTITY_ID'] === '902')
          .map((a) => [a['ENTITY_ID'], a['CITY']]),
      );
    expect(await cities()).toEqual({ '901': 'Berlin', '902': 'Lyon' });
    expect((await call(hook, 'crm.address.delete', { fields: key('901') })).body.result).toBe(true);
    expect(await cities()).toEqual({ '902': 'Lyon' });
    expect((await call(hook, 'crm.address.delete', { fields: key('901') })).status).toBe(400);
    const noKey = await call(hook, 'crm.address.update', { fields: { TYPE_ID: 1, CITY: 'x' } });
    expect(noKey.status).toBe(400);
  });

  test('fields: optional where the docs say so (crm.contact.add), still required where they do not (crm.company.add)', async () => {
    const hook = emu.webhookUrl;
    const contact = await call(hook, 'crm.contact.add');
    expect(contact.status).toBe(200);
    expect((await call(hook, 'crm.contact.get', { id: contact.body.result })).status).toBe(200);
    const company = await call(hook, 'crm.company.add');
    expect(company.status).toBe(400);
    expect((await call(hook, 'crm.contact.add', { fields: 'x' })).status).toBe(400);
  });
  test('crm.activity.binding.delete names the binding by activityId, entityTypeId and entityId', async () => {
    const hook = emu.webhookUrl;
    const b = (entityId: number) => ({ activityId: 77, entityTypeId: 2, entityId });
    for (const e of [1, 2]) expect((await call(hook, 'crm.activity.binding.add', b(e))).status).toBe(200);
    const bound = async () =>
      ((await call(hook, 'crm.activity.binding.list', { activityId: 77 })).body.result as { entityId: number }[]).map(
        (r) => Number(r.entityId),
      );
    expect((await bound()).sort()).toEqual([1, 2]);
    expect((await call(hook, 'crm.activity.binding.delete', b(2))).status).toBe(200);
    expect(await bound()).toEqual([1]);
    expect((await call(hook, 'crm.activity.binding.delete', b(2))).status).toBe(400);
  });

  test('a row added in a partition is found by id where get takes no partition param (crm.item.payment)', async () => {
    const hook = emu.webhookUrl;
    const add = await call(hook, 'crm.item.payment.add', { entityId: 1, entityTypeId: 2 });
    expect(add.status).toBe(200);
    const got = await call(hook, 'crm.item.payment.get', { id: add.body.result });
    expect(got.status).toBe(200);
    expect((await call(hook, 'crm.item.payment.delete', { id: add.body.result })).status).toBe(200);
    expect((await call(hook, 'crm.item.payment.get', { id: add.body.result })).status).toBe(400);
  });

  test('a partition param given inside fields (catalog.productImage.add fields.productId)', async () => {
    const hook = emu.webhookUrl;
    const add = await call(hook, 'catalog.productImage.add', {
      fields: { productId: 4242 },
      fileContent: ['a.png', 'aGVsbG8='],
    });
    const id = add.body.result.productImage.id;
    expect((await call(hook, 'catalog.productImage.get', { productId: 4242, id })).status).toBe(200);
    expect((await call(hook, 'catalog.productImage.get', { productId: 4243, id })).status).toBe(400);
  });
});
