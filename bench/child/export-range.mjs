// One part of a split export (the Redis scenario): reads the deals with lo <= ID <= hi by
// keyset `paginate`, with the portal's limits in Redis when redisUrl is given (shared with the
// other parts), else in this process. argv[2]: JSON {url, lo, hi, redisUrl?, redisPrefix?}; prints
// one JSON line. redisPrefix: the key namespace of one run (see the Redis scenario in run.mjs).
import { createClient } from '@b24kit/client';
import { RedisLimiterStore } from '@b24kit/redis';

const { url, lo, hi, redisUrl, redisPrefix } = JSON.parse(process.argv[2] ?? '{}');
const limiterStore = redisUrl
  ? new RedisLimiterStore({ url: redisUrl, ...(redisPrefix ? { prefix: redisPrefix } : {}) })
  : undefined;
await limiterStore?.connect();
const b24 = createClient({ webhook: url, ...(limiterStore ? { limiterStore } : {}) });
const started = performance.now();
let rows = 0;
let error;
try {
  for await (const _row of b24.paginate('crm.deal.list', { filter: { '>=ID': lo, '<=ID': hi }, select: ['ID'] }))
    rows++;
} catch (e) {
  error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
const elapsedS = (performance.now() - started) / 1000;
const stats = b24.caller.stats();
await b24.close();
await limiterStore?.close();
process.stdout.write(
  JSON.stringify({ rows, elapsedS, requests: stats.requests, retries: stats.retries, error }) + '\n',
);
process.exit(0);
