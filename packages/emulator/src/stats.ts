/** Counters the emulator exposes through `stats()`. */
export interface EmulatorStats {
  /** HTTP requests received (all routes). */
  requests: number;
  /** REST method calls executed, batch sub-commands included. */
  calls: number;
  /** Responses by HTTP status. */
  byStatus: Record<string, number>;
  /** 503 QUERY_LIMIT_EXCEEDED sent by the leaky bucket. */
  rateLimited: number;
  /** 429 OPERATION_TIME_LIMIT sent. */
  operatingLimited: number;
  /** Accumulated processing ms per lowercase method name. */
  operatingMsByMethod: Record<string, number>;
  /** Calls per lowercase method name. */
  callsByMethod: Record<string, number>;
  /** Requests to /oauth/token/. */
  tokenRequests: number;
  /** Event POSTs answered with 2xx, and those that failed (no retries). */
  eventsDelivered: number;
  eventsFailed: number;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
}

export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    calls: 0,
    byStatus: {},
    rateLimited: 0,
    operatingLimited: 0,
    operatingMsByMethod: {},
    callsByMethod: {},
    tokenRequests: 0,
    eventsDelivered: 0,
    eventsFailed: 0,
    faults: {},
  };
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}
