/**
 * `paginate`: every row of a list method, once, in order, as an AsyncIterable with bounded
 * memory. Driven by `descriptor.list` (PROTOCOL.md §4.4, §6).
 *
 * Keyset mode (list.keyset): filter `>ID`, order by id ASC, `start=-1`; a request carries up to
 * 50 pages chained in one batch, page i filtering on `$result[p{i-1}][...rows][49][ID]`. If a
 * page is short, the server cannot resolve the next command's reference (§5.2: the walk stops
 * early and substitutes whatever it reached), so every command after the first short page is
 * ignored: a short page is the end of its id range. Full pages resolve exactly, so no row is
 * lost or repeated.
 *
 * A chain is sequential (each request needs the previous page's last id) and pays the network's
 * round trip on every request, so a large export is split: the first request asks for the first
 * page counted (`start=0`, whose answer carries `total`) and, in the same batch, the highest id
 * under the same filter. The id range above the first page is then cut into segments of at most
 * 2,450 expected rows (50 pages less a margin of sqrt(2,500) rows: ceil(rows / 2,450) of them),
 * each read by one chained request of its share plus the margin; `prefetch` segments are in
 * flight at once (all through the caller's rate
 * limiter), and their rows are handed out in id order. A segment denser than the average goes on
 * from its last id; ids that are not integers, or no count, fall back to one chain.
 *
 * Offset mode (everything else): `start` = 0, 50, ... following `next`; once `total` is known,
 * the remaining pages are requested up to 50 per batch, `prefetch` batches at once, in order.
 *
 * Memory: at most `prefetch + 1` requests' rows are held (each up to `pagesPerRequest` × 50).
 *
 * Rows that change during an export (documented behaviour, tested in test/paginate.test.ts):
 * - Keyset: every row is handed out at most once and ids strictly ascend (checked; a portal
 *   that breaks it ends the export with INVALID_LIST_RESPONSE). A row present from the start
 *   to the end of the export is handed out exactly once. A row deleted before its id range is
 *   read is missing; a row added with an id above every id read so far is included if it
 *   exists when the last segment reaches it (new rows get higher ids, so an export started
 *   before they are added may or may not include them); a row added with an id inside a range
 *   already read is not.
 * - Offset: positions shift when rows are added or deleted before the current position, so a
 *   row may be skipped or handed out twice; use an id order (keyset) where that matters.
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
  /**
   * Requests in flight (or answered and waiting) ahead of the rows being handed out: 1..8,
   * default 3. Rows buffered are capped at (prefetch + 1) × pagesPerRequest × 50. With 1 a
   * keyset export is one sequential chain (the next request is sent while a page is read).
   */
  prefetch?: number;
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

/** Requests in flight or answered ahead of the rows being read (default 3; 1 = one ahead). */
const DEFAULT_PREFETCH = 3;
const MAX_PREFETCH = 8;

function prefetchOf(options: PaginateOptions): number {
  const n = options.prefetch ?? DEFAULT_PREFETCH;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PREFETCH)
    throw new B24ArgumentError(`prefetch must be an integer 1..${MAX_PREFETCH}`);
  return n;
}

/** Classic batch can carry the method (a REST 3.0 list is paged one plain request at a time). */
function batchable(descriptor: MethodDescriptor): boolean {
  return descriptor.batchable && descriptor.apiVersion === 2;
}

/**
 * Starts the tasks in order, at most `ahead` of them started and not yet handed out, and yields
 * their results in order. The next task starts as soon as a result is taken, before the
 * consumer works on it. A task that fails is reported when its turn comes (a consumer that
 * stops earlier never sees it, and nothing is left unhandled).
 */
async function* inOrder<T>(tasks: Iterator<() => Promise<T>>, ahead: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  let done = false;
  const fill = (): void => {
    while (!done && queue.length < ahead) {
      const next = tasks.next();
      if (next.done) {
        done = true;
        break;
      }
      const started = next.value();
      started.catch(() => undefined);
      queue.push(started);
    }
  };
  fill();
  while (queue.length > 0) {
    const value = await queue.shift()!;
    fill();
    yield value;
  }
}

interface KeysetContext {
  engine: Engine;
  descriptor: MethodDescriptor;
  spec: ListSpec;
  method: string;
  options: PaginateOptions;
  maxK: number;
  rowPath: string[];
  /** List params with id order, start=-1 and the id bounds given (undefined: none). */
  withBound(lower: unknown, upTo?: string | number): Params;
}

function keysetContext(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: Params,
  options: PaginateOptions,
): KeysetContext {
  const spec = listSpecOf(descriptor);
  const method = descriptor.method;
  const filterKey = keyIn(params, spec.filterParam ?? 'filter');
  const orderKey = keyIn(params, spec.orderParam ?? 'order');
  const gt = `>${spec.idField}`;
  const le = `<=${spec.idField}`;
  const base: Params = { ...params, [orderKey]: { [spec.idField]: 'ASC' }, start: -1 };
  const filter = userFilter(method, params, filterKey);
  return {
    engine,
    descriptor,
    spec,
    method,
    options,
    maxK: pagesPerRequest(options),
    rowPath: spec.rows.split('.').filter(Boolean),
    withBound: (lower, upTo) => {
      const bounded: Params = {
        ...filter,
        ...(lower === undefined ? {} : { [gt]: lower }),
        ...(upTo === undefined ? {} : { [le]: upTo }),
      };
      const out: Params = { ...base, [filterKey]: bounded };
      // An empty map has no query-string form (inside a batch command): no filter at all.
      if (Object.keys(bounded).length === 0) delete out[filterKey];
      return out;
    },
  };
}

/** Checks ascending ids across every page handed out (the guarantee of keyset paging). */
function ascendingGuard(ctx: KeysetContext, after?: string | number) {
  let last = after;
  return function* take(rows: unknown[]): Generator<unknown, string | number | undefined> {
    let end: string | number | undefined;
    for (const row of rows) {
      const id = idOf(ctx.method, ctx.spec, row);
      if (last !== undefined && compareIds(id, last) <= 0) {
        throw new B24Error({
          method: ctx.method,
          code: 'INVALID_LIST_RESPONSE',
          description: `rows are not in ascending '${ctx.spec.idField}' order; keyset paging cannot continue`,
        });
      }
      last = id;
      end = id;
      yield row;
    }
    return rows.length < PAGE_SIZE ? undefined : end;
  };
}

/**
 * One request of a keyset chain: `k` pages after `from` (and up to `upTo`), page i filtering
 * on page i-1's 50th id by a batch reference. Returns the pages up to the first one that is
 * not full, and the id to continue after when every page was full (undefined: the range ended).
 */
async function chainRequest(
  ctx: KeysetContext,
  from: string | number,
  k: number,
  upTo?: string | number,
): Promise<{ pages: unknown[][]; next: string | number | undefined }> {
  const { method, spec } = ctx;
  const commands: Record<string, BatchCommand> = {};
  for (let i = 0; i < k; i++) {
    const bound = i === 0 ? from : ref(`p${i - 1}`, ...ctx.rowPath, PAGE_SIZE - 1, spec.idField);
    commands[`p${i}`] = [ctx.descriptor, ctx.withBound(bound, upTo)];
  }
  const results = (await runBatch(ctx.engine, commands, ctx.options, false)) as Record<string, BatchItem>;
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
    // A short page is the end of the range: the commands after it are ignored (see top).
    next = rows.length < PAGE_SIZE ? undefined : idOf(method, spec, rows[rows.length - 1]);
    // More rows than a page holds: the next command's reference (index 49) pointed inside
    // this page, so its rows cannot be trusted; start a new chain from the real last id.
    if (rows.length !== PAGE_SIZE) break;
  }
  return { pages, next };
}

/**
 * A sequential keyset chain from `from` (exclusive) to `upTo` (inclusive; none = the end of the
 * table), `sizes` giving the pages of each request. The next request is sent as soon as the
 * previous answer says where it starts, so at most two requests' rows are held.
 */
async function* chainFrom(
  ctx: KeysetContext,
  take: ReturnType<typeof ascendingGuard>,
  from: string | number,
  upTo: string | number | undefined,
  sizes: () => number,
): AsyncGenerator<unknown> {
  let pending: ReturnType<typeof chainRequest> | undefined = chainRequest(ctx, from, sizes(), upTo);
  while (pending) {
    const { pages, next } = await pending;
    pending = undefined;
    if (next !== undefined) {
      pending = chainRequest(ctx, next, sizes(), upTo);
      // Observed on the next turn; a consumer that stops early must not leave it unhandled.
      pending.catch(() => undefined);
    }
    for (const rows of pages) yield* take(rows);
  }
}

/** Pages per request when nothing is known of what is left: 2, 4, 8, ... up to the maximum. */
function ramp(maxK: number): () => number {
  let k = Math.min(2, maxK);
  return () => {
    const now = k;
    k = Math.min(maxK, k * 2);
    return now;
  };
}

/**
 * Rows with id > `after` (all when undefined) and, for a parallel chain, id <= `upTo`: one
 * sequential chain (paginateParallel's chains, and the fallback of `paginate`).
 */
async function* keysetRows(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: Params,
  options: PaginateOptions,
  after?: string | number,
  upTo?: string | number,
): AsyncGenerator<unknown> {
  const ctx = keysetContext(engine, descriptor, params, options);
  const take = ascendingGuard(ctx, after);
  // The first page alone, asked with `start=0` so that its answer carries `total`.
  const first = await engine.send<unknown>(
    { descriptor, budgetMethods: [ctx.method], idempotent: true, body: { ...ctx.withBound(after, upTo), start: 0 } },
    options,
  );
  const firstRows = rowsOf(ctx.method, ctx.spec, first.result);
  const cursor = yield* take(firstRows);
  if (cursor === undefined) return;
  yield* chainFrom(ctx, take, cursor, upTo, sizesFromTotal(ctx.maxK, first.total, firstRows.length));
}

/**
 * Chained batch sizes from a count: ceil(pages / 50) requests of equal size, one page longer
 * than needed so that an exact multiple of 50 ends without an extra request; without a count,
 * a ramp 2, 4, 8, ...; more rows than counted (added meanwhile): full requests.
 */
function sizesFromTotal(maxK: number, total: number | undefined, read: number): () => number {
  let planned = total !== undefined && total > 0 ? Math.floor(Math.max(0, total - read) / PAGE_SIZE) + 1 : undefined;
  const ramped = ramp(maxK);
  return () => {
    if (planned === undefined) return ramped();
    const k = planned > 0 ? Math.ceil(planned / Math.ceil(planned / maxK)) : maxK;
    planned = Math.max(0, planned - k);
    return k;
  };
}

/**
 * The first request of an export stands for the list call, though it is a batch of two of its
 * commands: a failure of the whole request (timeout, auth, HTTP error) is reported under the
 * list method's name, as a plain first page would be. Same class, code and fields.
 */
function asListError(error: unknown, method: string): unknown {
  if (!(error instanceof B24Error) || error.method !== 'batch') return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as B24Error;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  Object.defineProperty(copy, 'method', { value: method, enumerable: true });
  Object.defineProperty(copy, 'message', {
    value: error.message.replace(/^batch failed/, `${method} failed`),
    writable: true,
    configurable: true,
  });
  return copy;
}

/**
 * `paginate` in keyset mode: the id range is split into segments read at the same time and
 * handed out in order (see the top of this file).
 */
async function* keysetExport(
  engine: Engine,
  descriptor: MethodDescriptor,
  params: Params,
  options: PaginateOptions,
): AsyncGenerator<unknown> {
  const ahead = prefetchOf(options);
  if (!batchable(descriptor) || ahead === 1) {
    yield* keysetRows(engine, descriptor, params, options);
    return;
  }
  const ctx = keysetContext(engine, descriptor, params, options);
  const { method, spec, maxK } = ctx;
  const take = ascendingGuard(ctx);
  // One request: the first page counted (`start=0`, so the answer carries `total`) and the
  // highest id under the same filter (id DESC, uncounted), which bounds the split.
  const descending = ctx.withBound(undefined);
  descending[keyIn(params, spec.orderParam ?? 'order')] = { [spec.idField]: 'DESC' };
  let opening: Record<string, BatchItem>;
  try {
    opening = (await runBatch(
      engine,
      { first: [descriptor, { ...ctx.withBound(undefined), start: 0 }], top: [descriptor, descending] },
      options,
      false,
    )) as Record<string, BatchItem>;
  } catch (error) {
    throw asListError(error, method);
  }
  const first = opening['first'];
  const top = opening['top'];
  if (!first || !top)
    throw new B24Error({
      method,
      code: 'INVALID_LIST_RESPONSE',
      description: 'batch returned no entry for the first page',
    });
  if (!first.ok) throw first.error;
  const firstRows = rowsOf(method, spec, first.result);
  const cursor = yield* take(firstRows);
  if (cursor === undefined) return;
  if (!top.ok) throw top.error;
  const topRows = rowsOf(method, spec, top.result);
  const high = topRows.length > 0 ? idOf(method, spec, topRows[0]) : undefined;

  // Rows left after the first page (as counted; rows may come and go meanwhile) and the
  // segments: the fewest that keep each one request of at most maxK pages with a margin of
  // sqrt(capacity) rows (2,450 of 2,500), since a segment that fills every page it asked for
  // costs one more request to find its end. The margin covers the rounding of the bounds and
  // the spread of the rows over the ids (for rows scattered at random, about one standard
  // deviation of a segment's count per sqrt(rows)); each segment asks for its share plus it.
  const left = first.total !== undefined ? Math.max(0, first.total - firstRows.length) : undefined;
  const lo = Number(cursor);
  const hi = Number(high);
  const numeric = Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && String(lo) === String(cursor).trim();
  const capacity = maxK * PAGE_SIZE;
  const margin = Math.ceil(Math.sqrt(capacity));
  const segments = left === undefined ? 1 : Math.max(1, Math.ceil(left / (capacity - margin)));
  if (left === undefined || !numeric || hi <= lo || segments === 1 || hi - lo < segments) {
    // Nothing to split (no count, ids that are not integers, a single request's worth): one chain.
    yield* chainFrom(ctx, take, cursor, undefined, sizesFromTotal(maxK, first.total, firstRows.length));
    return;
  }
  const share = left / segments;
  const k = Math.min(maxK, Math.ceil((share + margin) / PAGE_SIZE));
  // Segment i covers (bounds[i], bounds[i + 1]]; the last one is open above, so rows added
  // beyond the highest id before it is read are included, as a sequential chain would.
  const bounds: number[] = [];
  for (let i = 0; i <= segments; i++) bounds.push(lo + Math.round((i * (hi - lo)) / segments));
  const upper = (i: number): number | undefined => (i === segments - 1 ? undefined : bounds[i + 1]);
  function* tasks(): Generator<() => ReturnType<typeof chainRequest>> {
    for (let i = 0; i < segments; i++) yield () => chainRequest(ctx, bounds[i]!, k, upper(i));
  }
  let i = 0;
  for await (const { pages, next } of inOrder(tasks(), ahead)) {
    for (const rows of pages) yield* take(rows);
    if (next !== undefined) {
      // Denser than the average: the segment goes on from its last id, one chain, sized from the
      // density read so far (the last segment, open above, ramps up instead).
      const upTo = upper(i);
      const span = Number(next) - bounds[i]!;
      const read = pages.length * PAGE_SIZE;
      const estimate = upTo === undefined || !(span > 0) ? undefined : Math.ceil(((upTo - Number(next)) * read) / span);
      yield* chainFrom(ctx, take, next, upTo, estimate === undefined ? ramp(maxK) : sizesFromTotal(maxK, estimate, 0));
    }
    i++;
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
  const canBatch = batchable(descriptor);
  const maxK = canBatch ? pagesPerRequest(options) : 1;
  const ahead = prefetchOf(options);
  const startKey = keyIn(params, 'start');
  const page = async (start: number): Promise<BatchItem[]> => {
    const env = await engine.send<unknown>(
      { descriptor, budgetMethods: [method], idempotent: true, body: { ...params, [startKey]: start } },
      options,
    );
    return [{ ok: true, result: env.result, total: env.total, next: env.next }];
  };
  const pages = (starts: number[]): Promise<BatchItem[]> =>
    starts.length === 1 || !canBatch
      ? page(starts[0]!)
      : runBatch(
          engine,
          starts.map((s): BatchCommand => [descriptor, { ...params, [startKey]: s }]),
          options,
          false,
        );
  const first = (await page(Number(params[startKey] ?? 0)))[0]!;
  if (!first.ok) throw first.error;
  yield* rowsOf(method, spec, first.result);
  let next = first.next;
  if (next === undefined) return;
  if (first.total !== undefined && first.total > next) {
    // With a known total every page's start is known: the batches are sent `ahead` at a time
    // and handed out in order. A page without `next` is the end (rows deleted meanwhile).
    const left = Math.ceil((first.total - next) / PAGE_SIZE);
    const requests = Math.ceil(left / maxK);
    const k = Math.ceil(left / requests);
    const from = next;
    function* tasks(): Generator<() => Promise<BatchItem[]>> {
      for (let r = 0; r < requests; r++) {
        const starts: number[] = [];
        for (let j = r * k; j < Math.min(left, (r + 1) * k); j++) starts.push(from + j * PAGE_SIZE);
        yield () => pages(starts);
      }
    }
    for await (const items of inOrder(tasks(), ahead)) {
      for (const item of items) {
        if (!item.ok) throw item.error;
        yield* rowsOf(method, spec, item.result);
        next = item.next;
        if (next === undefined) return;
      }
    }
  }
  // No count, or more rows than counted (added meanwhile): one request at a time from `next`.
  while (next !== undefined) {
    const remaining = first.total === undefined ? 1 : Math.ceil((first.total - next) / PAGE_SIZE);
    const k = Math.max(1, Math.min(maxK, remaining));
    const starts = Array.from({ length: k }, (_, i) => next! + i * PAGE_SIZE);
    for (const item of await pages(starts)) {
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
  pagesPerRequest(options);
  prefetchOf(options);
  return {
    [Symbol.asyncIterator]: () =>
      (useKeyset
        ? keysetExport(engine, descriptor, p, options)
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
