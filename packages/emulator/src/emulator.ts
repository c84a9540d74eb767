/**
 * `startEmulator()`: composes the store, the auth server, limits, events, files and the
 * method domains behind one loopback HTTP(S) server.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import { Clock, REQUEST_TIME_LIMIT_MS } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { EventBus, type Delivery } from './events.js';
import type { EventName, SeedEntities, SeedEntity, UnknownName } from './names.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { FileStore } from './files.js';
import { LeakyBucket, OperatingMeter, type Plan } from './limits.js';
import { batchDomain, batchV3Domain } from './methods/batch.js';
import { eventsDomain } from './methods/events.js';
import { defaultDomains } from './methods/index.js';
import { systemDomain } from './methods/system.js';
import type { Domain, DomainApi, Portal, Seeder, TimeModel } from './methods/types.js';
import { AuthServer, type App, type AppOptions, type TokenPair } from './oauth.js';
import { httpBuildQuery } from './params.js';
import { MethodRegistry } from './registry.js';
import { registerSchemaMethods } from './schema/generic.js';
import { randomHex } from './secrets.js';
import { createHandler } from './server.js';
import { emptyStats, type EmulatorStats } from './stats.js';
import { realisticTimeModel } from './timeModel.js';
import { generateSelfSigned, type TlsMaterial } from './tls.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Leaky-bucket plan (§4.1). Default 'standard' (burst 50, drain 2/s). */
  readonly plan?: Plan;
  /** Operating-time limit per method per app/webhook over 10 minutes, in ms (§4.2). Default 480 000. */
  readonly operatingLimitMs?: number;
  /**
   * The operating-time window in ms (default 600 000: ten one-minute buckets, §4.2). A test may
   * shrink it with the limit (keeping their 480:600 proportion) to see resets within seconds;
   * it keeps ten buckets of a tenth of the window each.
   */
  readonly operatingWindowMs?: number;
  /** Access-token lifetime in ms. Default 3 600 000 (1 h). */
  readonly tokenTtlMs?: number;
  /** Simulated network latency per request, ms: a number or a {min, max} range. */
  readonly latencyMs?: number | { readonly min: number; readonly max: number };
  /** Processing-time model: all zero by default; `'realistic'` is `realisticTimeModel` (figures and sources in src/timeModel.ts). */
  readonly timeModel?: Partial<TimeModel> | 'realistic';
  readonly faults?: FaultOptions;
  /** Serve HTTPS with a self-signed certificate generated at start. */
  readonly tls?: boolean;
  /** SQLite file; default ':memory:'. */
  readonly dbPath?: string;
  /** Source of wall-clock ms (default Date.now); `advanceTime()` adds to it. */
  readonly now?: () => number;
  /** Extra method domains, registered after the default ones. */
  readonly domains?: readonly Domain[];
  /** The default incoming webhook. */
  readonly webhook?: { readonly userId?: number; readonly scopes?: readonly string[] | string; readonly code?: string };
  /** The default OAuth application (installed at start). */
  readonly app?: AppOptions;
  /** Largest accepted request body. Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** Event handler timeout in ms. Default 5000 (undocumented, §11.2). */
  readonly eventTimeoutMs?: number;
  /**
   * Answer every schema method no domain implements (default true): CRUD families from generic
   * tables, the rest from the documented response example after checking params.
   */
  readonly schemaMethods?: boolean;
  /**
   * Simulated processing time (time model, per-method costs) one request may spend, in ms.
   * Default 60 000, the cloud's documented request limit; a call that would pass it answers
   * 504 REQUEST_TIMEOUT at once instead of sleeping.
   */
  readonly requestTimeLimitMs?: number;
}

/** One served method, as `b24 emulator --list-methods` shows it. */
export interface EmulatorMethod {
  readonly name: string;
  readonly apiVersion: 2 | 3;
  readonly scope: string;
  /** `stateful`: keeps and reads state; `example-backed`: checks params, answers the documented example. */
  readonly kind: 'stateful' | 'example-backed';
  /** `domain`: a hand-written domain (src/methods); `schema`: the generic layer (src/schema). */
  readonly source: 'domain' | 'schema';
  readonly appOnly: boolean;
  readonly batchable: boolean;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT/rest/1/<code>/` */
  readonly webhookUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly memberId: string;
  readonly oauth: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    /** `client_endpoint`: `${baseUrl}/rest/` */
    readonly clientEndpoint: string;
    readonly app: App;
  };
  /** Present with `tls: true`: the certificate to trust (NODE_EXTRA_CA_CERTS=certPath). */
  readonly tls?: { readonly certPath: string; readonly cert: string };
  /** The SQLite database, for inspection. */
  readonly db: Database.Database;
  stats(): EmulatorStats;
  resetStats(): void;
  close(): Promise<void>;
  /** Moves the emulator clock forward (codes, tokens, limits, timestamps). */
  advanceTime(ms: number): void;
  now(): number;
  /** Expires every access token issued so far; returns how many. */
  expireAccessTokens(): number;
  setTokenTtl(ms: number): void;
  /** Tokens for an installed app without the browser step (as if just authorized). */
  issueTokens(app?: App, userId?: number): TokenPair;
  registerApp(options?: AppOptions): App;
  /** Marks the app installed, binds its eventHandler, POSTs ONAPPINSTALL to installHandler. */
  install(app: App): Promise<TokenPair>;
  /**
   * A user opens the app (or one of its placements) in the portal: builds the frame POST of
   * https://apidocs.bitrix24.com/settings/oauth/simple-way.html with fresh tokens of `userId`
   * (default 1; user 1 is the only administrator, so `user.admin` and `profile.ADMIN` are
   * false for any other id) and posts it to `url`. Returns the app's answer and what was sent.
   */
  openApp(app: App, url: string, options?: OpenAppOptions): Promise<OpenAppResult>;
  /** POSTs ONAPPUNINSTALL to bound handlers, revokes tokens, removes handlers. */
  uninstall(app: App, clean?: boolean): Promise<void>;
  /** A further incoming webhook; returns its URL. */
  createWebhook(options?: { userId?: number; scopes?: readonly string[] | string; expiresAt?: number }): string;
  /**
   * Inserts `count` rows into an entity ('crm.deal', ...), each with `fields` set and generated
   * values elsewhere; returns rows inserted. The entity and its fields are typed by the schema
   * (`SeedEntities`); a field the entity does not store throws, naming it. A custom domain's
   * entity: `seed(unknownName('demo.note'), 30)`, or add it to `SeedEntities`.
   */
  seed<E extends SeedEntity>(entity: E, count: number, fields?: SeedEntities[E]): number;
  seed(entity: UnknownName, count: number, fields?: Readonly<Record<string, unknown>>): number;
  setFaults(faults: FaultOptions | undefined): void;
  setPlan(plan: Plan): void;
  setOperatingLimit(ms: number): void;
  setLatency(latency: number | { min: number; max: number }): void;
  /** Resolves when all queued event deliveries have been attempted. */
  eventsIdle(): Promise<void>;
  /** Every event POST attempted so far; with `event`, only those of that event (case-insensitive). */
  deliveries(event?: EventName): readonly Delivery[];
  /** Every method this emulator answers, sorted by name. */
  methods(): EmulatorMethod[];
}

export interface OpenAppOptions {
  readonly userId?: number;
  /** Default `DEFAULT` (the app's main page). */
  readonly placement?: string;
  readonly placementOptions?: Readonly<Record<string, unknown>>;
  readonly lang?: string;
}

export interface OpenAppResult {
  readonly status: number;
  readonly body: string;
  /** The frame form as posted (field -> value) and the query string added to `url`. */
  readonly form: Readonly<Record<string, string>>;
  readonly query: string;
  readonly tokens: TokenPair;
}

function latencyFn(l: number | { min: number; max: number } | undefined): () => number {
  if (l === undefined) return () => 0;
  if (typeof l === 'number') {
    if (!(l >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${l}`);
    return () => l;
  }
  if (!(l.min >= 0 && l.max >= l.min))
    throw new RangeError(`latencyMs range must satisfy 0 <= min <= max, got ${JSON.stringify(l)}`);
  return () => l.min + Math.random() * (l.max - l.min);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const requestTimeLimitMs = options.requestTimeLimitMs ?? REQUEST_TIME_LIMIT_MS;
  if (!(requestTimeLimitMs > 0)) throw new RangeError(`requestTimeLimitMs must be > 0, got ${requestTimeLimitMs}`);
  const clock = new Clock(options.now, requestTimeLimitMs);
  const stats = emptyStats();
  const db = new Database(options.dbPath ?? ':memory:');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const memberId = randomHex(16);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  let latency = latencyFn(options.latencyMs);
  let tls: TlsMaterial | undefined;
  if (options.tls) tls = generateSelfSigned();

  // Filled in once the server listens and the port is known.
  let baseUrl = '';
  let domain = '';
  const endpoints = () => ({
    baseUrl,
    domain,
    memberId,
    serverEndpoint: `${baseUrl}/rest/`,
    clientEndpoint: `${baseUrl}/rest/`,
  });

  const auth = new AuthServer(clock, options.tokenTtlMs ?? 3_600_000, endpoints);
  const bus = new EventBus({ db, clock, auth, stats, endpoints, timeoutMs: options.eventTimeoutMs ?? 5000 });
  const files = new FileStore(db, () => baseUrl, stats, maxBodyBytes);
  const tm = options.timeModel === 'realistic' ? realisticTimeModel : options.timeModel;
  const timeModel: TimeModel = {
    countRowUs: tm?.countRowUs ?? 0,
    skipRowUs: tm?.skipRowUs ?? 0,
    perMethodMs: Object.fromEntries(Object.entries(tm?.perMethodMs ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const portal: Portal = {
    db,
    clock,
    get baseUrl() {
      return baseUrl;
    },
    memberId,
    timeModel,
    raiseEvent: (name, data, by) => bus.raise(name, data, by),
    saveFile: (name, bytes, type) => files.save(name, bytes, type),
    readFile: (id) => files.read(id),
    downloadUrl: (id, a) => files.downloadUrl(id, a),
    uploadUrl: (a, onUpload) => files.uploadUrl(a, onUpload),
  };

  const registry = new MethodRegistry();
  const seeders = new Map<string, Seeder>();
  const api: DomainApi = {
    portal,
    method: (spec) => registry.add(spec),
    event: (name) => registry.events.add(name.toUpperCase()),
    seeder: (name, s) => seeders.set(name.toLowerCase(), s),
  };
  const meter = new OperatingMeter(clock, options.operatingLimitMs ?? 480_000, options.operatingWindowMs);
  const dispatcher = new Dispatcher(registry, portal, meter, stats);
  const domains: Domain[] = [
    systemDomain({
      app: (id) => auth.app(id),
      methodExists: (n) => !!registry.get(n),
      methodNames: () => registry.names(),
      features: {},
    }),
    batchDomain((m, p, a, o) => dispatcher.invoke(m, p, a, o)),
    batchV3Domain((m, p, a, o) => dispatcher.invoke(m, p, a, o)),
    eventsDomain(bus, () => registry.events),
    ...defaultDomains,
    ...(options.domains ?? []),
  ];
  for (const d of domains) d(api);
  const fromSchema = new Set<string>();
  if (options.schemaMethods !== false) {
    const done = registerSchemaMethods(api, (name, v) => !!registry.get(name, v));
    for (const n of [...done.stateful, ...done.example]) fromSchema.add(n);
  }

  const bucket = new LeakyBucket(options.plan ?? 'standard', clock);
  const faults = new FaultInjector(options.faults);
  const handler = createHandler({
    auth,
    bucket,
    dispatcher,
    faults,
    stats,
    maxBodyBytes,
    latencyMs: () => latency(),
    endpoints,
    authorizeUserId: 1,
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    requestTimeLimitMs,
    extraRoute: (req, res, url, send) => files.route(req, res, url, send),
  });
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  baseUrl = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  domain = `${hostPart}:${port}`;

  const webhook = auth.createWebhook(options.webhook ?? {});
  const app = auth.registerApp(options.app);
  app.installed = true;

  const install = async (a: App): Promise<TokenPair> => {
    a.installed = true;
    if (a.eventHandler) {
      for (const ev of ['ONAPPUNINSTALL', ...a.events]) {
        if (!bus.find((b) => b.clientId === a.clientId && b.event === ev && b.handler === a.eventHandler).length) {
          bus.bind({ clientId: a.clientId, event: ev, handler: a.eventHandler, authType: 0, offline: false });
        }
      }
    }
    const tokens = auth.issueTokens(a, 1);
    if (a.installHandler) {
      const authBlock = {
        access_token: tokens.access_token,
        expires: tokens.expires,
        expires_in: tokens.expires_in,
        scope: tokens.scope,
        domain,
        server_endpoint: tokens.server_endpoint,
        status: tokens.status,
        client_endpoint: tokens.client_endpoint,
        member_id: memberId,
        user_id: 1,
        refresh_token: tokens.refresh_token,
        application_token: a.applicationToken,
      };
      const body = httpBuildQuery({
        event: 'ONAPPINSTALL',
        data: { VERSION: String(a.version), ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
        ts: clock.unix(),
        auth: authBlock,
      });
      await bus.send('ONAPPINSTALL', a.installHandler, body);
    }
    return tokens;
  };

  const uninstall = async (a: App, clean = false): Promise<void> => {
    // ONAPPUNINSTALL carries no tokens, only the application_token to verify it (§2.5, §2.7).
    const body = (id: number) =>
      httpBuildQuery({
        event: 'ONAPPUNINSTALL',
        event_handler_id: id,
        data: { LANGUAGE_ID: 'en', CLEAN: clean ? 1 : 0 },
        ts: clock.unix(),
        auth: {
          domain,
          server_endpoint: `${baseUrl}/rest/`,
          client_endpoint: `${baseUrl}/rest/`,
          member_id: memberId,
          application_token: a.applicationToken,
        },
      });
    const targets = bus.find((b) => b.clientId === a.clientId && b.event === 'ONAPPUNINSTALL' && !!b.handler);
    await Promise.all(targets.map((b) => bus.send('ONAPPUNINSTALL', b.handler!, body(b.id))));
    auth.revokeApp(a.clientId);
    bus.unbind((b) => b.clientId === a.clientId);
    a.installed = false;
  };

  const openApp = async (a: App, url: string, o: OpenAppOptions = {}): Promise<OpenAppResult> => {
    if (!a.installed) throw new Error(`openApp: application ${a.clientId} is not installed`);
    const tokens = auth.issueTokens(a, o.userId ?? 1);
    // Query and body as the docs list them; the portal posts the same to every user.
    const query = new URLSearchParams({
      DOMAIN: domain,
      PROTOCOL: tls ? '1' : '0',
      LANG: o.lang ?? 'en',
      APP_SID: randomHex(16),
    }).toString();
    const form: Record<string, string> = {
      AUTH_ID: tokens.access_token,
      AUTH_EXPIRES: String(tokens.expires_in),
      REFRESH_ID: tokens.refresh_token,
      SERVER_ENDPOINT: tokens.server_endpoint,
      APPLICATION_TOKEN: a.applicationToken,
      APPLICATION_SCOPE: tokens.scope,
      member_id: memberId,
      status: a.status,
      PLACEMENT: o.placement ?? 'DEFAULT',
      ...(o.placementOptions ? { PLACEMENT_OPTIONS: JSON.stringify(o.placementOptions) } : {}),
    };
    const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: await res.text(), form, query, tokens };
  };

  const webhookUrl = `${baseUrl}/rest/${webhook.userId}/${webhook.code}/`;
  const emulator: Emulator = {
    webhookUrl,
    baseUrl,
    port,
    host,
    memberId,
    oauth: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authorizeUrl: `${baseUrl}/oauth/authorize/`,
      tokenUrl: `${baseUrl}/oauth/token/`,
      clientEndpoint: `${baseUrl}/rest/`,
      app,
    },
    ...(tls ? { tls: { certPath: tls.certPath, cert: tls.cert } } : {}),
    db,
    stats: () => structuredClone(stats),
    resetStats: () => Object.assign(stats, emptyStats()),
    close: async () => {
      // Pending sleeps (latency, simulated cost) end now, so no timer keeps the process alive.
      clock.stop();
      await bus.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
      if (tls) rmSync(tls.dir, { recursive: true, force: true });
    },
    advanceTime: (ms) => clock.advance(ms),
    now: () => clock.now(),
    expireAccessTokens: () => auth.expireAccessTokens(),
    setTokenTtl: (ms) => {
      if (!(ms > 0)) throw new RangeError(`tokenTtlMs must be > 0, got ${ms}`);
      auth.accessTtlMs = ms;
    },
    issueTokens: (a = app, userId = 1) => {
      if (!a.installed) throw new Error(`issueTokens: application ${a.clientId} is not installed`);
      return auth.issueTokens(a, userId);
    },
    registerApp: (o) => auth.registerApp(o),
    install,
    openApp,
    uninstall,
    createWebhook: (o) => {
      const wh = auth.createWebhook(o);
      return `${baseUrl}/rest/${wh.userId}/${wh.code}/`;
    },
    seed: (entity: string, count: number, fields?: Readonly<Record<string, unknown>>) => {
      const s = seeders.get(entity.toLowerCase());
      if (!s)
        throw new Error(`seed: unknown entity ${JSON.stringify(entity)}; known: ${[...seeders.keys()].join(', ')}`);
      return s(count, fields);
    },
    setFaults: (f) => faults.set(f),
    setPlan: (p) => bucket.setPlan(p),
    setOperatingLimit: (ms) => {
      meter.limitMs = ms;
    },
    setLatency: (l) => {
      latency = latencyFn(l);
    },
    eventsIdle: () => bus.idle(),
    deliveries: (event) => {
      const wanted = event?.toUpperCase();
      return bus.deliveries.filter((d) => wanted === undefined || d.event.toUpperCase() === wanted);
    },
    methods: () =>
      registry
        .specs()
        .map((sp) => ({
          name: sp.name,
          apiVersion: sp.apiVersion ?? 2,
          scope: sp.scope,
          kind: sp.kind === 'example' ? ('example-backed' as const) : ('stateful' as const),
          source: fromSchema.has(sp.name) && sp.kind !== undefined ? ('schema' as const) : ('domain' as const),
          appOnly: !!sp.appOnly,
          batchable: sp.batchable !== false,
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.apiVersion - b.apiVersion)),
  };
  // Keep the webhook code and client secret out of console.log / util.inspect output.
  Object.defineProperty(emulator, inspect.custom, {
    value: () =>
      `Emulator { baseUrl: '${baseUrl}', webhookUrl: '${baseUrl}/rest/${webhook.userId}/<redacted>/', clientId: '${app.clientId}' }`,
  });
  return emulator;
}
