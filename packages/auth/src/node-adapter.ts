/** Adapts the neutral app handler to `node:http` (and Express, which uses the same shape). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRequest, AppResponse } from './app-http.js';

export interface NodeHandlerOptions {
  /** Largest body accepted, in bytes (default 1 MiB); larger gets 413. */
  readonly maxBodyBytes?: number;
}

export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function nodeHandler(
  handle: (request: AppRequest) => Promise<AppResponse>,
  options: NodeHandlerOptions = {},
): NodeRequestHandler {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    void (async () => {
      let response: AppResponse;
      const body = await readBody(req, limit);
      if (body === 'too-large') {
        response = {
          status: 413,
          headers: { 'content-type': 'application/json' },
          body: '{"error":"PAYLOAD_TOO_LARGE"}',
        };
      } else if (body === 'parsed') {
        response = {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"error":"BODY_ALREADY_PARSED","error_description":"A body parser consumed the request; mount the b24kit handler before it or use express.raw()"}',
        };
      } else {
        response = await handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      }
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"INTERNAL_ERROR"}');
    });
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'parsed'> {
  // Frameworks that already read the stream leave the body on the request.
  const pre = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof pre === 'string') return Buffer.from(pre);
  if (Buffer.isBuffer(pre)) return pre;
  if (pre !== undefined && req.readableEnded) return 'parsed';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
