import { describe, expect, it } from 'vitest';
import { B24ValidationError, QueryEncodingError, encodeBatch, encodeQuery, ref } from '../src/index.js';
import { descriptor } from './helpers.js';

describe('encodeQuery (PHP brackets)', () => {
  const cases: [string, object, string][] = [
    ['flat', { id: 5, name: 'a b' }, 'id=5&name=a%20b'],
    ['nested object', { fields: { TITLE: 'My company' } }, 'fields[TITLE]=My%20company'],
    ['array of scalars', { select: ['ID', 'NAME'] }, 'select[0]=ID&select[1]=NAME'],
    [
      'deep multifield',
      { fields: { PHONE: [{ VALUE: '112233', VALUE_TYPE: 'WORK' }] } },
      'fields[PHONE][0][VALUE]=112233&fields[PHONE][0][VALUE_TYPE]=WORK',
    ],
    ['special characters in values', { q: 'a&b=c?d%e[f]#g' }, 'q=a%26b%3Dc%3Fd%25e%5Bf%5D%23g'],
    ['booleans as PHP reads them', { a: true, b: false }, 'a=1&b=0'],
    ['zero and empty string are kept', { start: 0, NAME: '' }, 'start=0&NAME='],
    ['filter operators in keys', { filter: { '>ID': 10, '!=STAGE': 'WON' } }, 'filter[%3EID]=10&filter[!%3DSTAGE]=WON'],
    ['undefined keys are absent', { a: undefined, b: 1 }, 'b=1'],
    ['dates as ISO 8601', { d: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }, 'd=2024-01-02T03%3A04%3A05.000Z'],
    [
      'references',
      { id: ref('a', 'ID'), f: { x: ref('list', 0, 'ID') } },
      'id=%24result%5Ba%5D%5BID%5D&f[x]=%24result%5Blist%5D%5B0%5D%5BID%5D',
    ],
    ['bigint', { n: 12345678901234567890n }, 'n=12345678901234567890'],
    ['unicode', { t: 'Привет' }, 't=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82'],
  ];
  it.each(cases)('%s', (_, params, expected) => {
    expect(encodeQuery(params)).toBe(expected);
  });

  it('round-trips through a PHP-style parser for keys', () => {
    const q = encodeQuery({ fields: { TITLE: 'x' }, select: ['ID'] });
    const parsed = [...new URLSearchParams(q)];
    expect(parsed).toEqual([
      ['fields[TITLE]', 'x'],
      ['select[0]', 'ID'],
    ]);
  });

  it('encodes positional params by index', () => {
    expect(encodeQuery([123, { POST_MESSAGE: 'test' }])).toBe('0=123&1[POST_MESSAGE]=test');
  });

  const refused: [string, object, string][] = [
    ['null', { fields: { UF_X: null } }, "cannot encode 'fields[UF_X]' as a query string: null"],
    ['empty array', { select: [] }, "cannot encode 'select' as a query string: an empty array"],
    ['nested empty object', { filter: { sub: {} } }, "cannot encode 'filter[sub]' as a query string: an empty object"],
    ['NaN', { n: Number.NaN }, "cannot encode 'n' as a query string: NaN"],
    ['class instance', { m: new Map() }, "cannot encode 'm' as a query string: Map is not a plain object"],
    ['hole in an array', { a: [1, undefined, 3] }, "cannot encode 'a[1]' as a query string: undefined inside an array"],
  ];
  it.each(refused)('refuses %s', (_, params, message) => {
    expect(() => encodeQuery(params)).toThrow(QueryEncodingError);
    expect(() => encodeQuery(params)).toThrow(message);
  });
});

describe('encodeBatch', () => {
  const noValidate = (): void => {};
  const get = descriptor('crm.deal.get', { idempotent: true });
  const list = descriptor('crm.deal.list', { idempotent: true });

  it('encodes commands as method?query strings', () => {
    const { cmds } = encodeBatch(
      {
        a: [list, { filter: { '>ID': 5 }, select: ['ID'] }],
        b: [get, { id: ref('a', 0, 'ID') }],
        c: [descriptor('server.time')],
      },
      noValidate,
    );
    expect(cmds).toEqual([
      'crm.deal.list?filter[%3EID]=5&select[0]=ID',
      'crm.deal.get?id=%24result%5Ba%5D%5B0%5D%5BID%5D',
      'server.time',
    ]);
  });

  it('names every problem before sending', () => {
    const notBatchable = descriptor('disk.file.upload', { batchable: false });
    let error: unknown;
    try {
      encodeBatch(
        {
          a: [get, { id: ref('b', 'ID') }],
          b: [notBatchable],
          'c d': [get, { id: 1 }],
          e: [get, { x: null }],
          f: [get, { id: ref('zz') }],
        },
        noValidate,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(B24ValidationError);
    expect((error as B24ValidationError).problems).toEqual([
      "command 'a' refers to 'b', which comes later (a reference must point back)",
      "command 'b': disk.file.upload cannot run inside batch",
      "command key 'c d' must be non-empty without spaces or brackets",
      "command 'e': cannot encode 'x' as a query string: null has no query-string form (omit the key or send an empty string)",
      "command 'f' refers to 'zz', which is not a command of this batch",
    ]);
  });

  it('refuses references across chunks of 50', () => {
    const commands: Record<string, readonly [typeof get, object]> = {};
    for (let i = 0; i < 55; i++) commands[`c${i}`] = [get, { id: i }];
    commands.c52 = [get, { id: ref('c51', 'ID') }]; // same chunk: fine
    expect(() => encodeBatch(commands, noValidate)).not.toThrow();
    commands.c53 = [get, { id: ref('c3', 'ID') }];
    expect(() => encodeBatch(commands, noValidate)).toThrow("command 'c53' refers to 'c3' in an earlier request");
  });

  it('applies the validator to each command', () => {
    const strict = descriptor('crm.deal.get', { params: { id: { type: 'number', required: true } } });
    expect(() =>
      encodeBatch({ a: [strict, {}] }, (d, p) => {
        if (d.params && !(p as Record<string, unknown>)?.id)
          throw new B24ValidationError({ method: d.method, problems: ["missing required parameter 'id'"] });
      }),
    ).toThrow("command 'a' (crm.deal.get): missing required parameter 'id'");
  });
});
