/**
 * A small OAuth server plus portal over a real loopback socket, used until (and besides) the
 * emulator: `/oauth/token/` with single-use refresh tokens, and `/rest/METHOD.json` that
 * checks the Bearer token and answers `expired_token` for expired ones.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FakeServer {
  readonly origin: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly memberId: string;
  /** Requests seen at /oauth/token/, with their query. */
  readonly tokenRequests: URLSearchParams[];
  /** REST requests seen: method and the token they carried. */
  readonly restRequests: { method: string; token: string | undefined }[];
  /** Issues a pair as an install would, for `userId` (default 1, the administrator). */
  issue(userId?: number): { accessToken: string; refreshToken: string };
  /** Makes an authorization code valid for one exchange. */
  code(): string;
  /** Every access token issued so far now answers expired_token. */
  expireAccessTokens(): void;
  /** Delay before answering token requests, in ms. */
  tokenDelayMs: number;
  /** Next token answer replaced by this status and body. */
  nextTokenAnswer: { status: number; body: string } | undefined;
  close(): Promise<void>;
}

const token = () => randomBytes(16).toString('hex');

export async function startFakeServer(): Promise<FakeServer> {
  const access = new Map<string, { expired: boolean; userId: number }>();
  const refresh = new Map<string, { used: boolean; userId: number }>();
  const codes = new Set<string>();
  let origin = '';
  const state: FakeServer = {
    origin: '',
    tokenUrl: '',
    clientId: 'local.test.123',
    clientSecret: `secret-${token()}`,
    memberId: 'a223c6b3710f85df22e9377d6c4f7553',
    tokenRequests: [],
    restRequests: [],
    tokenDelayMs: 0,
    nextTokenAnswer: undefined,
    issue(userId = 1) {
      const pair = { accessToken: `at-${token()}`, refreshToken: `rt-${token()}` };
      access.set(pair.accessToken, { expired: false, userId });
      refresh.set(pair.refreshToken, { used: false, userId });
      return pair;
    },
    code() {
      const c = `code-${token()}`;
      codes.add(c);
      return c;
    },
    expireAccessTokens() {
      for (const entry of access.values()) entry.expired = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', origin);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (url.pathname === '/oauth/token/') {
      state.tokenRequests.push(url.searchParams);
      if (state.tokenDelayMs) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
      if (state.nextTokenAnswer) {
        const answer = state.nextTokenAnswer;
        state.nextTokenAnswer = undefined;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        return res.end(answer.body);
      }
      const q = url.searchParams;
      if (q.get('client_id') !== state.clientId || q.get('client_secret') !== state.clientSecret) {
        return json(res, 401, { error: 'invalid_client', error_description: 'Invalid client' });
      }
      const grant = q.get('grant_type');
      let userId = 1;
      if (grant === 'authorization_code') {
        const c = q.get('code') ?? '';
        if (!codes.delete(c)) return json(res, 400, { error: 'invalid_grant', error_description: `Invalid code ${c}` });
      } else if (grant === 'refresh_token') {
        const entry = refresh.get(q.get('refresh_token') ?? '');
        if (!entry || entry.used) {
          return json(res, 400, {
            error: 'invalid_grant',
            error_description: `Invalid refresh token ${q.get('refresh_token')}`,
          });
        }
        entry.used = true;
        userId = entry.userId;
      } else {
        return json(res, 400, { error: 'invalid_request', error_description: 'bad grant_type' });
      }
      const pair = state.issue(userId);
      return json(res, 200, {
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
        client_endpoint: `${origin}/rest/`,
        server_endpoint: `${origin}/rest/`,
        domain: 'oauth.bitrix.info',
        expires: Math.floor(Date.now() / 1000) + 3600,
        expires_in: 3600,
        member_id: state.memberId,
        scope: 'crm,user',
        status: 'L',
        user_id: userId,
      });
    }
    const m = /^\/rest\/(?:api\/)?([a-z0-9._]+?)(?:\.json)?$/i.exec(url.pathname);
    if (m) {
      // Bearer header first, then `auth` in a JSON or form body.
      let auth = req.headers.authorization?.replace(/^Bearer /, '');
      if (!auth && raw) {
        try {
          const body = /json/.test(req.headers['content-type'] ?? '')
            ? (JSON.parse(raw) as { auth?: unknown })
            : Object.fromEntries(new URLSearchParams(raw));
          if (typeof body.auth === 'string') auth = body.auth;
        } catch {
          auth = undefined;
        }
      }
      state.restRequests.push({ method: m[1] ?? '', token: auth });
      const entry = auth ? access.get(auth) : undefined;
      if (!entry) return json(res, 401, { error: 'invalid_token', error_description: 'Unknown token' });
      if (entry.expired)
        return json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
      // user 1 is the portal's administrator (user.admin answers true only for it).
      if (m[1]?.toLowerCase() === 'user.admin') return json(res, 200, { result: entry.userId === 1 });
      return json(res, 200, { result: { method: m[1], ok: true } });
    }
    json(res, 404, { error: 'NOT_FOUND' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(state, { origin, tokenUrl: `${origin}/oauth/token/` });
  return state;
}
