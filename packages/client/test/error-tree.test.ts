import { B24ArgumentError, B24Error } from '@b24kit/core';
import { describe, expect, it } from 'vitest';
import { chat, createClient, dealFilter, fileInput, pictureBlock } from '@b24kit/client';

// One error tree: what the client facade and its builders throw for bad arguments is a
// B24Error with the code INVALID_ARGUMENT, so one `instanceof B24Error` catches every b24kit error.
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the client throws only B24Error', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['createClient without credentials', () => createClient({} as never), /pass \{ webhook: url \}/],
    [
      'createClient with both',
      () => createClient({ webhook: 'https://x.bitrix24.com/rest/1/abc/', oauth: {} } as never),
      /either webhook or oauth/,
    ],
    ['a chat with an unknown color', () => chat({ TITLE: 'x', COLOR: 'PLAID' } as never), /COLOR must be one of/],
    ['a picture block with a relative link', () => pictureBlock('x.png', '/x.png'), /not an absolute URL/],
    ['a filter with an unknown field', () => dealFilter({ TITEL: 'x' } as never), /unknown field "TITEL"/],
  ];
  for (const [what, fn, message] of cases) {
    it(what, () => {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(B24Error);
      expect(error).toBeInstanceOf(B24ArgumentError);
      expect((error as B24Error).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
    });
  }

  it('fileInput of a source it cannot read', async () => {
    const error = await fileInput(42 as never, 'x.bin').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(B24Error);
    expect((error as Error).message).toMatch(/expected a path, a Buffer/);
  });
});
