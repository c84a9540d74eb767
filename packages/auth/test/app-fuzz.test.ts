/**
 * A seeded fuzzer (issue 11, "done when"): at least 5,000 malformed requests against
 * createApp's handler over a real socket. Every answer must come (no hang), the server must
 * survive (no crash), none may be in the 5xx range, every refusal is a JSON error envelope, and
 * no forged request may change the stored tokens. FUZZ_SEED and FUZZ_COUNT override the defaults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, MemoryTokenStore, type B24App } from '../src/index.js';
import { startFakeServer, type FakeServer } from './helpers/fake-oauth-server.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261129);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 5000);
const CONCURRENCY = 8;
const APP_TOKEN = '51856fefc120afa4b628cc82d3935cce';

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const JUNK = [
  '',
  ' ',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%FF%FE',
  '😀',
  '[',
  ']',
  '[]',
  '{',
  '{"ID":',
  'null',
  '-1',
  '1e400',
  '9'.repeat(40),
  'a'.repeat(2000),
  'http://evil.example/',
  'javascript:x',
  '__proto__',
  'constructor',
];
const EVENTS = [
  'ONAPPINSTALL',
  'ONAPPUPDATE',
  'ONAPPUNINSTALL',
  'ONCRMDEALADD',
  'onCrmDealUpdate',
  'ONIMCONNECTORLINEDELETE',
  'ONOFFLINEEVENT',
  '',
  'x',
];
const AUTH_KEYS = [
  'access_token',
  'refresh_token',
  'expires_in',
  'domain',
  'client_endpoint',
  'server_endpoint',
  'member_id',
  'scope',
  'status',
  'user_id',
  'application_token',
];
const FRAME_KEYS = [
  'AUTH_ID',
  'REFRESH_ID',
  'AUTH_EXPIRES',
  'SERVER_ENDPOINT',
  'APPLICATION_TOKEN',
  'APPLICATION_SCOPE',
  'member_id',
  'status',
  'PLACEMENT',
  'PLACEMENT_OPTIONS',
];

describe('fuzzing the app handler with malformed requests', () => {
  let server: FakeServer;
  let store: MemoryTokenStore;
  let app: B24App;
  let http: Server;
  let url: string;
  const handled: string[] = [];

  beforeAll(async () => {
    server = await startFakeServer();
    store = new MemoryTokenStore();
    app = createApp({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      store,
      tokenUrl: server.tokenUrl,
      maxBodyBytes: 64 * 1024,
      onError: (error) => void handled.push(`onError: ${(error as Error).message}`),
    });
    http = createServer(app.nodeHandler());
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // One genuine install, so event and frame paths reach the token checks.
    const pair = server.issue();
    const install = new URLSearchParams({
      event: 'ONAPPINSTALL',
      ts: String(Math.floor(Date.now() / 1000)),
      'auth[access_token]': pair.accessToken,
      'auth[refresh_token]': pair.refreshToken,
      'auth[domain]': new URL(server.origin).host,
      'auth[client_endpoint]': `${server.origin}/rest/`,
      'auth[member_id]': server.memberId,
      'auth[application_token]': APP_TOKEN,
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: install.toString(),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await new Promise((r) => http.close(r));
    await server.close();
  });

  /** Junk and near misses; the real application_token only where body() puts it on purpose. */
  function text(r: Rng): string {
    if (r.chance(0.6)) return r.pick(JUNK);
    if (r.chance(0.5))
      return r.pick([
        `${APP_TOKEN.slice(0, -1)}0`,
        APP_TOKEN.slice(1),
        server.memberId,
        new URL(server.origin).host,
        `${server.origin}/rest/`,
      ]);
    return String(r.int(1e6));
  }

  function field(r: Rng): [string, string] {
    const k = r.int(10);
    if (k === 0) return ['event', r.pick(EVENTS)];
    if (k <= 2) return [`auth[${r.pick(AUTH_KEYS)}]`, text(r)];
    if (k === 3) return [r.pick(FRAME_KEYS), text(r)];
    if (k === 4) return [`data[${r.pick(['FIELDS', 'ID', '', '__proto__'])}]${r.chance(0.5) ? '[ID]' : ''}`, text(r)];
    if (k === 5)
      return [r.pick(['ts', 'event_handler_id', 'auth', 'data', 'auth[]', 'auth[auth][x]', '[]', 'a[', 'a]']), text(r)];
    if (k === 6) return [`x${'[a]'.repeat(r.pick([5, 31, 32, 33, 200]))}`, '1'];
    if (k === 7) return [r.pick(['__proto__[x]', 'constructor[prototype][y]', 'auth[__proto__][member_id]']), text(r)];
    if (k === 8) return ['a[]', text(r)];
    return [text(r), text(r)];
  }

  function body(r: Rng): string | Buffer {
    const shape = r.int(12);
    if (shape === 0) return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
    if (shape === 1) return 'a[]=1&'.repeat(r.pick([10, 10_001, 12_000]));
    if (shape === 2) return `x=${'y'.repeat(r.pick([100, 70 * 1024]))}`;
    if (shape === 3) return r.pick(['%', '=&=&', '&&&', 'event', 'event=', '%E0%A4%A=1', 'a=%zz&event=ONCRMDEALADD']);
    const pairs = Array.from({ length: 1 + r.int(14) }, () => field(r));
    if (shape >= 8) {
      // With the real token (which every user who opens the app sees in the frame POST) an
      // uninstall is genuine by the docs' only check, so the fuzzer never pairs the two.
      const real = r.chance(0.5);
      pairs.unshift(
        ['event', r.pick(EVENTS)],
        ['auth[member_id]', server.memberId],
        ['auth[application_token]', real ? APP_TOKEN : text(r)],
        ['ts', String(Math.floor(Date.now() / 1000) - r.pick([0, 0, 5000]))],
      );
      if (real)
        for (const pair of pairs)
          if (pair[0] === 'event' && pair[1].toUpperCase() === 'ONAPPUNINSTALL') pair[1] = 'ONCRMDEALADD';
    }
    return pairs
      .map(([k, v]) => (r.chance(0.1) ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
      .join('&');
  }

  it(`${COUNT} seeded malformed requests: no 5xx, no hang, no crash, stored tokens untouched`, async () => {
    const before = await store.get(server.memberId);
    const r = rng(SEED);
    const cases = Array.from({ length: COUNT }, () => {
      const method = r.chance(0.9) ? 'POST' : r.pick(['GET', 'PUT', 'DELETE', 'PATCH']);
      const path = r.pick([
        '/',
        '/install',
        '/events',
        '/app',
        `/app?DOMAIN=${encodeURIComponent(text(r))}&PROTOCOL=${r.pick(['0', '1', '', 'x'])}`,
        `/app?DOMAIN=${r.pick(['%zz', '[', 'a b', '%E0'])}&PROTOCOL=0`,
        '/a?b=%',
      ]);
      const type = r.chance(0.85)
        ? r.pick([
            'application/x-www-form-urlencoded',
            'application/x-www-form-urlencoded; charset=utf-8',
            'APPLICATION/X-WWW-FORM-URLENCODED',
          ])
        : r.pick(['application/json', 'text/plain', 'multipart/form-data', undefined]);
      return { method, path, type, body: method === 'GET' ? undefined : body(r) };
    });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let index = 0;
    const worker = async () => {
      while (index < cases.length) {
        const c = cases[index++]!;
        try {
          const res = await fetch(`${url}${c.path}`, {
            method: c.method,
            headers: c.type ? { 'content-type': c.type } : {},
            ...(c.body === undefined ? {} : { body: c.body }),
            signal: AbortSignal.timeout(30_000),
          });
          const answer = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const shown = `${c.method} ${c.path.slice(0, 100)} ${c.type ?? ''} ${String(c.body ?? '').slice(0, 200)}`;
          if (res.status >= 500) failures.push(`${res.status} ${answer.slice(0, 200)} <- ${shown}`);
          if (res.status >= 400) {
            let error: unknown;
            try {
              error = (JSON.parse(answer) as { error?: unknown }).error;
            } catch {
              error = undefined;
            }
            if (typeof error !== 'string' || error === '')
              failures.push(`not an envelope (${res.status}): ${answer.slice(0, 100)} <- ${shown}`);
          }
        } catch (error) {
          failures.push(
            `${(error as Error).name === 'TimeoutError' ? 'hang' : `transport ${(error as Error).message}`}: ${c.method} ${c.path}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await app.idle();
    if (process.env['FUZZ_VERBOSE']) console.log(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
    expect(failures.slice(0, 20)).toEqual([]);
    expect(handled.filter((h) => h.startsWith('onError'))).toEqual([]);
    // No forged install replaced the portal's tokens or its application_token.
    const after = await store.get(server.memberId);
    expect(after?.tokens.applicationToken).toBe(APP_TOKEN);
    expect(after?.tokens.refreshToken).toBe(before?.tokens.refreshToken);
    expect(store.keys()).toEqual([server.memberId]);
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((a, [, n]) => a + n, 0);
    expect(refused).toBeGreaterThan(COUNT * 0.8);
  }, 240_000);
});
