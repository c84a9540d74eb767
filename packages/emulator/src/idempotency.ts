/**
 * REST 3.0 `Idempotency-Key` (§1.6): 1–255 printable ASCII characters; a successful response is
 * kept 24 h and replayed with `Idempotent-Replayed: true`; the same key with another body → 422.
 * Only successful responses are stored (the docs do not say what happens to errors).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RestError } from './errors.js';

const TTL_MS = 24 * 3600_000;
const READ_LIKE =
  /\.(get|list|search|count|tail|children|thread|senders|listcontacts|listemployees|subordinates|multidepartment)$/i;

interface Entry {
  hash: string;
  body: unknown;
  at: number;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  check(
    req: IncomingMessage,
    principal: string,
    method: string,
    body: Buffer,
  ): { replay?: unknown; store(body: unknown): void } | undefined {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return undefined;
    // Reads do not change the portal, so the key is not needed there and is ignored (rest-v3.md).
    if (READ_LIKE.test(method)) return undefined;
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(key)) {
      throw new RestError(
        'BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION',
        'Idempotency-Key must be 1-255 printable ASCII characters',
        400,
      );
    }
    // One key per application or webhook, user and method: the same key in two methods is two calls (rest-v3.md).
    const id = `${principal}\n${method.toLowerCase()}\n${key}`;
    const hash = createHash('sha256').update(method.toLowerCase()).update('\n').update(body).digest('hex');
    const now = this.now();
    const found = this.entries.get(id);
    if (found && now - found.at < TTL_MS) {
      if (found.hash !== hash) {
        throw new RestError(
          'BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION',
          'Idempotency-Key was already used with another request',
          422,
        );
      }
      return { replay: found.body, store: () => undefined };
    }
    return { store: (b) => this.entries.set(id, { hash, body: b, at: now }) };
  }
}
