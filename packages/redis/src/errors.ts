/**
 * The one error this package adds: Redis could not be reached or did not answer in time.
 * It is a B24Error (code `REDIS_UNAVAILABLE`), so code that branches on b24kit errors sees it,
 * and it is thrown before a request is sent, never after (`outcomeUnknown` is false).
 */
import { B24Error } from '@b24kit/core';

export class RedisUnavailableError extends B24Error {
  static override readonly kind: string = 'RedisUnavailableError';
  /** What was being done: `limiter`, `token store`, `event dedup`, `lock`. */
  readonly operation: string;
  /** `redis://host:port/db`, without user name or password. */
  readonly endpoint: string;

  constructor(operation: string, endpoint: string, description: string, options?: { cause?: unknown }) {
    super({
      method: `@b24kit/redis ${operation}`,
      code: 'REDIS_UNAVAILABLE',
      description: `${description} (${endpoint})`,
      cause: options?.cause,
    });
    this.operation = operation;
    this.endpoint = endpoint;
  }
}
