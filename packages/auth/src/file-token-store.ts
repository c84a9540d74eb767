/**
 * Tokens kept on disk, one JSON file per portal in a private directory. Writes go to a temp
 * file that is fsynced and renamed over the old one, so a crash at any moment leaves either
 * the old or the new pair, never a torn file. A lock file per key makes compare-and-set hold
 * between processes on one machine.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { B24AuthError, TokenStoreConflictError } from './errors.js';
import type { TokenSet } from './token-set.js';
import type { StoredTokens, TokenStore } from './token-store.js';

export interface FileTokenStoreOptions {
  /** Directory for the token files; created with mode 0700 when missing. */
  readonly dir: string;
  /** How long to wait for another writer's lock before failing (ms, default 10 000). */
  readonly lockTimeoutMs?: number;
  /** A lock older than this is taken as left behind by a crash (ms, default 30 000). */
  readonly staleLockMs?: number;
}

interface FileShape {
  readonly version: number;
  readonly tokens: TokenSet;
}

export class FileTokenStore implements TokenStore {
  readonly dir: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  #dirReady: Promise<void> | undefined;

  constructor(options: FileTokenStoreOptions) {
    if (!options || typeof options.dir !== 'string' || options.dir === '') {
      throw new B24AuthError('INVALID_ARGUMENT', 'FileTokenStore needs a directory: new FileTokenStore({ dir })');
    }
    this.dir = options.dir;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
  }

  /** Path of the file holding `key`'s tokens. */
  pathOf(key: string): string {
    if (typeof key !== 'string' || key === '') throw new B24AuthError('INVALID_ARGUMENT', 'token store key is empty');
    // Keys are member ids or domains; anything else is escaped so a key cannot leave the directory.
    const safe = key.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return join(this.dir, `tokens-${safe}.json`);
  }

  async get(key: string): Promise<StoredTokens | undefined> {
    return this.#read(this.pathOf(key));
  }

  async set(key: string, tokens: TokenSet, expectedVersion: number | null): Promise<number> {
    const file = this.pathOf(key);
    await this.#ensureDir();
    return this.#withLock(file, async () => {
      const current = await this.#read(file);
      if ((current?.version ?? null) !== expectedVersion) {
        throw new TokenStoreConflictError(key, expectedVersion, current?.version ?? null);
      }
      // Never reuse a version, even after delete and re-create, so a stale writer cannot match.
      const version = Math.max((current?.version ?? 0) + 1, Date.now());
      await this.#writeAtomic(file, JSON.stringify({ version, tokens } satisfies FileShape));
      return version;
    });
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await this.#ensureDir();
    await this.#withLock(file, async () => {
      await fs.rm(file, { force: true });
      await this.#syncDir();
    });
  }

  async #read(file: string): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let parsed: Partial<FileShape>;
    try {
      parsed = JSON.parse(text) as Partial<FileShape>;
    } catch {
      throw new B24AuthError('TOKEN_STORE_CORRUPT', `Token file ${file} is not valid JSON; it was not written by FileTokenStore`);
    }
    if (typeof parsed.version !== 'number' || !parsed.tokens || typeof parsed.tokens.accessToken !== 'string') {
      throw new B24AuthError('TOKEN_STORE_CORRUPT', `Token file ${file} lacks version or tokens; it was not written by FileTokenStore`);
    }
    return { version: parsed.version, tokens: parsed.tokens };
  }

  #ensureDir(): Promise<void> {
    this.#dirReady ??= (async () => {
      const created = await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; set it exactly on the directory we created.
      if (created !== undefined) await fs.chmod(this.dir, 0o700);
    })();
    this.#dirReady.catch(() => {
      this.#dirReady = undefined;
    });
    return this.#dirReady;
  }

  async #writeAtomic(file: string, content: string): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await this.#syncDir();
  }

  // The rename is durable only once the directory entry is on disk.
  async #syncDir(): Promise<void> {
    let dir: fs.FileHandle | undefined;
    try {
      dir = await fs.open(this.dir, 'r');
      await dir.sync();
    } catch {
      // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    } finally {
      await dir?.close();
    }
  }

  async #withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const lock = `${file}.lock`;
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        const handle = await fs.open(lock, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (await this.#isStale(lock)) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new B24AuthError('TOKEN_STORE_LOCKED', `Token file ${file} stayed locked for ${this.#lockTimeoutMs} ms (lock file ${lock})`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    }
    try {
      return await fn();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }

  /** A lock is stale when its owner process is gone, or when it is older than staleLockMs. */
  async #isStale(lock: string): Promise<boolean> {
    try {
      const [text, stat] = await Promise.all([fs.readFile(lock, 'utf8'), fs.stat(lock)]);
      const pid = Number(text);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
        }
      }
      return Date.now() - stat.mtimeMs > this.#staleLockMs;
    } catch {
      // Vanished or still being written: not stale, just retry.
      return false;
    }
  }

  toString(): string {
    return `FileTokenStore(${this.dir})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
