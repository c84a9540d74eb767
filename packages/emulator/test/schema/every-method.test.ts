/**
 * Every schema method answers. For each method of schema/ (read through the generator's own
 * load and model stages, the source of the generated client types) the test sends minimal
 * valid params built from the schema and checks, at run time, that the answer is a success
 * whose `result` has the shape of the generated result type; then it drops each required
 * param in turn and expects the portal's error. The figures (stateful, example-backed,
 * unanswered) are printed for the closing note. Objects a caller would make first come from
 * fixtures.ts. Diagnostics: EMU_ALL=1 prints every failure, listed or not; EMU_TRACE=<regex>
 * prints the params and answer of each matching call.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { loadSchema } from '../../../../scripts/codegen/load.mjs';
// @ts-expect-error plain .mjs without declarations
import { buildModel } from '../../../../scripts/codegen/model.mjs';
import type { Emulator } from '../../src/index.js';
import { start } from '../helpers.js';
import { createFixtures, fixtureParams, type Fixtures } from './fixtures.js';
import { knownFailures, knownMissingParam } from './known-failures.js';
import { minimalParams, nullFields, resultProblems, type MethodIR, type ModelIR } from './model-check.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const model = buildModel(loadSchema(join(root, 'schema'))) as ModelIR;
const methods: MethodIR[] = model.domains.flatMap((d) => d.methods.map((m) => ({ ...m, domain: d.name })));

/** Documented errors per method, from the .docs.json files the docs sync commits beside the YAML. */
function documentedErrors(): Map<string, { code: string; message: string }[]> {
  const out = new Map<string, { code: string; message: string }[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.docs.json')) {
        const data = JSON.parse(readFileSync(full, 'utf8')) as {
          methods: Record<string, { errors?: { code: string; message: string }[] }>;
        };
        for (const [m, facts] of Object.entries(data.methods)) out.set(m, facts.errors ?? []);
      }
    }
  };
  walk(join(root, 'schema'));
  return out;
}

let emu: Emulator;
let v2: string;
let v3: string;

interface Outcome {
  method: string;
  apiVersion: number;
  status: number;
  body: any;
}

let appOnly = new Set<string>();
/** Application context where the schema or the emulator says the method needs it. */
const schemaAppOnly = new Set(methods.filter((m) => m.appOnly).map((m) => m.name.toLowerCase()));
const needsApp = (name: string): boolean => schemaAppOnly.has(name.toLowerCase()) || appOnly.has(name.toLowerCase());

async function send(method: MethodIR, params: Record<string, unknown>): Promise<Outcome> {
  const base = method.apiVersion === 3 ? v3 : v2;
  const app = needsApp(method.name);
  const auth = app ? { auth: emu.issueTokens().access_token } : {};
  const url = app ? `${emu.baseUrl}/rest/${method.apiVersion === 3 ? 'api/' : ''}` : base;
  const res = await fetch(url + method.name, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, ...auth }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { method: method.name, apiVersion: method.apiVersion, status: res.status, body };
}

const ACTION_ORDER = ['add', 'set', 'get', 'list', 'fields', 'update'];
/** Adds first, deletes last, so get/update find the row an add made. */
function order(ms: MethodIR[]): MethodIR[] {
  const rank = (m: MethodIR) => {
    const action = m.name.slice(m.name.lastIndexOf('.') + 1).toLowerCase();
    if (/delete|remove|unbind|unregister|clear/.test(action)) return 9;
    const i = ACTION_ORDER.indexOf(action);
    return i === -1 ? 5 : i;
  };
  return [...ms].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1));
}

const outcomes: Outcome[] = [];

/** The id in an add's result: the result itself, or `id`/`ID` of it or of its one wrapped object. */
function idOf(result: unknown): unknown {
  if (typeof result === 'number' || (typeof result === 'string' && result !== '')) return result;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const r = result as Record<string, unknown>;
  if (r['id'] !== undefined || r['ID'] !== undefined) return r['id'] ?? r['ID'];
  const inner = Object.values(r).filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
  return inner.length === 1 ? idOf(inner[0]) : undefined;
}

beforeAll(async () => {
  emu = await start();
  v2 = emu.webhookUrl;
  v3 = emu.webhookUrl.replace('/rest/', '/rest/api/');
  appOnly = new Set(
    emu
      .methods()
      .filter((m) => m.appOnly)
      .map((m) => m.name.toLowerCase()),
  );
  // Rows with ids 1..3 in every seedable table, so methods that read an id find one.
  for (const entity of ['crm.deal', 'crm.lead', 'crm.contact', 'crm.company', 'crm.quote'] as const)
    emu.seed(entity, 3);
  // Objects with id 1 that hand-written domains look up by id (tasks).
  for (const title of ['Fixture task 1', 'Fixture task 2']) {
    await fetch(`${v2}tasks.task.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { TITLE: title, RESPONSIBLE_ID: 1 } }),
    });
  }
  const fixtures: Fixtures = await createFixtures(async (method, params) => {
    // An application's own objects (its drive storage) are made in an application's context.
    const app = needsApp(method);
    const res = await fetch(`${app ? `${emu.baseUrl}/rest/` : v2}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(app ? { ...params, auth: emu.issueTokens().access_token } : params),
    });
    return { status: res.status, body: await res.json() };
  });
  // An add's new id is used by the other methods of its family (`crm.status.add` → get/update/delete).
  // The id goes into `id`, or into the required `<entity>_ID` param of the family's own entity
  // that the add does not take (SECTION_ID of lists.section.update): the one that names the added row.
  const ids = new Map<string, { id: unknown; addParams: Set<string> }>();
  for (const m of order(methods)) {
    const prefix = m.name.slice(0, m.name.lastIndexOf('.')).toLowerCase();
    const params = minimalParams(m, model);
    const added = ids.get(prefix);
    if (added !== undefined) {
      const entity = prefix.slice(prefix.lastIndexOf('.') + 1);
      const names = (p: { name: string; required: boolean }) =>
        /^id$/i.test(p.name) ||
        (p.required &&
          p.name.replace(/_?id$/i, '').toLowerCase() === entity &&
          !added.addParams.has(p.name.toLowerCase()));
      for (const p of m.params) if (names(p)) params[p.name] = added.id;
    }
    Object.assign(params, fixtureParams(m.name, fixtures));
    const o = await send(m, params);
    if (process.env.EMU_TRACE && new RegExp(process.env.EMU_TRACE).test(m.name))
      console.log('TRACE', m.name, JSON.stringify(params), o.status, JSON.stringify(o.body).slice(0, 200));
    outcomes.push(o);
    if (/\.add$/i.test(m.name) && o.status === 200) {
      const newId = idOf(o.body.result);
      if (newId !== undefined)
        ids.set(prefix, { id: newId, addParams: new Set(m.params.map((p) => p.name.toLowerCase())) });
    }
  }
}, 600_000);
afterAll(() => emu.close());

describe('every schema method', () => {
  test('is served, as stateful or example-backed', () => {
    const served = new Set(emu.methods().map((m) => `${m.apiVersion}:${m.name.toLowerCase()}`));
    const unanswered = methods.filter((m) => !served.has(`${m.apiVersion}:${m.name.toLowerCase()}`)).map((m) => m.name);
    const kinds = emu
      .methods()
      .filter((m) =>
        methods.some((s) => s.name.toLowerCase() === m.name.toLowerCase() && s.apiVersion === m.apiVersion),
      );
    const stateful = kinds.filter((m) => m.kind === 'stateful').length;
    const example = kinds.filter((m) => m.kind === 'example-backed').length;
    console.log(
      `schema methods ${methods.length}: stateful ${stateful}, example-backed ${example}, unanswered ${unanswered.length}`,
    );
    expect(unanswered).toEqual([]);
    expect(stateful + example).toBe(methods.length);
  });

  test('answers minimal valid params with a result shaped like the generated result type', () => {
    const failures: string[] = [];
    for (const o of outcomes) {
      const m = methods.find((x) => x.name === o.method && x.apiVersion === o.apiVersion)!;
      if (o.status !== 200 || !o.body || typeof o.body !== 'object' || !('result' in o.body)) {
        failures.push(`${o.method}: ${o.status} ${JSON.stringify(o.body).slice(0, 160)}`);
        continue;
      }
      const problems = resultProblems(o.body.result, m, model);
      if (problems.length) failures.push(`${o.method}: ${problems.slice(0, 3).join('; ')}`);
    }
    console.log(`optional fields sent as null where the generated type has no null: ${nullFields.size}`);
    const failed = new Set(failures.map((f) => f.slice(0, f.indexOf(':'))));
    const unexpected = failures.filter((f) => !(f.slice(0, f.indexOf(':')) in knownFailures));
    const nowPassing = Object.keys(knownFailures).filter((m) => !failed.has(m));
    const byReason: Record<string, number> = {};
    for (const r of Object.values(knownFailures)) byReason[r] = (byReason[r] ?? 0) + 1;
    console.log(
      `answered with a fitting success: ${outcomes.length - failures.length} of ${outcomes.length}; known failures ${JSON.stringify(byReason)}`,
    );
    if (process.env.EMU_ALL) console.log(`ALL failures:\n${failures.join('\n')}`);
    if (unexpected.length) console.log(`unexpected failures:\n${unexpected.join('\n')}`);
    // A schema fix can make a listed method pass: reported, not failed, so it does not block that fix.
    if (nowPassing.length) console.log(`now passing, remove from known-failures.ts: ${nowPassing.join(', ')}`);
    expect(unexpected).toEqual([]);
  });

  test('a missing required param gets the portal error', async () => {
    const docs = documentedErrors();
    const failures: string[] = [];
    let checked = 0;
    for (const m of methods) {
      const required = m.params.filter((p) => p.required);
      if (!required.length) continue;
      const full = minimalParams(m, model);
      for (const p of required) {
        const { [p.name]: _dropped, ...rest } = full;
        const o = await send(m, rest);
        checked++;
        const code = m.apiVersion === 3 ? o.body?.error?.code : o.body?.error;
        if (o.status < 400 || o.status >= 500 || typeof code !== 'string') {
          failures.push(`${m.name} without ${p.name}: ${o.status} ${JSON.stringify(o.body).slice(0, 160)}`);
          continue;
        }
        // Where the method's docs name an error for this param, that is the error.
        const named = (docs.get(m.name) ?? []).filter(
          (e) =>
            new RegExp(`(^|[^A-Za-z0-9_])${p.name}([^A-Za-z0-9_]|$)`, 'i').test(e.message) &&
            /required|not specified|empty|missing|not provided|not passed|could not find value|not defined/i.test(
              e.message,
            ) &&
            !/invalid value/i.test(e.message),
        );
        if (m.apiVersion === 3) {
          if (code !== 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION')
            failures.push(`${m.name} without ${p.name}: ${code}`);
        } else if (named.length && !named.some((e) => e.code === code)) {
          failures.push(
            `${m.name} without ${p.name}: ${code} "${o.body.error_description}", documented ${named.map((e) => e.code).join('/')}`,
          );
        }
      }
    }
    const key = (f: string) => f.slice(0, f.indexOf(':'));
    const unexpected = failures.filter((f) => !(key(f) in knownMissingParam));
    const nowPassing = Object.keys(knownMissingParam).filter((k) => !failures.some((f) => key(f) === k));
    console.log(
      `missing-param checks: ${checked}, with the portal error: ${checked - failures.length}, known exceptions ${failures.length - unexpected.length}`,
    );
    if (unexpected.length) console.log(unexpected.join('\n'));
    if (nowPassing.length) console.log(`now passing, remove from known-failures.ts: ${nowPassing.join(', ')}`);
    expect(unexpected).toEqual([]);
  }, 600_000);
});
