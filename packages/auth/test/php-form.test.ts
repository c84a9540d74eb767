import { describe, expect, it } from 'vitest';
import { formParseSteps, parsePhpForm } from '../src/php-form.js';

describe('parsePhpForm', () => {
  it.each([
    ['a=1&b=two', { a: '1', b: 'two' }],
    ['data[FIELDS][ID]=7405&ts=1766047124', { data: { FIELDS: { ID: '7405' } }, ts: '1766047124' }],
    ['select[]=ID&select[]=NAME', { select: ['ID', 'NAME'] }],
    ['list[0]=a&list[1]=b', { list: ['a', 'b'] }],
    ['list[1]=a&list[2]=b', { list: { '1': 'a', '2': 'b' } }],
    [
      'f[PHONE][0][VALUE]=112233&f[PHONE][0][VALUE_TYPE]=WORK',
      { f: { PHONE: [{ VALUE: '112233', VALUE_TYPE: 'WORK' }] } },
    ],
    ['a=x+y%26z&b=%5B%5D', { a: 'x y&z', b: '[]' }],
    ['a%5Bb%5D=1', { a: { b: '1' } }],
    ['a=1&a[b]=2', { a: { b: '2' } }],
    ['a[b]=1&a=2', { a: '2' }],
    ['a[b]x=1', { a: { b: '1' } }],
    ['a[b=1', { 'a[b': '1' }],
    ['=1&c=', { c: '' }],
    [
      'auth[client_endpoint]=https%3A%2F%2Fx.bitrix24.com%2Frest%2F',
      { auth: { client_endpoint: 'https://x.bitrix24.com/rest/' } },
    ],
  ])('%s', (body, expected) => {
    expect(parsePhpForm(body)).toEqual(expected);
  });

  it('does not touch prototypes', () => {
    const parsed = parsePhpForm('__proto__[polluted]=1&a[__proto__][x]=1&constructor[prototype][y]=1&ok=1');
    expect(parsed).toEqual({ ok: '1' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('limits size, depth and list index', () => {
    expect(() => parsePhpForm('a=1&b=2&c=3', { maxPairs: 2 })).toThrow(/more than 2 fields/);
    expect(() => parsePhpForm(`a${'[x]'.repeat(40)}=1`)).toThrow(/deeper than 32/);
    expect(() => parsePhpForm(`a${'[x]'.repeat(10_000)}=1`)).toThrow(/deeper than 32/);
    expect(() => parsePhpForm('a=1', { maxLength: 2 })).toThrow(/longer than 2 characters/);
    expect(() => parsePhpForm('a[100001]=1')).toThrow(/index 100001 exceeds 100000/);
    expect(() => parsePhpForm('a[99999999999999999999]=1')).not.toThrow();
    // The default caps refuse the 180 KB body of the security review at once.
    expect(() => parsePhpForm('a[]=1&'.repeat(30_000))).toThrow(/more than 10000 fields/);
  });

  it('appends with a[] after explicit indexes as PHP does', () => {
    expect(parsePhpForm('a[5]=x&a[]=y&a[2]=z&a[]=w')).toEqual({ a: { '5': 'x', '6': 'y', '2': 'z', '7': 'w' } });
    expect(parsePhpForm('a[]=x&a[b]=y&a[]=z')).toEqual({ a: { '0': 'x', b: 'y', '1': 'z' } });
  });

  it('parses a[]= bodies in time proportional to their size (60 KB vs 180 KB)', () => {
    const body = (kb: number) => 'a[]=1&'.repeat((kb * 1024) / 6);
    const small = body(60);
    const large = body(180);
    const caps = { maxPairs: 1e6, maxIndex: 1e6, maxLength: 1e7 };
    expect((parsePhpForm(small, caps)['a'] as string[]).length).toBe(10_240);
    expect((parsePhpForm(large, caps)['a'] as string[]).length).toBe(30_720);
    // Counted work, not wall-clock time (the machine is shared): each step is O(1). The
    // quadratic parser of the security review scanned every key of the list on each `a[]`.
    const work = (text: string) => {
      const before = formParseSteps();
      parsePhpForm(text, caps);
      return formParseSteps() - before;
    };
    const ratio = work(large) / work(small);
    expect(work(small)).toBeGreaterThan(10_240);
    expect(ratio).toBeGreaterThan(2.9);
    expect(ratio).toBeLessThan(3.1);
  });
});
