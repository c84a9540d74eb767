/**
 * `bulk`: one method run for many rows (e.g. `crm.deal.add` for 10,000 deals), up to 50 rows per
 * batch request, with an exact account of every row. Nothing is sent twice when it may already
 * have run: a batch request whose outcome is unknown (connection reset, timeout, 5xx, unreadable
 * answer) is never repeated for a non-idempotent method; its rows are reported, by index, as
 * `outcomeUnknown`. Rows the server refused before running them (rate or operating-time limits)
 * are sent again. The promise resolves with one result per row, also when the signal aborts.
 */
import { BATCH_LIMIT, encodeBatch, runBatch, type BatchCommand, type BatchItem } from './batch.js';
import type { CallOptions, Engine } from './engine.js';
import type { MethodDescriptor } from './descriptor.js';
import { B24ArgumentError, B24AbortError, B24Error, B24ValidationError, REFUSED_CODES } from './errors.js';
import { BatchRef } from './ref.js';

export interface BulkOptions extends CallOptions {
  /** Rows per batch request, 1..50 (default 50). */
  chunk?: number;
  /** Batch requests in flight at once, 1..16 (default 1). All share the caller's rate limiter. */
  concurrency?: number;
  /**
   * How many more times a row is sent after the server refused it before running it
   * (a per-command QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT or OVERLOAD_LIMIT inside a batch
   * answer). Default 3. Whole-request refusals are retried by the caller's retry policy.
   */
  refusedRetries?: number;
  /** Called after each batch request with the results it settled (for progress). */
  onResults?: (results: readonly BulkResult[]) => void;
}

export type BulkResult<R = unknown> = BulkSuccess<R> | BulkFailure;

export interface BulkSuccess<R = unknown> {
  /** Position of the row in the input. */
  index: number;
  ok: true;
  /** The method's `result` for this row (for `*.add`, usually the new id). */
  result: R;
}

export interface BulkFailure {
  index: number;
  ok: false;
  error: B24Error;
  /**
   * True when the row may have been executed although no success was read (the request was
   * reset, timed out, got a 5xx or an unreadable answer, or was aborted under way). Such a row
   * was not sent again; check the portal before sending it yourself. False: it did not run
   * (the server said why, or it was never sent), so sending it again is safe.
   */
  outcomeUnknown: boolean;
}

export interface BulkReport<R = unknown> {
  /** One entry per input row, in input order (`results[i].index === i`). */
  results: BulkResult<R>[];
  /** Number of rows that succeeded. */
  succeeded: number;
  /** Indexes of rows that certainly did not run (safe to send again once the cause is fixed). */
  failed: number[];
  /** Indexes of rows that may or may not have run: look them up before repeating them. */
  unknown: number[];
  /** The signal aborted before every row was settled. */
  aborted: boolean;
}

function positiveInt(name: string, value: number | undefined, fallback: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new B24ArgumentError(`bulk: ${name} must be an integer 1..${max}, got ${String(value)}`);
  return v;
}

/** Rows are independent and may be regrouped when resent, so they cannot refer to each other. */
function hasRef(value: unknown, depth = 0): boolean {
  if (value instanceof BatchRef) return true;
  if (depth > 32 || value === null || typeof value !== 'object' || value instanceof Date) return false;
  return Object.values(value).some((v) => hasRef(v, depth + 1));
}

function refusedBeforeRunning(error: B24Error): boolean {
  return REFUSED_CODES.has(error.code);
}

export async function runBulk<R>(
  engine: Engine,
  descriptor: MethodDescriptor,
  rows: readonly (object | readonly unknown[] | undefined)[],
  options: BulkOptions = {},
): Promise<BulkReport<R>> {
  if (!descriptor || typeof descriptor.method !== 'string')
    throw new B24ArgumentError('bulk: the first argument must be a method descriptor');
  if (!Array.isArray(rows))
    throw new B24ArgumentError(`bulk(${descriptor.method}): rows must be an array of params objects`);
  const chunkSize = positiveInt('chunk', options.chunk, BATCH_LIMIT, BATCH_LIMIT);
  const concurrency = positiveInt('concurrency', options.concurrency, 1, 16);
  const refusedRetries = options.refusedRetries ?? 3;
  if (!Number.isInteger(refusedRetries) || refusedRetries < 0)
    throw new B24ArgumentError('bulk: refusedRetries must be a non-negative integer');
  const { signal } = options;

  const commandsFor = (indexes: readonly number[]): Record<string, BatchCommand> => {
    const commands: Record<string, BatchCommand> = {};
    for (const i of indexes) commands[`r${i}`] = [descriptor, rows[i]];
    return commands;
  };
  const chunksOf = (indexes: readonly number[]): number[][] => {
    const out: number[][] = [];
    for (let from = 0; from < indexes.length; from += chunkSize) out.push(indexes.slice(from, from + chunkSize));
    return out;
  };

  // Every row is checked and encoded before the first request: a bad row stops the whole run
  // with nothing sent, rather than half of it.
  const all = rows.map((_, i) => i);
  const problems: string[] = [];
  rows.forEach((row, i) => {
    if (hasRef(row))
      problems.push(`row ${i}: batch references (ref()) cannot be used in bulk; use batch() for dependent commands`);
  });
  if (problems.length > 0)
    throw new B24ValidationError({ method: descriptor.method, problems, note: 'nothing was sent' });
  for (const indexes of chunksOf(all)) {
    try {
      encodeBatch(commandsFor(indexes), (d, p) => engine.validate(d, p, options));
    } catch (error) {
      if (error instanceof B24ValidationError)
        problems.push(...error.problems.map((p) => p.replace(/^command 'r(\d+)'/, 'row $1')));
      else throw error;
    }
  }
  if (problems.length > 0)
    throw new B24ValidationError({ method: descriptor.method, problems, note: 'nothing was sent' });

  const results: (BulkResult<R> | undefined)[] = new Array(rows.length);
  const settle = (index: number, result: BulkResult<R>): BulkResult<R> => (results[index] = result);
  const notSent = (index: number): BulkFailure =>
    settle(index, {
      index,
      ok: false,
      outcomeUnknown: false,
      error: new B24AbortError({
        method: descriptor.method,
        code: 'ABORTED',
        description: 'not sent: the bulk run was aborted by its signal',
        cause: signal?.reason,
      }),
    }) as BulkFailure;

  let pending = all;
  for (let round = 0; pending.length > 0; round++) {
    const queue = chunksOf(pending);
    const refused: number[] = [];
    const lastRound = round >= refusedRetries;

    const sendChunk = async (indexes: number[]): Promise<void> => {
      if (signal?.aborted) {
        indexes.forEach(notSent);
        return;
      }
      const settled: BulkResult<R>[] = [];
      let items: Record<string, BatchItem>;
      try {
        items = (await runBatch(engine, commandsFor(indexes), options, false)) as Record<string, BatchItem>;
      } catch (raw) {
        const error =
          raw instanceof B24Error
            ? raw
            : new B24Error({
                method: 'batch',
                code: 'UNEXPECTED',
                description: raw instanceof Error ? engine.redact(raw.message) : 'unexpected failure',
                outcomeUnknown: true,
              });
        // The whole request failed: its rows share the request's fate. The caller's retry policy
        // has already repeated it where that was safe, so whatever is left is final here.
        for (const index of indexes)
          settled.push(settle(index, { index, ok: false, error, outcomeUnknown: error.outcomeUnknown }));
        options.onResults?.(settled);
        return;
      }
      for (const index of indexes) {
        const item = items[`r${index}`];
        if (item === undefined) {
          const error = new B24Error({
            method: descriptor.method,
            code: 'BATCH_MISSING_RESULT',
            description: 'the batch response has no entry for this row',
            outcomeUnknown: true,
          });
          settled.push(settle(index, { index, ok: false, error, outcomeUnknown: true }));
        } else if (item.ok) {
          settled.push(settle(index, { index, ok: true, result: item.result as R }));
        } else if (refusedBeforeRunning(item.error) && !lastRound) {
          refused.push(index);
        } else {
          settled.push(
            settle(index, { index, ok: false, error: item.error, outcomeUnknown: item.error.outcomeUnknown }),
          );
        }
      }
      if (settled.length > 0) options.onResults?.(settled);
    };

    // A small pool: each worker takes the next chunk until none is left.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const indexes = queue[next++]!;
        await sendChunk(indexes);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    // Refused rows go again in a later round, in input order; the limiter makes them wait.
    pending = refused.sort((a, b) => a - b);
  }

  const done = results as BulkResult<R>[];
  const report: BulkReport<R> = { results: done, succeeded: 0, failed: [], unknown: [], aborted: false };
  for (const r of done) {
    if (r.ok) report.succeeded++;
    else if (r.outcomeUnknown) report.unknown.push(r.index);
    else report.failed.push(r.index);
    if (!r.ok && r.error instanceof B24AbortError) report.aborted = true;
  }
  return report;
}
