/**
 * Decoding of response bodies into a success envelope or a B24Error (PROTOCOL.md §3).
 * Pure: no I/O, so every shape is table-tested.
 */
import { B24ServerError, mapError, type B24Error } from './errors.js';

/** The `time` object of a success envelope. Fields vary by server build; all optional. */
export interface TimeInfo {
  start?: number;
  finish?: number;
  duration?: number;
  processing?: number;
  date_start?: string;
  date_finish?: string;
  /** Unix seconds at which the oldest operating-time bucket of this method expires. */
  operating_reset_at?: number;
  /** Seconds of execution this method accumulated in the last ten minutes. */
  operating?: number;
}

export interface Envelope<R> {
  result: R;
  /** `start` of the next page; present only when more rows remain. */
  next?: number;
  /** Number of matching rows (0 with `start=-1`). */
  total?: number;
  time?: TimeInfo;
}

export type Decoded<R> = { ok: true; envelope: Envelope<R> } | { ok: false; error: B24Error };

interface DecodeContext {
  method: string;
  /** Removes secrets from any text that ends up in an error. */
  redact: (text: string) => string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `next`/`total` are ints, but PHP may hand them over as numeric strings. */
function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Normalises a `time` object; unknown keys are dropped, numbers may come as strings. */
export function decodeTime(value: unknown): TimeInfo | undefined {
  if (!isRecord(value)) return undefined;
  const time: TimeInfo = {};
  for (const key of ['start', 'finish', 'duration', 'processing', 'operating_reset_at', 'operating'] as const) {
    const n = toNumber(value[key]);
    if (n !== undefined) time[key] = n;
  }
  for (const key of ['date_start', 'date_finish'] as const) {
    if (typeof value[key] === 'string') time[key] = value[key];
  }
  return time;
}

/**
 * Reads a wire error object: classic `{error, error_description}` or REST 3.0
 * `{error: {code, message}}`. Returns undefined when the body is not an error.
 */
export function decodeErrorBody(
  body: unknown,
  status: number | undefined,
  ctx: DecodeContext,
  resetAt?: Date,
): B24Error | undefined {
  if (!isRecord(body) || !('error' in body)) return undefined;
  const raw = body.error;
  let code: string | undefined;
  let description: string | undefined;
  if (typeof raw === 'string' && raw !== '') {
    code = raw;
    description = typeof body.error_description === 'string' ? body.error_description : undefined;
  } else if (raw === '' && typeof body.error_description === 'string') {
    // Legacy methods answer some failures with an empty code and only a description,
    // e.g. crm.deal.get on a missing id: {"error":"","error_description":"Not found"} (400).
    description = body.error_description;
    code = /^not found/i.test(description) ? 'NOT_FOUND' : `HTTP_${status ?? 0}`;
  } else if (isRecord(raw) && typeof raw.code === 'string') {
    code = raw.code;
    description = typeof raw.message === 'string' ? raw.message : undefined;
  }
  if (code === undefined) return undefined;
  return mapError({
    code,
    description: description === undefined ? undefined : ctx.redact(description),
    status,
    method: ctx.method,
    resetAt,
  });
}

/** Short, secret-free description of an unreadable body for error messages. */
function describeBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty body';
  if (trimmed.startsWith('<')) return 'an HTML/XML page instead of JSON';
  return `${trimmed.length} bytes that are not JSON`;
}

/**
 * Turns an HTTP status and body text into an envelope or an error. `resetAt` is the last known
 * operating reset time for this method, attached to OPERATION_TIME_LIMIT errors (whose bodies
 * carry no `time`).
 */
export function decodeResponse<R>(status: number, text: string, ctx: DecodeContext, resetAt?: Date): Decoded<R> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const error = new B24ServerError({
      code: status >= 200 && status < 300 ? 'INVALID_RESPONSE' : `HTTP_${status}`,
      description: `the portal answered with ${describeBody(text)}`,
      status,
      method: ctx.method,
      outcomeUnknown: true,
    });
    // A non-JSON 4xx still says something about the request (401, 404, ...): keep its class.
    if (status >= 400 && status < 500) {
      return {
        ok: false,
        error: mapError({ code: `HTTP_${status}`, description: error.description, status, method: ctx.method }),
      };
    }
    return { ok: false, error };
  }
  const error = decodeErrorBody(body, status, ctx, resetAt);
  if (error) return { ok: false, error };
  if (status < 200 || status >= 300 || !isRecord(body) || !('result' in body)) {
    const what = isRecord(body) ? 'JSON without `result` or `error`' : 'JSON that is not an object';
    const init = {
      code: status >= 200 && status < 300 ? 'INVALID_RESPONSE' : `HTTP_${status}`,
      description: `the portal answered with ${what}`,
      status,
      method: ctx.method,
    };
    return {
      ok: false,
      error: status >= 200 && status < 300 ? new B24ServerError({ ...init, outcomeUnknown: true }) : mapError(init),
    };
  }
  const envelope: Envelope<R> = { result: body.result as R };
  const next = toInt(body.next);
  if (next !== undefined) envelope.next = next;
  const total = toInt(body.total);
  if (total !== undefined) envelope.total = total;
  const time = decodeTime(body.time);
  if (time) envelope.time = time;
  return { ok: true, envelope };
}
