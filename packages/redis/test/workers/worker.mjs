// A worker process for the multi-process tests: it uses the BUILT packages, the way an
// application's worker would. It prints `{"type":"ready"}` once connected, waits for a line
// "go" on stdin, does its part, prints one `{"type":"done", ...}` line and exits.
// Argument: one JSON object, see the modes below.
import { createInterface } from 'node:readline';
import { createClient } from '@b24kit/client';
import { oauthFromStore } from '@b24kit/auth';
import { RedisLimiterStore, RedisTokenStore } from '@b24kit/redis';

const config = JSON.parse(process.argv[2] ?? '{}');
const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const errorOf = (e) => ({ name: e?.name, code: e?.code, message: String(e?.message ?? e).slice(0, 300) });

async function pool(count, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

const go = new Promise((resolve) => {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === 'go') {
      rl.close();
      process.stdin.destroy();
      resolve();
    }
  });
});

async function main() {
  const stores = [];
  const limiterStore =
    config.redisUrl && config.mode !== 'oauth'
      ? new RedisLimiterStore({ url: config.redisUrl, ...(config.limiterStore ?? {}) })
      : undefined;
  if (limiterStore) stores.push(limiterStore);
  const clientOptions = {
    ...(config.limiter === undefined ? {} : { limiter: config.limiter }),
    ...(config.operating === undefined ? {} : { operating: config.operating }),
    ...(limiterStore ? { limiterStore } : {}),
  };
  let b24;
  if (config.mode === 'oauth') {
    const store = new RedisTokenStore({ url: config.redisUrl, ...(config.tokenStore ?? {}) });
    stores.push(store);
    const credentials = await oauthFromStore({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      tokenUrl: config.tokenUrl,
      store,
      key: config.key,
    });
    b24 = createClient({ oauth: credentials, ...clientOptions });
  } else {
    b24 = createClient({ webhook: config.webhook, ...clientOptions });
  }
  await Promise.all(stores.map((s) => s.connect()));
  out({ type: 'ready', pid: process.pid });
  await go;
  const started = Date.now();
  const results = [];
  const errors = {};
  let ok = 0;
  const fail = (e) => {
    const key = `${e?.name}:${e?.code}`;
    errors[key] = (errors[key] ?? 0) + 1;
  };
  if (config.mode === 'writes') {
    // Each title is added once. A failure that happened before anything was sent (Redis away:
    // the limiter could not run) is retried; anything else is reported as it is.
    await pool(config.titles.length, config.concurrency ?? 1, async (i) => {
      const title = config.titles[i];
      for (let attempt = 1; ; attempt++) {
        try {
          const id = await b24.crm.deal.add({ fields: { TITLE: title } });
          results.push({ title, id, attempts: attempt });
          ok++;
          return;
        } catch (e) {
          if (e?.code === 'REDIS_UNAVAILABLE' && e?.outcomeUnknown === false && attempt < 200) {
            fail(e);
            await new Promise((r) => setTimeout(r, 100));
            continue;
          }
          results.push({ title, error: errorOf(e), attempts: attempt });
          return;
        }
      }
    });
  } else {
    await pool(config.calls, config.concurrency ?? 1, async () => {
      try {
        await b24.call(config.method ?? 'server.time', config.params ?? {});
        ok++;
      } catch (e) {
        fail(e);
        if (results.length < 5) results.push({ error: errorOf(e) });
      }
    });
  }
  const ms = Date.now() - started;
  const stats = b24.caller.stats();
  await b24.close();
  await Promise.all(stores.map((s) => s.close()));
  out({
    type: 'done',
    pid: process.pid,
    ok,
    errors,
    results,
    ms,
    requests: stats.requests,
    retries: stats.retries,
    waits: stats.waits,
  });
}

main().catch((e) => {
  out({ type: 'crash', error: errorOf(e) });
  process.exit(1);
});
