import { describe, expect, test } from 'vitest';
import { httpBuildQuery, parseStr } from '../src/index.js';

describe('parse_str semantics', () => {
  test.each([
    ['a=1&b=2', { a: '1', b: '2' }],
    [
      'fields[TITLE]=My%20company&fields[PHONE][0][VALUE]=112233',
      { fields: { TITLE: 'My company', PHONE: [{ VALUE: '112233' }] } },
    ],
    ['select[]=ID&select[]=NAME', { select: ['ID', 'NAME'] }],
    ['a=x+y', { a: 'x y' }],
    ['a=1&a=2', { a: '2' }],
    ['a.b=1&c d=2', { a_b: '1', c_d: '2' }],
    ['a[b=1', { a_b: '1' }],
    ['a[x]y=1', { a: { x: '1' } }],
    ['filter[>ID]=5&filter[!%TITLE]=q', { filter: { '>ID': '5', '!%TITLE': 'q' } }],
    ['a[5]=x&a[]=y', { a: { '5': 'x', '6': 'y' } }],
    ['0=123&1[POST_MESSAGE]=test', { '0': '123', '1': { POST_MESSAGE: 'test' } }],
    ['=novalue&flag', { flag: '' }],
    ['bad=%E0%A4%A', { bad: Buffer.from([0xe0, 0xa4]).toString('utf8') + '%A' }],
    ['__proto__[x]=1', JSON.parse('{"__proto__":{"x":"1"}}')],
  ])('%s', (q, expected) => {
    const got = parseStr(q);
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  test('http_build_query round-trips through parse_str', () => {
    const data = { event: 'ONCRMDEALADD', data: { FIELDS: { ID: 7 } }, list: ['a', 'b&c'], flag: true, none: null };
    const q = httpBuildQuery(data);
    expect(q).toContain('data%5BFIELDS%5D%5BID%5D=7');
    expect(parseStr(q)).toEqual({
      event: 'ONCRMDEALADD',
      data: { FIELDS: { ID: '7' } },
      list: ['a', 'b&c'],
      flag: '1',
    });
  });
});
