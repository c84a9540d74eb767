import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { call, start } from '../helpers.js';

let emu: Emulator;
let hook: string;
const ok = async (method: string, params: unknown) => {
  const r = await call(hook, method, params);
  if (r.status !== 200) throw new Error(`${method}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

beforeAll(async () => {
  emu = await start();
  hook = emu.webhookUrl;
});
afterAll(() => emu.close());

describe('crm.item.* over the legacy rows', () => {
  test('a deal added through crm.item is read through crm.deal, and back', async () => {
    const added = await ok('crm.item.add', {
      entityTypeId: 2,
      fields: {
        title: 'Item deal',
        opportunity: 150.5,
        currencyId: 'EUR',
        opened: 'N',
        contactIds: [3, 4],
        ufCrm_1721244707107: 11,
      },
    });
    const item = added.result.item;
    expect(item).toMatchObject({
      title: 'Item deal',
      opportunity: 150.5,
      currencyId: 'EUR',
      opened: 'N',
      stageId: 'NEW',
      categoryId: 0,
      contactIds: [3, 4],
      entityTypeId: 2,
    });
    expect(typeof item.id).toBe('number');
    expect(typeof item.createdTime).toBe('string');
    expect(item.createdBy).toBe(1);
    const legacy = (await ok('crm.deal.get', { id: item.id })).result;
    expect(legacy).toMatchObject({
      ID: String(item.id),
      TITLE: 'Item deal',
      OPPORTUNITY: '150.50',
      CURRENCY_ID: 'EUR',
      OPENED: 'N',
      CONTACT_IDS: ['3', '4'],
      UF_CRM_1721244707107: 11,
    });

    const viaLegacy = (
      await ok('crm.deal.add', { fields: { TITLE: 'Legacy deal', STAGE_ID: 'PREPARATION', OPPORTUNITY: '10' } })
    ).result;
    const read = (await ok('crm.item.get', { entityTypeId: 2, id: viaLegacy })).result.item;
    expect(read).toMatchObject({
      id: viaLegacy,
      title: 'Legacy deal',
      stageId: 'PREPARATION',
      opportunity: 10,
      isNew: 'Y',
    });

    const updated = (await ok('crm.item.update', { entityTypeId: 2, id: viaLegacy, fields: { stageId: 'WON' } })).result
      .item;
    expect(updated.stageId).toBe('WON');
    expect((await ok('crm.deal.get', { id: viaLegacy })).result.STAGE_ID).toBe('WON');
    const history = (
      await ok('crm.stagehistory.list', { entityTypeId: 2, filter: { OWNER_ID: viaLegacy }, order: { ID: 'ASC' } })
    ).result.items;
    expect(history.map((h: { STAGE_ID: string; TYPE_ID: number }) => [h.TYPE_ID, h.STAGE_ID])).toEqual([
      [1, 'PREPARATION'],
      [3, 'WON'],
    ]);

    expect((await ok('crm.item.delete', { entityTypeId: 2, id: viaLegacy })).result).toEqual([]);
    const gone = await call(hook, 'crm.deal.get', { id: viaLegacy });
    expect(gone.body.error_description).toBe('Not found');
    const gone2 = await call(hook, 'crm.item.get', { entityTypeId: 2, id: viaLegacy });
    expect(gone2.body).toEqual({ error: 'NOT_FOUND', error_description: 'Item not found' });
  });

  test('list: camelCase filters with prefixes, order, select, paging', async () => {
    for (let i = 1; i <= 60; i++)
      await ok('crm.item.add', { entityTypeId: 4, fields: { title: `Co ${i}`, revenue: i * 100 } });
    const page = await ok('crm.item.list', {
      entityTypeId: 4,
      filter: { '>=revenue': 1000, '%title': 'Co' },
      order: { id: 'DESC' },
      select: ['id', 'title'],
    });
    expect(page.total).toBe(51);
    expect(page.next).toBe(50);
    expect(page.result.items).toHaveLength(50);
    expect(Object.keys(page.result.items[0]).sort()).toEqual(['entityTypeId', 'id', 'title']);
    expect(page.result.items[0].title).toBe('Co 60');
    const last = await ok('crm.item.list', {
      entityTypeId: 4,
      filter: { '>=revenue': 1000 },
      order: { id: 'DESC' },
      start: 50,
    });
    expect(last.result.items).toHaveLength(1);
    expect(last.next).toBeUndefined();
    const keyset = await ok('crm.item.list', {
      entityTypeId: 4,
      filter: { '>id': 58 },
      order: { id: 'ASC' },
      start: -1,
    });
    expect(keyset.result.items.map((r: { title: string }) => r.title)).toEqual(['Co 59', 'Co 60']);
    expect(keyset.total).toBe(0);
  });

  test('contacts carry fm; a missing entity type or argument gets the portal errors', async () => {
    const c = (
      await ok('crm.item.add', {
        entityTypeId: 3,
        fields: { name: 'Ann', lastName: 'Lee', fm: [{ typeId: 'PHONE', valueType: 'WORK', value: '+100' }] },
      })
    ).result.item;
    expect(c.fm).toEqual([{ id: 1, valueType: 'WORK', value: '+100', typeId: 'PHONE' }]);
    expect((await ok('crm.contact.get', { id: c.id })).result.PHONE).toEqual([
      { ID: '1', VALUE_TYPE: 'WORK', VALUE: '+100', TYPE_ID: 'PHONE' },
    ]);
    const u = (
      await ok('crm.item.update', {
        entityTypeId: 3,
        id: c.id,
        fields: { fm: { 1: { typeId: 'PHONE', value: '' }, n0: { typeId: 'EMAIL', value: 'a@b.c' } } },
      })
    ).result.item;
    expect(u.fm).toEqual([{ id: 2, valueType: 'WORK', value: 'a@b.c', typeId: 'EMAIL' }]);
    expect((await call(hook, 'crm.item.get', { entityTypeId: 999, id: 1 })).body).toEqual({
      error: 'NOT_FOUND',
      error_description: 'SPA not found',
    });
    const noId = await call(hook, 'crm.item.get', { entityTypeId: 3 });
    expect(noId.status).toBe(400);
    expect(noId.body.error).toBe('100');
    const fields = (await ok('crm.item.fields', { entityTypeId: 2 })).result.fields;
    expect(fields.stageId).toMatchObject({ upperName: 'STAGE_ID' });
    expect(fields.createdTime).toMatchObject({ upperName: 'DATE_CREATE', isReadOnly: true });
  });

  test('smart processes from crm.type.add, the smart invoice, product rows', async () => {
    const type = (await ok('crm.type.add', { fields: { title: 'Orders', isStagesEnabled: 'Y' } })).result.type;
    expect(type).toMatchObject({ title: 'Orders', entityTypeId: 128, isStagesEnabled: 'Y', isClientEnabled: 'N' });
    const item = (await ok('crm.item.add', { entityTypeId: 128, fields: { title: 'Order 1', opportunity: 5 } })).result
      .item;
    expect(item).toMatchObject({ id: 1, title: 'Order 1', opportunity: 5, stageId: 'NEW', entityTypeId: 128 });
    expect((await ok('crm.item.list', { entityTypeId: 128 })).result.items).toHaveLength(1);
    expect((await ok('crm.type.list', {})).result.types).toHaveLength(1);
    const del = await call(hook, 'crm.type.delete', { id: type.id });
    expect(del.body.error).toBe('BX_ERROR');
    const invoice = (await ok('crm.item.add', { entityTypeId: 31, fields: { title: 'Invoice' } })).result.item;
    expect(invoice.entityTypeId).toBe(31);

    const deal = (await ok('crm.item.add', { entityTypeId: 2, fields: { title: 'With products' } })).result.item;
    const row = (
      await ok('crm.item.productrow.add', {
        fields: {
          ownerType: 'D',
          ownerId: deal.id,
          productName: 'Widget',
          price: 110,
          taxRate: 10,
          taxIncluded: 'Y',
          quantity: 2,
        },
      })
    ).result.productRow;
    expect(row).toMatchObject({
      ownerId: deal.id,
      ownerType: 'D',
      productName: 'Widget',
      price: 110,
      priceExclusive: 100,
      quantity: 2,
      taxIncluded: 'Y',
    });
    const set = (
      await ok('crm.item.productrow.set', {
        ownerType: 'D',
        ownerId: deal.id,
        productRows: [
          { productName: 'A', price: 1 },
          { productName: 'B', price: 2 },
        ],
      })
    ).result.productRows;
    expect(set.map((r: { productName: string }) => r.productName)).toEqual(['A', 'B']);
    const listed = (await ok('crm.item.productrow.list', { filter: { '=ownerType': 'D', '=ownerId': deal.id } })).result
      .productRows;
    expect(listed).toHaveLength(2);
    expect(
      (await call(hook, 'crm.item.productrow.add', { fields: { ownerType: 'D', ownerId: 99999 } })).body.error,
    ).toBe('OWNER_NOT_FOUND');
  });

  test('crm.deal.contact.items.* edit the deal contact list', async () => {
    const deal = (await ok('crm.deal.add', { fields: { TITLE: 'Contacts' } })).result;
    expect(
      await ok('crm.deal.contact.items.set', {
        id: deal,
        items: [
          { CONTACT_ID: 55, SORT: 100 },
          { CONTACT_ID: 54, SORT: 200, IS_PRIMARY: 'Y' },
        ],
      }),
    ).toMatchObject({ result: true });
    expect((await ok('crm.deal.contact.items.get', { id: deal })).result).toEqual([
      { CONTACT_ID: 54, SORT: 200, ROLE_ID: 0, IS_PRIMARY: 'Y' },
      { CONTACT_ID: 55, SORT: 100, ROLE_ID: 0, IS_PRIMARY: 'N' },
    ]);
    expect((await ok('crm.item.get', { entityTypeId: 2, id: deal })).result.item).toMatchObject({
      contactId: 54,
      contactIds: [54, 55],
    });
    await ok('crm.deal.contact.delete', { id: deal, fields: { CONTACT_ID: 54 } });
    expect((await ok('crm.deal.get', { id: deal })).result).toMatchObject({ CONTACT_ID: '55', CONTACT_IDS: ['55'] });
    expect((await call(hook, 'crm.deal.contact.items.get', { id: 0 })).body.error_description).toBe(
      "The parameter 'ownerEntityID' is invalid or not defined.",
    );
  });
});
