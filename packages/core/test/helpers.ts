/** Test fixtures: a crafted HTTP server on 127.0.0.1 and webhook-style credentials. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials, MethodDescriptor } from '../src/index.js';

export const SECRET = 'x9secretcode42zz';

export interface Hit {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
}

export type Handler = (hit: Hit, res: ServerResponse, req: IncomingMessage) => unknown;

export interface TestServer {
  readonly connections?: number;
  origin: string;
  hits: Hit[];
  handle(h: Handler): void;
  close(): Promise<void>;
}

export async function startServer(
  handler?: Handler,
  host = '127.0.0.1',
): Promise<TestServer & { readonly connections: number }> {
  let current: Handler = handler ?? ((_, res) => json(res, 200, { result: true }));
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        /* keep raw */
      }
      const hit: Hit = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, raw };
      hits.push(hit);
      Promise.resolve(current(hit, res, req)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    hits,
    get connections() {
      return connections;
    },
    handle(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The method name a webhook-style path ends with: `/rest/1/CODE/crm.deal.add.json` -> `crm.deal.add`. */
export function methodOf(hit: Hit): string {
  return decodeURIComponent(hit.path.split('/').pop() ?? '').replace(/\.json$/, '');
}

export function webhook(origin: string, extra: Partial<Credentials> = {}): Credentials {
  const base = `${origin}/rest/1/${SECRET}/`;
  return {
    portal: origin,
    kind: 'webhook',
    prepare: async (d: MethodDescriptor) => ({ url: base + d.method + '.json' }),
    redact: (t: string) => t.replaceAll(SECRET, '***'),
    ...extra,
  };
}

export function descriptor(method: string, extra: Partial<MethodDescriptor> = {}): MethodDescriptor {
  return { method, scope: 'crm', idempotent: false, batchable: true, appOnly: false, apiVersion: 2, ...extra };
}

/** A unique portal key per test so the process-wide limiter state does not leak between tests. */
let counter = 0;
export function uniquePortal(origin: string): string {
  return `${origin}#${++counter}-${Math.random().toString(36).slice(2)}`;
}
