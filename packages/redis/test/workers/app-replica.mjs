// One replica of an application (the BUILT packages): its own HTTP server on loopback, tokens
// and the record of received events in Redis. Each handled ONCRMDEALADD is appended to a Redis
// list, so the test sees how many times, and where, every event was handled.
// Prints `{"type":"ready","port":N}` once listening. Argument: one JSON object.
import { createServer } from 'node:http';
import { createApp } from '@b24kit/auth';
import { RedisConnection, RedisEventDedupStore, RedisTokenStore } from '@b24kit/redis';

const config = JSON.parse(process.argv[2] ?? '{}');
const connection = new RedisConnection({ url: config.redisUrl });
const app = createApp({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  tokenUrl: config.tokenUrl,
  store: new RedisTokenStore({ connection, prefix: config.prefix }),
  eventDedup: new RedisEventDedupStore({ connection, prefix: config.prefix }),
  caller: { limiter: false },
  onError: (error) => process.stderr.write(`replica ${process.pid}: ${error?.message ?? error}\n`),
});
app.on('ONCRMDEALADD', async (event) => {
  await connection.command('test', ['RPUSH', `${config.prefix}handled`, `${event.data?.FIELDS?.ID}:${process.pid}`]);
});
const server = createServer(app.nodeHandler());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ type: 'ready', pid: process.pid, port: server.address().port })}\n`);
});
