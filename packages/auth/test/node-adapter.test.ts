import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppRequest } from '../src/index.js';
import { nodeHandler } from '../src/node-adapter.js';

const servers: { close: (cb: () => void) => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('nodeHandler', () => {
  it('hands over method, url, headers and the raw body, and writes the answer back', async () => {
    const seen: AppRequest[] = [];
    const url = await serve(
      nodeHandler(async (request) => {
        seen.push(request);
        return { status: 201, headers: { 'x-answer': 'yes', 'content-type': 'text/plain' }, body: 'done' };
      }),
    );
    const res = await fetch(`${url}/hook?DOMAIN=x`, { method: 'POST', headers: { 'X-Test': '1' }, body: 'a[b]=1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-answer')).toBe('yes');
    expect(await res.text()).toBe('done');
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/hook?DOMAIN=x');
    expect(seen[0]!.headers['x-test']).toBe('1');
    expect(Buffer.from(seen[0]!.body).toString()).toBe('a[b]=1');
  });

  it('uses a body a framework already read (express.raw), and says so when a parser consumed it', async () => {
    const handler = nodeHandler(async (request) => ({
      status: 200,
      headers: {},
      body: `got ${Buffer.from(request.body).toString()}`,
    }));
    const raw = await serve(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      (req as IncomingMessage & { body?: unknown }).body = Buffer.concat(chunks);
      handler(req, res);
    });
    expect(await (await fetch(raw, { method: 'POST', body: 'x=1' })).text()).toBe('got x=1');
    const parsed = await serve(async (req, res) => {
      for await (const _ of req) void _;
      (req as IncomingMessage & { body?: unknown }).body = { x: '1' };
      handler(req, res);
    });
    const res = await fetch(parsed, { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe('BODY_ALREADY_PARSED');
  });

  it('answers 413 over the size limit and 500 when the handler throws', async () => {
    const small = await serve(
      nodeHandler(async () => ({ status: 200, headers: {}, body: 'ok' }), { maxBodyBytes: 10 }),
    );
    expect((await fetch(small, { method: 'POST', body: 'x'.repeat(11) })).status).toBe(413);
    expect((await fetch(small, { method: 'POST', body: 'x'.repeat(10) })).status).toBe(200);
    const broken = await serve(nodeHandler(async () => Promise.reject(new Error('boom'))));
    const res = await fetch(broken, { method: 'POST', body: '' });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('boom');
  });
});
