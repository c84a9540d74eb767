/**
 * One Redis connection (node-redis, `@redis/client`) shared by the stores of this package, with
 * the behaviour a request path needs: connect on first use, never queue commands while
 * disconnected, bound every wait (connecting, each command), reconnect in the background, and
 * run Lua scripts by SHA with a fallback to the source when Redis forgot them (a restart).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createClient, ErrorReply } from '@redis/client';
import { RedisUnavailableError } from './errors.js';
import { B24ArgumentError } from '@b24kit/core';

export interface RedisConnectionOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /** How long a command waits for a connection (first connect or reconnect) before failing (ms, default 2000). */
  readonly connectTimeoutMs?: number;
  /** How long a command waits for its answer before failing (ms, default 2000). */
  readonly commandTimeoutMs?: number;
}

/** What each store accepts: its own connection from a URL, or a connection shared with other stores. */
export type RedisTarget = (
  | { readonly url: string; readonly connection?: never }
  | { readonly connection: RedisConnection; readonly url?: never }
) &
  Omit<RedisConnectionOptions, 'url'>;

function newClient(url: string, connectTimeout: number) {
  return createClient({
    url,
    // A command sent while disconnected fails at once instead of waiting in a queue: the
    // caller decides (fail fast, or the in-process limiter); see #ready for the bounded wait.
    disableOfflineQueue: true,
    socket: {
      connectTimeout,
      // Keep reconnecting in the background, every 250 ms at most: a refused connect is cheap,
      // and a restarted Redis is back in use soon after it listens again.
      reconnectStrategy: (retries: number) => Math.min(25 * 2 ** Math.min(retries, 4), 250),
    },
  });
}

type Client = ReturnType<typeof newClient>;
type Reply = unknown;

/** `redis://host:port/db` with the user name and password left out, for messages. */
export function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/** A string that identifies this process in lease and lock values (host, pid, random). */
export function ownerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
}

export class RedisConnection {
  /** `redis://host:port/db`, safe to print. */
  readonly endpoint: string;
  readonly #url: string;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  #client: Client | undefined;
  #subscriber: Client | undefined;
  #subscribed: Promise<void> | undefined;
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  #lastError: string | undefined;
  /** When a wait for the connection last ran out; until it is back, later commands fail at once. */
  #downAt = 0;
  #closed = false;
  readonly #shas = new Map<string, string>();

  constructor(options: RedisConnectionOptions) {
    if (!options || typeof options.url !== 'string' || !/^rediss?:\/\//i.test(options.url)) {
      throw new B24ArgumentError('@b24kit/redis: url must be redis://host:port or rediss://host:port');
    }
    this.#url = options.url;
    this.endpoint = safeEndpoint(options.url);
    this.#connectTimeoutMs = positive(options.connectTimeoutMs, 2000, 'connectTimeoutMs');
    this.#commandTimeoutMs = positive(options.commandTimeoutMs, 2000, 'commandTimeoutMs');
  }

  /** The connection a store was given, or a new one from its URL. */
  static of(target: RedisTarget, what: string): { connection: RedisConnection; owned: boolean } {
    if (!target || typeof target !== 'object') throw new B24ArgumentError(`${what}: pass { url } or { connection }`);
    if (target.connection instanceof RedisConnection) return { connection: target.connection, owned: false };
    if (typeof target.url !== 'string')
      throw new B24ArgumentError(`${what}: pass { url: 'redis://host:port' } or { connection }`);
    const options: RedisConnectionOptions = {
      url: target.url,
      ...(target.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: target.connectTimeoutMs }),
      ...(target.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: target.commandTimeoutMs }),
    };
    return { connection: new RedisConnection(options), owned: true };
  }

  #newClient(): Client {
    const client = newClient(this.#url, this.#connectTimeoutMs);
    client.on('error', (error: unknown) => {
      this.#lastError = describe(error);
    });
    client.on('ready', () => {
      this.#lastError = undefined;
      this.#downAt = 0;
    });
    return client;
  }

  #unavailable(operation: string, description: string, cause?: unknown): RedisUnavailableError {
    return new RedisUnavailableError(
      operation,
      this.endpoint,
      description,
      cause === undefined ? undefined : { cause },
    );
  }

  /** The connected client; waits for a (re)connection up to connectTimeoutMs. */
  async #ready(client: Client, operation: string): Promise<Client> {
    if (this.#closed) throw this.#unavailable(operation, 'the connection was closed');
    if (client.isReady) return client;
    // Known to be down: fail at once rather than make every call wait (one wait per second).
    if (this.#downAt > 0 && Date.now() - this.#downAt < 1000 && client.isOpen) {
      throw this.#unavailable(
        operation,
        `no connection to Redis${this.#lastError ? ` (${this.#lastError})` : ''}; reconnecting`,
      );
    }
    if (!client.isOpen) {
      // First use: connect() keeps retrying in the background; its promise is not awaited here.
      client.connect().catch((error: unknown) => {
        this.#lastError = describe(error);
      });
    }
    const ready = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(client.isReady), this.#connectTimeoutMs);
      client.on('ready', onReady);
      if (client.isReady) done(true);
    });
    if (!ready) {
      this.#downAt = Date.now();
      throw this.#unavailable(
        operation,
        `no connection to Redis within ${this.#connectTimeoutMs} ms${this.#lastError ? ` (${this.#lastError})` : ''}`,
      );
    }
    return client;
  }

  #main(): Client {
    this.#client ??= this.#newClient();
    return this.#client;
  }

  /** Sends one command; RedisUnavailableError when there is no connection or no answer in time. */
  async command<T = Reply>(operation: string, args: readonly string[]): Promise<T> {
    const client = await this.#ready(this.#main(), operation);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(this.#unavailable(operation, `Redis did not answer ${args[0]} within ${this.#commandTimeoutMs} ms`)),
        this.#commandTimeoutMs,
      );
    });
    const sent = client.sendCommand<T>(args);
    // A command abandoned by the timeout may still fail later; that failure has no reader.
    sent.catch(() => undefined);
    try {
      return await Promise.race([sent, timeout]);
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      if (isReplyError(error)) throw error;
      throw this.#unavailable(operation, `the command ${args[0]} failed: ${describe(error)}`, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs a Lua script atomically: EVALSHA, and EVAL when Redis does not know the script (after a
   * restart or SCRIPT FLUSH). Keys and arguments are passed as strings.
   */
  async script<T = Reply>(
    operation: string,
    source: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<T> {
    let sha = this.#shas.get(source);
    if (!sha) this.#shas.set(source, (sha = createHash('sha1').update(source).digest('hex')));
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.command<T>(operation, ['EVALSHA', sha, ...tail]);
    } catch (error) {
      if (!isReplyError(error) || !/NOSCRIPT/.test(String((error as Error).message))) throw error;
      return this.command<T>(operation, ['EVAL', source, ...tail]);
    }
  }

  /**
   * Calls `listener` with each message published on `channel` from now on. The subscription
   * lives on a second connection and is restored after a reconnect; a failure to subscribe is
   * not thrown (callers that wait for messages also poll).
   */
  subscribe(channel: string, listener: (message: string) => void): () => void {
    let set = this.#channels.get(channel);
    if (!set) {
      this.#channels.set(channel, (set = new Set()));
      void this.#subscribeChannel(channel);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  async #subscribeChannel(channel: string): Promise<void> {
    try {
      this.#subscriber ??= this.#newClient();
      const sub = this.#subscriber;
      this.#subscribed ??= this.#ready(sub, 'subscribe').then(() => undefined);
      await this.#subscribed;
      await sub.subscribe(channel, (message: string) => {
        for (const fn of this.#channels.get(channel) ?? []) {
          try {
            fn(message);
          } catch {
            // A listener's failure must not stop the others.
          }
        }
      });
    } catch (error) {
      this.#subscribed = undefined;
      this.#lastError = describe(error);
      // Try again later; waiters poll meanwhile.
      if (!this.#closed) setTimeout(() => void this.#subscribeChannel(channel), 1000).unref();
    }
  }

  /** Whether the main connection is up now (no wait). */
  get isReady(): boolean {
    return this.#client?.isReady ?? false;
  }

  /** Closes both connections; commands fail afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    const clients = [this.#client, this.#subscriber].filter((c): c is Client => c !== undefined);
    this.#client = undefined;
    this.#subscriber = undefined;
    await Promise.all(
      clients.map(async (c) => {
        try {
          if (c.isReady) await c.close();
          else c.destroy();
        } catch {
          c.destroy();
        }
      }),
    );
  }

  toString(): string {
    return `RedisConnection(${this.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value)))
    throw new B24ArgumentError(`@b24kit/redis: ${name} must be a positive number of ms`);
  return value;
}

/** An error reply from Redis (a script error, WRONGTYPE, NOSCRIPT): the server answered. */
function isReplyError(error: unknown): boolean {
  return error instanceof ErrorReply;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (error instanceof Error) return error.message;
  }
  return String(error);
}
