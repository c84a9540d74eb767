/**
 * H1: a redirect to another host never carries a webhook code, a token or a body there unless it
 * is the same portal moved. Two hosts on loopback over real sockets: the portal on 127.0.0.1
 * redirects to 127.0.0.2, which counts every connection it gets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { B24PortalMovedError, MemoryLimiterStore, createCaller, type Credentials } from '@b24kit/core';
import { BITRIX24_CLOUD_DOMAINS, isLoopbackHost, oauth, webhook, InvalidUrlError } from '../src/index.js';

interface Host {
  origin: string;
  connections: number;
  requests: { path: string; headers: IncomingMessage['headers']; body: string }[];
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  close(): Promise<void>;
}

const hosts: Host[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

async function host(address: string): Promise<Host> {
  const h: Host = {
    origin: '',
    connections: 0,
    requests: [],
    handle: (_req, res) => res.end('{"result":true}'),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    h.requests.push({ path: req.url ?? '', headers: req.headers, body });
    h.handle(req, res, body);
  });
  server.on('connection', () => h.connections++);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  h.origin = `http://${address}:${(server.address() as AddressInfo).port}`;
  hosts.push(h);
  return h;
}

const descriptor = {
  method: 'crm.deal.add',
  scope: 'crm',
  idempotent: false,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
} as const;
const BODY = { fields: { TITLE: 'body-marker-7f3a' } };
const CODE = 'webhookcode1234567890';

function caller(credentials: Credentials) {
  return createCaller({ credentials, limiter: false, limiterStore: new MemoryLimiterStore(), retry: false });
}

function redirectAll(from: Host, to: Host): void {
  from.handle = (req, res) => {
    res.writeHead(302, { location: `${to.origin}${req.url ?? '/'}` });
    res.end();
  };
}

describe('webhook: moves go only to an https Bitrix24 host', () => {
  it('a portal on 127.0.0.1 redirecting to 127.0.0.2: no code and no body reach the second host', async () => {
    const portal = await host('127.0.0.1');
    const other = await host('127.0.0.2');
    redirectAll(portal, other);
    const c = caller(webhook(`${portal.origin}/rest/1/${CODE}/`, { followPortalMoves: true }));
    const error = (await c.call(descriptor, BODY).catch((e: unknown) => e)) as B24PortalMovedError;
    await c.close();
    expect(error).toBeInstanceOf(B24PortalMovedError);
    expect(error.code).toBe('PORTAL_MOVED');
    expect(error.targetHost).toBe(new URL(other.origin).host);
    expect(error.message).toContain(new URL(other.origin).host);
    expect(error.message).not.toContain(CODE);
    expect(portal.requests).toHaveLength(1);
    expect(other.connections).toBe(0);
    expect(other.requests).toHaveLength(0);
  });

  it('accepts only https hosts on the cloud domains, or on a configured domain', () => {
    const cloud = webhook(`https://old.bitrix24.com/rest/1/${CODE}/`);
    expect(cloud.acceptMove?.('https://new.bitrix24.de')).toBe(true);
    expect(cloud.acceptMove?.('https://renamed.bitrix24.com')).toBe(true);
    expect(cloud.acceptMove?.('http://new.bitrix24.com')).toBe(false);
    expect(cloud.acceptMove?.('https://bitrix24.com.evil.example')).toBe(false);
    expect(cloud.acceptMove?.('https://evilbitrix24.com')).toBe(false);
    expect(cloud.acceptMove?.('https://127.0.0.2')).toBe(false);
    // Off by default for a portal that is not on those domains.
    const own = webhook(`https://crm.example.org/rest/1/${CODE}/`);
    expect(own.acceptMove?.('https://new.bitrix24.com')).toBe(false);
    const configured = webhook(`https://crm.example.org/rest/1/${CODE}/`, { portalDomains: ['example.org'] });
    expect(configured.acceptMove?.('https://crm2.example.org')).toBe(true);
    expect(configured.acceptMove?.('https://example.org.evil.example')).toBe(false);
    const off = webhook(`https://old.bitrix24.com/rest/1/${CODE}/`, { followPortalMoves: false });
    expect(off.acceptMove?.('https://new.bitrix24.com')).toBe(false);
    expect(() => webhook(`https://a.example.org/rest/1/${CODE}/`, { portalDomains: ['not a domain'] })).toThrow(
      InvalidUrlError,
    );
    expect(BITRIX24_CLOUD_DOMAINS).toContain('bitrix24.com');
  });

  it('moved() cannot re-point the code to a host acceptMove refuses', () => {
    const creds = webhook(`https://old.bitrix24.com/rest/1/${CODE}/`);
    expect(() => creds.moved?.('http://127.0.0.2:8080')).toThrow(/refusing to move to 127\.0\.0\.2:8080/);
    expect(creds.portal).toBe('https://old.bitrix24.com');
  });

  it('*.localhost is not loopback, so plain http to it is refused', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('portal.localhost')).toBe(false);
    expect(() => webhook(`http://portal.localhost/rest/1/${CODE}/`)).toThrow(/plain http/);
  });
});

describe('OAuth: a move is confirmed by the OAuth server, not by the redirect', () => {
  async function tokenServer(clientEndpoint: () => string) {
    const server = await host('127.0.0.1');
    let n = 0;
    server.handle = (_req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: `at-new-${n}`,
          refresh_token: `rt-new-${n}`,
          client_endpoint: clientEndpoint(),
          member_id: 'm1',
          expires_in: 3600,
        }),
      );
    };
    return server;
  }

  it('the OAuth server still names the old host: refused, no token and no body reach the second host', async () => {
    const portal = await host('127.0.0.1');
    const other = await host('127.0.0.2');
    redirectAll(portal, other);
    const tokens = await tokenServer(() => `${portal.origin}/rest/`);
    const creds = oauth({
      clientId: 'local.x.1',
      clientSecret: 'client-secret-xyz',
      tokenUrl: `${tokens.origin}/oauth/token/`,
      tokens: {
        accessToken: 'at-old',
        refreshToken: 'rt-old',
        clientEndpoint: `${portal.origin}/rest/`,
        memberId: 'm1',
      },
    });
    const c = caller(creds);
    const error = (await c.call(descriptor, BODY).catch((e: unknown) => e)) as B24PortalMovedError;
    await c.close();
    expect(error).toBeInstanceOf(B24PortalMovedError);
    expect(error.targetHost).toBe(new URL(other.origin).host);
    expect(tokens.requests).toHaveLength(1); // the confirmation was asked
    // Asked again at once: refused without another refresh (no refresh storm from redirects).
    const c2 = caller(creds);
    await expect(c2.call(descriptor, BODY)).rejects.toBeInstanceOf(B24PortalMovedError);
    await c2.close();
    expect(tokens.requests).toHaveLength(1);
    expect(other.connections).toBe(0);
    expect(other.requests).toHaveLength(0);
    expect(creds.portal).toBe(portal.origin);
  });

  it('the OAuth server names the new host: the call goes there with the new token', async () => {
    const portal = await host('127.0.0.1');
    const other = await host('127.0.0.2');
    redirectAll(portal, other);
    other.handle = (_req, res) => res.end(JSON.stringify({ result: 'moved-ok' }));
    const tokens = await tokenServer(() => `${other.origin}/rest/`);
    const creds = oauth({
      clientId: 'local.x.2',
      clientSecret: 'client-secret-xyz',
      tokenUrl: `${tokens.origin}/oauth/token/`,
      tokens: {
        accessToken: 'at-old2',
        refreshToken: 'rt-old2',
        clientEndpoint: `${portal.origin}/rest/`,
        memberId: 'm2',
      },
    });
    const c = caller(creds);
    await expect(c.call(descriptor, BODY)).resolves.toBe('moved-ok');
    await c.close();
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBe('Bearer at-new-1');
    expect(JSON.parse(other.requests[0]!.body)).toEqual(BODY);
    expect(creds.portal).toBe(other.origin);
  });
});
