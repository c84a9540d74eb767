/**
 * A seeded fuzzer (issue 11, "done when"): at least 5,000 malformed requests against the
 * emulator over a real socket. Every answer must come (no hang), the process must survive (no
 * crash), no answer may be in the 5xx range (all of them are malformed, so a 4xx is due, or a
 * 2xx where the portal would let it pass), and every REST error must be a Bitrix-style envelope.
 * The seed is fixed so a failure reproduces; FUZZ_SEED and FUZZ_COUNT override it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261129);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 5000);
const CONCURRENCY = 8;

/** mulberry32: small, fast, good enough to pick test cases. */
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

const PROTO = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toLocaleString',
  '__defineGetter__',
  'prototype',
];
const OPS = ['', '!', '>', '<', '>=', '<=', '=', '%', '@', '!@', '><', '!=', '=%', '%=', '!%', '*'];
const FIELDS = [
  'ID',
  'TITLE',
  'STAGE_ID',
  'OPPORTUNITY',
  'DATE_CREATE',
  'UF_CRM_1',
  'id',
  'title',
  'NAME',
  'EMAIL',
  'PHONE',
  'ASSIGNED_BY_ID',
  'CATEGORY_ID',
  'x',
];
const JUNK = [
  '',
  ' ',
  '%',
  '%zz',
  '%E0%A4%A',
  '\u0000',
  '\uFFFF',
  '😀',
  '../..',
  '[]',
  '[',
  ']',
  '{}',
  'null',
  'NaN',
  '-1',
  '1e12',
  '9'.repeat(40),
  'a'.repeat(3000),
  '$result[x][ID]',
  "'; DROP TABLE deals; --",
  '<x/>',
];
const METHODS = [
  'crm.deal.list',
  'crm.deal.get',
  'crm.deal.add',
  'crm.deal.update',
  'crm.deal.delete',
  'crm.deal.fields',
  'crm.contact.list',
  'crm.company.list',
  'crm.lead.list',
  'crm.item.list',
  'crm.item.get',
  'crm.item.add',
  'crm.activity.list',
  'tasks.task.list',
  'tasks.task.get',
  'tasks.task.add',
  'user.get',
  'user.current',
  'department.get',
  'disk.folder.getchildren',
  'disk.storage.getlist',
  'im.chat.get',
  'batch',
  'server.time',
  'profile',
  'methods',
  'method.get',
  'event.bind',
  'event.get',
  'app.info',
  'calendar.event.get',
  'crm.deal.userfield.list',
  'lists.element.get',
  'entity.item.get',
  'timeman.status',
  'sonet_group.get',
  'log.blogpost.get',
];

function junk(r: Rng): string {
  return r.chance(0.5) ? r.pick(JUNK) : r.pick([...PROTO, ...FIELDS, ...METHODS]);
}

function value(r: Rng, depth: number): unknown {
  const k = r.int(depth > 6 ? 5 : 9);
  if (k === 0) return r.pick([null, true, false, 0, -1, 1e12, -1e308, 1.5, Number.MAX_SAFE_INTEGER]);
  if (k === 1) return junk(r);
  if (k === 2) return String(r.int(100));
  if (k === 3) return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
  if (k === 4) return r.pick(['Y', 'N', 'ASC', 'DESC', 'asc', 'x', '']);
  if (k === 5) return Object.fromEntries(Array.from({ length: r.int(4) }, () => [key(r), value(r, depth + 1)]));
  if (k === 6) return Array.from({ length: r.chance(0.05) ? 31_000 : r.pick([10, 100, 500]) }, (_, i) => i);
  if (k === 7) return deep(r, r.chance(0.1) ? 2000 : r.pick([20, 65, 100]));
  return { [key(r)]: value(r, depth + 1) };
}

function key(r: Rng): string {
  return r.pick(OPS) + (r.chance(0.3) ? r.pick(PROTO) : r.chance(0.5) ? r.pick(FIELDS) : junk(r));
}

function deep(r: Rng, levels: number): unknown {
  let v: unknown = junk(r);
  for (let i = 0; i < levels; i++) v = r.chance(0.5) ? [v] : { [r.pick(['a', 'FIELDS', 'filter'])]: v };
  return v;
}

function params(r: Rng): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (let i = r.int(5); i >= 0; i--) {
    const name = r.pick([
      'filter',
      'order',
      'select',
      'start',
      'fields',
      'id',
      'ID',
      'cmd',
      'halt',
      'entityTypeId',
      'params',
      'auth',
      'FILTER',
      ...PROTO,
    ]);
    p[name] = name === 'start' ? r.pick([-1, 1e12, -5, 'abc', '1e12', 1.5, [], {}, '50']) : value(r, 0);
  }
  if (r.chance(0.2))
    p['cmd'] = Object.fromEntries(
      Array.from({ length: r.pick([1, 3, 51]) }, (_, i) => [`c${i}`, `${r.pick(METHODS)}?${formBody(r)}`]),
    );
  return p;
}

function formKey(r: Rng): string {
  const k = r.int(8);
  if (k === 0) return `${r.pick(['filter', 'order', 'fields'])}[${encodeURIComponent(key(r))}]`;
  if (k === 1) return `a${'[]'.repeat(r.int(5))}`;
  if (k === 2) return `filter${'[x]'.repeat(r.pick([10, 63, 64, 65, r.chance(0.1) ? 500 : 66]))}`;
  if (k === 3) return r.pick(['a[', 'a]', '[a]', '[]', '=', '&', 'a[b', 'a]b[', ' a', 'a.b', '%', '%zz', '%5B']);
  if (k === 4) return encodeURIComponent(r.pick(PROTO)) + `[${encodeURIComponent(r.pick(PROTO))}]`;
  if (k === 5) return `select[]`;
  if (k === 6) return `filter[@ID][]`;
  return encodeURIComponent(junk(r));
}

function formBody(r: Rng): string {
  const n = r.chance(0.02) ? 1000 : r.pick([1, 3, 10, 30]);
  const parts: string[] = [];
  for (let i = 0; i < n; i++)
    parts.push(
      r.chance(0.1)
        ? formKey(r)
        : `${formKey(r)}=${r.chance(0.2) ? r.pick(['%', '%zz', '%E0%A4%A', '+', '%00']) : encodeURIComponent(junk(r))}`,
    );
  return parts.join(r.chance(0.9) ? '&' : r.pick(['&&', ';', '&=&']));
}

/** `{"error": "CODE", ...}` (the code may be empty, as crm.*.get answers a missing ID), REST 3.0's `{"error": {"code"}}`, or the XML form. */
function isEnvelope(text: string): boolean {
  if (text.startsWith('<?xml')) return /<error>[^<]*<\/error>/.test(text);
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return (
      typeof error === 'string' ||
      (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string')
    );
  } catch {
    return false;
  }
}

interface Case {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly rest: boolean;
}

function makeCase(r: Rng, em: Emulator): Case {
  const hook = new URL(em.webhookUrl).pathname;
  const name = r.chance(0.85)
    ? r.pick(METHODS)
    : r.pick([...PROTO, ...JUNK.map(encodeURIComponent), '%zz', 'crm.deal.list%', '%', 'a/b', '']);
  const suffix = r.pick(['', '', '.json', '.xml', '.JSON', '%2Ejson']);
  const where = r.int(10);
  const path =
    where < 6
      ? `${hook}${name}${suffix}`
      : where === 6
        ? `/rest/${name}${suffix}?auth=${encodeURIComponent(junk(r))}`
        : where === 7
          ? `/rest/api/${name}`
          : where === 8
            ? `/rest/1/${encodeURIComponent(junk(r))}/${name}`
            : `/rest/${'%'.repeat(r.int(3))}${name}/${junk(r).slice(0, 50)}`;
  const query = r.chance(0.3) ? `${path.includes('?') ? '&' : '?'}${formBody(r).slice(0, 4000)}` : '';
  const type = r.int(8);
  let contentType: string | undefined;
  let body: string | undefined;
  if (type <= 2) {
    contentType = 'application/json';
    body = r.chance(0.15)
      ? r.pick(['{', '{"a":', '[1,2', 'nul', '"x"', '1', '[]', '{"filter":{"a":1}}}', '\u0000'])
      : JSON.stringify(params(r));
  } else if (type <= 5) {
    contentType = r.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8']);
    body = formBody(r);
  } else if (type === 6) {
    contentType = r.pick([
      'multipart/form-data',
      'multipart/form-data; boundary=xyz',
      'text/plain',
      'application/xml',
      '',
      'x/y; a=b',
    ]);
    body = r.chance(0.5)
      ? `--xyz\r\nContent-Disposition: form-data; name="${formKey(r)}"\r\n\r\n${junk(r)}\r\n--xyz--\r\n`
      : formBody(r);
  } else {
    body = undefined;
  }
  const method =
    body === undefined
      ? r.pick(['GET', 'GET', 'DELETE', 'HEAD', 'OPTIONS', 'POST'])
      : r.pick(['POST', 'POST', 'POST', 'PUT', 'PATCH']);
  return {
    method,
    path: `${path}${query}`,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    ...(body === undefined ? {} : { body }),
    rest: true,
  };
}

describe('fuzzing the emulator with malformed requests', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator({ plan: 'unlimited' });
    em.seed('crm.deal', 120);
  });
  afterAll(() => em.close());

  it(`${COUNT} seeded malformed requests: no 5xx, no hang, no crash, errors as envelopes`, async () => {
    const r = rng(SEED);
    const cases = Array.from({ length: COUNT }, () => makeCase(r, em));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let index = 0;
    const worker = async () => {
      while (index < cases.length) {
        const c = cases[index++]!;
        let status: number;
        let text = '';
        try {
          const res = await fetch(`${em.baseUrl}${c.path}`, {
            method: c.method,
            headers: c.headers,
            ...(c.body === undefined || c.method === 'GET' || c.method === 'HEAD' ? {} : { body: c.body }),
            signal: AbortSignal.timeout(30_000),
          });
          status = res.status;
          text = await res.text();
        } catch (error) {
          const e = error as Error & { cause?: { code?: string } };
          // Node's own HTTP parser may refuse a request line it cannot read (431/400 or a reset);
          // a timeout is a hang.
          if (e.name === 'TimeoutError') failures.push(`hang: ${c.method} ${c.path.slice(0, 200)}`);
          else if (e.cause?.code !== 'UND_ERR_SOCKET')
            failures.push(`transport ${e.name}/${e.cause?.code}: ${c.method} ${c.path.slice(0, 200)}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500)
          failures.push(
            `${status} ${text.slice(0, 200)} <- ${c.method} ${c.path.slice(0, 200)} ${c.headers['content-type'] ?? ''} ${(c.body ?? '').slice(0, 300)}`,
          );
        // Paths that normalise outside /rest/ (`/rest/x/../..`) are not REST routes: a plain 404 is right there.
        const rest = new URL(c.path, em.baseUrl).pathname.startsWith('/rest/');
        if (status >= 400 && c.method !== 'HEAD' && rest && !isEnvelope(text)) {
          failures.push(`not an envelope (${status}): ${text.slice(0, 120)} <- ${c.method} ${c.path.slice(0, 120)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env['FUZZ_VERBOSE']) console.log(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
    expect(failures.slice(0, 20)).toEqual([]);
    expect(em.stats().faults['unhandled'] ?? 0).toBe(0);
    // Still alive and serving.
    expect((await fetch(`${em.webhookUrl}server.time`)).status).toBe(200);
    const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(answered).toBeGreaterThanOrEqual(COUNT * 0.99);
    // Most cases must be refused: the fuzzer is not just sending valid calls.
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((a, [, n]) => a + n, 0);
    expect(refused).toBeGreaterThan(COUNT / 3);
  }, 240_000);
});
