import { B24ArgumentError, B24Error } from '@b24kit/core';
import { describe, expect, it } from 'vitest';
import { LockLostError, RedisEventDedupStore, RedisLimiterStore, RedisLock, RedisTokenStore } from '@b24kit/redis';

// One error tree: bad options are refused with a B24Error (INVALID_ARGUMENT) before any
// connection is made, so these need no Redis server.
describe('@b24kit/redis refuses bad options with B24Error', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'a URL that is not redis://',
      () => new RedisLimiterStore({ url: 'http://127.0.0.1:6379' }),
      /url must be redis:\/\//,
    ],
    ['no url and no connection', () => new RedisTokenStore({} as never), /pass \{ url: 'redis:\/\/host:port' \}/],
    [
      'an unknown fallback',
      () => new RedisLimiterStore({ url: 'redis://127.0.0.1:1', fallback: 'maybe' as never }),
      /fallback must be 'fail' or 'memory'/,
    ],
    [
      'a lock that lives too short',
      () => new RedisLock({ url: 'redis://127.0.0.1:1', ttlMs: 10 }),
      /ttlMs must be at least 300 ms/,
    ],
    [
      'an unknown whenUnavailable',
      () => new RedisEventDedupStore({ url: 'redis://127.0.0.1:1', whenUnavailable: 'shrug' as never }),
      /whenUnavailable must be/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(B24ArgumentError);
      expect(error).toBeInstanceOf(B24Error);
      expect((error as B24Error).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
    });
  }

  it('a lost lock is a B24Error with its code', () => {
    const error = new LockLostError('nightly');
    expect(error).toBeInstanceOf(B24Error);
    expect(error.code).toBe('LOCK_LOST');
    expect(error.message).toContain('The lock "nightly" was lost');
  });
});
