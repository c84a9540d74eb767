/**
 * `--redis URL` (or B24_REDIS_URL) for `b24 call` and `b24 export`: the portal's request bucket
 * and operating budget are kept in Redis, shared with every other process that uses the same
 * Redis (other b24 runs, workers built on @b24kit/redis). @b24kit/redis is an optional peer
 * and is loaded only here, only when asked for, so a CLI installed without it still works.
 */
import type { LimiterStore } from '@b24kit/core';
import { UsageError } from './io.js';

export interface SharedLimits {
  readonly store: LimiterStore;
  /** `redis://host:port/db`, without a password. */
  readonly endpoint: string;
  close(): Promise<void>;
}

type RedisModule = Pick<typeof import('@b24kit/redis'), 'RedisLimiterStore'>;

/** The Redis limiter store of `--redis` / B24_REDIS_URL, or undefined when neither is set. */
export async function sharedLimits(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  load: () => Promise<RedisModule> = () => import('@b24kit/redis'),
): Promise<SharedLimits | undefined> {
  const url = flag ?? (env.B24_REDIS_URL || undefined);
  if (url === undefined) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/i.test(url)) {
    throw new UsageError(
      `${flag === undefined ? 'B24_REDIS_URL' : '--redis'} must be redis://host:port or rediss://host:port`,
    );
  }
  let redis: RedisModule;
  try {
    redis = await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      String((error as Error).message).includes('@b24kit/redis')
    ) {
      throw new UsageError(
        `${flag === undefined ? 'B24_REDIS_URL' : '--redis'} needs the @b24kit/redis package, which is not installed.\n` +
          'Add it next to the CLI: npm install @b24kit/redis (or npm install -g @b24kit/redis for a global b24).',
      );
    }
    throw error;
  }
  const store = new redis.RedisLimiterStore({ url });
  return { store, endpoint: store.connection.endpoint, close: () => store.close() };
}
