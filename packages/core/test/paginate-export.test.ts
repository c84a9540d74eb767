/**
 * `paginate` exports against the emulator over real sockets: id-range segments read at once
 * must still hand every row out once, in id order, under injected faults and while rows are
 * deleted and added; offset paging with batches in flight keeps its order too. Request counts
 * (not times) are asserted.
 */
import { startEmulator, type Emulator, type FaultOptions } from '@b24kit/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryLimiterStore,
  createCaller,
  type Caller,
  type CallerOptions,
  type Credentials,
  type MethodDescriptor,
  type PaginateOptions,
} from '../src/index.js';

const list: MethodDescriptor = {
  method: 'crm.deal.list',
  scope: 'crm',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
  list: { rows: '', idField: 'ID', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
};
const remove: MethodDescriptor = {
  method: 'crm.deal.delete',
  scope: 'crm',
  idempotent: false,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
};

/** About one request in ten fails (500, 503, reset, broken JSON), only on the export's methods. */
function faults(seed: number): FaultOptions {
  const rate = 0.026;
  const kinds = ['500', '503', 'reset', 'malformed'] as const;
  return { seed, rules: kinds.map((kind) => ({ kind, rate, methods: ['batch', 'crm.deal.list'] })) };
}

function injected(emu: Emulator): number {
  return Object.values(emu.stats().faults).reduce((a, b) => a + b, 0);
}

function credentialsFor(emu: Emulator): Credentials {
  const code = new URL(emu.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
  return {
    portal: emu.baseUrl,
    kind: 'webhook',
    prepare: async (d) => ({ url: `${emu.webhookUrl}${d.method}.json` }),
    redact: (t) => t.replaceAll(code, '***'),
  };
}

const open: Caller[] = [];
function caller(emu: Emulator, extra: Partial<CallerOptions> = {}): Caller {
  const c = createCaller({
    credentials: credentialsFor(emu),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  });
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** Reads every row; fails on the first id that does not ascend (so also on a repeat). */
async function ids(rows: AsyncIterable<{ ID: string }>, onRow?: (n: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for await (const row of rows) {
    const id = Number(row.ID);
    if (out.length > 0 && !(id > out[out.length - 1]!))
      throw new Error(`id ${id} after ${out[out.length - 1]} (row ${out.length})`);
    out.push(id);
    await onRow?.(out.length);
  }
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('paginate exports against the emulator', () => {
  const N = 30_000;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ plan: 'unlimited' });
    expect(emu.seed('crm.deal', N)).toBe(N);
  });
  afterAll(() => emu.close());

  it.each([
    // prefetch, pagesPerRequest, requests: the opening request (first page + highest id), then
    // one per id-range segment (capacity less a margin of sqrt(capacity) rows: 2,450 and 968);
    // prefetch 1 is one chain: the first page, then 12 requests of 50 pages; the fault seed.
    [3, 50, 1 + 13, 11],
    [5, 20, 1 + 31, 12],
    [1, 50, 1 + 12, 13],
  ])(
    'prefetch %i, %i pages a request: every row once, in id order, with one request in ten failing',
    async (prefetch, pagesPerRequest, requests, seed) => {
      emu.setFaults(faults(seed));
      emu.resetStats();
      const c = caller(emu);
      const got = await ids(c.paginate(list, { select: ['ID', 'TITLE'] }, { prefetch, pagesPerRequest }));
      expect(got).toEqual(range(1, N));
      const faultsSeen = injected(emu);
      expect(faultsSeen).toBeGreaterThan(0);
      // Each fault cost one failed attempt and was retried; nothing else was sent.
      expect(c.stats().retries).toBe(faultsSeen);
      expect(emu.stats().requests).toBe(requests + faultsSeen);
    },
    60_000,
  );

  it('offset paging (mode offset) with batches in flight: every row once, in order, under faults', async () => {
    emu.setFaults(faults(5));
    emu.resetStats();
    const c = caller(emu);
    const got = await ids(
      c.paginate(list, { select: ['ID'], filter: { '<=ID': 12_000 } }, { mode: 'offset', prefetch: 4 }),
    );
    expect(got).toEqual(range(1, 12_000));
    // The first page alone, then 239 pages in 5 batches of at most 50.
    expect(emu.stats().requests).toBe(1 + 5 + injected(emu));
  }, 60_000);

  it('a consumer that stops reading holds at most prefetch + 1 requests of rows', async () => {
    emu.setFaults(undefined);
    emu.resetStats();
    const c = caller(emu);
    const options: PaginateOptions = { prefetch: 2, pagesPerRequest: 10 };
    const it = c.paginate<{ ID: string }>(list, { select: ['ID'] }, options)[Symbol.asyncIterator]();
    for (let i = 0; i < 51; i++) await it.next(); // the first page and one row of the first segment
    await new Promise((r) => setTimeout(r, 300));
    // The opening request, the segment being read and at most 2 ahead of it.
    expect(emu.stats().requests).toBe(1 + 1 + 2);
    await it.return?.();
  }, 60_000);
});

describe('paginate while rows change', () => {
  const N = 20_000;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ plan: 'unlimited' });
    expect(emu.seed('crm.deal', N)).toBe(N);
  });
  afterAll(() => emu.close());

  it('rows deleted and added during the export: kept rows once, in order; deleted ones gone, new ones included', async () => {
    emu.setFaults(faults(77));
    emu.resetStats();
    const c = caller(emu);
    const side = caller(emu, { retry: false });
    const deleted = [...range(7_001, 7_040), ...range(15_001, 15_040)];
    let added = 0;
    const got = await ids(c.paginate(list, { select: ['ID'] }), async (n) => {
      // After the first row, before any segment is sent (they start once the first page is read).
      if (n !== 1) return;
      for (const id of deleted) await side.call(remove, { id });
      added = emu.seed('crm.deal', 300);
    });
    expect(added).toBe(300);
    const gone = new Set(deleted);
    expect(got).toEqual(range(1, N + added).filter((id) => !gone.has(id)));
    expect(injected(emu)).toBeGreaterThan(0);
  }, 60_000);
});
