import { describe, expect, it } from 'vitest';
import { parsePhpForm } from '../src/php-form.js';

describe('parsePhpForm', () => {
  it.each([
    ['a=1&b=two', { a: '1', b: 'two' }],
    ['data[FIELDS][ID]=7405&ts=1766047124', { data: { FIELDS: { ID: '7405' } }, ts: '1766047124' }],
    ['select[]=ID&select[]=NAME', { select: ['ID', 'NAME'] }],
    ['list[0]=a&list[1]=b', { list: ['a', 'b'] }],
    ['list[1]=a&list[2]=b', { list: { '1': 'a', '2': 'b' } }],
    ['f[PHONE][0][VALUE]=112233&f[PHONE][0][VALUE_TYPE]=WORK', { f: { PHONE: [{ VALUE: '112233', VALUE_TYPE: 'WORK' }] } }],
    ['a=x+y%26z&b=%5B%5D', { a: 'x y&z', b: '[]' }],
    ['a%5Bb%5D=1', { a: { b: '1' } }],
    ['a=1&a[b]=2', { a: { b: '2' } }],
    ['a[b]=1&a=2', { a: '2' }],
    ['a[b]x=1', { a: { b: '1' } }],
    ['a[b=1', { 'a[b': '1' }],
    ['=1&c=', { c: '' }],
    ['auth[client_endpoint]=https%3A%2F%2Fx.bitrix24.com%2Frest%2F', { auth: { client_endpoint: 'https://x.bitrix24.com/rest/' } }],
  ])('%s', (body, expected) => {
    expect(parsePhpForm(body)).toEqual(expected);
  });

  it('does not touch prototypes', () => {
    const parsed = parsePhpForm('__proto__[polluted]=1&a[__proto__][x]=1&constructor[prototype][y]=1&ok=1');
    expect(parsed).toEqual({ ok: '1' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('limits size and depth', () => {
    expect(() => parsePhpForm('a=1&b=2&c=3', { maxPairs: 2 })).toThrow(/more than 2 fields/);
    expect(() => parsePhpForm(`a${'[x]'.repeat(40)}=1`)).toThrow(/deeper than 32/);
  });
});
