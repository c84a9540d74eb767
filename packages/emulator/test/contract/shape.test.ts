import { describe, expect, it } from 'vitest';
import { documented, shapeDifferences } from './shape.js';

describe('contract shape comparison', () => {
  it('finds missing keys and kind changes, tolerates nulls and PHP empty arrays', () => {
    const example = { result: { items: [{ id: 1, title: 'x', tags: {} }], total: 1 }, time: { start: 1 } };
    expect(
      shapeDifferences({ result: { items: [{ id: 2, title: 'y', tags: [] }], total: 3 }, time: { start: 2 } }, example),
    ).toEqual([]);
    expect(
      shapeDifferences({ result: { items: [{ id: '2', title: null }], total: 3 }, time: { start: 2 } }, example),
    ).toEqual(['result.items.0.id: expected number, got string', 'result.items.0.tags: missing']);
    expect(shapeDifferences({ result: 'x' }, example)).toEqual([
      'result: expected object, got string',
      'time: missing',
    ]);
    expect(shapeDifferences({ result: [1] }, example)).toEqual(['result: expected object, got array', 'time: missing']);
    expect(shapeDifferences({ result: { items: [], total: 0 } }, example, { checkTime: false })).toEqual([]);
  });

  it('reads documented examples from the catalog', () => {
    expect(documented('crm.deal.add')?.responseExample).toMatchObject({ result: expect.any(Number) });
    expect(documented('CRM.DEAL.ADD')).toBe(documented('crm.deal.add'));
    expect(documented('no.such.method')).toBeUndefined();
  });
});
