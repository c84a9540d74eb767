import { describe, expect, test } from 'vitest';
import { startEmulator, unknownName } from '../src/index.js';
import { call } from './helpers.js';

describe('seeding', () => {
  test('a million deals; keyset paging over them answers from the primary key', async () => {
    const emu = await startEmulator({ plan: 'unlimited' });
    try {
      const t0 = performance.now();
      expect(emu.seed('crm.deal', 1_000_000)).toBe(1_000_000);
      const seedMs = performance.now() - t0;
      expect(seedMs).toBeLessThan(60_000);
      expect((emu.db.prepare('SELECT COUNT(*) AS c FROM crm_deal').get() as { c: number }).c).toBe(1_000_000);
      const page = await call(emu.webhookUrl, 'crm.deal.list', {
        filter: { '>ID': 999_960 },
        order: { ID: 'ASC' },
        select: ['ID', 'TITLE'],
        start: -1,
      });
      expect(page.body.result).toHaveLength(40);
      expect(page.body.result[0]).toEqual({ ID: '999961', TITLE: 'Deal #999961' });
      const plan = emu.db
        .prepare(`EXPLAIN QUERY PLAN SELECT "ID" FROM crm_deal WHERE ("ID" > ?) ORDER BY "ID" ASC LIMIT 50`)
        .all(5) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INTEGER PRIMARY KEY/);
      const counted = await call(emu.webhookUrl, 'crm.deal.list', { filter: { STAGE_ID: 'WON' }, select: ['ID'] });
      expect(counted.body.total).toBe(250_000);
      expect(counted.body.next).toBe(50);
    } finally {
      await emu.close();
    }
  }, 120_000);

  test('seed with fixed fields, other entities, bad input', async () => {
    const emu = await startEmulator({ plan: 'unlimited' });
    try {
      expect(emu.seed('crm.lead', 10, { STATUS_ID: 'IN_PROCESS' })).toBe(10);
      const r = await call(emu.webhookUrl, 'crm.lead.list', { filter: { STATUS_ID: 'IN_PROCESS' }, select: ['ID'] });
      expect(r.body.total).toBe(10);
      expect(emu.seed('crm.contact', 3)).toBe(3);
      // Names match case-insensitively at run time, as Bitrix24's do; the typed names are lower case.
      expect(emu.seed(unknownName('CRM.COMPANY'), 2)).toBe(2);
      // @ts-expect-error crm.nothing is not a seedable entity
      expect(() => emu.seed('crm.nothing', 1)).toThrow(/unknown entity "crm.nothing"/);
      expect(() => emu.seed('crm.deal', -1)).toThrow(/non-negative integer/);
    } finally {
      await emu.close();
    }
  });
});
