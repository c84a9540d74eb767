/** One error tree: everything auth (and core) throws is a B24Error with a code. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  B24ArgumentError,
  B24AuthError as CoreAuthError,
  B24Error,
  BatchRef,
  createCaller,
  encodeQuery,
  ref,
} from '@b24kit/core';
import {
  B24AuthError,
  FileTokenStore,
  InvalidUrlError,
  MemoryTokenStore,
  ReauthorizationRequiredError,
  TokenEndpointError,
  TokenStoreConflictError,
  oauth,
  refreshTokens,
  webhook,
} from '../src/index.js';
import { startFakeServer } from './helpers/fake-oauth-server.js';

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectTree(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(B24Error);
  expect(error).toBeInstanceOf(Error);
  expect((error as B24Error).code).toBe(code);
}

describe('one error tree', () => {
  it('an OAuth refresh failure is a B24Error and a B24AuthError of both packages', async () => {
    const server = await startFakeServer();
    try {
      const error = await thrown(() =>
        refreshTokens({
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          tokenUrl: server.tokenUrl,
          refreshToken: 'rt-unknown',
        }),
      );
      expectTree(error, 'invalid_grant');
      expect(error).toBeInstanceOf(ReauthorizationRequiredError);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toBeInstanceOf(B24AuthError);
      expect(error).toBeInstanceOf(CoreAuthError);
      expect((error as TokenEndpointError).status).toBe(400);
      expect((error as Error).name).toBe('ReauthorizationRequiredError');
      expect((error as Error).message).toMatch(/^The refresh token of portal/);
    } finally {
      await server.close();
    }
  });

  it("a wire auth error from core is also auth's B24AuthError", () => {
    const wire = new CoreAuthError({ method: 'crm.deal.get', code: 'expired_token' });
    expect(wire).toBeInstanceOf(B24AuthError);
  });

  it('argument and shape errors of auth', async () => {
    expectTree(await thrown(() => webhook('nope')), 'INVALID_URL');
    expect(await thrown(() => webhook('nope'))).toBeInstanceOf(InvalidUrlError);
    expectTree(
      await thrown(() =>
        oauth({
          clientId: '',
          clientSecret: 's',
          tokens: { accessToken: 'a', refreshToken: 'r', domain: 'x.bitrix24.com' },
        }),
      ),
      'INVALID_ARGUMENT',
    );
    const store = new MemoryTokenStore();
    await store.set('k', { accessToken: 'a', refreshToken: 'r' } as never, null);
    const conflict = await thrown(() => store.set('k', { accessToken: 'a', refreshToken: 'r' } as never, null));
    expectTree(conflict, 'TOKEN_STORE_CONFLICT');
    expect(conflict).toBeInstanceOf(TokenStoreConflictError);
    expectTree(await thrown(() => new FileTokenStore({ dir: '' })), 'INVALID_ARGUMENT');
  });

  it('a corrupt token file is a B24Error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24kit-tree-'));
    try {
      const { writeFileSync, chmodSync } = await import('node:fs');
      chmodSync(dir, 0o700);
      const store = new FileTokenStore({ dir });
      writeFileSync(store.pathOf('k'), '{not json', { mode: 0o600 });
      expectTree(await thrown(() => store.get('k')), 'TOKEN_STORE_CORRUPT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('argument errors of core', async () => {
    expectTree(await thrown(() => createCaller({} as never)), 'INVALID_ARGUMENT');
    expect(await thrown(() => createCaller({} as never))).toBeInstanceOf(B24ArgumentError);
    expectTree(await thrown(() => ref('')), 'INVALID_ARGUMENT');
    expectTree(await thrown(() => encodeQuery({ a: null })), 'QUERY_ENCODING');
    expectTree(
      await thrown(() =>
        createCaller({ credentials: webhook('http://127.0.0.1:9/rest/1/abc/'), limiter: 'nope' as never }),
      ),
      'INVALID_ARGUMENT',
    );
    expect(new BatchRef('a', [])).toBeInstanceOf(BatchRef);
  });
});
