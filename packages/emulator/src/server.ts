/**
 * The HTTP layer: routes (§1.1), OAuth pages (§2.2), the leaky bucket (§4.1), faults and
 * latency, parameter parsing (§1.3), authentication (§1.2) and the envelopes (§3).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorClosedError, withTimeBudget } from './clock.js';
import type { Dispatcher } from './dispatcher.js';
import { toXml } from './envelope.js';
import { RestError, errors, systemErrorsByCode } from './errors.js';
import type { FaultInjector, FaultRule } from './faults.js';
import type { LeakyBucket } from './limits.js';
import type { AuthContext } from './methods/types.js';
import type { AuthServer } from './oauth.js';
import { parseStr, type Params } from './params.js';
import { mergeParams, parseBody, readBody } from './request.js';
import { bump, type EmulatorStats } from './stats.js';
import { IdempotencyStore } from './idempotency.js';

export interface ServerDeps {
  readonly auth: AuthServer;
  readonly bucket: LeakyBucket;
  readonly dispatcher: Dispatcher;
  readonly faults: FaultInjector;
  readonly stats: EmulatorStats;
  readonly maxBodyBytes: number;
  readonly latencyMs: () => number;
  readonly endpoints: () => { baseUrl: string; domain: string; memberId: string };
  /** The user `/oauth/authorize/` approves as (no login page). */
  readonly authorizeUserId: number;
  /** Emulator clock (ms). */
  readonly now: () => number;
  /** Real-time sleep that ends when the emulator closes. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Simulated processing time allowed per request (see clock.ts). */
  readonly requestTimeLimitMs: number;
  /** Extra routes (file upload/download); return true when handled. */
  readonly extraRoute?: (req: IncomingMessage, res: ServerResponse, url: URL, send: Sender) => Promise<boolean>;
}

export type Sender = (res: ServerResponse, status: number, body: unknown, opts?: SendOptions) => void;

interface SendOptions {
  xml?: boolean;
  fault?: FaultRule | undefined;
  headers?: Record<string, string>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'origin, content-type, accept',
};

export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { stats } = deps;
  const idempotency = new IdempotencyStore(deps.now);

  const send: Sender = (res, status, body, opts = {}) => {
    bump(stats.byStatus, String(status));
    let text = opts.xml ? toXml(body) : JSON.stringify(body);
    const type = opts.xml ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8';
    if (opts.fault?.kind === 'malformed') {
      // A proxy-style broken body: announced as JSON, not parseable.
      text = `{"result":${text.slice(0, Math.max(1, Math.floor(text.length / 3)))},,}`;
    }
    if (opts.fault?.kind === 'truncated') {
      // No Content-Length: the body simply ends early, as a cut connection through a proxy does.
      res.writeHead(status, { ...CORS, 'Content-Type': type, ...opts.headers });
      res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return;
    }
    res.writeHead(status, {
      ...CORS,
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(text),
      ...opts.headers,
    });
    res.end(text);
  };

  const sendError = (res: ServerResponse, err: unknown, opts: SendOptions & { v3?: boolean } = {}) => {
    const e = err instanceof RestError ? err : errors.internal();
    if (!(err instanceof RestError)) bump(stats.faults, 'unhandled');
    const body = opts.v3 ? { error: { code: e.code, message: e.description, ...e.extra } } : e.toBody();
    send(res, e.status, body, opts);
  };

  async function authorize(res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const app = deps.auth.app(q.get('client_id') ?? '');
    // The portal shows its own error page and does not redirect (§2.2).
    if (!app || !app.installed) {
      bump(stats.byStatus, '400');
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Error</title><p>Application not found or not installed.</p>');
      return;
    }
    const code = deps.auth.issueCode(app, deps.authorizeUserId);
    const ep = deps.endpoints();
    const target = app.redirectUri ?? q.get('redirect_uri') ?? undefined;
    const back = new URLSearchParams({
      code,
      state: q.get('state') ?? '',
      domain: ep.domain,
      member_id: ep.memberId,
      scope: app.scopes.join(','),
      server_domain: ep.domain,
    });
    if (!target) {
      // A Market app without redirect_uri: the code is shown for the user to copy (§2.2).
      bump(stats.byStatus, '200');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Authorization code</title><p id="code">${code}</p>`);
      return;
    }
    bump(stats.byStatus, '302');
    res.writeHead(302, { Location: `${target}${target.includes('?') ? '&' : '?'}${back.toString()}` });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    stats.tokenRequests++;
    const body = await parseBody(await readBody(req, deps.maxBodyBytes), req.headers['content-type']);
    const params = mergeParams(parseStr(url.search.slice(1)), body.params);
    try {
      send(res, 200, deps.auth.token(params));
    } catch (err) {
      sendError(res, err);
    }
  }

  function authenticate(
    req: IncomingMessage,
    params: Params,
    webhook: { userId: string; code: string } | undefined,
  ): AuthContext {
    if (webhook) {
      const wh = deps.auth.verifyWebhook(webhook.userId, webhook.code);
      return { type: 'webhook', userId: wh.userId, scopes: wh.scopes, principal: `webhook:${wh.id}` };
    }
    // Authorization: Bearer first, then `auth`, then `access_token`; array values are ignored (§1.2).
    const header = req.headers.authorization;
    const bearer =
      typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    const fromParam = (k: string) =>
      typeof params[k] === 'string' && params[k] !== '' ? (params[k] as string) : undefined;
    const token = bearer || fromParam('auth') || fromParam('access_token');
    if (typeof params['auth'] === 'string') delete params['auth'];
    if (typeof params['access_token'] === 'string') delete params['access_token'];
    if (!token) throw errors.noAuthFound();
    const grant = deps.auth.verifyAccess(token);
    return {
      type: 'oauth',
      userId: grant.userId,
      scopes: grant.scopes,
      clientId: grant.clientId,
      principal: `app:${grant.clientId}`,
      accessToken: token,
    };
  }

  async function rest(req: IncomingMessage, res: ServerResponse, url: URL, v3: boolean, rest: string): Promise<void> {
    const segs = rest.split('/').filter((s) => s !== '');
    let webhook: { userId: string; code: string } | undefined;
    let rawMethod: string;
    if (segs.length === 3) {
      webhook = { userId: segs[0]!, code: segs[1]! };
      rawMethod = segs[2]!;
    } else if (segs.length === 1) {
      rawMethod = segs[0]!;
    } else {
      sendError(res, errors.methodNotFound(), { v3 });
      return;
    }
    let method: string;
    try {
      method = decodeURIComponent(rawMethod);
    } catch {
      // A malformed %-escape cannot name a method.
      sendError(res, errors.methodNotFound(), { v3 });
      return;
    }
    const xml = /\.xml$/i.test(method);
    method = method.replace(/\.(json|xml)$/i, '');

    const fault = deps.faults.pick(method);
    if (fault) {
      bump(stats.faults, fault.kind);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === '500') return sendError(res, errors.internal(), { xml, v3 });
      if (fault.kind === '503') return sendError(res, errors.queryLimit(), { xml, v3 });
      if (fault.kind === 'error') return sendError(res, systemErrorsByCode[fault.code!]!(), { xml, v3 });
      if (fault.kind === 'slow') await deps.sleep(fault.delayMs ?? 1000);
    }

    // One counter per portal and source address; a batch is one request (§4.1).
    if (!deps.bucket.take(req.socket.remoteAddress ?? '')) {
      stats.rateLimited++;
      return sendError(res, errors.queryLimit(), { xml, v3 });
    }

    const rawBody = await readBody(req, deps.maxBodyBytes);
    const body = await parseBody(rawBody, req.headers['content-type']);
    let params: Params;
    if (v3) {
      // REST 3.0 takes JSON only and ignores the query string (§1.3).
      const raw = body;
      if ((!raw.json && Object.keys(raw.params).length > 0) || raw.invalidJson) {
        return sendError(
          res,
          new RestError('BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION', 'Invalid JSON body', 400),
          { v3 },
        );
      }
      params = raw.params;
      const q = parseStr(url.search.slice(1));
      // The token may still travel in the query (`?auth=` for batch, §1.2).
      if (typeof q['auth'] === 'string' && params['auth'] === undefined) params['auth'] = q['auth'];
    } else {
      params = mergeParams(parseStr(url.search.slice(1)), body.params);
    }

    const auth = authenticate(req, params, webhook);
    const idem = v3 ? idempotency.check(req, auth.principal, method, rawBody) : undefined;
    // The key comes back on the first call and on a replay (rest-v3.md, Idempotency-Key).
    const idemHeaders: Record<string, string> = idem
      ? { 'Idempotency-Key': String(req.headers['idempotency-key']) }
      : {};
    if (idem?.replay)
      return send(res, 200, idem.replay, { headers: { ...idemHeaders, 'Idempotent-Replayed': 'true' } });
    const out = await deps.dispatcher.invoke(method, params, auth, { apiVersion: v3 ? 3 : 2 });
    const envelope: Record<string, unknown> = { result: out.result };
    if (out.next !== undefined) envelope['next'] = out.next;
    if (out.total !== undefined) envelope['total'] = out.total;
    envelope['time'] = out.time;
    idem?.store(envelope);
    send(res, 200, envelope, { xml, fault, headers: idemHeaders });
  }

  return (req, res) => {
    stats.requests++;
    let v3 = false;
    let xml = false;
    const run = async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      v3 = path.startsWith('/rest/api/');
      xml = /\.xml$/i.test(path);
      if (req.method === 'OPTIONS') {
        bump(stats.byStatus, '200');
        res.writeHead(200, { ...CORS, 'Content-Length': 0 });
        res.end();
        return;
      }
      const latency = deps.latencyMs();
      if (latency > 0) await deps.sleep(latency);
      if (/^\/oauth\/authorize\/?$/.test(path)) return authorize(res, url);
      if (/^\/oauth\/token\/?$/.test(path)) return token(req, res, url);
      if (deps.extraRoute && (await deps.extraRoute(req, res, url, send))) return;
      const m = /^\/rest\/(api\/)?(.*)$/.exec(path);
      if (!m) {
        bump(stats.byStatus, '404');
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found');
        return;
      }
      return rest(req, res, url, !!m[1], m[2]!);
    };
    // One budget of simulated processing time per request (REQUEST_TIME_LIMIT_MS).
    withTimeBudget(deps.requestTimeLimitMs, run).catch((err: unknown) => {
      if (res.headersSent || res.destroyed || err instanceof EmulatorClosedError) {
        res.destroy();
        return;
      }
      // A URL the WHATWG parser refuses is the client's error, not ours.
      sendError(
        res,
        err instanceof TypeError && (err as { code?: string }).code === 'ERR_INVALID_URL'
          ? errors.core('Malformed request URL')
          : err,
        { xml, v3 },
      );
    });
  };
}
