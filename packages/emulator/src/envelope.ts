/** Response bodies: the success envelope with `time` (§3.1), error bodies (§3.2), XML (§1.5). */
import { isoDateTime } from './clock.js';

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
}

export function timeBlock(
  startMs: number,
  finishMs: number,
  processingMs: number,
  operatingMs: number,
  resetAt: number,
): TimeBlock {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingMs / 1000,
    date_start: isoDateTime(startMs),
    date_finish: isoDateTime(finishMs),
    operating_reset_at: resetAt,
    operating: operatingMs / 1000,
  };
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlNode(name: string, v: unknown): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) return `<${name}>${v.map((x) => xmlNode('item', x)).join('')}</${name}>`;
  if (typeof v === 'object') {
    const inner = Object.entries(v as Record<string, unknown>)
      // Numeric keys are not valid element names; the server writes <item> for them ([src] §1.5).
      .map(([k, x]) => xmlNode(/^[A-Za-z_][\w.-]*$/.test(k) ? k : 'item', x))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  if (typeof v === 'boolean') return `<${name}>${v ? 'true' : 'false'}</${name}>`;
  return `<${name}>${xmlEscape(String(v))}</${name}>`;
}

/** The `.xml` response format: a `<response>` root holding the same tree. */
export function toXml(body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${xmlNode('response', body)}`;
}
