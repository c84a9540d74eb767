/**
 * `paginate`: every row of a list method, once, as an AsyncIterable with constant memory (at
 * most two requests' rows are held: the next request is sent while this one's rows are consumed).
 * Driven by `descriptor.list` (PROTOCOL.md §4.4, §6).
 *
 * Keyset mode (list.keyset): filter `>ID`, order by id ASC, `start=-1`, and after the first page
 * (asked with `start=0`, so that it says how many rows there are) K pages chained in one batch,
 * K sized from that count, page i filtering on `$result[p{i-1}][...rows][49][ID]`. If a
 * page is short, the server cannot resolve the next command's reference (§5.2: the walk stops
 * early and substitutes whatever it reached), so every command after the first short page is
 * ignored: a short page is the end of the table. Full pages resolve exactly, so no row is lost
 * or repeated.
 *
 * Offset mode (everything else): `start` = 0, 50, ... following `next`; once `total` is known,
 * the remaining pages are requested K at a time in one batch.
 */
import { BATCH_LIMIT, runBatch, type BatchCommand, type BatchItem } from './batch.js';
import type { CallOptions, Engine } from './engine.js';
import type { ListSpec, MethodDescriptor } from './descriptor.js';
import { B24ArgumentError, B24Error, B24ValidationError } from './errors.js';
import { ref } from './ref.js';

/** Rows per page; fixed by the server for classic list methods (§6.1). */
export const PAGE_SIZE = 50;

export interface PaginateOptions extends CallOptions {
  /** Pages requested per HTTP request after the first (1 = no batch; max 50; default 50). */
  pagesPerRequest?: number;
  /** `auto` (default): keyset when the descriptor allows it and the order permits, else offset. */
  mode?: 'auto' | 'keyset' | 'offset';
}

export interface ParallelOptions extends PaginateOptions {
  /** Independent id-range chains run at the same time (default 4). Rows arrive interleaved. */
  chains?: number;
}

type Params = Record<string, unknown>;

function listSpecOf(descriptor: MethodDescriptor): ListSpec {
  if (!descriptor.list) {
    throw new B24ValidationError({
      method: descriptor.method,
      problems: ['the descriptor has no list spec, so it cannot be paged'],
    });
  }
  return descriptor.list;
}

/** The key `params` already uses for a parameter (legacy methods accept any casing). */
function keyIn(params: Params, name: string): string {
  return Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function rowsOf(method: string, spec: ListSpec, result: unknown): unknown[] {
  let value = result;
  for (const segment of spec.rows.split('.').filter(Boolean)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  if (Array.isArray(value)) return value;
  // PHP serialises an empty map as [] (e.g. `result: []` where `{items: []}` is meant).
  if (Array.isArray(result) && result.length === 0) return [];
  if (value && typeof value === 'object' && Object.keys(value).length === 0) return [];
  throw new B24Error({
    method,
    code: 'INVALID_LIST_RESPONSE',
    description: `no row array at result${spec.rows ? '.' + spec.rows : ''}`,
  });
}

function idOf(method: string, spec: ListSpec, row: unknown): string | number {
  const id = row && typeof row === 'object' ? (row as Record<string, unknown>)[spec.idField] : undefined;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new B24Error({
      method,
      code: 'INVALID_LIST_RESPONSE',
      description: `a row has no '${spec.idField}' field, needed for keyset paging (add it to select?)`,
    });
  }
  return id;
}

function compareIds(a: string | number, b: string | number): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Keyset needs id ASC as the only order; any other order pages by offset instead. */
function keysetPossible(spec: ListSpec, params: Params): boolean {
  if (!spec.keyset) return false;
  const order = params[keyIn(params, spec.orderParam ?? 'order')];
  if (order === undefined) return true;
  if (!order || typeof order !== 'object' || Array.isArray(order)) return false;
  const entries = Object.entries(order);
  return entries.every(
    ([k, dir]) => k.toLowerCase() === spec.idField.toLowerCase() && String(dir).toUpperCase() === 'ASC',
  );
}

function userFilter(method: string, params: Params, filterKey: string): Params {
  const filter = params[filterKey];
  if (filter === undefined) return {};
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new B24ValidationError({ method, problems: [`parameter '${filterKey}' must be an object to page by id`] });
  }
  return filter as Params;
}

function pagesPerRequest(options: PaginateOptions): number {
  const k = options.pagesPerRequest ?? BATCH_LIMIT;
  if (!Number.isInteger(k) || k < 1 || k > BATCH_LIMIT)
    throw new B24ArgumentError(`pagesPerRequest must be an integer 1..${BATCH_LIMIT}`);
  return k;
}

/** Rows with id > `after` (all when undefined) and, for a parallel chain, id <= `upTo`. */
async function* keysetRows(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: Params,
  options: PaginateOptions,
  after?: string | number,
  upTo?: string | number,
): AsyncGenerator<unknown> {
  const spec = listSpecOf(descriptor);
  const method = descriptor.method;
  const filterKey = keyIn(params, spec.filterParam ?? 'filter');
  const orderKey = keyIn(params, spec.orderParam ?? 'order');
  const gt = `>${spec.idField}`;
  const base: Params = { ...params, [orderKey]: { [spec.idField]: 'ASC' }, start: -1 };
  const filter = userFilter(method, params, filterKey);
  const withBound = (lower: unknown): Params => ({
    ...base,
    [filterKey]: {
      ...filter,
      ...(lower === undefined ? {} : { [gt]: lower }),
      ...(upTo === undefined ? {} : { [`<=${spec.idField}`]: upTo }),
    },
  });
  const maxK = pagesPerRequest(options);
  const rowPath = spec.rows.split('.').filter(Boolean);
  let last = after;

  /** Yields a page; returns the id to continue after, or undefined at the end of the table. */
  const take = function* (rows: unknown[]): Generator<unknown, string | number | undefined> {
    let end: string | number | undefined;
    for (const row of rows) {
      const id = idOf(method, spec, row);
      if (last !== undefined && compareIds(id, last) <= 0) {
        throw new B24Error({
          method,
          code: 'INVALID_LIST_RESPONSE',
          description: `rows are not in ascending '${spec.idField}' order; keyset paging cannot continue`,
        });
      }
      last = id;
      end = id;
      yield row;
    }
    return rows.length < PAGE_SIZE ? undefined : end;
  };

  // The first page alone: a small table costs one plain request. It is asked with `start=0`
  // rather than -1 so that its answer carries `total` (the rows left in this id range); the
  // chained batches are then sized from it: ceil(pages / 50) requests of equal size, the last
  // one page longer than needed so that an exact multiple of 50 ends without an extra request.
  const first = await engine.send<unknown>(
    { descriptor, budgetMethods: [method], idempotent: true, body: { ...withBound(last), start: 0 } },
    options,
  );
  const firstRows = rowsOf(method, spec, first.result);
  let planned =
    first.total !== undefined && first.total > 0
      ? Math.floor(Math.max(0, first.total - firstRows.length) / PAGE_SIZE) + 1
      : undefined;
  const cursor = yield* take(firstRows);
  let ramp = Math.min(2, maxK);

  /** Pages for the next request: from the count when there is one, else a ramp 2, 4, 8, ... */
  const nextSize = (): number => {
    let k: number;
    if (planned !== undefined && planned > 0) k = Math.ceil(planned / Math.ceil(planned / maxK));
    else if (planned !== undefined)
      k = maxK; // more rows than counted (added meanwhile)
    else {
      k = ramp;
      ramp = Math.min(maxK, ramp * 2);
    }
    if (planned !== undefined) planned = Math.max(0, planned - k);
    return k;
  };
  const request = async (
    from: string | number,
    k: number,
  ): Promise<{ k: number; results: Record<string, BatchItem> }> => {
    const commands: Record<string, BatchCommand> = {};
    for (let i = 0; i < k; i++) {
      const bound = i === 0 ? from : ref(`p${i - 1}`, ...rowPath, PAGE_SIZE - 1, spec.idField);
      commands[`p${i}`] = [descriptor, withBound(bound)];
    }
    return { k, results: (await runBatch(engine, commands, options, false)) as Record<string, BatchItem> };
  };

  let pending = cursor === undefined ? undefined : request(cursor, nextSize());
  while (pending) {
    const { k, results } = await pending;
    pending = undefined;
    // Find where the next request starts before handing rows out, and send it at once: the
    // portal works on it while this one's rows are consumed (at most two requests' rows held).
    const pages: unknown[][] = [];
    let next: string | number | undefined;
    for (let i = 0; i < k; i++) {
      const item = results[`p${i}`];
      if (!item)
        throw new B24Error({
          method,
          code: 'INVALID_LIST_RESPONSE',
          description: `batch returned no entry for page p${i}`,
        });
      if (!item.ok) throw item.error;
      const rows = rowsOf(method, spec, item.result);
      pages.push(rows);
      // A short page is the end of the table: the commands after it are ignored (see top).
      next = rows.length < PAGE_SIZE ? undefined : idOf(method, spec, rows[rows.length - 1]);
      // More rows than a page holds: the next command's reference (index 49) pointed inside
      // this page, so its rows cannot be trusted; start a new chain from the real last id.
      if (rows.length !== PAGE_SIZE) break;
    }
    if (next !== undefined) {
      pending = request(next, nextSize());
      // Observed on the next turn; a consumer that stops early must not leave it unhandled.
      pending.catch(() => undefined);
    }
    for (const rows of pages) yield* take(rows);
  }
}

async function* offsetRows(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: Params,
  options: PaginateOptions,
): AsyncGenerator<unknown> {
  const spec = listSpecOf(descriptor);
  const method = descriptor.method;
  const maxK = pagesPerRequest(options);
  const startKey = keyIn(params, 'start');
  const first = await engine.send<unknown>(
    { descriptor, budgetMethods: [method], idempotent: true, body: { ...params, [startKey]: params[startKey] ?? 0 } },
    options,
  );
  yield* rowsOf(method, spec, first.result);
  let next = first.next;
  while (next !== undefined) {
    // With a known total the next pages' starts are known: ask for several in one batch.
    const remaining = first.total === undefined ? 1 : Math.ceil((first.total - next) / PAGE_SIZE);
    const k = Math.max(1, Math.min(maxK, remaining));
    if (k === 1) {
      const env = await engine.send<unknown>(
        { descriptor, budgetMethods: [method], idempotent: true, body: { ...params, [startKey]: next } },
        options,
      );
      yield* rowsOf(method, spec, env.result);
      next = env.next;
      continue;
    }
    const commands: BatchCommand[] = [];
    for (let i = 0; i < k; i++) commands.push([descriptor, { ...params, [startKey]: next + i * PAGE_SIZE }]);
    const results = await runBatch(engine, commands, options, false);
    for (const item of results) {
      if (!item.ok) throw item.error;
      yield* rowsOf(method, spec, item.result);
      next = item.next;
      if (next === undefined) return;
    }
  }
}

export function paginate<Row>(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: object = {},
  options: PaginateOptions = {},
): AsyncIterable<Row> {
  const spec = listSpecOf(descriptor);
  engine.validate(descriptor, params, options);
  const p = params as Params;
  const mode = options.mode ?? 'auto';
  if (mode === 'keyset' && !keysetPossible(spec, p)) {
    throw new B24ValidationError({
      method: descriptor.method,
      problems: [
        spec.keyset
          ? `keyset paging needs order by ${spec.idField} ASC only`
          : 'the method does not support keyset paging',
      ],
    });
  }
  const useKeyset = mode !== 'offset' && keysetPossible(spec, p);
  return {
    [Symbol.asyncIterator]: () =>
      (useKeyset
        ? keysetRows(engine, descriptor, p, options)
        : offsetRows(engine, descriptor, p, options)) as AsyncIterator<Row>,
  };
}

/**
 * Keyset paging split into `chains` id ranges read at the same time (all share the caller's
 * rate limiter). Finds the id range with one ascending and one descending request first.
 */
export function paginateParallel<Row>(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: object = {},
  options: ParallelOptions = {},
): AsyncIterable<Row> {
  const spec = listSpecOf(descriptor);
  engine.validate(descriptor, params, options);
  const p = params as Params;
  if (!keysetPossible(spec, p)) {
    throw new B24ValidationError({
      method: descriptor.method,
      problems: [`parallel paging needs keyset paging (order by ${spec.idField} ASC only)`],
    });
  }
  const chains = options.chains ?? 4;
  if (!Number.isInteger(chains) || chains < 1 || chains > 32)
    throw new B24ArgumentError('chains must be an integer 1..32');
  const method = descriptor.method;
  const filterKey = keyIn(p, spec.filterParam ?? 'filter');
  const orderKey = keyIn(p, spec.orderParam ?? 'order');

  async function* run(): AsyncGenerator<Row> {
    const firstParams = { ...p, [orderKey]: { [spec.idField]: 'ASC' }, start: -1 };
    const first = await engine.send<unknown>(
      { descriptor, budgetMethods: [method], idempotent: true, body: firstParams },
      options,
    );
    const firstRows = rowsOf(method, spec, first.result);
    for (const row of firstRows) yield row as Row;
    if (firstRows.length < PAGE_SIZE) return;
    const low = idOf(method, spec, firstRows[firstRows.length - 1]);
    const lastPage = await engine.send<unknown>(
      {
        descriptor,
        budgetMethods: [method],
        idempotent: true,
        body: {
          ...p,
          [filterKey]: { ...userFilter(method, p, filterKey), [`>${spec.idField}`]: low },
          [orderKey]: { [spec.idField]: 'DESC' },
          start: -1,
        },
      },
      options,
    );
    const top = rowsOf(method, spec, lastPage.result)[0];
    if (top === undefined) return;
    const high = idOf(method, spec, top);
    const lo = Number(low);
    const hi = Number(high);
    // Ranges (b_i, b_{i+1}]; non-numeric ids cannot be split, so they use one chain.
    const bounds: (string | number)[] = [low];
    if (Number.isFinite(lo) && Number.isFinite(hi) && chains > 1) {
      const step = Math.ceil((hi - lo) / chains);
      for (let b = lo + step; b < hi; b += step) bounds.push(b);
    }
    bounds.push(high);
    const iterators = bounds
      .slice(1)
      .map((upTo, i) => keysetRows(engine, descriptor, p, options, bounds[i], upTo)[Symbol.asyncIterator]());
    const pending = new Map<number, Promise<{ i: number; r: IteratorResult<unknown> }>>();
    const pull = (i: number): void => {
      const it = iterators[i];
      if (it)
        pending.set(
          i,
          it.next().then((r) => ({ i, r })),
        );
    };
    iterators.forEach((_, i) => pull(i));
    try {
      while (pending.size > 0) {
        const { i, r } = await Promise.race(pending.values());
        if (r.done) {
          pending.delete(i);
          continue;
        }
        pull(i);
        yield r.value as Row;
      }
    } finally {
      // Early exit or failure: stop the other chains.
      await Promise.allSettled(iterators.map((it) => it.return?.(undefined)));
    }
  }
  return { [Symbol.asyncIterator]: run };
}
