import { describe, expect, it } from 'vitest';
import { agreement } from '../compare.mjs';
import { mergeMethod } from '../merge.mjs';
import { bumpOf, changesetOf, diffMethod, emptyReport } from '../report.mjs';

const report = (patch: Record<string, string[]>) => ({ ...emptyReport(), ...patch });

describe('bumpOf', () => {
  it.each([
    [{ removed: ['a.b'] }, 'major'],
    [{ paramsRemoved: ['a.b(x)'] }, 'major'],
    [{ madeRequired: ['a.b(x)'] }, 'major'],
    [{ added: ['a.b'], removed: ['c.d'] }, 'major'],
    [{ added: ['a.b'] }, 'minor'],
    [{ paramsAdded: ['a.b(x)'] }, 'minor'],
    [{ madeOptional: ['a.b(x)'] }, 'patch'],
    [{}, 'none'],
  ])('%j -> %s', (patch, bump) => {
    expect(bumpOf(report(patch))).toBe(bump);
  });

  it('treats any other change as a patch', () => {
    const r = emptyReport();
    diffMethod(r, 'a.b', { scope: 'x', params: {} }, { scope: 'y', params: {} });
    expect(r.changed).toEqual([{ method: 'a.b', what: ['scope'] }]);
    expect(bumpOf(r)).toBe('patch');
    expect(changesetOf(r, 'abcdef0123456789')).toMatch(/^---\n"@b24kit\/client": patch\n---\n/);
    expect(changesetOf(emptyReport(), 'abc')).toBeNull();
  });

  it('finds nested param changes', () => {
    const r = emptyReport();
    diffMethod(
      r,
      'a.b',
      { params: { fields: { type: 'object', fields: { A: { type: 'string' }, B: { type: 'string' } } } } },
      { params: { fields: { type: 'object', fields: { A: { type: 'string', required: true }, C: { type: 'integer' } } } } },
    );
    expect(r.madeRequired).toEqual(['a.b(fields.A)']);
    expect(r.paramsAdded).toEqual(['a.b(fields.C)']);
    expect(r.paramsRemoved).toEqual(['a.b(fields.B)']);
  });
});

describe('mergeMethod', () => {
  it('gives a new method the defaults, and never lets defaults override a hand value', () => {
    const fresh = { scope: 'crm', params: {}, result: 'object[]' };
    expect(mergeMethod(undefined, fresh, { idempotent: true, description: 'D.' })).toEqual({ scope: 'crm', description: 'D.', params: {}, result: 'object[]', idempotent: true });
    const old = { scope: 'crm', params: {}, result: 'Deal[]', idempotent: false, list: { rows: 'items', idField: 'id', keyset: true } };
    expect(mergeMethod(old, fresh, { idempotent: true, list: { rows: '', idField: 'ID', keyset: false } })).toEqual(old);
  });

  it('keeps a precise hand type where the docs only say object or array, takes a real change', () => {
    const old = { scope: 's', params: { a: { type: 'integer[]' }, b: { type: 'yn' }, c: { type: 'integer' } }, result: 'any' };
    const fresh = { scope: 's', params: { a: { type: 'any[]' }, b: { type: 'string' }, c: { type: 'string' } }, result: 'any' };
    expect(mergeMethod(old, fresh, {}).params).toEqual({ a: { type: 'integer[]' }, b: { type: 'yn' }, c: { type: 'string' } });
  });
});

describe('agreement', () => {
  it('counts method names (any casing) and params by name and required flag', () => {
    const methods = {
      'a.list': { params: { x: { type: 'string', required: true }, y: { type: 'string' }, G: { type: 'object', fields: { T: { type: 'string' } } } } },
      'b.getFields': { params: {}, openParams: true },
    };
    const catalog = {
      methods: [
        { method: 'a.list', params: [{ name: 'x', required: true }, { name: 'y', required: true }, { name: 'z' }, { name: 'T (G)' }] },
        { method: 'b.getfields', params: [{ name: 'UF_*' }] },
        { method: 'c.gone', params: [{ name: 'q' }] },
      ],
    };
    const a = agreement(methods, catalog);
    expect(a.methods).toEqual({ total: 3, found: 2, foundExact: 1, pct: (200 / 3) });
    expect(a.params).toMatchObject({ total: 6, names: 4, both: 3 });
    expect(a.missingMethods).toEqual(['c.gone']);
  });
});
