/**
 * OPI region DealsManagement: each function performed with b24kit against the emulator, asserting
 * the stored deal, its changes, filters and offsets.
 */
import { createClient, dealFilter, dealFilterStructure, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
});

describe('OPI DealsManagement', () => {
  it('CreateDeal → crm.deal.add', async () => {
    const id = await b24.crm.deal.add({
      fields: { TITLE: 'From OPI', STAGE_ID: 'PREPARATION', OPPORTUNITY: 1500.5, CURRENCY_ID: 'EUR', OPENED: 'N' },
    });
    expect(id).toBeGreaterThan(0);
    const row = await b24.crm.deal.get({ id });
    expect(row).toMatchObject({
      ID: String(id),
      TITLE: 'From OPI',
      STAGE_ID: 'PREPARATION',
      OPPORTUNITY: '1500.50',
      CURRENCY_ID: 'EUR',
      OPENED: 'N',
    });
  });

  it('DeleteDeal → crm.deal.delete', async () => {
    const id = await b24.crm.deal.add({ fields: { TITLE: 'Doomed' } });
    expect(await b24.crm.deal.delete({ id })).toBe(true);
    await expect(b24.crm.deal.get({ id })).rejects.toMatchObject({ description: 'Not found' });
  });

  it('GetDeal → crm.deal.get', async () => {
    const id = await b24.crm.deal.add({ fields: { TITLE: 'Read me', COMMENTS: 'note' } });
    const row = await b24.crm.deal.get({ id });
    expect(row).toMatchObject({
      ID: String(id),
      TITLE: 'Read me',
      COMMENTS: 'note',
      ASSIGNED_BY_ID: '1',
      CREATED_BY_ID: '1',
    });
    expect(row.DATE_CREATE).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  it('GetDealsList → crm.deal.list (filter; offset 0 and empty values are sent)', async () => {
    em.seed('crm.deal', 70, { SOURCE_ID: 'PARTNER', OPPORTUNITY: 10 });
    await b24.crm.deal.add({ fields: { TITLE: 'Free', SOURCE_ID: 'PARTNER', OPPORTUNITY: 0 } });
    const filter = dealFilter({ SOURCE_ID: 'PARTNER' });
    const first = await b24.callEnvelope('crm.deal.list', { filter, start: 0 });
    expect(first.result).toHaveLength(50);
    expect(first.total).toBe(71);
    expect(first.next).toBe(50);
    const second = await b24.crm.deal.list({ filter, start: 50 });
    expect(second).toHaveLength(21);
    // OPPORTUNITY 0 is a value: dropping it (the OPI defect) would match all 71 rows.
    const free = await b24.crm.deal.list({ filter: dealFilter({ SOURCE_ID: 'PARTNER', OPPORTUNITY: 0 }) });
    expect(free.map((r) => r.TITLE)).toEqual(['Free']);
    const rich = await b24.crm.deal.list({
      filter: dealFilter({ SOURCE_ID: 'PARTNER', '>OPPORTUNITY': 0 }),
      select: ['ID'],
    });
    expect(rich).toHaveLength(50);
  });

  it('UpdateDeal → crm.deal.update', async () => {
    const id = await b24.crm.deal.add({ fields: { TITLE: 'Before', COMMENTS: 'keep' } });
    expect(await b24.crm.deal.update({ id, fields: { TITLE: 'After', OPPORTUNITY: 0 } })).toBe(true);
    expect(await b24.crm.deal.get({ id })).toMatchObject({ TITLE: 'After', COMMENTS: 'keep', OPPORTUNITY: '0.00' });
  });

  it('GetDealStructure → crm.deal.fields', async () => {
    const fields = await b24.crm.deal.fields();
    expect(fields['TITLE']).toMatchObject({ type: 'string', isRequired: false, isReadOnly: false });
    expect(fields['STAGE_ID']).toMatchObject({ type: 'crm_status', statusType: 'DEAL_STAGE' });
    expect(fields['ID']).toMatchObject({ isReadOnly: true });
  });

  it('GetDealsFilterStructure (local helper) → dealFilter() / dealFilterStructure.template()', () => {
    const template = dealFilterStructure.template({ clear: true }) as Record<string, string>;
    // Every field the portal describes can be filtered on.
    expect(Object.keys(template)).toEqual(
      expect.arrayContaining(['ID', 'TITLE', 'STAGE_ID', 'OPPORTUNITY', 'ASSIGNED_BY_ID', 'DATE_CREATE']),
    );
    expect(() => dealFilter({ NOT_A_FIELD: 1 } as never)).toThrow(/unknown field "NOT_A_FIELD"/);
  });
});
