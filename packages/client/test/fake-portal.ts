// A minimal Bitrix24 portal on 127.0.0.1 for facade tests: JSON POST /rest/<user>/<code>/<method>.json,
// success envelopes, `batch` with `cmd` query strings, and offset paging for department.get.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

type Handler = (params: Record<string, unknown>) => { result: unknown; total?: number; next?: number };

const DEPARTMENTS = Array.from({ length: 120 }, (_, i) => ({ ID: String(i + 1), NAME: `Dept ${i + 1}` }));

const handlers: Record<string, Handler> = {
  'crm.deal.list': () => ({
    result: [
      { ID: '1', TITLE: 'A' },
      { ID: '2', TITLE: 'B' },
    ],
    total: 2,
  }),
  'crm.deal.get': (p) => ({ result: { ID: String(p.id ?? p.ID), TITLE: 'Deal' } }),
  'user.current': () => ({ result: { ID: '1', NAME: 'Admin' } }),
  'im.dialog.read': (p) => ({ result: { dialogId: String(p.DIALOG_ID), chatId: 7, lastId: 9, counter: 0 } }),
  'im.dialog.read.all': () => ({ result: true }),
  'server.time': () => ({ result: '2025-01-01T00:00:00+00:00' }),
  'department.get': (p) => {
    const start = Number(p.start ?? 0);
    const rows = DEPARTMENTS.slice(start, start + 50);
    return {
      result: rows,
      total: DEPARTMENTS.length,
      ...(start + rows.length < DEPARTMENTS.length ? { next: start + rows.length } : {}),
    };
  },
};

function answer(method: string, params: Record<string, unknown>): { status: number; body: unknown } {
  const h = handlers[method.toLowerCase()] ?? handlers[method];
  if (!h) {
    if (method === 'vendor.custom.echo') return { status: 200, body: { result: params, total: 1 } };
    return { status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } };
  }
  return { status: 200, body: h(params) };
}

export async function startFakePortal(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const m = /^\/rest\/1\/secretcode42\/(.+?)\.json$/.exec(path);
      const body = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (!m) return send(401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
      const method = m[1] as string;
      requests.push({ method, path, body });
      if (method === 'batch') {
        const out = {
          result: {} as Record<string, unknown>,
          result_error: {} as Record<string, unknown>,
          result_total: {} as Record<string, unknown>,
          result_next: {} as Record<string, unknown>,
          result_time: {},
        };
        for (const [key, cmd] of Object.entries(body.cmd as Record<string, string>)) {
          const [name = '', query = ''] = cmd.split('?');
          const params = Object.fromEntries(new URLSearchParams(query));
          const a = answer(name, params);
          const b = a.body as { result?: unknown; total?: number; next?: number; error?: string };
          if (a.status !== 200) out.result_error[key] = b;
          else {
            out.result[key] = b.result;
            if (b.total !== undefined) out.result_total[key] = b.total;
            if (b.next !== undefined) out.result_next[key] = b.next;
          }
        }
        return send(200, { result: out });
      }
      const a = answer(method, body);
      send(a.status, a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rest/1/secretcode42/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
