/**
 * Tokens kept on disk, one JSON file per portal in a private directory. Writes go to a temp
 * file that is fsynced and renamed over the old one, so a crash at any moment leaves either
 * the old or the new pair, never a torn file. A lock file per key makes compare-and-set hold
 * between processes on one machine.
 *
 * The lock: created whole by `link()` (it never exists half-written) and holding the owner's pid
 * and a random token. A lock left by a dead process (or older than `staleLockMs`) is taken over
 * only under a second, short-lived `.break` lock and only if it is still the very lock judged
 * stale (same inode, mtime and content), so two writers cannot both remove it and both win. Before
 * its rename commits, a writer checks that the lock still holds its token (the fencing check).
 *
 * Trust: the directory must belong to this user and be closed to group and others (0700), and a
 * token file must be a regular file of this user with mode 0600; anything else is refused with a
 * clear error (a planted or widened file is never read). Not checked on Windows, whose modes
 * and owners do not map.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsc, promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';
import { B24AuthError, TokenStoreConflictError } from './errors.js';
import type { TokenSet } from './token-set.js';
import type { StoredTokens, TokenStore } from './token-store.js';

export interface FileTokenStoreOptions {
  /** Directory for the token files; created with mode 0700 when missing (an existing one must be 0700 and yours). */
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

/** A lock as read from disk, enough to tell later whether it is still the same one. */
interface LockSeen {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly text: string;
}

const POSIX = process.platform !== 'win32';
const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

export class FileTokenStore implements TokenStore {
  readonly dir: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  #dirChecked = false;

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
    const file = this.pathOf(key);
    if (!(await this.#checkDir(false))) return undefined;
    return this.#read(file);
  }

  async set(key: string, tokens: TokenSet, expectedVersion: number | null): Promise<number> {
    const file = this.pathOf(key);
    await this.#ensureDir();
    return this.#withLock(file, async (fence) => {
      const current = await this.#read(file);
      if ((current?.version ?? null) !== expectedVersion) {
        throw new TokenStoreConflictError(key, expectedVersion, current?.version ?? null);
      }
      // Never reuse a version, even after delete and re-create, so a stale writer cannot match.
      const version = Math.max((current?.version ?? 0) + 1, Date.now());
      await this.#writeAtomic(file, JSON.stringify({ version, tokens } satisfies FileShape), fence);
      return version;
    });
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await this.#ensureDir();
    await this.#withLock(file, async (fence) => {
      await fence();
      await fs.rm(file, { force: true });
      await this.#syncDir();
    });
  }

  async #read(file: string): Promise<StoredTokens | undefined> {
    let text: string;
    let handle: fs.FileHandle;
    try {
      // O_NOFOLLOW: a symbolic link planted in place of a token file is refused, not followed.
      handle = await fs.open(file, fsc.O_RDONLY | (POSIX ? fsc.O_NOFOLLOW : 0));
    } catch (error) {
      const code = errno(error);
      if (code === 'ENOENT') return undefined;
      if (code === 'ELOOP')
        throw insecure(`Token file ${file} is a symbolic link; FileTokenStore writes regular files only. Remove it`);
      throw new B24AuthError(
        'TOKEN_STORE_UNREADABLE',
        `Token file ${file} cannot be read (${code ?? 'error'}); check its owner and permissions`,
        { cause: error },
      );
    }
    try {
      checkOwnFile(await handle.stat(), `Token file ${file}`);
      text = await handle.readFile('utf8');
    } catch (error) {
      if (error instanceof B24AuthError) throw error;
      throw new B24AuthError(
        'TOKEN_STORE_UNREADABLE',
        `Token file ${file} cannot be read (${errno(error) ?? 'error'})`,
        { cause: error },
      );
    } finally {
      await handle.close();
    }
    let parsed: Partial<FileShape>;
    try {
      parsed = JSON.parse(text) as Partial<FileShape>;
    } catch {
      throw new B24AuthError(
        'TOKEN_STORE_CORRUPT',
        `Token file ${file} is not valid JSON; it was not written by FileTokenStore`,
      );
    }
    if (typeof parsed.version !== 'number' || !parsed.tokens || typeof parsed.tokens.accessToken !== 'string') {
      throw new B24AuthError(
        'TOKEN_STORE_CORRUPT',
        `Token file ${file} lacks version or tokens; it was not written by FileTokenStore`,
      );
    }
    return { version: parsed.version, tokens: parsed.tokens };
  }

  /**
   * The directory exists (created 0700 when `create`), is a directory of this user and closed to
   * group and others. Resolves false when it does not exist and `create` is false.
   */
  async #checkDir(create: boolean): Promise<boolean> {
    if (this.#dirChecked) return true;
    let stat: Stats;
    try {
      stat = await fs.stat(this.dir);
    } catch (error) {
      if (errno(error) !== 'ENOENT') {
        throw new B24AuthError(
          'TOKEN_STORE_UNREADABLE',
          `Token directory ${this.dir} cannot be read (${errno(error) ?? 'error'})`,
          { cause: error },
        );
      }
      if (!create) return false;
      const created = await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; set it exactly on the directory we created.
      if (created !== undefined) await fs.chmod(this.dir, 0o700);
      stat = await fs.stat(this.dir);
    }
    if (!stat.isDirectory()) throw insecure(`Token directory ${this.dir} is not a directory`);
    if (POSIX) {
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) {
        throw insecure(
          `Token directory ${this.dir} belongs to user ${stat.uid}, not to this user (${uid}); use a directory of your own`,
        );
      }
      if ((stat.mode & 0o077) !== 0) {
        throw insecure(
          `Token directory ${this.dir} is open to group or others (mode ${(stat.mode & 0o777).toString(8)}); run "chmod 700 ${this.dir}" or use a new directory`,
        );
      }
    }
    this.#dirChecked = true;
    return true;
  }

  async #ensureDir(): Promise<void> {
    await this.#checkDir(true);
  }

  async #writeAtomic(file: string, content: string, fence: () => Promise<void>): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fence();
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

  async #withLock<T>(file: string, fn: (fence: () => Promise<void>) => Promise<T>): Promise<T> {
    const lock = `${file}.lock`;
    const token = randomBytes(12).toString('hex');
    const content = JSON.stringify({ pid: process.pid, token });
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      if (await this.#tryCreate(lock, content)) break;
      const seen = await this.#readLock(lock);
      if (seen === undefined) continue; // released meanwhile
      if (this.#isStale(seen)) {
        await this.#breakStale(lock, seen);
        continue;
      }
      if (Date.now() > deadline) {
        throw new B24AuthError(
          'TOKEN_STORE_LOCKED',
          `Token file ${file} stayed locked for ${this.#lockTimeoutMs} ms (lock file ${lock})`,
        );
      }
      await sleep(delay + Math.random() * delay);
    }
    // The fencing check: the lock must still be ours right before a change is committed.
    const fence = async (): Promise<void> => {
      const now = await this.#readLock(lock);
      if (now?.text !== content) {
        throw new B24AuthError(
          'TOKEN_STORE_LOCK_LOST',
          `The lock of token file ${file} was taken over while this write held it (it ran longer than staleLockMs); nothing was written`,
        );
      }
    };
    try {
      return await fn(fence);
    } finally {
      // Remove only our own lock: after a takeover it belongs to someone else.
      const now = await this.#readLock(lock).catch(() => undefined);
      if (now?.text === content) await fs.rm(lock, { force: true });
    }
  }

  /** Creates `lock` whole (link of a written temp file); false when it exists. */
  async #tryCreate(lock: string, content: string): Promise<boolean> {
    const temp = `${lock}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(temp, content, { mode: 0o600, flag: 'wx' });
    try {
      await fs.link(temp, lock);
      return true;
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      throw new B24AuthError(
        'TOKEN_STORE_UNWRITABLE',
        `Lock file ${lock} cannot be created (${errno(error) ?? 'error'})`,
        { cause: error },
      );
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  /** The lock as it is now, or undefined when there is none. Unreadable: a clear error at once. */
  async #readLock(lock: string): Promise<LockSeen | undefined> {
    try {
      const stat = await fs.lstat(lock);
      if (!stat.isFile()) throw insecure(`Lock file ${lock} is not a regular file; remove it`);
      const text = await fs.readFile(lock, 'utf8');
      return { ino: stat.ino, mtimeMs: stat.mtimeMs, text };
    } catch (error) {
      if (error instanceof B24AuthError) throw error;
      if (errno(error) === 'ENOENT') return undefined;
      throw new B24AuthError(
        'TOKEN_STORE_LOCK_UNREADABLE',
        `Lock file ${lock} cannot be read (${errno(error) ?? 'error'}), so whether its writer is alive is unknown; remove it once no process uses this store`,
        { cause: error },
      );
    }
  }

  /** Left by a dead process, or older than staleLockMs; a lock without a readable owner only by age. */
  #isStale(seen: LockSeen): boolean {
    if (Date.now() - seen.mtimeMs > this.#staleLockMs) return true;
    let pid: unknown;
    try {
      pid = (JSON.parse(seen.text) as { pid?: unknown }).pid;
    } catch {
      pid = Number(seen.text); // the lock format of earlier versions: the pid alone
    }
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return errno(error) === 'ESRCH';
    }
  }

  /**
   * Removes a stale lock, but only the very one judged stale, and only under `.break`: two
   * writers that both saw it stale take turns here, and the second finds it gone or replaced.
   */
  async #breakStale(lock: string, seen: LockSeen): Promise<void> {
    const breaker = `${lock}.break`;
    if (!(await this.#tryCreate(breaker, String(process.pid)))) {
      // A breaker that died inside this short section leaves `.break` behind: old ones go.
      const stat = await fs.lstat(breaker).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > this.#staleLockMs) await fs.rm(breaker, { force: true });
      await sleep(2 + Math.random() * 5);
      return;
    }
    try {
      const now = await this.#readLock(lock);
      if (now && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.text === seen.text)
        await fs.rm(lock, { force: true });
    } finally {
      await fs.rm(breaker, { force: true });
    }
  }

  toString(): string {
    return `FileTokenStore(${this.dir})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function insecure(message: string): B24AuthError {
  return new B24AuthError('TOKEN_STORE_INSECURE', message);
}

/** A token file must be a regular file of this user, closed to group and others. */
function checkOwnFile(stat: Stats, what: string): void {
  if (!stat.isFile()) throw insecure(`${what} is not a regular file`);
  if (!POSIX) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw insecure(`${what} belongs to user ${stat.uid}, not to this user (${uid}); it was not written by this store`);
  if ((stat.mode & 0o077) !== 0) {
    throw insecure(
      `${what} is open to group or others (mode ${(stat.mode & 0o777).toString(8)}); FileTokenStore writes 0600 files, so it was changed or planted`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
