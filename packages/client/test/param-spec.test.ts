// Every described method carries a runtime param spec, so core refuses a misspelled or missing
// param before anything is sent, naming the method, the param and the docs page. Checked for the
// most used methods by name and for a seeded random sample of the others.
import { B24NetworkError, B24ValidationError, type ParamSpec } from '@b24kit/core';
import { createClient, registry, type AnyMethod } from '@b24kit/client';
import { describe, expect, it } from 'vitest';

const MOST_USED = [
  ...['add', 'delete', 'fields', 'get', 'list', 'update'].flatMap((op) => [`crm.deal.${op}`, `crm.lead.${op}`]),
  ...['add', 'get', 'list', 'update'].map((op) => `tasks.task.${op}`),
  ...Object.keys(registry).filter((name) => name.startsWith('user.') && !name.startsWith('user.userfield.')),
].sort();

/** mulberry32: a small seeded generator, so the sample is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(names: string[], n: number, seed: number): string[] {
  const pool = [...names];
  const random = seeded(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n).sort();
}

const OTHERS = sample(
  Object.keys(registry).filter((name) => !MOST_USED.includes(name)),
  100,
  10,
);

/** A value of the right kind for a required param (nested required fields filled too). */
function valueOf(spec: ParamSpec): unknown {
  const group = () => (spec.fields ? requiredParams(spec.fields) : {});
  switch (spec.type) {
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'object':
      return group();
    case 'array':
      return spec.fields ? [group()] : [1];
    case 'file':
      return ['a.txt', 'YQ=='];
    default:
      return 'x';
  }
}
function requiredParams(spec: Readonly<Record<string, ParamSpec>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec)
      .filter(([, s]) => s.required)
      .map(([name, s]) => [name, valueOf(s)]),
  );
}

/** A misspelling of the method's first param (`select` -> `selectx`), or a made-up name. */
function typoOf(m: AnyMethod): string {
  const open = Array.isArray(m.paramsOpen) ? (m.paramsOpen as readonly string[]) : [];
  const matchesFamily = (name: string) => open.some((p) => name.toUpperCase().startsWith(p.toUpperCase()));
  for (const name of Object.keys(m.params ?? {})) {
    const typo = `${name.slice(0, -1)}${name.endsWith('q') ? 'j' : 'q'}`;
    if (!matchesFamily(typo) && !Object.keys(m.params ?? {}).some((n) => n.toLowerCase() === typo.toLowerCase()))
      return typo;
  }
  return 'qqtypo';
}

// Nothing listens on port 9: a request that was sent fails with a network error instead.
const b24 = createClient({ webhook: 'http://127.0.0.1:9/rest/1/abcdef123/', retry: false });

async function refusal(name: string, params: object, options?: { validate?: boolean }): Promise<unknown> {
  const m = registry[name]!;
  return b24.callUnknown(m, params, options).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('runtime param specs', () => {
  it('every described method has one', () => {
    const without = Object.values(registry)
      .filter((m) => m.params === undefined)
      .map((m) => m.method);
    expect(without).toEqual([]);
    expect(Object.keys(registry).length).toBeGreaterThan(1600);
  });

  it('the most used methods are named (26 in the issue; user.option is a method of its own too)', () => {
    expect(MOST_USED).toHaveLength(27);
    for (const name of MOST_USED) expect(registry[name], name).toBeDefined();
    expect(OTHERS).toHaveLength(100);
  });

  it.each([...MOST_USED, ...OTHERS])('%s refuses a misspelled param before sending', async (name) => {
    const m = registry[name]!;
    // The open (an open list with no families) accept any name by design; the schema says why.
    if (m.paramsOpen === true) return;
    const typo = typoOf(m);
    const params = { ...requiredParams(m.params ?? {}), [typo]: 1 };
    const error = await refusal(name, params);
    expect(error, name).toBeInstanceOf(B24ValidationError);
    const e = error as B24ValidationError;
    expect(e.problems).toContain(`unknown parameter '${typo}'`);
    expect(e.message).toContain(name);
    if (m.docUrl) expect(e.message).toContain(m.docUrl);
    // The same params without the typo pass the check: what is refused is the typo.
    const ok = await refusal(name, requiredParams(m.params ?? {}));
    expect(ok, name).toBeInstanceOf(B24NetworkError);
  });

  it('a missing required param is refused, naming it', async () => {
    const error = (await refusal('crm.deal.update', { fields: { TITLE: 'x' } })) as B24ValidationError;
    expect(error).toBeInstanceOf(B24ValidationError);
    expect(error.problems).toEqual(["missing required parameter 'id'"]);
  });

  it('crm.deal.list({ selct }) and tasks.task.list({ fitler }) are refused; user fields pass', async () => {
    expect(((await refusal('crm.deal.list', { selct: ['ID'] })) as B24ValidationError).problems).toEqual([
      "unknown parameter 'selct'",
    ]);
    expect(((await refusal('tasks.task.list', { fitler: {} })) as B24ValidationError).problems).toEqual([
      "unknown parameter 'fitler'",
    ]);
    expect(((await refusal('crm.deal.add', { fields: { TITEL: 'x' } })) as B24ValidationError).problems).toEqual([
      "unknown parameter 'fields.TITEL'",
    ]);
    expect(await refusal('crm.deal.add', { fields: { TITLE: 'x', UF_CRM_1: 'a', PARENT_ID_1032: 5 } })).toBeInstanceOf(
      B24NetworkError,
    );
    expect(await refusal('user.update', { ID: 1, UF_USR_1679: 'x' })).toBeInstanceOf(B24NetworkError);
    expect(await refusal('user.get', { ID: 1, FILTER: { ACTIVE: true } })).toBeInstanceOf(B24NetworkError);
  });

  it('validate: false per call or per client lets the params through', async () => {
    expect(await refusal('crm.deal.list', { selct: ['ID'] }, { validate: false })).toBeInstanceOf(B24NetworkError);
    const loose = createClient({ webhook: 'http://127.0.0.1:9/rest/1/abcdef123/', retry: false, validate: false });
    await expect(loose.callUnknown('crm.deal.list', { selct: ['ID'] })).rejects.toBeInstanceOf(B24NetworkError);
    await loose.close();
  });
});
