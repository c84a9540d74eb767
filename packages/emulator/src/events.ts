/**
 * Event bindings, delivery and the offline queue (PROTOCOL.md §7). Online handlers get an
 * asynchronous form POST with no retries; offline bindings keep one queue row per object.
 */
import type Database from 'better-sqlite3';
import { isoDateTime, type Clock } from './clock.js';
import { createTable, type EntityDef } from './methods/entity.js';
import type { AuthContext } from './methods/types.js';
import type { EventName } from './names.js';
import type { App, AuthServer } from './oauth.js';
import { httpBuildQuery } from './params.js';
import { randomHex } from './secrets.js';
import type { EmulatorStats } from './stats.js';

export interface Binding {
  readonly id: number;
  readonly clientId: string;
  readonly event: string;
  /** Absent for offline bindings. */
  readonly handler?: string;
  readonly authType: number;
  readonly offline: boolean;
  readonly connector?: string;
  readonly minTimeoutSec?: number;
}

/** One delivered (or attempted) POST, kept for inspection. */
export interface Delivery {
  /** Upper case, as the portal sends it; a custom domain's event is an `UnknownName`. */
  readonly event: EventName;
  readonly handler: string;
  readonly body: string;
  readonly status: number | 'error';
}

export const offlineEntity: EntityDef = {
  name: 'event.offline',
  table: 'b_rest_event_offline',
  idField: 'ID',
  wire: 'legacy',
  fields: {
    TIMESTAMP_X: { type: 'datetime' },
    EVENT_NAME: { type: 'string' },
    EVENT_DATA: { type: 'object', storage: 'json' },
    EVENT_ADDITIONAL: { type: 'object', storage: 'json' },
    MESSAGE_ID: { type: 'string' },
    PROCESS_ID: { type: 'string' },
    ERROR: { type: 'integer' },
    CLIENT_ID: { type: 'string' },
    OBJECT_KEY: { type: 'string' },
    CONNECTOR_ID: { type: 'string' },
  },
};

export interface EventBusDeps {
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly auth: AuthServer;
  readonly stats: EmulatorStats;
  readonly endpoints: () => { domain: string; serverEndpoint: string; clientEndpoint: string; memberId: string };
  /** Handler timeout; undocumented (§11.2), 5 s by default. */
  readonly timeoutMs: number;
}

export class EventBus {
  private readonly bindings: Binding[] = [];
  private nextId = 1;
  private readonly pending = new Set<Promise<void>>();
  private readonly lastOfflineNotice = new Map<number, number>();
  readonly deliveries: Delivery[] = [];

  constructor(private readonly deps: EventBusDeps) {
    createTable(deps.db, offlineEntity);
  }

  bind(b: Omit<Binding, 'id'>): Binding {
    const binding = { ...b, id: this.nextId++ };
    this.bindings.push(binding);
    return binding;
  }

  find(pred: (b: Binding) => boolean): Binding[] {
    return this.bindings.filter(pred);
  }

  unbind(pred: (b: Binding) => boolean): number {
    let n = 0;
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      if (pred(this.bindings[i]!)) {
        this.bindings.splice(i, 1);
        n++;
      }
    }
    return n;
  }

  /** Called by entity methods: queue POSTs to online handlers and rows for offline ones. */
  raise(name: string, data: Record<string, unknown>, by?: AuthContext): void {
    const event = name.toUpperCase();
    for (const b of this.bindings.filter((x) => x.event === event)) {
      const app = this.deps.auth.app(b.clientId);
      // Events are not delivered to apps that are not installed (§2.5).
      if (!app?.installed) continue;
      if (b.offline) this.enqueueOffline(app, b, event, data);
      else this.post(app, b, event, data, by?.userId ?? 1, false);
    }
  }

  private enqueueOffline(app: App, b: Binding, event: string, data: Record<string, unknown>): void {
    const fields = data['FIELDS'] as Record<string, unknown> | undefined;
    const objectKey = `${event}:${String(fields?.['ID'] ?? JSON.stringify(data))}`;
    const db = this.deps.db;
    const now = isoDateTime(this.deps.clock.now());
    const messageId = randomHex(16);
    // One row per object, the latest change wins (§7.4); a row already handed out stays as it is.
    const existing = db
      .prepare(
        `SELECT ID FROM b_rest_event_offline WHERE CLIENT_ID = ? AND OBJECT_KEY = ? AND PROCESS_ID IS NULL AND ERROR = 0`,
      )
      .get(app.clientId, objectKey) as { ID: number } | undefined;
    if (existing) {
      db.prepare(`UPDATE b_rest_event_offline SET TIMESTAMP_X = ?, EVENT_DATA = ?, MESSAGE_ID = ? WHERE ID = ?`).run(
        now,
        JSON.stringify(data),
        messageId,
        existing.ID,
      );
    } else {
      db.prepare(
        `INSERT INTO b_rest_event_offline (TIMESTAMP_X, EVENT_NAME, EVENT_DATA, EVENT_ADDITIONAL, MESSAGE_ID, PROCESS_ID, ERROR, CLIENT_ID, OBJECT_KEY, CONNECTOR_ID)
         VALUES (?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)`,
      ).run(
        now,
        event,
        JSON.stringify(data),
        JSON.stringify({}),
        messageId,
        app.clientId,
        objectKey,
        b.connector ?? null,
      );
    }
    // ONOFFLINEEVENT tells the app that its queue is not empty, at most once per minTimeout.
    for (const n of this.bindings.filter(
      (x) => x.clientId === app.clientId && x.event === 'ONOFFLINEEVENT' && !x.offline,
    )) {
      const last = this.lastOfflineNotice.get(n.id) ?? -Infinity;
      const min = (n.minTimeoutSec ?? 1) * 1000;
      if (this.deps.clock.now() - last < min) continue;
      this.lastOfflineNotice.set(n.id, this.deps.clock.now());
      this.post(app, n, 'ONOFFLINEEVENT', [], b.authType || 1, true);
    }
  }

  /** Auth block of an event POST (§7.2). */
  authFor(app: App, userId: number, withRefresh: boolean): Record<string, unknown> {
    const t = this.deps.auth.issueTokens(app, userId);
    return {
      access_token: t.access_token,
      expires: t.expires,
      expires_in: t.expires_in,
      scope: t.scope,
      domain: this.deps.endpoints().domain,
      server_endpoint: t.server_endpoint,
      status: t.status,
      client_endpoint: t.client_endpoint,
      member_id: t.member_id,
      user_id: userId,
      ...(withRefresh ? { refresh_token: t.refresh_token } : {}),
      application_token: app.applicationToken,
    };
  }

  private post(app: App, b: Binding, event: string, data: unknown, actingUser: number, withRefresh: boolean): void {
    if (!b.handler) return;
    const userId = b.authType > 0 ? b.authType : actingUser;
    const body = httpBuildQuery({
      event,
      event_handler_id: b.id,
      data,
      ts: this.deps.clock.unix(),
      auth: this.authFor(app, userId, withRefresh),
    });
    // Asynchronous, as from the portal's queue.
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send(event, b.handler!, body)));
  }

  /** Sends one form POST; no retries (§7.3). */
  async send(event: string, handler: string, body: string): Promise<number | 'error'> {
    let status: number | 'error' = 'error';
    try {
      const res = await fetch(handler, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'Bitrix24 Emulator Webhook Engine',
        },
        body,
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch {
      status = 'error';
    }
    if (typeof status === 'number' && status >= 200 && status < 300) this.deps.stats.eventsDelivered++;
    else this.deps.stats.eventsFailed++;
    // Described events keep their schema name; a custom domain's own event is an unknown name.
    this.deliveries.push({ event: event as EventName, handler, body, status });
    return status;
  }

  track(p: Promise<unknown>): void {
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  /** Resolves when every queued delivery has been attempted. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
