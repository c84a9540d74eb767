export { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
export { RedisUnavailableError } from './errors.js';
export { RedisLimiterStore, type RedisLimiterStoreOptions } from './limiter-store.js';
export { RedisTokenStore, type RedisTokenStoreOptions } from './token-store.js';
export { RedisEventDedupStore, type RedisEventDedupStoreOptions } from './event-dedup.js';
export { RedisLock, LockLostError, type RedisLockOptions, type RunOptions, type RunResult } from './lock.js';
