import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  B24AbortError,
  B24AuthError,
  B24Error,
  B24NetworkError,
  B24NotFoundError,
  B24ServerError,
  B24TimeoutError,
  B24ValidationError,
  MemoryLimiterStore,
  call,
  createCaller,
  type Caller,
} from '../src/index.js';
import { SECRET, descriptor, json, methodOf, startServer, webhook, type TestServer } from './helpers.js';

let server: TestServer;
let caller: Caller;

beforeEach(async () => {
  server = await startServer();
  caller = createCaller({
    credentials: webhook(server.origin),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: false,
  });
});
afterEach(async () => {
  await caller.close();
  await server.close();
});

describe('call over a real socket', () => {
  it('POSTs params as JSON to the prepared URL and returns result', async () => {
    server.handle((hit, res) =>
      json(res, 200, { result: { echo: hit.body }, time: { operating: 0.5, operating_reset_at: 1778747792 } }),
    );
    const result = await caller.call<{ echo: unknown }>(descriptor('crm.deal.get'), {
      id: 5,
      fields: { TITLE: 'a&b' },
    });
    expect(result).toEqual({ echo: { id: 5, fields: { TITLE: 'a&b' } } });
    const hit = server.hits[0]!;
    expect(hit.method).toBe('POST');
    expect(hit.path).toBe(`/rest/1/${SECRET}/crm.deal.get.json`);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers.accept).toBe('application/json');
    expect(caller.stats().operating['crm.deal.get']).toBe(0.5);
  });

  it('callEnvelope keeps next, total and time', async () => {
    server.handle((_, res) =>
      json(res, 200, { result: [{ ID: '1' }], next: 50, total: '120', time: { duration: 0.1 } }),
    );
    const env = await caller.callEnvelope(descriptor('crm.deal.list'));
    expect(env).toEqual({ result: [{ ID: '1' }], next: 50, total: 120, time: { duration: 0.1 } });
  });

  it('reuses one keep-alive connection for sequential calls', async () => {
    const ports = new Set<number | undefined>();
    server.handle((_, res, req) => {
      ports.add(req.socket.remotePort);
      json(res, 200, { result: 1 });
    });
    for (let i = 0; i < 10; i++) await caller.call(descriptor('server.time'));
    expect(server.hits).toHaveLength(10);
    // undici may open a second socket while the first finishes; never one per call.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('turns an error envelope into a B24Error subclass with code, description, status, method', async () => {
    server.handle((_, res) =>
      json(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' }),
    );
    const error = await caller.call(descriptor('crm.nothing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24NotFoundError);
    expect(error).toBeInstanceOf(B24Error);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'ERROR_METHOD_NOT_FOUND',
      description: 'Method not found!',
      status: 404,
      method: 'crm.nothing',
    });
    expect((error as Error).message).toBe(
      'crm.nothing failed with ERROR_METHOD_NOT_FOUND (HTTP 404): Method not found!',
    );
    expect((error as Error).name).toBe('B24NotFoundError');
  });

  it('keys on the error code even when the status is 200', async () => {
    server.handle((_, res) =>
      json(res, 200, { error: 'expired_token', error_description: 'The access token provided has expired.' }),
    );
    await expect(caller.call(descriptor('user.current'))).rejects.toBeInstanceOf(B24AuthError);
  });

  it('reports malformed JSON as a server error with outcomeUnknown', async () => {
    server.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result": [1, 2');
    });
    const error = (await caller.call(descriptor('crm.deal.add')).catch((e: unknown) => e)) as B24ServerError;
    expect(error).toBeInstanceOf(B24ServerError);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.outcomeUnknown).toBe(true);
  });

  it('times out a slow response with B24TimeoutError', async () => {
    server.handle((_, res) => setTimeout(() => json(res, 200, { result: 1 }), 3000));
    const error = await caller.call(descriptor('server.time'), {}, { timeout: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24TimeoutError);
    expect((error as B24TimeoutError).message).toContain('no answer within 150 ms');
  });

  it('aborts with the caller signal as AbortError, not a timeout', async () => {
    server.handle((_, res) => setTimeout(() => json(res, 200, { result: 1 }), 3000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 100);
    const error = await caller
      .call(descriptor('server.time'), {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24AbortError);
    expect((error as Error).name).toBe('AbortError');
    expect(((error as Error).cause as Error).message).toBe('user gave up');
  });

  it('refuses an already aborted signal without sending', async () => {
    const error = await caller
      .call(descriptor('server.time'), {}, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24AbortError);
    expect(server.hits).toHaveLength(0);
  });

  it('reports a refused connection as a network error whose outcome is known', async () => {
    const dead = await startServer();
    const origin = dead.origin;
    await dead.close();
    const c = createCaller({ credentials: webhook(origin), limiter: false, retry: false });
    const error = (await c.call(descriptor('crm.deal.add')).catch((e: unknown) => e)) as B24NetworkError;
    await c.close();
    expect(error).toBeInstanceOf(B24NetworkError);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('validates params before sending anything', async () => {
    const d = descriptor('crm.deal.get', {
      params: { id: { type: 'number', required: true }, select: { type: 'array' } },
    });
    const error = (await caller
      .call(d, { ID2: 1, select: 'ID', password: SECRET })
      .catch((e: unknown) => e)) as B24ValidationError;
    expect(error).toBeInstanceOf(B24ValidationError);
    expect(error.problems).toEqual([
      "unknown parameter 'ID2'",
      "parameter 'select' must be array, got string",
      "unknown parameter 'password'",
      "missing required parameter 'id'",
    ]);
    expect(error.message).not.toContain(SECRET);
    expect(server.hits).toHaveLength(0);
    // Legacy methods take upper-case names; numeric strings pass as numbers.
    server.handle((_, res) => json(res, 200, { result: 'ok' }));
    await expect(caller.call(d, { ID: '5', SELECT: ['ID'] })).resolves.toBe('ok');
  });

  it('checks nested groups and open families, names the docs page, and skips the check per call', async () => {
    const d = descriptor('crm.deal.add', {
      docUrl: 'https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-add.html',
      params: {
        fields: {
          type: 'object',
          required: true,
          fields: { TITLE: { type: 'string' }, ROWS: { type: 'array', fields: { PRICE: { type: 'number' } } } },
          open: ['UF_CRM_'],
        },
      },
    });
    const error = (await caller
      .call(d, { fields: { TITEL: 'x', UF_CRM_1: 1, uf_crm_2: 2, ROWS: [{ PRICE: 1 }, { PRCE: 2 }] } })
      .catch((e: unknown) => e)) as B24ValidationError;
    expect(error).toBeInstanceOf(B24ValidationError);
    expect(error.problems).toEqual(["unknown parameter 'fields.TITEL'", "unknown parameter 'fields.ROWS[1].PRCE'"]);
    expect(error.message).toContain('crm.deal.add');
    expect(error.message).toContain('https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-add.html');
    expect(server.hits).toHaveLength(0);
    server.handle((_, res) => json(res, 200, { result: 7 }));
    await expect(caller.call(d, { fields: { TITEL: 'x' } }, { validate: false })).resolves.toBe(7);
    expect(server.hits).toHaveLength(1);
    const open = descriptor('user.get', { params: { FILTER: { type: 'object' } }, paramsOpen: ['UF_'] });
    await expect(caller.call(open, { UF_DEPARTMENT: 1, FILTER: {} })).resolves.toBe(7);
    await expect(caller.call(open, { NAME: 'x' })).rejects.toThrow("unknown parameter 'NAME'");
  });

  it('one-shot call() works with only credentials', async () => {
    server.handle((_, res) => json(res, 200, { result: 'pong' }));
    await expect(call(descriptor('server.time'), undefined, { credentials: webhook(server.origin) })).resolves.toBe(
      'pong',
    );
  });
});

describe('secrets never leak', () => {
  const leaks = (e: unknown): string => {
    const err = e as Error;
    return [
      err.message,
      err.stack ?? '',
      inspect(err, { depth: 10 }),
      JSON.stringify(err),
      String((err.cause as Error | undefined)?.message),
    ].join('\n');
  };

  it('redacts the webhook code echoed in an error description', async () => {
    server.handle((hit, res) =>
      json(res, 401, { error: 'NO_AUTH_FOUND', error_description: `Wrong authorization data for ${hit.path}` }),
    );
    const error = await caller.call(descriptor('user.current')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(B24AuthError);
    expect(leaks(error)).not.toContain(SECRET);
    expect((error as Error).message).toContain('/rest/1/***/user.current.json');
  });

  it('keeps the code out of network, timeout and hook data', async () => {
    const seen: string[] = [];
    const logged: string[] = [];
    const c = createCaller({
      credentials: webhook(server.origin),
      limiter: false,
      retry: false,
      hooks: { onRequest: (e) => seen.push(JSON.stringify(e)), onResponse: (e) => seen.push(JSON.stringify(e)) },
      logger: { debug: (m) => logged.push(m) },
    });
    server.handle((_, res) => res.socket?.destroy());
    const reset = await c.call(descriptor('crm.deal.add'), { fields: { TITLE: 'x' } }).catch((e: unknown) => e);
    server.handle((_, res) => setTimeout(() => json(res, 200, { result: 1 }), 2000));
    const slow = await c.call(descriptor('crm.deal.get'), {}, { timeout: 100 }).catch((e: unknown) => e);
    await c.close();
    expect(reset).toBeInstanceOf(B24NetworkError);
    expect(slow).toBeInstanceOf(B24TimeoutError);
    for (const e of [reset, slow]) expect(leaks(e)).not.toContain(SECRET);
    expect(seen.length).toBeGreaterThan(0);
    expect(logged.length).toBeGreaterThan(0);
    expect(seen.join('\n') + logged.join('\n')).not.toContain(SECRET);
    expect(seen.join('\n')).toContain('/rest/1/***/crm.deal.add.json');
  });

  it('does not put param values into messages', async () => {
    const d = descriptor('user.add', { params: { PASSWORD: { type: 'number' } } });
    const error = await caller.call(d, { PASSWORD: 'hunter2-secret' }).catch((e: unknown) => e);
    expect(leaks(error)).not.toContain('hunter2-secret');
  });
});
