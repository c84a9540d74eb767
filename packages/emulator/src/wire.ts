/**
 * The one wire-value parser of the emulator: integers, numbers, Y/N flags, booleans, dates and
 * datetimes as callers send them (JSON values, or PHP-form strings where everything is a
 * string, PROTOCOL.md §1.3 and §9). Domains call these instead of parsing on their own, so a
 * value the portal accepts is accepted everywhere the same way.
 */
import { isoDateTime } from './clock.js';

const INT_TEXT = /^\s*-?\d+\s*$/;

/** An integer from a number or a decimal string ("37", " 5 "); undefined for anything else. */
export function toInt(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && INT_TEXT.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An id: an integer > 0, else undefined. */
export function toPositiveInt(raw: unknown): number | undefined {
  const n = toInt(raw);
  return n !== undefined && n > 0 ? n : undefined;
}

/** An integer >= 0, else undefined. */
export function toNonNegativeInt(raw: unknown): number | undefined {
  const n = toInt(raw);
  return n !== undefined && n >= 0 ? n : undefined;
}

/** PHP `intval`: the leading integer of a string, 0 for junk; what `start` is read with (§6.1). */
export function intval(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.trunc(raw) : 0;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  const n = Number.parseInt(String(raw ?? ''), 10);
  return Number.isSafeInteger(n) ? n : 0;
}

/** A finite number from a number or a numeric string. */
export function toNumber(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const TRUE_TEXT = new Set(['y', '1', 'true']);
const FALSE_TEXT = new Set(['n', '0', 'false', '']);

/**
 * A flag in any of the spellings callers use: true/false, 1/0, "Y"/"N", "1"/"0", "true"/"false"
 * (case-insensitive). undefined when the value is none of them.
 */
export function toBool(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toLowerCase();
  if (TRUE_TEXT.has(s)) return true;
  if (FALSE_TEXT.has(s)) return false;
  return undefined;
}

/** "Y" | "N" with a fallback for absent or unreadable values. */
export function yn(raw: unknown, fallback: 'Y' | 'N' = 'N'): 'Y' | 'N' {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const b = toBool(raw);
  return b === undefined ? 'N' : b ? 'Y' : 'N';
}

/** `YYYY-MM-DD` from a date or datetime string; undefined when it does not parse. */
export function toDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : isoDateTime(ms).slice(0, 10);
}

/** ISO 8601 with offset in the server zone (UTC here), from anything `Date.parse` reads; also `DD.MM.YYYY[ hh:mm[:ss]]`, the portal format (§9). */
export function toDateTime(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw).trim();
  const portal = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  const ms = portal
    ? Date.UTC(
        Number(portal[3]),
        Number(portal[2]) - 1,
        Number(portal[1]),
        Number(portal[4] ?? 0),
        Number(portal[5] ?? 0),
        Number(portal[6] ?? 0),
      )
    : Date.parse(s);
  return Number.isNaN(ms) ? undefined : isoDateTime(ms);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
