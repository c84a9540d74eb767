/**
 * OPI region LeadsManagement: each function performed with b24kit against the emulator, asserting
 * the stored lead, its changes, filters and offsets.
 */
import { createClient, leadFilter, leadFilterStructure, type B24Client } from '@b24kit/client';
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

describe('OPI LeadsManagement', () => {
  it('CreateLead → crm.lead.add', async () => {
    const id = await b24.crm.lead.add({
      fields: { TITLE: 'From OPI', STATUS_ID: 'IN_PROCESS', OPPORTUNITY: 1500.5, CURRENCY_ID: 'EUR', OPENED: 'N' },
    });
    expect(id).toBeGreaterThan(0);
    const row = await b24.crm.lead.get({ id });
    expect(row).toMatchObject({
      ID: String(id),
      TITLE: 'From OPI',
      STATUS_ID: 'IN_PROCESS',
      OPPORTUNITY: '1500.50',
      CURRENCY_ID: 'EUR',
      OPENED: 'N',
    });
  });

  it('DeleteLead → crm.lead.delete', async () => {
    const id = await b24.crm.lead.add({ fields: { TITLE: 'Doomed' } });
    expect(await b24.crm.lead.delete({ id })).toBe(true);
    await expect(b24.crm.lead.get({ id })).rejects.toMatchObject({ description: 'Not found' });
  });

  it('GetLead → crm.lead.get', async () => {
    const id = await b24.crm.lead.add({ fields: { TITLE: 'Read me', COMMENTS: 'note' } });
    const row = await b24.crm.lead.get({ id });
    expect(row).toMatchObject({
      ID: String(id),
      TITLE: 'Read me',
      COMMENTS: 'note',
      ASSIGNED_BY_ID: '1',
      CREATED_BY_ID: '1',
    });
    expect(row.DATE_CREATE).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  it('GetLeadsList → crm.lead.list (filter; offset 0 and empty values are sent)', async () => {
    em.seed('crm.lead', 70, { SOURCE_ID: 'PARTNER', OPPORTUNITY: 10 });
    await b24.crm.lead.add({ fields: { TITLE: 'Free', SOURCE_ID: 'PARTNER', OPPORTUNITY: 0 } });
    const filter = leadFilter({ SOURCE_ID: 'PARTNER' });
    const first = await b24.callEnvelope('crm.lead.list', { filter, start: 0 });
    expect(first.result).toHaveLength(50);
    expect(first.total).toBe(71);
    expect(first.next).toBe(50);
    const second = await b24.crm.lead.list({ filter, start: 50 });
    expect(second).toHaveLength(21);
    // OPPORTUNITY 0 is a value: dropping it (the OPI defect) would match all 71 rows.
    const free = await b24.crm.lead.list({ filter: leadFilter({ SOURCE_ID: 'PARTNER', OPPORTUNITY: 0 }) });
    expect(free.map((r) => r.TITLE)).toEqual(['Free']);
    const rich = await b24.crm.lead.list({
      filter: leadFilter({ SOURCE_ID: 'PARTNER', '>OPPORTUNITY': 0 }),
      select: ['ID'],
    });
    expect(rich).toHaveLength(50);
  });

  it('UpdateLead → crm.lead.update', async () => {
    const id = await b24.crm.lead.add({ fields: { TITLE: 'Before', COMMENTS: 'keep' } });
    expect(await b24.crm.lead.update({ id, fields: { TITLE: 'After', OPPORTUNITY: 0 } })).toBe(true);
    expect(await b24.crm.lead.get({ id })).toMatchObject({ TITLE: 'After', COMMENTS: 'keep', OPPORTUNITY: '0.00' });
  });

  it('GetLeadStructure → crm.lead.fields', async () => {
    const fields = await b24.crm.lead.fields();
    expect(fields['TITLE']).toMatchObject({ type: 'string', isRequired: false, isReadOnly: false });
    expect(fields['STATUS_ID']).toMatchObject({ type: 'crm_status', statusType: 'STATUS' });
    expect(fields['ID']).toMatchObject({ isReadOnly: true });
  });

  it('GetLeadFilterStructure (local helper) → leadFilter() / leadFilterStructure.template()', () => {
    const template = leadFilterStructure.template({ clear: true }) as Record<string, string>;
    // Every field the portal describes can be filtered on.
    expect(Object.keys(template)).toEqual(
      expect.arrayContaining(['ID', 'TITLE', 'STATUS_ID', 'OPPORTUNITY', 'ASSIGNED_BY_ID', 'DATE_CREATE']),
    );
    expect(() => leadFilter({ NOT_A_FIELD: 1 } as never)).toThrow(/unknown field "NOT_A_FIELD"/);
  });
});
