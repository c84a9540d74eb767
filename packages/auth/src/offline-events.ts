/**
 * A consumer of the offline event queue (PROTOCOL.md §7.4): reserve a batch with
 * `event.offline.get` (`clear=0`), hand each row to the handler, then clear only the rows the
 * handler finished (`event.offline.clear`) and mark the failed ones (`event.offline.error`),
 * so nothing is lost when the handler or the process fails half-way.
 */
import { B24AuthError } from './errors.js';

/** Calls one REST method and resolves with its `result`. */
export type RestCall = (method: string, params: Record<string, unknown>) => Promise<unknown>;

export interface OfflineEvent {
  /** Row id; what `event.offline.clear` takes. */
  readonly id: string;
  /** What `event.offline.error` takes. */
  readonly messageId: string;
  /** Event name, e.g. `ONCRMDEALADD`. */
  readonly event: string;
  /** `TIMESTAMP_X` as sent (ISO 8601). */
  readonly timestamp: string;
  readonly data: unknown;
  readonly additional: unknown;
  /** The row exactly as the portal returned it. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface ConsumeOfflineOptions {
  readonly call: RestCall;
  readonly handler: (event: OfflineEvent) => unknown;
  /** Rows per batch (default 50). */
  readonly limit?: number;
  /** Stop after this many batches (default: until the queue is empty). */
  readonly maxBatches?: number;
  /** A reservation left by an earlier run (its `processId`) to finish first. */
  readonly processId?: string;
  /** Passed through as `auth_connector` (reads that connector's queue). */
  readonly authConnector?: string;
  readonly filter?: Record<string, unknown>;
  readonly signal?: AbortSignal;
}

export interface ConsumeOfflineResult {
  /** Rows the handler finished and that were cleared. */
  readonly processed: number;
  /** Rows whose handler threw; marked with `event.offline.error`. */
  readonly failures: readonly { readonly event: OfflineEvent; readonly error: unknown }[];
  readonly batches: number;
  /** Reservation of the last batch; persist it to resume after a crash. */
  readonly processId: string | undefined;
}

export async function consumeOfflineEvents(options: ConsumeOfflineOptions): Promise<ConsumeOfflineResult> {
  if (typeof options?.call !== 'function')
    throw new B24AuthError('INVALID_ARGUMENT', 'consumeOfflineEvents needs call(method, params)');
  if (typeof options.handler !== 'function')
    throw new B24AuthError('INVALID_ARGUMENT', 'consumeOfflineEvents needs a handler function');
  const limit = options.limit ?? 50;
  const failures: { event: OfflineEvent; error: unknown }[] = [];
  // Rows of the previous batch only: enough to see that clearing did not take effect, and a
  // long queue does not grow this process's memory.
  let seen = new Set<string>();
  let processed = 0;
  let batches = 0;
  let resume = options.processId;
  let processId: string | undefined;
  while (options.maxBatches === undefined || batches < options.maxBatches) {
    options.signal?.throwIfAborted();
    const answer = (await options.call('event.offline.get', {
      clear: 0,
      limit,
      ...(resume ? { process_id: resume } : {}),
      ...(options.authConnector ? { auth_connector: options.authConnector } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
    })) as { process_id?: unknown; events?: unknown } | null;
    resume = undefined;
    const rows = Array.isArray(answer?.events) ? (answer.events as Record<string, unknown>[]) : [];
    if (rows.length === 0) break;
    processId = typeof answer?.process_id === 'string' ? answer.process_id : undefined;
    if (!processId)
      throw new B24AuthError(
        'OFFLINE_NO_PROCESS_ID',
        'event.offline.get returned events without a process_id (was clear=0 honoured?)',
      );
    const events = rows.map(toOfflineEvent);
    // The same rows again means clearing did not take effect; stop rather than spin.
    if (events.every((e) => seen.has(e.id))) {
      throw new B24AuthError(
        'OFFLINE_NO_PROGRESS',
        'event.offline.get keeps returning rows this consumer already handled',
      );
    }
    batches++;
    seen = new Set();
    const done: OfflineEvent[] = [];
    const failed: OfflineEvent[] = [];
    for (const event of events) {
      seen.add(event.id);
      try {
        await options.handler(event);
        done.push(event);
      } catch (error) {
        failed.push(event);
        failures.push({ event, error });
      }
    }
    if (done.length > 0)
      await options.call('event.offline.clear', { process_id: processId, id: done.map((e) => e.id) });
    if (failed.length > 0)
      await options.call('event.offline.error', { process_id: processId, message_id: failed.map((e) => e.messageId) });
    processed += done.length;
  }
  return { processed, failures, batches, processId };
}

function toOfflineEvent(row: Record<string, unknown>): OfflineEvent {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    id: text(row['ID']),
    messageId: text(row['MESSAGE_ID']),
    event: text(row['EVENT_NAME']).toUpperCase(),
    timestamp: text(row['TIMESTAMP_X']),
    data: row['EVENT_DATA'],
    additional: row['EVENT_ADDITIONAL'],
    raw: row,
  };
}
