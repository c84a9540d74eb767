import { describe, expect, it } from 'vitest';
import { agreement } from '../compare.mjs';
import { aligned, merge3, mergeMethod, unionOrder } from '../merge.mjs';
import { bumpOf, changesetOf, diffMethod, emptyReport, formatReport, widens } from '../report.mjs';

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
      {
        params: {
          fields: { type: 'object', fields: { A: { type: 'string', required: true }, C: { type: 'integer' } } },
        },
      },
    );
    expect(r.madeRequired).toEqual(['a.b(fields.A)']);
    expect(r.paramsAdded).toEqual(['a.b(fields.C)']);
    expect(r.paramsRemoved).toEqual(['a.b(fields.B)']);
  });
});

describe('merge3 (base = docs at the last sync, ours = YAML, theirs = docs now)', () => {
  const m = (base: unknown, ours: unknown, theirs: unknown) => {
    const conflicts: { path: string }[] = [];
    const value = merge3(base, ours, theirs, { path: 'x', conflicts: conflicts as never });
    return { value, conflicts: conflicts.map((c) => c.path) };
  };
  it.each([
    ['untouched by hand follows the docs', 'double', 'double', 'object', 'object', []],
    ['...toward a narrower type too', 'object', 'object', 'string', 'string', []],
    ['a hand value stays when the docs did not change', 'string', 'yn', 'string', 'yn', []],
    [
      'a hand value stays, whatever its spelling, and both changed is a conflict',
      'string',
      'integer',
      'object',
      'integer',
      ['x'],
    ],
    ['a key the docs removed goes when nobody touched it', true, true, undefined, undefined, []],
    ['a key added by hand stays', undefined, 'Deal', undefined, 'Deal', []],
    ['the same change on both sides is no conflict', 'a', 'b', 'b', 'b', []],
  ])('%s', (_t, base, ours, theirs, want, conflicts) => {
    const r = m(base, ours, theirs);
    expect(r.value).toEqual(want);
    expect(r.conflicts).toEqual(conflicts);
  });

  it('merges per key through params and nested fields', () => {
    const base = {
      params: { a: { type: 'string', required: true }, g: { type: 'object', fields: { X: { type: 'string' } } } },
      result: 'any',
    };
    const ours = {
      params: {
        a: { type: 'string', required: true },
        g: { type: 'object', fields: { X: { type: 'string' }, MINE: { type: 'yn' } } },
        h: { type: 'integer' },
      },
      result: 'Deal',
    };
    const theirs = {
      params: {
        a: { type: 'string' },
        g: { type: 'object', fields: { X: { type: 'integer' } } },
        b: { type: 'object' },
      },
      result: 'object',
    };
    const r = m(base, ours, theirs);
    expect(r.value).toEqual({
      params: {
        a: { type: 'string' },
        b: { type: 'object' },
        g: { type: 'object', fields: { X: { type: 'integer' }, MINE: { type: 'yn' } } },
        h: { type: 'integer' },
      },
      result: 'Deal',
    });
    expect(Object.keys((r.value as { params: object }).params)).toEqual(['a', 'g', 'b', 'h']);
    expect(r.conflicts).toEqual(['x.result']);
  });

  it('without a base, ours wins and the docs add what ours lacks (no conflicts)', () => {
    const conflicts: never[] = [];
    expect(
      merge3(
        undefined,
        { a: 1, c: { d: 1 } },
        { a: 2, b: 3, c: { d: 2, e: 4 } },
        { path: 'x', conflicts, noBase: true },
      ),
    ).toEqual({ a: 1, c: { d: 1, e: 4 }, b: 3 });
    expect(conflicts).toEqual([]);
  });

  it('keeps a hand-written key order when the content follows the docs', () => {
    expect(Object.keys(aligned({ a: 1, b: 2, c: 3 }, { c: 0, a: 0 }) as object)).toEqual(['c', 'a', 'b']);
    expect(unionOrder(['a', 'x', 'c'], ['a', 'b', 'c'])).toEqual(['a', 'b', 'x', 'c']);
  });

  it('mergeMethod gives a new method the docs entry in the usual key order', () => {
    expect(
      Object.keys(
        mergeMethod(undefined, undefined, { result: 'any', scope: 's', params: {} }, { path: 'x', conflicts: [] }),
      ),
    ).toEqual(['scope', 'params', 'result']);
  });
});

describe('widens (input param types)', () => {
  it.each([
    ['double', 'object', false],
    ['double', 'any', true],
    ['string', 'string | integer', true],
    ['string | integer', 'string', false],
    ['yn', 'string', true],
    ['Deal', 'object', true],
    ['integer[]', 'any[]', true],
    ['object', 'string', false],
    ['integer', 'double', true],
  ])('%s -> %s: %s', (from, to, want) => {
    expect(widens(from, to)).toBe(want);
  });
});

describe('report and changeset', () => {
  it('name every change, untruncated, and a narrowed type or changed result is major', () => {
    const r = emptyReport();
    r.added = Array.from({ length: 45 }, (_, i) => `a.m${i}`);
    expect(bumpOf(r)).toBe('minor');
    const text = formatReport(r, { commit: 'c', previous: null });
    const cs = changesetOf(r, 'abcdef0123456789') ?? '';
    for (const n of r.added) {
      expect(text).toContain(`    ${n}\n`.trimEnd());
      expect(cs).toContain(`- ${n}\n`);
    }
    expect(text).not.toMatch(/more/);
    const d = emptyReport();
    diffMethod(
      d,
      'a.b',
      { params: { x: { type: 'string | integer' } }, result: 'object' },
      { params: { x: { type: 'integer' } }, result: 'object' },
    );
    expect(d.typeNarrowed).toEqual(['a.b(x): string | integer -> integer']);
    expect(bumpOf(d)).toBe('major');
    const w = emptyReport();
    diffMethod(
      w,
      'a.b',
      { params: { x: { type: 'double' } }, result: 'object' },
      { params: { x: { type: 'any' } }, result: 'object' },
    );
    expect(w.typeWidened).toHaveLength(1);
    expect(bumpOf(w)).toBe('minor');
    const res = emptyReport();
    diffMethod(res, 'a.b', { params: {}, result: 'object' }, { params: {}, result: 'Deal' });
    expect(res.resultChanged).toEqual(['a.b: object -> Deal']);
    expect(bumpOf(res)).toBe('major');
    const renamed = { ...emptyReport(), renamed: ['a.getchildren -> a.getChildren'] };
    expect(bumpOf(renamed)).toBe('minor');
    expect(changesetOf(renamed, 'abc')).toContain('- a.getchildren -> a.getChildren');
  });
});

describe('agreement', () => {
  it('counts method names (any casing) and params by name and required flag', () => {
    const methods = {
      'a.list': {
        params: {
          x: { type: 'string', required: true },
          y: { type: 'string' },
          G: { type: 'object', fields: { T: { type: 'string' } } },
        },
      },
      'b.getFields': { params: {}, openParams: true },
    };
    const catalog = {
      methods: [
        {
          method: 'a.list',
          params: [{ name: 'x', required: true }, { name: 'y', required: true }, { name: 'z' }, { name: 'T (G)' }],
        },
        { method: 'b.getfields', params: [{ name: 'UF_*' }] },
        { method: 'c.gone', params: [{ name: 'q' }] },
      ],
    };
    const a = agreement(methods, catalog);
    expect(a.methods).toEqual({ total: 3, found: 2, foundExact: 1, pct: 200 / 3 });
    expect(a.params).toMatchObject({ total: 6, names: 4, both: 3 });
    expect(a.missingMethods).toEqual(['c.gone']);
  });
});
