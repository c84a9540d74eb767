/**
 * Core's LimiterStore in Redis: the portal's request bucket (reserve, admit, release, overflow)
 * and each method's operating-time state, shared by every process and host that points at the
 * same Redis. Each operation is one Lua script, so it is atomic, and the scripts read the time
 * from Redis (`TIME`), not from the caller, so hosts whose clocks disagree still agree on the
 * bucket. The model is the same as core's MemoryLimiterStore (see its comments).
 *
 * Keys (one hash tag per core key, so a cluster keeps a bucket's keys on one node):
 *   PREFIX limit:{<portal>|rate}            hash: level, at, done, doneAt
 *   PREFIX limit:{<portal>|rate}:inflight   sorted set: admitted requests, scored by expiry
 *   PREFIX limit:{<portal>|op|<method>}[:<scope>]  hash: operating, resetAt, blockedUntil, cost
 *   ... [:<scope>]:inflight                  sorted set: calls of the method in flight, by expiry
 *   ... [:<scope>]:reserved                  hash: each call in flight -> its reserved cost (s)
 * Every key expires on its own once it no longer matters; an in-flight call whose process died
 * stops counting when its entry expires.
 */
import { randomBytes } from 'node:crypto';
import {
  B24ArgumentError,
  capacityOf,
  COST_DECAY,
  MemoryLimiterStore,
  type BucketConfig,
  type LimiterStore,
  type OperatingAsk,
  type OperatingFigure,
  type OperatingState,
} from '@b24kit/core';
import { RedisConnection, type RedisTarget } from './connection.js';
import { RedisUnavailableError } from './errors.js';

export type RedisLimiterStoreOptions = RedisTarget & {
  /** Prefix of every key (default `b24kit:`). */
  readonly prefix?: string;
  /**
   * What a call does when Redis cannot be reached: `'fail'` (default) throws
   * RedisUnavailableError before anything is sent; `'memory'` goes on with an in-process
   * limiter until Redis is back. With `'memory'`, processes stop sharing the bucket during the
   * outage, so the portal may answer 503 more often (core then waits and retries reads).
   */
  readonly fallback?: 'fail' | 'memory';
  /**
   * An admitted request whose answer never came (its process died) stops counting as in
   * flight after this long (ms, default 90 000: longer than core's 60 s request timeout); so
   * does a call's operating-time reservation (or after its timeout plus a minute, if longer).
   */
  readonly inFlightTtlMs?: number;
  /**
   * The portal counts operating time per application or webhook (PROTOCOL.md §4.2), while
   * core keys it per portal. When several apps or webhooks of one portal share a Redis, give
   * each store the app's client id or the webhook's user id here so their budgets stay apart.
   */
  readonly operatingScope?: string;
  /** Failures that are not thrown (release, overflow, operating state; each fallback). */
  readonly onError?: (error: unknown) => void;
};

// Shared prelude: the time in ms from Redis, and the bucket's two drained levels.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: bucket. ARGV: drain/s, capacity. Returns ms to wait (0: now); the slot is taken. */
const RESERVE = `${NOW}
local drain = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(h[1]) or 0
local at = tonumber(h[2]) or now
level = math.max(0, level - math.max(0, now - at) / 1000 * drain) + 1
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(math.max(at, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(level / drain * 1000) + 120000)
local excess = level - cap
if excess <= 0 then return 0 end
return math.ceil(excess / drain * 1000)
`;

/**
 * KEYS: bucket, in-flight set. ARGV: drain/s, capacity, in-flight ttl ms, member id.
 * Returns ms to wait first, or 0 when the request now counts as in flight.
 */
const ADMIT = `${NOW}
local drain = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'done', 'doneAt')
local done = tonumber(h[1]) or 0
local doneAt = tonumber(h[2]) or now
done = math.max(0, done - math.max(0, now - doneAt) / 1000 * drain)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local inflight = redis.call('ZCARD', KEYS[2])
redis.call('HSET', KEYS[1], 'done', tostring(done), 'doneAt', tostring(math.max(doneAt, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(done / drain * 1000) + ttl + 120000)
local excess = inflight + done + 1 - cap
if excess > 0 then
  return math.ceil(math.max(1, math.min(excess, done)) / drain * 1000)
end
redis.call('ZADD', KEYS[2], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[2], ttl + 1000)
return 0
`;

/** KEYS: bucket, in-flight set. ARGV: drain/s, in-flight ttl ms. One answer is in. */
const RELEASE = `${NOW}
local drain = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'done', 'doneAt')
local done = tonumber(h[1]) or 0
local doneAt = tonumber(h[2]) or now
done = math.max(0, done - math.max(0, now - doneAt) / 1000 * drain) + 1
redis.call('ZPOPMIN', KEYS[2])
redis.call('HSET', KEYS[1], 'done', tostring(done), 'doneAt', tostring(math.max(doneAt, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(done / drain * 1000) + tonumber(ARGV[2]) + 120000)
return 0
`;

/** KEYS: bucket, in-flight set. ARGV: drain/s, capacity, in-flight ttl ms. The server said full. */
const OVERFLOW = `${NOW}
local drain = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'level', 'at', 'done', 'doneAt')
local level = tonumber(h[1]) or 0
local at = tonumber(h[2]) or now
local done = tonumber(h[3]) or 0
local doneAt = tonumber(h[4]) or now
level = math.max(0, level - math.max(0, now - at) / 1000 * drain)
done = math.max(0, done - math.max(0, now - doneAt) / 1000 * drain)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local inflight = redis.call('ZCARD', KEYS[2])
level = math.max(level, cap)
done = math.max(done, cap - inflight)
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(math.max(at, now)), 'done', tostring(done), 'doneAt', tostring(math.max(doneAt, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(level, done) / drain * 1000) + tonumber(ARGV[3]) + 120000)
return 0
`;

/**
 * KEYS: operating state. ARGV: operating, resetAt, blockedUntil, cost ('' when unknown).
 * Answers of one method arrive out of order across processes, so a figure never replaces a
 * newer one: within one window (same reset time) the larger figure wins, a later window
 * replaces an earlier one, and a block is kept until its time. The state lives 20 minutes
 * (two windows) after its last write.
 */
const SET_OPERATING = `
local h = redis.call('HMGET', KEYS[1], 'operating', 'resetAt', 'blockedUntil', 'cost')
local op = tonumber(ARGV[1])
local reset = tonumber(ARGV[2])
local blocked = tonumber(ARGV[3])
local cost = tonumber(ARGV[4]) or tonumber(h[4])
if h[1] then
  local oldOp = tonumber(h[1]) or 0
  local oldReset = tonumber(h[2]) or 0
  local oldBlocked = tonumber(h[3]) or 0
  blocked = math.max(blocked, oldBlocked)
  if reset < oldReset then
    op = oldOp
    reset = oldReset
  elseif reset == oldReset then
    op = math.max(op, oldOp)
  end
end
redis.call('HSET', KEYS[1], 'operating', tostring(op), 'resetAt', tostring(reset), 'blockedUntil', tostring(blocked))
if cost then redis.call('HSET', KEYS[1], 'cost', tostring(cost)) end
redis.call('PEXPIRE', KEYS[1], 1200000)
return 0
`;

// Shared by the two operating scripts: drops reservations whose process died (expired), then
// reads the state and the reservations still in flight.
const OPERATING_LEDGER = `${NOW}
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
if #dead > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('HDEL', KEYS[3], unpack(dead))
end
local h = redis.call('HMGET', KEYS[1], 'operating', 'resetAt', 'blockedUntil', 'cost')
local known = h[1] and true or false
local op = tonumber(h[1]) or 0
local reset = tonumber(h[2]) or 0
local blocked = tonumber(h[3]) or 0
local cost = tonumber(h[4])
`;

/**
 * KEYS: operating state, in-flight set, reserved costs. ARGV: limit (s), slowFrom, calls,
 * ttl ms, reservation id. core's operatingWait in Lua (see its comment for the rule), with the
 * time from Redis: returns ms to wait before asking again, or 0 with calls x cost reserved.
 */
const ACQUIRE_OPERATING = `${OPERATING_LEDGER}
local limit = tonumber(ARGV[1])
local slow = tonumber(ARGV[2])
local calls = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local count = #ids
local reserved = 0
if count > 0 then
  local costs = redis.call('HMGET', KEYS[3], unpack(ids))
  for i = 1, #costs do reserved = reserved + (tonumber(costs[i]) or 0) end
end
if known and blocked > now then return math.ceil(blocked - now) end
local poll = math.min(1000, math.max(25, math.ceil((cost or 0.4) * 1000 / 4)))
local wait = 0
if (not known) or cost == nil then
  if count > 0 then wait = poll end
else
  local bound = op + reserved + cost * calls
  if bound <= limit * slow then
    wait = 0
  elseif count > 0 then
    wait = poll
  elseif bound <= limit then
    wait = 0
  elseif reset > now then
    wait = math.ceil(reset - now)
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[2], now + ttl, ARGV[5])
redis.call('HSET', KEYS[3], ARGV[5], tostring((cost or 0) * calls))
redis.call('PEXPIRE', KEYS[2], ttl + 1000)
redis.call('PEXPIRE', KEYS[3], ttl + 1000)
return 0
`;

/**
 * KEYS: operating state, in-flight set, reserved costs. ARGV: reservation id ('' for none),
 * operating, resetAt, cost ('' each when the answer said nothing), charge ('1': add the
 * reservation's cost when there is no figure). core's settleOperating and mergeOperating in Lua.
 */
const SETTLE_OPERATING = `${OPERATING_LEDGER}
local reservation = 0
if ARGV[1] ~= '' then
  reservation = tonumber(redis.call('HGET', KEYS[3], ARGV[1])) or 0
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
local fop = tonumber(ARGV[2])
local freset = tonumber(ARGV[3])
local fcost = tonumber(ARGV[4])
local changed = false
if fop then
  local r = freset or reset
  if (not known) or r > reset then
    op = fop
    reset = r
  elseif r == reset then
    op = math.max(op, fop)
  end
  changed = true
elseif ARGV[5] == '1' and known and reservation > 0 then
  op = op + reservation
  changed = true
end
if fcost and fcost >= 0 then
  cost = math.max(fcost, (cost or 0) * ${COST_DECAY})
  changed = true
end
if changed then
  redis.call('HSET', KEYS[1], 'operating', tostring(op), 'resetAt', tostring(reset), 'blockedUntil', tostring(blocked))
  if cost then redis.call('HSET', KEYS[1], 'cost', tostring(cost)) end
  redis.call('PEXPIRE', KEYS[1], 1200000)
end
return 0
`;

export class RedisLimiterStore implements LimiterStore {
  readonly connection: RedisConnection;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #fallback: 'fail' | 'memory';
  readonly #inFlightTtlMs: number;
  readonly #scope: string | undefined;
  readonly #onError: ((error: unknown) => void) | undefined;
  /** The in-process limiter used while Redis is away (fallback 'memory') and the last operating state seen. */
  readonly #memory = new MemoryLimiterStore();
  /** Requests admitted by the fallback and not released yet, per key. */
  readonly #memoryInFlight = new Map<string, number>();
  /** Operating reservations made by the fallback (settled there too). */
  readonly #memoryHolds = new Set<string>();
  readonly #idBase = randomBytes(6).toString('hex');
  #seq = 0;
  /** True while the fallback is in use; reported once per outage. */
  #degraded = false;

  constructor(options: RedisLimiterStoreOptions) {
    const { connection, owned } = RedisConnection.of(options, 'RedisLimiterStore');
    this.connection = connection;
    this.#owned = owned;
    this.#prefix = options.prefix ?? 'b24kit:';
    if (options.fallback !== undefined && options.fallback !== 'fail' && options.fallback !== 'memory') {
      throw new B24ArgumentError(
        `RedisLimiterStore: fallback must be 'fail' or 'memory', got ${JSON.stringify(options.fallback)}`,
      );
    }
    this.#fallback = options.fallback ?? 'fail';
    this.#inFlightTtlMs = options.inFlightTtlMs ?? 90_000;
    if (!(this.#inFlightTtlMs >= 1000))
      throw new B24ArgumentError('RedisLimiterStore: inFlightTtlMs must be at least 1000 ms');
    this.#scope = options.operatingScope;
    this.#onError = options.onError;
  }

  #key(key: string): string {
    return `${this.#prefix}limit:{${key}}`;
  }

  #opKey(key: string): string {
    return this.#scope === undefined ? this.#key(key) : `${this.#key(key)}:${this.#scope}`;
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // A failing reporter must not break a call.
    }
  }

  /** Runs a bucket script; on RedisUnavailableError, throws or (fallback 'memory') runs `local`. */
  async #bucket<T>(run: () => Promise<T>, local: () => T): Promise<T> {
    try {
      const result = await run();
      this.#degraded = false;
      return result;
    } catch (error) {
      if (!(error instanceof RedisUnavailableError) || this.#fallback === 'fail') throw error;
      if (!this.#degraded) {
        this.#degraded = true;
        this.#report(error);
      }
      return local();
    }
  }

  async reserve(key: string, config: BucketConfig, nowMs: number): Promise<number> {
    return this.#bucket(
      async () =>
        Number(
          await this.connection.script(
            'limiter',
            RESERVE,
            [this.#key(key)],
            [config.drainPerSecond, capacityOf(config)],
          ),
        ),
      () => this.#memory.reserve(key, config, nowMs),
    );
  }

  async admit(key: string, config: BucketConfig, nowMs: number): Promise<number> {
    const k = this.#key(key);
    return this.#bucket(
      async () =>
        Number(
          await this.connection.script(
            'limiter',
            ADMIT,
            [k, `${k}:inflight`],
            [config.drainPerSecond, capacityOf(config), this.#inFlightTtlMs, `${this.#idBase}:${++this.#seq}`],
          ),
        ),
      () => {
        const wait = this.#memory.admit(key, config, nowMs);
        if (wait === 0) this.#memoryInFlight.set(key, (this.#memoryInFlight.get(key) ?? 0) + 1);
        return wait;
      },
    );
  }

  /** Never throws: it runs after the request's answer is in, which must reach the caller. */
  async release(key: string, config: BucketConfig, nowMs: number): Promise<void> {
    const local = this.#memoryInFlight.get(key) ?? 0;
    if (local > 0) {
      this.#memoryInFlight.set(key, local - 1);
      return this.#memory.release(key, config, nowMs);
    }
    const k = this.#key(key);
    try {
      await this.connection.script(
        'limiter',
        RELEASE,
        [k, `${k}:inflight`],
        [config.drainPerSecond, this.#inFlightTtlMs],
      );
    } catch (error) {
      // The in-flight entry expires on its own (inFlightTtlMs).
      this.#report(error);
    }
  }

  /** Never throws: the 503 that caused it is what the caller must see. */
  async overflow(key: string, config: BucketConfig, nowMs: number): Promise<void> {
    this.#memory.overflow(key, config, nowMs);
    const k = this.#key(key);
    try {
      await this.connection.script(
        'limiter',
        OVERFLOW,
        [k, `${k}:inflight`],
        [config.drainPerSecond, capacityOf(config), this.#inFlightTtlMs],
      );
    } catch (error) {
      this.#report(error);
    }
  }

  /**
   * Never throws: core also reads the state right after a successful answer, which must reach
   * the caller. Without Redis it returns the last state this process saw or wrote.
   */
  async getOperating(key: string): Promise<OperatingState | undefined> {
    try {
      const [operating, resetAt, blockedUntil, cost] = await this.connection.command<(string | null)[]>('limiter', [
        'HMGET',
        this.#opKey(key),
        'operating',
        'resetAt',
        'blockedUntil',
        'cost',
      ]);
      if (operating === null || operating === undefined) return this.#memory.getOperating(key);
      const state: OperatingState = {
        operating: Number(operating),
        resetAt: Number(resetAt ?? 0),
        blockedUntil: Number(blockedUntil ?? 0),
        ...(cost === null || cost === undefined ? {} : { cost: Number(cost) }),
      };
      this.#memory.setOperating(key, state);
      return state;
    } catch (error) {
      this.#report(error);
      return this.#memory.getOperating(key);
    }
  }

  /** Never throws (see getOperating); merges with what other processes wrote. */
  async setOperating(key: string, state: OperatingState): Promise<void> {
    this.#memory.setOperating(key, state);
    try {
      await this.connection.script(
        'limiter',
        SET_OPERATING,
        [this.#opKey(key)],
        [state.operating, state.resetAt, state.blockedUntil, state.cost ?? ''],
      );
    } catch (error) {
      this.#report(error);
    }
  }

  #opKeys(key: string): string[] {
    const k = this.#opKey(key);
    return [k, `${k}:inflight`, `${k}:reserved`];
  }

  /**
   * The operating-time gate shared by every process (core's operatingWait, atomically, time from
   * Redis). Throws RedisUnavailableError before anything is sent, or with fallback 'memory'
   * decides in this process alone.
   */
  async acquireOperating(key: string, ask: OperatingAsk, nowMs: number): Promise<number> {
    const ttl = Math.max(ask.ttlMs, this.#inFlightTtlMs);
    return this.#bucket(
      async () =>
        Number(
          await this.connection.script('limiter', ACQUIRE_OPERATING, this.#opKeys(key), [
            ask.limit,
            ask.slowFrom,
            ask.calls,
            ttl,
            ask.id,
          ]),
        ),
      () => {
        const wait = this.#memory.acquireOperating(key, ask, nowMs);
        if (wait === 0) this.#memoryHolds.add(ask.id);
        return wait;
      },
    );
  }

  /** Never throws: it runs after the answer is in, which must reach the caller. */
  async settleOperating(
    key: string,
    id: string | undefined,
    figure: OperatingFigure | undefined,
    charge: boolean,
    nowMs: number,
  ): Promise<void> {
    if (id !== undefined && this.#memoryHolds.delete(id)) {
      this.#memory.settleOperating(key, id, figure, charge, nowMs);
      if (!figure) return;
      id = undefined; // the figure still goes to Redis for the other processes
    } else {
      this.#memory.settleOperating(key, undefined, figure, false, nowMs);
    }
    try {
      await this.connection.script('limiter', SETTLE_OPERATING, this.#opKeys(key), [
        id ?? '',
        figure?.operating ?? '',
        figure?.resetAt ?? '',
        figure?.cost ?? '',
        charge ? 1 : 0,
      ]);
    } catch (error) {
      // The reservation expires on its own (inFlightTtlMs).
      this.#report(error);
    }
  }

  /** Connects now (otherwise the first call does); throws RedisUnavailableError when Redis cannot be reached. */
  async connect(): Promise<void> {
    await this.connection.command('limiter', ['PING']);
  }

  /** Closes the connection this store opened (a shared `connection` is left to its owner). */
  async close(): Promise<void> {
    if (this.#owned) await this.connection.close();
  }

  toString(): string {
    return `RedisLimiterStore(${this.connection.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
