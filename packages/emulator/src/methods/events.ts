/** event.* methods (PROTOCOL.md §7.1, §7.4): application auth only. */
import { RestError } from '../errors.js';
import { offlineEntity, type EventBus } from '../events.js';
import { param } from '../params.js';
import { randomHex } from '../secrets.js';
import { q } from './entity.js';
import { buildOrder, buildWhere } from './listQuery.js';
import type { CallContext, Domain } from './types.js';
import { offsetAnswer, readStart } from '../paging.js';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Offline queue rows as the docs show them (`EVENT_DATA` is the object, ids are strings). */
function offlineRow(r: Record<string, unknown>, withProcess: boolean): Record<string, unknown> {
  const parse = (v: unknown) => {
    try {
      const x = JSON.parse(String(v)) as unknown;
      return x && typeof x === 'object' && Object.keys(x).length === 0 ? false : x;
    } catch {
      return false;
    }
  };
  return {
    ID: String(r['ID']),
    TIMESTAMP_X: r['TIMESTAMP_X'],
    EVENT_NAME: r['EVENT_NAME'],
    EVENT_DATA: parse(r['EVENT_DATA']),
    EVENT_ADDITIONAL: parse(r['EVENT_ADDITIONAL']),
    MESSAGE_ID: r['MESSAGE_ID'],
    ...(withProcess ? { PROCESS_ID: r['PROCESS_ID'] ?? null, ERROR: String(r['ERROR']) } : {}),
  };
}

const clientOf = (ctx: CallContext): string => ctx.auth.clientId ?? '';

export function eventsDomain(bus: EventBus, knownEvents: () => ReadonlySet<string>): Domain {
  return (api) => {
    const db = api.portal.db;
    for (const e of ['ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONAPPTEST', 'ONOFFLINEEVENT']) api.event(e);

    api.method({
      name: 'event.bind',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const event = str(param(ctx.params, 'event')).toUpperCase();
        const offline = str(param(ctx.params, 'event_type')).toLowerCase() === 'offline';
        const handler = str(param(ctx.params, 'handler'));
        const authType = Number.parseInt(str(param(ctx.params, 'auth_type')) || '0', 10) || 0;
        const connector = str(param(ctx.params, 'auth_connector')) || undefined;
        if (!event || !knownEvents().has(event) || (offline && event === 'ONOFFLINEEVENT')) {
          throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found', 400);
        }
        if (!offline) {
          if (!handler) throw new RestError('ERROR_ARGUMENT', 'Handler is required', 400, { argument: 'HANDLER' });
          let url: URL;
          try {
            url = new URL(handler);
          } catch {
            throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
          }
          if (url.protocol !== 'http:' && url.protocol !== 'https:')
            throw new RestError('ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported event handler protocol', 400);
          // A cloud portal refuses localhost handlers; the emulator must allow them to be useful.
        }
        const clientId = clientOf(ctx);
        const dup = bus.find(
          (b) =>
            b.clientId === clientId &&
            b.event === event &&
            b.offline === offline &&
            (b.handler ?? '') === handler &&
            b.authType === authType,
        );
        if (dup.length) throw new RestError('ERROR_CORE', 'Unable to set event handler: Handler already binded', 400);
        const options = param(ctx.params, 'options') as Record<string, unknown> | undefined;
        const minTimeout = options && typeof options === 'object' ? Number(options['minTimeout']) : NaN;
        bus.bind({
          clientId,
          event,
          ...(offline ? {} : { handler }),
          authType,
          offline,
          ...(connector ? { connector } : {}),
          ...(Number.isFinite(minTimeout) ? { minTimeoutSec: minTimeout } : {}),
        });
        return { result: true };
      },
    });

    api.method({
      name: 'event.unbind',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const event = str(param(ctx.params, 'event')).toUpperCase();
        const handler = str(param(ctx.params, 'handler'));
        const offline = str(param(ctx.params, 'event_type')).toLowerCase() === 'offline';
        const at = param(ctx.params, 'auth_type');
        const authType = at === undefined ? undefined : Number.parseInt(str(at) || '0', 10) || 0;
        const clientId = clientOf(ctx);
        const count = bus.unbind(
          (b) =>
            b.clientId === clientId &&
            b.event === event &&
            b.offline === offline &&
            (offline || b.handler === handler) &&
            (authType === undefined || b.authType === authType),
        );
        return { result: { count } };
      },
    });

    api.method({
      name: 'event.get',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => ({
        result: bus
          .find((b) => b.clientId === clientOf(ctx))
          .map((b) =>
            b.offline
              ? { event: b.event, connector_id: b.connector ?? '', offline: 1 }
              : { event: b.event, handler: b.handler, auth_type: String(b.authType), offline: 0 },
          ),
      }),
    });

    api.method({ name: 'events', scope: 'basic', handler: () => ({ result: [...knownEvents()].sort() }) });

    api.method({
      name: 'event.test',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const query = { ...ctx.params };
        api.portal.raiseEvent('ONAPPTEST', { QUERY: query }, ctx.auth);
        return { result: 1 };
      },
    });

    const where = (ctx: CallContext, extra: string) => {
      const w = buildWhere(offlineEntity, param(ctx.params, 'filter'));
      return { sql: `CLIENT_ID = ? AND (${w.sql}) ${extra}`, args: [clientOf(ctx), ...w.args] };
    };

    api.method({
      name: 'event.offline.get',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const clear = str(param(ctx.params, 'clear') ?? '1') !== '0';
        const wantErrors = str(param(ctx.params, 'error')) === '1';
        const processId = str(param(ctx.params, 'process_id'));
        const limitRaw = Number.parseInt(str(param(ctx.params, 'limit') ?? '50') || '50', 10);
        if (!(limitRaw > 0))
          throw new RestError('ERROR_ARGUMENT', 'limit must be a positive integer', 400, { argument: 'limit' });
        const orderParam = param(ctx.params, 'order') ?? { TIMESTAMP_X: 'ASC' };
        const order = buildOrder(offlineEntity, orderParam);
        if (processId) {
          // Re-read a batch reserved earlier with clear=0.
          const w = where(ctx, 'AND PROCESS_ID = ?');
          const rows = db
            .prepare(`SELECT * FROM ${q(offlineEntity.table)} WHERE ${w.sql} ORDER BY ${order} LIMIT ${limitRaw}`)
            .all(...w.args, processId) as Record<string, unknown>[];
          return { result: { process_id: processId, events: rows.map((r) => offlineRow(r, false)) } };
        }
        const w = where(ctx, `AND PROCESS_ID IS NULL AND ERROR = ${wantErrors ? 1 : 0}`);
        // better-sqlite3 is synchronous: select-and-reserve is atomic, so parallel calls get disjoint rows.
        const rows = db
          .prepare(`SELECT * FROM ${q(offlineEntity.table)} WHERE ${w.sql} ORDER BY ${order} LIMIT ${limitRaw}`)
          .all(...w.args) as Record<string, unknown>[];
        const ids = rows.map((r) => r['ID'] as number);
        if (clear) {
          if (ids.length)
            db.prepare(`DELETE FROM ${q(offlineEntity.table)} WHERE ID IN (${ids.map(() => '?').join(',')})`).run(
              ...ids,
            );
          return { result: { process_id: null, events: rows.map((r) => offlineRow(r, false)) } };
        }
        const pid = randomHex(16);
        if (ids.length)
          db.prepare(
            `UPDATE ${q(offlineEntity.table)} SET PROCESS_ID = ? WHERE ID IN (${ids.map(() => '?').join(',')})`,
          ).run(pid, ...ids);
        return { result: { process_id: ids.length ? pid : null, events: rows.map((r) => offlineRow(r, false)) } };
      },
    });

    const byProcess = (ctx: CallContext, column: 'ID' | 'MESSAGE_ID' | undefined, values: string[]) => {
      const pid = str(param(ctx.params, 'process_id'));
      if (!pid) throw new RestError('ERROR_ARGUMENT', 'process_id is required', 400, { argument: 'process_id' });
      const cond = column && values.length ? ` AND ${column} IN (${values.map(() => '?').join(',')})` : '';
      return { sql: `CLIENT_ID = ? AND PROCESS_ID = ?${cond}`, args: [clientOf(ctx), pid, ...(column ? values : [])] };
    };
    const list = (v: unknown): string[] =>
      Array.isArray(v) ? v.map(str) : v === undefined || v === null || v === '' ? [] : [str(v)];

    api.method({
      name: 'event.offline.clear',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const ids = list(param(ctx.params, 'id'));
        const mids = list(param(ctx.params, 'message_id'));
        // message_id is ignored when id is given (§7.4).
        const w = ids.length ? byProcess(ctx, 'ID', ids) : byProcess(ctx, mids.length ? 'MESSAGE_ID' : undefined, mids);
        db.prepare(`DELETE FROM ${q(offlineEntity.table)} WHERE ${w.sql}`).run(...w.args);
        return { result: true };
      },
    });

    api.method({
      name: 'event.offline.error',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const mids = list(param(ctx.params, 'message_id'));
        const w = byProcess(ctx, 'MESSAGE_ID', mids);
        // Rows marked as errors leave the process and are read again with error=1.
        db.prepare(`UPDATE ${q(offlineEntity.table)} SET ERROR = 1, PROCESS_ID = NULL WHERE ${w.sql}`).run(...w.args);
        return { result: true };
      },
    });

    api.method({
      name: 'event.offline.list',
      scope: 'basic',
      appOnly: true,
      handler: (ctx) => {
        const w = where(ctx, '');
        const order = buildOrder(offlineEntity, param(ctx.params, 'order') ?? { ID: 'ASC' });
        const page = readStart(ctx);
        const rows = db
          .prepare(
            `SELECT * FROM ${q(offlineEntity.table)} WHERE ${w.sql} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`,
          )
          .all(...w.args) as Record<string, unknown>[];
        const count = () =>
          (
            db.prepare(`SELECT COUNT(*) AS c FROM ${q(offlineEntity.table)} WHERE ${w.sql}`).get(...w.args) as {
              c: number;
            }
          ).c;
        return offsetAnswer(
          ctx,
          page,
          rows.map((r) => offlineRow(r, true)),
          count,
        );
      },
    });
  };
}
