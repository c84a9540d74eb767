import { startEmulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type B24Client } from '../src/index.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let em: Emulator;
let b24: B24Client;

beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl });
});
afterAll(async () => {
  await b24.close();
  await em.close();
});

describe('b24.bulk', () => {
  it('adds many rows in batch requests of 50 and reports one result per row', async () => {
    const before = em.stats().requests;
    const rows = Array.from({ length: 120 }, (_, i) => ({ fields: { TITLE: `Bulk ${i}` } }));
    const report = await b24.bulk('crm.deal.add', rows);
    expect(report.succeeded).toBe(120);
    expect(report.failed).toEqual([]);
    expect(report.unknown).toEqual([]);
    expect(report.results.map((r) => r.index)).toEqual(rows.map((_, i) => i));
    expect(em.stats().requests - before).toBe(3);
    const ids = report.results.map((r) => (r.ok ? Number(r.result) : NaN));
    expect(new Set(ids).size).toBe(120);
    const deal = await b24.crm.deal.get({ id: ids[7]! });
    expect(deal.TITLE).toBe('Bulk 7');
  });

  it('returns a row the portal refused as failed, and the others as done', async () => {
    const report = await b24.bulk('crm.deal.update', [
      { id: 1, fields: { TITLE: 'ok' } },
      { id: 999_999, fields: { TITLE: 'missing' } },
    ]);
    expect(report.succeeded).toBe(1);
    expect(report.failed).toEqual([1]);
    const failure = report.results[1]!;
    expect(failure.ok).toBe(false);
    if (!failure.ok) expect(failure.outcomeUnknown).toBe(false);
  });
});
