/** The request path as named steps, the redirect rule, and the one idempotency rule, over real sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import {
  B24NotFoundError,
  B24PortalMovedError,
  B24ServerError,
  CORE_STEPS,
  MemoryLimiterStore,
  adHocDescriptor,
  createCaller,
  type CallerOptions,
  type RequestContext,
} from '../src/index.js';
import { SECRET, descriptor, json, startServer, webhook, type TestServer } from './helpers.js';

const servers: TestServer[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(host?: string) {
  const s = await startServer(undefined, host);
  servers.push(s);
  return s;
}

function make(s: { origin: string }, extra: Partial<CallerOptions> = {}) {
  const c = createCaller({
    credentials: webhook(s.origin),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: { random: () => 0.5, baseDelayMs: 1 },
    ...extra,
  });
  closers.push(() => c.close());
  return c;
}

describe('named steps', () => {
  it('runs core steps in the documented order and lets a user step change the request', async () => {
    expect(CORE_STEPS).toEqual(['validate', 'idempotency', 'retry', 'limits', 'credentials', 'decode', 'send']);
    const s = await server();
    s.handle((_, res) => json(res, 200, { result: 1 }));
    const seen: string[] = [];
    const c = make(s, {
      steps: [
        {
          name: 'trace',
          after: 'validate',
          handle: async (ctx: RequestContext, next) => {
            seen.push(`trace:${ctx.method}`);
            await next(ctx);
            seen.push(`trace-done:${String(ctx.envelope?.result)}`);
          },
        },
        {
          name: 'stamp',
          handle: async (ctx, next) => {
            // Default place: right before send, once per attempt, with the request ready.
            ctx.request!.headers['x-trace'] = `a${ctx.attempt}`;
            seen.push(`stamp:${ctx.request!.url.includes(SECRET)}`);
            return next(ctx);
          },
        },
      ],
    });
    await expect(c.call(descriptor('crm.deal.get', { idempotent: true }))).resolves.toBe(1);
    expect(seen).toEqual(['trace:crm.deal.get', 'stamp:true', 'trace-done:1']);
    expect(s.hits[0]?.headers['x-trace']).toBe('a1');
  });

  it('refuses a step that names no known neighbour, or a taken name', () => {
    const creds = webhook('http://127.0.0.1:9');
    expect(() =>
      createCaller({ credentials: creds, steps: [{ name: 'x', before: 'nope', handle: (c, n) => n(c) }] }),
    ).toThrow(/'nope', which is not in the stack/);
    expect(() => createCaller({ credentials: creds, steps: [{ name: 'send', handle: (c, n) => n(c) }] })).toThrow(
      /already in the stack/,
    );
  });

  it('keeps the hooks working', async () => {
    const s = await server();
    let n = 0;
    s.handle((_, res) =>
      ++n === 1 ? json(res, 500, { error: 'INTERNAL_SERVER_ERROR' }) : json(res, 200, { result: 2 }),
    );
    const events: string[] = [];
    const c = make(s, {
      hooks: {
        onRequest: (e) => events.push(`req${e.attempt}`),
        onResponse: (e) => events.push(`res${e.attempt}:${e.status}`),
        onRetry: (e) => events.push(`retry${e.attempt}`),
      },
    });
    await expect(c.call(descriptor('crm.deal.get', { idempotent: true }))).resolves.toBe(2);
    expect(events).toEqual(['req1', 'res1:500', 'retry1', 'req2', 'res2:200']);
  });
});

describe('redirects to another host (H1)', () => {
  it('without acceptMove: B24PortalMovedError naming the target, nothing reaches it', async () => {
    const portal = await server('127.0.0.1');
    const other = await server('127.0.0.2');
    portal.handle((hit, res) => {
      res.writeHead(302, { location: `${other.origin}${hit.path}` });
      res.end();
    });
    const c = make(portal);
    const error = (await c
      .call(descriptor('crm.deal.add'), { fields: { TITLE: 'secret body' } })
      .catch((e: unknown) => e)) as B24PortalMovedError;
    expect(error).toBeInstanceOf(B24PortalMovedError);
    expect(error.targetHost).toBe(new URL(other.origin).host);
    expect(error.message).toContain(new URL(other.origin).host);
    expect(error.message).not.toContain(SECRET);
    expect(other.connections).toBe(0);
    expect(other.hits).toHaveLength(0);
    expect(portal.hits).toHaveLength(1);
  });

  it('asks acceptMove with the target origin and follows only a yes', async () => {
    const portal = await server('127.0.0.1');
    const other = await server('127.0.0.2');
    portal.handle((hit, res) => {
      res.writeHead(307, { location: `${other.origin}/elsewhere` });
      res.end();
    });
    const asked: string[] = [];
    const c = make(portal, { credentials: webhook(portal.origin, { acceptMove: (o) => (asked.push(o), false) }) });
    await expect(c.call(descriptor('crm.deal.add'), {})).rejects.toBeInstanceOf(B24PortalMovedError);
    expect(asked).toEqual([other.origin]);
    expect(other.connections).toBe(0);
  });

  it('never follows https to http, whatever the credentials say', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://old.bitrix24.com')
      .intercept({ path: /.*/, method: 'POST' })
      .reply(302, '', { headers: { location: 'http://new.bitrix24.com/rest/1/x/crm.deal.add.json' } });
    let accepted = 0;
    const c = make(
      { origin: 'https://old.bitrix24.com' },
      { dispatcher: agent, credentials: webhook('https://old.bitrix24.com', { acceptMove: () => (++accepted, true) }) },
    );
    const error = (await c.call(descriptor('crm.deal.add'), {}).catch((e: unknown) => e)) as B24PortalMovedError;
    expect(error).toBeInstanceOf(B24PortalMovedError);
    expect(error.targetHost).toBe('new.bitrix24.com');
    expect(error.description).toContain('not https');
    expect(accepted).toBe(0);
    await agent.close();
  });
});

describe('one idempotency rule (H3)', () => {
  it('a raw batch of writes is not repeated after an unknown outcome; one of reads is', async () => {
    const s = await server();
    s.handle((_, res) => json(res, 500, { error: 'INTERNAL_SERVER_ERROR' }));
    const c = make(s);
    const writes = { cmd: { a: 'crm.deal.add?fields[TITLE]=x', b: 'crm.deal.get?id=1' } };
    const error = (await c.call(adHocDescriptor('batch'), writes).catch((e: unknown) => e)) as B24ServerError;
    expect(error).toBeInstanceOf(B24ServerError);
    expect(error.outcomeUnknown).toBe(true);
    expect(s.hits).toHaveLength(1);
    const reads = { cmd: { a: 'crm.deal.list', b: 'crm.deal.get?id=1' } };
    await c.call(adHocDescriptor('batch'), reads).catch(() => undefined);
    expect(s.hits).toHaveLength(1 + 4);
  });

  it('a typed batch is idempotent only when all its commands are', async () => {
    const s = await server();
    s.handle((_, res) => json(res, 500, { error: 'INTERNAL_SERVER_ERROR' }));
    const c = make(s);
    const read = descriptor('crm.deal.get', { idempotent: true });
    await c
      .batch([
        [read, { id: 1 }],
        [descriptor('crm.deal.add'), {}],
      ])
      .catch(() => undefined);
    expect(s.hits).toHaveLength(1);
  });

  it('a REST 3.0 write carries one Idempotency-Key on every attempt and is retried', async () => {
    const s = await server();
    let n = 0;
    s.handle((_, res) => (++n < 3 ? res.socket?.destroy() : json(res, 200, { result: { id: 7 } })));
    const c = make(s);
    await expect(c.call(descriptor('tasks.task.add', { apiVersion: 3 }), { fields: { title: 't' } })).resolves.toEqual({
      id: 7,
    });
    const keys = s.hits.map((h) => h.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(typeof keys[0]).toBe('string');
    expect(new Set(keys).size).toBe(1);
    // A classic write gets no key (REST 2 ignores it) and is not repeated.
    const before = s.hits.length;
    n = 0;
    await c.call(descriptor('crm.deal.add'), {}).catch(() => undefined);
    expect(s.hits.length - before).toBe(1);
    expect(s.hits.at(-1)?.headers['idempotency-key']).toBeUndefined();
  });

  it('a delete repeated after a lost answer that finds nothing is "probably done, outcome unknown"', async () => {
    const s = await server();
    let n = 0;
    s.handle((_, res) =>
      ++n === 1 ? res.socket?.destroy() : json(res, 400, { error: '', error_description: 'Not found' }),
    );
    const c = make(s);
    const error = (await c
      .call(descriptor('crm.deal.delete', { idempotent: true }), { id: 5 })
      .catch((e: unknown) => e)) as B24NotFoundError;
    expect(error).toBeInstanceOf(B24NotFoundError);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('probably done, outcome unknown');
    expect(s.hits).toHaveLength(2);
    // Without a lost answer first, NotFound is a plain failure.
    const plain = (await c
      .call(descriptor('crm.deal.delete', { idempotent: true }), { id: 5 })
      .catch((e: unknown) => e)) as B24NotFoundError;
    expect(plain.outcomeUnknown).toBe(false);
  });
});
