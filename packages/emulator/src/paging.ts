/**
 * The one paging helper: legacy offset pages (50 a page, `start`, `next`, `total`, `start=-1`
 * skips the count, PROTOCOL.md §6.1 and §4.4), keyset reads (`>ID` filter + id order, which a
 * caller combines with start=-1), and the REST 3.0 `pagination {page, limit, offset}` (§1.6).
 * It also charges the time model for counting and skipping rows, so every list costs the same way.
 */
import type { CallContext, MethodResult } from './methods/types.js';
import { param } from './params.js';
import { intval, toInt } from './wire.js';

export const PAGE_SIZE = 50;

export interface OffsetPage {
  /** Rows to skip (>= 0). */
  readonly offset: number;
  /** Rows to read. */
  readonly limit: number;
  /** False for start < 0: no COUNT, no `next` (§4.4). */
  readonly counted: boolean;
}

/** Reads `start` (case-insensitive name, PHP intval semantics); `name` defaults to `start`. */
export function readStart(ctx: Pick<CallContext, 'params'>, name = 'start', limit = PAGE_SIZE): OffsetPage {
  const start = intval(param(ctx.params, name) ?? 0);
  return { offset: Math.max(0, start), limit, counted: start >= 0 };
}

/**
 * Builds the list answer. `count` runs only when the page is counted; the time model is
 * charged for the count and the skipped offset as a portal pays for them.
 * `wrap` turns the rows into `result` (e.g. `(rows) => ({items: rows})`).
 */
export function offsetAnswer<T>(
  ctx: CallContext,
  page: OffsetPage,
  rows: readonly T[],
  count: () => number,
  wrap: (rows: readonly T[]) => unknown = (r) => r,
): MethodResult {
  const result = wrap(rows);
  const tm = ctx.portal.timeModel;
  if (!page.counted) {
    // start=-1 skips the COUNT. The docs' only sample shows `total: 0` and no `next` (§4.4, §11.9).
    ctx.spend(pageCostMs(tm, 0, page.offset, rows.length));
    return { result, total: 0 };
  }
  const total = count();
  ctx.spend(pageCostMs(tm, total, page.offset, rows.length));
  const next = page.offset + rows.length < total ? page.offset + rows.length : undefined;
  return next === undefined ? { result, total } : { result, total, next };
}

/** Simulated processing of one page beyond the per-call cost: rows counted and rows skipped (src/timeModel.ts). */
export function pageCostMs(
  tm: { countRowUs: number; skipRowUs: number },
  counted: number,
  skipped: number,
  returned: number,
): number {
  void returned;
  return (tm.countRowUs * counted + tm.skipRowUs * skipped) / 1000;
}

/** Slices an in-memory list the way `offsetAnswer` pages a table. */
export function pageOf<T>(
  ctx: CallContext,
  all: readonly T[],
  page: OffsetPage,
  wrap?: (rows: readonly T[]) => unknown,
): MethodResult {
  return offsetAnswer(ctx, page, all.slice(page.offset, page.offset + page.limit), () => all.length, wrap);
}

export interface V3Page {
  readonly limit: number;
  readonly offset: number;
}

/** REST 3.0 `pagination`: `{page, limit, offset}`; `{error}` names the problem when invalid. */
/** The docs name no upper bound for `limit`; none is imposed here. */
export function readV3Pagination(raw: unknown, defaultLimit = PAGE_SIZE): V3Page | { error: string } {
  const p = (raw ?? {}) as Record<string, unknown>;
  if (typeof p !== 'object' || Array.isArray(p)) return { error: 'pagination must be an object {page, limit, offset}' };
  for (const k of Object.keys(p))
    if (!['page', 'limit', 'offset'].includes(k)) return { error: `Unable to recognize pagination parameter \`${k}\`` };
  const limit = p['limit'] === undefined ? defaultLimit : toInt(p['limit']);
  const page = p['page'] === undefined ? 1 : toInt(p['page']);
  if (limit === undefined || page === undefined || limit <= 0 || page <= 0)
    return { error: 'pagination: page and limit must be positive integers, offset >= 0' };
  const offset = p['offset'] === undefined ? (page - 1) * limit : toInt(p['offset']);
  if (offset === undefined || offset < 0)
    return { error: 'pagination: page and limit must be positive integers, offset >= 0' };
  return { limit, offset };
}
