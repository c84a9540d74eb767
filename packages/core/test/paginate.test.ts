import { afterEach, describe, expect, it } from 'vitest';
import {
  B24Error,
  B24ValidationError,
  MemoryLimiterStore,
  createCaller,
  type Caller,
  type MethodDescriptor,
  type PaginateOptions,
} from '../src/index.js';
import { startFakePortal, type FakeListOptions, type FakePortal } from './fake-portal.js';
import { descriptor, json, webhook } from './helpers.js';

const open: { portal: FakePortal; caller: Caller }[] = [];
afterEach(async () => {
  for (const { portal, caller } of open.splice(0)) {
    await caller.close();
    await portal.close();
  }
});

async function setup(options: FakeListOptions): Promise<{ portal: FakePortal; caller: Caller }> {
  const portal = await startFakePortal(options);
  const caller = createCaller({
    credentials: webhook(portal.origin),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: false,
  });
  open.push({ portal, caller });
  return { portal, caller };
}

const legacy = descriptor('crm.deal.list', { idempotent: true, list: { rows: '', idField: 'ID', keyset: true } });
const items = descriptor('crm.item.list', { idempotent: true, list: { rows: 'items', idField: 'id', keyset: true } });
const offsetOnly = descriptor('crm.deal.list', { idempotent: true, list: { rows: '', idField: 'ID', keyset: false } });

/** Ids 1..n with gaps: every third id is missing. */
const gappy = (n: number): number[] =>
  Array.from({ length: Math.ceil(n * 1.5) }, (_, i) => i + 1)
    .filter((id) => id % 3 !== 0)
    .slice(0, n);

async function collect(
  caller: Caller,
  d: MethodDescriptor,
  params: object = {},
  options: PaginateOptions = {},
): Promise<number[]> {
  const out: number[] = [];
  for await (const row of caller.paginate<Record<string, unknown>>(d, params, options))
    out.push(Number(row[d.list!.idField]));
  return out;
}

describe('paginate: keyset chained through batch references', () => {
  it.each([0, 1, 49, 50, 51, 99, 100, 101, 149, 150, 2500, 2549, 2550, 2551, 5207])(
    'every row exactly once for %i rows',
    async (n) => {
      const ids = gappy(n);
      const { portal, caller } = await setup({ ids });
      const got = await collect(caller, legacy);
      expect(got).toEqual(ids);
      // Keyset requests: only the first page asks for the count (start=0), the rest skip it; one
      // uncounted page in id DESC order (in the first request) finds the highest id.
      expect(Number(portal.listCalls[0]!.start)).toBe(0);
      expect(portal.listCalls.slice(1).every((p) => Number(p.start) === -1)).toBe(true);
      const desc = portal.listCalls.filter((p) => (p.order as Record<string, string>).ID === 'DESC');
      expect(desc.length).toBe(1);
      expect(portal.listCalls.indexOf(desc[0]!)).toBe(1);
      expect(portal.hits.length).toBeLessThanOrEqual(Math.max(1, Math.ceil(n / 2450)) + 1);
    },
  );

  it.each([
    // rows, requests: the opening request (first page and highest id), then one request per id
    // range of at most 2,450 rows (50 pages less a margin of sqrt(2,500) rows), sized from its total
    [6000, 1 + 3],
    [10_000, 1 + 5],
    [12_550, 1 + 6],
  ])('sizes the chained batches from the first answer: %i rows in %i requests', async (n, requests) => {
    const ids = gappy(n);
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, legacy)).toEqual(ids);
    expect(portal.hits.length).toBe(requests);
    // No more requests than ceil(rows / 2450) + 1.
    expect(requests).toBeLessThanOrEqual(Math.ceil(n / 2450) + 1);
  });

  it('without a count in the answer, ramps up 2, 4, 8, ... pages', async () => {
    const ids = gappy(6000);
    const { portal, caller } = await setup({ ids, noTotal: true });
    expect(await collect(caller, legacy)).toEqual(ids);
    // 120 full pages + the empty end: 1 plain page, then batches of 2, 4, 8, 16, 32, 50, 50.
    expect(portal.hits.length).toBe(8);
  });

  it('ignores the commands after a short page, whose reference the server could not resolve', async () => {
    const ids = gappy(5207);
    const { portal, caller } = await setup({ ids });
    // Rows deleted after the count: a page in the middle of a planned request comes back short.
    const got: number[] = [];
    for await (const row of caller.paginate<Record<string, unknown>>(legacy)) {
      if (got.length === 0) portal.rows.splice(3007);
      got.push(Number(row.ID));
    }
    expect(got).toEqual(ids.slice(0, 3007));
    // §5.2: `$result[p24][49][ID]` on a 37-row page stops at p24's rows and substitutes the
    // whole array; the fake portal then ignores that bound and returns the range's first rows,
    // and the commands after it chain from those: all of it must be dropped. The same happens
    // after the short last page of the first segment and the empty first page of the last one.
    const unresolved = portal.listCalls.filter(
      (p) => typeof ((p.filter ?? {}) as Record<string, unknown>)['>ID'] === 'object',
    );
    expect(unresolved.length).toBe(3);
    // 5157 rows after the first page: 3 segments of 36 pages each (1,719 rows and a margin of
    // 50), after the opening request (first page and highest id).
    expect(portal.hits.length).toBe(1 + 3);
    expect(portal.listCalls.length).toBe(2 + 3 * 36);
  });

  it('an uneven id spread: a segment denser than the average goes on from its last id', async () => {
    // 4,000 ids in a row, then 2,000 ids 50 apart: the first third of the id range holds 2/3 of the rows.
    const ids = [
      ...Array.from({ length: 4000 }, (_, i) => i + 1),
      ...Array.from({ length: 2000 }, (_, i) => 100_000 + i * 50),
    ];
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, legacy)).toEqual(ids);
    // The opening request, 3 segments of 41 pages, and the dense segment's rest in one request
    // sized from the density read so far.
    expect(portal.hits.length).toBe(1 + 3 + 1);
  });

  it('leaves a margin: ranges whose share is just under a full request need no request to find their end', async () => {
    // 50 + 3,999 dense ids with 2 pages a request: 40 ranges of 99.975 rows each would round to
    // 100 in some ranges, fill both pages and need one more request each; with the margin of
    // sqrt(100) rows it is 45 ranges of about 89 rows.
    const ids = Array.from({ length: 4049 }, (_, i) => i + 1);
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, legacy, {}, { pagesPerRequest: 2 })).toEqual(ids);
    expect(portal.hits.length).toBe(1 + 45);
  });

  it('rejects a prefetch outside 1..8 before sending anything', async () => {
    const { portal, caller } = await setup({ ids: gappy(10) });
    expect(() => caller.paginate(legacy, {}, { prefetch: 0 })).toThrow('prefetch must be an integer 1..8');
    expect(() => caller.paginate(offsetOnly, {}, { prefetch: 9 })).toThrow('prefetch must be an integer 1..8');
    expect(portal.hits.length).toBe(0);
  });

  it('a failure of the whole first request is reported under the list method, with its class and code', async () => {
    const { portal, caller } = await setup({ ids: gappy(10) });
    portal.handle((_hit, res) => json(res, 403, { error: 'ACCESS_DENIED', error_description: 'Access denied!' }));
    const error = await collect(caller, legacy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24Error);
    expect(error).toMatchObject({ method: 'crm.deal.list', code: 'ACCESS_DENIED', status: 403 });
    expect((error as Error).message).toMatch(/^crm\.deal\.list failed with ACCESS_DENIED \(HTTP 403\)/);
  });

  it('works with pages of 1 per request (no batch)', async () => {
    const ids = gappy(260);
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, legacy, {}, { pagesPerRequest: 1 })).toEqual(ids);
    expect(portal.hits.length).toBe(6);
  });

  it('respects the user filter, including an existing >=ID lower bound', async () => {
    const ids = gappy(700);
    const { caller } = await setup({ ids, extra: (id) => ({ STAGE: id % 2 ? 'WON' : 'NEW' }) });
    const got = await collect(caller, legacy, { filter: { '>=ID': 100, STAGE: 'WON' } });
    expect(got).toEqual(ids.filter((id) => id >= 100 && id % 2 === 1));
    const gt = await collect(caller, legacy, { FILTER: { '>ID': 300 } });
    expect(gt).toEqual(ids.filter((id) => id > 300));
  });

  it('reads rows from result.items with camelCase ids', async () => {
    const ids = gappy(333);
    const { caller } = await setup({
      method: 'crm.item.list',
      ids,
      rowsPath: 'items',
      idField: 'id',
      stringIds: false,
    });
    expect(await collect(caller, items, { entityTypeId: 2 })).toEqual(ids);
  });

  it('splits result.items lists with camelCase ids and a user filter into id ranges too', async () => {
    const ids = gappy(6000);
    const { portal, caller } = await setup({
      method: 'crm.item.list',
      ids,
      rowsPath: 'items',
      idField: 'id',
      stringIds: false,
      extra: (id) => ({ stageId: id % 4 === 1 ? 'WON' : 'NEW' }),
    });
    const won = ids.filter((id) => id % 4 === 1);
    const got = await collect(caller, items, { entityTypeId: 2, filter: { stageId: 'WON' } }, { pagesPerRequest: 4 });
    expect(got).toEqual(won);
    // The opening request, then one request per range of at most 4 pages, 185 rows expected in
    // each (200 less a margin of sqrt(200)); the user filter is kept in each.
    expect(portal.hits.length).toBe(1 + Math.ceil((won.length - 50) / 185));
    expect(portal.listCalls.every((p) => (p.filter as Record<string, unknown>).stageId === 'WON')).toBe(true);
  });

  it('validates the user params but not the paging params core adds', async () => {
    const ids = gappy(180);
    const { portal, caller } = await setup({ ids });
    const strict = { ...legacy, params: { filter: { type: 'object' as const }, select: { type: 'array' as const } } };
    expect(await collect(caller, strict, { select: ['ID'] })).toEqual(ids);
    expect(() => caller.paginate(strict, { selekt: ['ID'] })).toThrow("unknown parameter 'selekt'");
    expect(portal.hits.length).toBe(2);
  });

  it('is lazy: stopping early sends nothing more', async () => {
    const { portal, caller } = await setup({ ids: gappy(5000) });
    let n = 0;
    for await (const _ of caller.paginate(legacy)) if (++n === 10) break;
    expect(portal.hits.length).toBe(1);
  });

  it('falls back to offsets when the order is not id ASC', async () => {
    const ids = gappy(120);
    const { portal, caller } = await setup({ ids });
    const got = await collect(caller, legacy, { order: { ID: 'DESC' } });
    expect(got).toEqual([...ids].reverse());
    expect(Number(portal.listCalls[0]!.start)).toBe(0);
    expect(() => caller.paginate(legacy, { order: { TITLE: 'ASC' } }, { mode: 'keyset' })).toThrow(B24ValidationError);
  });
});

describe('paginate: offsets', () => {
  it.each([0, 1, 50, 51, 149, 150, 2701])('every row exactly once for %i rows', async (n) => {
    const ids = gappy(n);
    const { caller } = await setup({ ids });
    expect(await collect(caller, offsetOnly)).toEqual(ids);
  });

  it('asks for the remaining pages in batches once total is known', async () => {
    const ids = gappy(2701); // 55 pages
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, offsetOnly)).toEqual(ids);
    // First page alone, then 50 pages, then the last 4.
    expect(portal.hits.length).toBe(3);
    const starts = portal.listCalls.map((p) => Number(p.start));
    expect(new Set(starts).size).toBe(55);
  });
});

describe('paginate: offsets, several batches at once', () => {
  it('12,000 rows: the first page, then 5 batches, handed out in order', async () => {
    const ids = gappy(12_000);
    const { portal, caller } = await setup({ ids });
    expect(await collect(caller, offsetOnly, {}, { prefetch: 4 })).toEqual(ids);
    expect(portal.hits.length).toBe(1 + 5);
  });

  it('rows deleted meanwhile: stops at the first page without a next', async () => {
    const ids = gappy(6000);
    const { portal, caller } = await setup({ ids });
    const got: number[] = [];
    for await (const row of caller.paginate<Record<string, unknown>>(offsetOnly)) {
      if (got.length === 0) portal.rows.splice(4000);
      got.push(Number(row.ID));
    }
    expect(got).toEqual(ids.slice(0, 4000));
  });
});

describe('paginateParallel', () => {
  it.each([[0], [49], [50], [51], [3001]])('every row exactly once over 3 chains for %i rows', async (n) => {
    const ids = gappy(n);
    const { caller } = await setup({ ids });
    const got: number[] = [];
    for await (const row of caller.paginateParallel<Record<string, string>>(
      legacy,
      { filter: { '>ID': 0 } },
      { chains: 3 },
    ))
      got.push(Number(row.ID));
    expect(got.length).toBe(ids.length);
    expect([...got].sort((a, b) => a - b)).toEqual(ids);
  });
});
