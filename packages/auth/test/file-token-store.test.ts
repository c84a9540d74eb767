import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  B24AuthError,
  FileTokenStore,
  MemoryTokenStore,
  TokenStoreConflictError,
  type TokenSet,
  type TokenStore,
} from '../src/index.js';
import { transpileSources } from './helpers/transpile.js';

const pair = (n: number | string, memberId = 'm1'): TokenSet => ({
  accessToken: `at-${n}`,
  refreshToken: `rt-${n}`,
  expiresAt: 1_700_000_000_000,
  expiresIn: 3600,
  domain: 'example.bitrix24.com',
  memberId,
  scope: 'crm',
  clientEndpoint: 'https://example.bitrix24.com/rest/',
  serverEndpoint: 'https://oauth.bitrix.info/rest/',
  userId: 1,
  status: 'L',
  applicationToken: `app-${n}`,
});

const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'b24kit-auth-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['MemoryTokenStore', () => new MemoryTokenStore()],
  ['FileTokenStore', () => new FileTokenStore({ dir: join(tmp(), 'tokens') })],
])('%s compare-and-set', (_name, make: () => TokenStore) => {
  it('creates, reads, updates by version, refuses stale writers, deletes', async () => {
    const store = make();
    expect(await store.get('m1')).toBeUndefined();
    const v1 = await store.set('m1', pair(1), null);
    expect(await store.get('m1')).toEqual({ version: v1, tokens: pair(1) });
    await expect(store.set('m1', pair(9), null)).rejects.toBeInstanceOf(TokenStoreConflictError);
    const v2 = await store.set('m1', pair(2), v1);
    expect(v2).toBeGreaterThan(v1);
    const stale = await store.set('m1', pair(3), v1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(TokenStoreConflictError);
    expect((stale as TokenStoreConflictError).message).toContain('changed concurrently');
    expect(inspect(stale)).not.toContain('at-');
    expect((await store.get('m1'))?.tokens.accessToken).toBe('at-2');
    await store.delete('m1');
    expect(await store.get('m1')).toBeUndefined();
    await store.delete('m1');
    await expect(store.set('m1', pair(4), v2)).rejects.toBeInstanceOf(TokenStoreConflictError);
    const v3 = await store.set('m1', pair(4), null);
    expect(v3).not.toBe(v1);
    expect(v3).not.toBe(v2);
  });

  it('of many concurrent writers from one version exactly one wins', async () => {
    const store = make();
    const v = await store.set('m2', pair(0, 'm2'), null);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.set('m2', pair(i + 1, 'm2'), v)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TokenStoreConflictError);
    expect((await store.get('m2'))?.version).toBe((won[0] as PromiseFulfilledResult<number>).value);
  });

  it('keeps portals apart', async () => {
    const store = make();
    await store.set('a.bitrix24.com', pair('a', ''), null);
    await store.set('b', pair('b', 'b'), null);
    expect((await store.get('a.bitrix24.com'))?.tokens.accessToken).toBe('at-a');
    expect((await store.get('b'))?.tokens.accessToken).toBe('at-b');
  });
});

describe('FileTokenStore on disk', () => {
  it('uses mode 0700 for the directory and 0600 for files, and keeps keys inside the directory', async () => {
    const dir = join(tmp(), 'nested', 'tokens');
    const store = new FileTokenStore({ dir });
    await store.set('../../escape/me', pair(1), null);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual(['tokens-..%2f..%2fescape%2fme.json']);
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')).tokens.accessToken).toBe('at-1');
    expect(inspect(store)).toBe(`FileTokenStore(${dir})`);
  });

  it('reports a file it did not write clearly', async () => {
    const dir = tmp();
    const store = new FileTokenStore({ dir });
    writeFileSync(store.pathOf('m1'), '{ not json', { mode: 0o600 });
    await expect(store.get('m1')).rejects.toThrow(/is not valid JSON/);
  });

  it('two stores on one directory (as two processes would) still compare-and-set', async () => {
    const dir = tmp();
    const a = new FileTokenStore({ dir });
    const b = new FileTokenStore({ dir });
    const v = await a.set('m1', pair(1), null);
    const results = await Promise.allSettled([a.set('m1', pair(2), v), b.set('m1', pair(3), v)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('survives SIGKILL mid-write: the file parses and holds an old or a new pair intact', async () => {
    const lib = transpileSources(join(tmp(), 'lib'));
    const dir = join(tmp(), 'tokens');
    const script = join(lib, 'writer.mjs');
    // Each pair is n/n: a torn write would mix numbers or break the JSON.
    writeFileSync(
      script,
      `import { FileTokenStore } from './file-token-store.js';
const store = new FileTokenStore({ dir: process.argv[2] });
const pad = 'x'.repeat(20000);
let version = (await store.get('m1'))?.version ?? null;
for (let n = 1; ; n++) {
  version = await store.set('m1', { accessToken: 'at-' + n + '-' + pad, refreshToken: 'rt-' + n, expiresAt: n, expiresIn: 3600,
    domain: 'example.bitrix24.com', memberId: 'm1', scope: 'crm', clientEndpoint: 'https://example.bitrix24.com/rest/',
    serverEndpoint: 'https://oauth.bitrix.info/rest/', userId: 1, status: 'L' }, version);
  if (n === 20) process.stdout.write('ready\\n');
}
`,
    );
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => resolve());
        child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      // Let it run a little further so the kill lands at an arbitrary point of a write.
      await new Promise((r) => setTimeout(r, 20 + round * 15));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));

      const store = new FileTokenStore({ dir, staleLockMs: 100 });
      const entry = await store.get('m1');
      expect(entry).toBeDefined();
      const n = /^at-(\d+)-x{20000}$/.exec(entry!.tokens.accessToken)?.[1];
      expect(n).toBeDefined();
      expect(entry!.tokens.refreshToken).toBe(`rt-${n}`);
      expect(entry!.tokens.expiresAt).toBe(Number(n));
      // The store stays writable after the crash (a lock left by the dead writer is stale).
      const next = await store.set('m1', { ...entry!.tokens, refreshToken: `rt-${n}` }, entry!.version);
      expect(next).toBeGreaterThan(entry!.version);
    }
  });
});

describe('FileTokenStore lock and trust (issue 11, item 6)', () => {
  /** A pid that is surely not running: above the kernel's pid_max. */
  const DEAD_PID = 4_194_304 + 7;

  function plantStaleLock(store: FileTokenStore, key: string, content = String(DEAD_PID)): string {
    const lock = `${store.pathOf(key)}.lock`;
    writeFileSync(lock, content, { mode: 0o600 });
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    return lock;
  }

  it('a stale lock is taken over by one writer only: 200 rounds of two creators, one winner each', async () => {
    let doubleWins = 0;
    let noWins = 0;
    for (let round = 0; round < 200; round++) {
      const dir = join(tmp(), `r${round}`);
      const a = new FileTokenStore({ dir, staleLockMs: 60_000 });
      const b = new FileTokenStore({ dir, staleLockMs: 60_000 });
      await a.delete('seed'); // creates the directory
      plantStaleLock(a, 'm1', round % 2 === 0 ? String(DEAD_PID) : JSON.stringify({ pid: DEAD_PID, token: 'x' }));
      const results = await Promise.allSettled([
        a.set('m1', pair(`a${round}`), null),
        b.set('m1', pair(`b${round}`), null),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled').length;
      if (won > 1) doubleWins++;
      if (won === 0) noWins++;
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TokenStoreConflictError);
    }
    expect(doubleWins).toBe(0);
    expect(noWins).toBe(0);
  }, 120_000);

  it('an unreadable lock ends in a clear error at once, not a wait for ever', async () => {
    const dir = tmp();
    const store = new FileTokenStore({ dir, lockTimeoutMs: 60_000 });
    mkdirSync(`${store.pathOf('m1')}.lock`);
    const error = (await store.set('m1', pair(1), null).catch((e: unknown) => e)) as B24AuthError;
    expect(error).toBeInstanceOf(B24AuthError);
    expect(error.code).toBe('TOKEN_STORE_INSECURE');
    expect(error.message).toContain('.lock');
  });

  it('a corrupt lock: taken over once old, a clear timeout while young', async () => {
    const dir = tmp();
    const store = new FileTokenStore({ dir, lockTimeoutMs: 200, staleLockMs: 60_000 });
    await store.delete('seed');
    const lock = plantStaleLock(store, 'm1', '\u0000garbage');
    await expect(store.set('m1', pair(1), null)).resolves.toBeGreaterThan(0);
    writeFileSync(lock, 'garbage', { mode: 0o600 });
    const error = (await store.set('m1', pair(2), null).catch((e: unknown) => e)) as B24AuthError;
    expect(error.code).toBe('TOKEN_STORE_LOCKED');
    expect(error.message).toContain('stayed locked');
  });

  it('refuses an existing directory open to others, and one of another user', async () => {
    const dir = join(tmp(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const error = (await new FileTokenStore({ dir }).set('m1', pair(1), null).catch((e: unknown) => e)) as B24AuthError;
    expect(error).toBeInstanceOf(B24AuthError);
    expect(error.code).toBe('TOKEN_STORE_INSECURE');
    expect(error.message).toContain('chmod 700');
    await expect(new FileTokenStore({ dir }).get('m1')).rejects.toThrow(/open to group or others/);
    if (process.getuid?.() === 0) {
      const foreign = join(tmp(), 'foreign');
      mkdirSync(foreign, { mode: 0o700 });
      chownSync(foreign, 12345, 12345);
      await expect(new FileTokenStore({ dir: foreign }).get('m1')).rejects.toThrow(/belongs to user 12345/);
    }
  });

  it('refuses a planted token file: open to others, or a symbolic link', async () => {
    const dir = tmp();
    const store = new FileTokenStore({ dir });
    await store.set('m1', pair(1), null);
    const file = store.pathOf('m1');
    chmodSync(file, 0o644);
    await expect(store.get('m1')).rejects.toThrow(/open to group or others/);
    rmSync(file);
    const elsewhere = join(tmp(), 'planted.json');
    writeFileSync(elsewhere, JSON.stringify({ version: 1, tokens: pair('evil') }), { mode: 0o600 });
    symlinkSync(elsewhere, file);
    const error = (await store.get('m1').catch((e: unknown) => e)) as B24AuthError;
    expect(error.code).toBe('TOKEN_STORE_INSECURE');
    expect(error.message).toContain('symbolic link');
  });
});
