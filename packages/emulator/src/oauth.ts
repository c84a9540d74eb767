/**
 * The authorization side of the portal: registered applications, authorization codes, access
 * and refresh tokens (PROTOCOL.md §2), and incoming webhooks (§1.1). Secrets live only here and
 * are never put into error texts.
 */
import type { Clock } from './clock.js';
import { RestError, errors } from './errors.js';
import type { EventName } from './names.js';
import { randomCode, randomHex } from './secrets.js';

/** Every scope the emulator knows; webhooks get all of them by default. */
export const ALL_SCOPES = [
  'crm',
  'task',
  'tasks',
  'disk',
  'im',
  'imbot',
  'user',
  'user_brief',
  'user_basic',
  'department',
  'calendar',
  'timeman',
  'log',
  'sonet_group',
  'entity',
  'placement',
  'bizproc',
  'lists',
  'telephony',
  'catalog',
  'sale',
  'pull',
  'landing',
  'humanresources',
  'mailservice',
  'messageservice',
  'userfieldconfig',
  'documentgenerator',
  'iblock',
  // Further scopes the schema's methods name (api-reference/scopes/permissions.md).
  'imopenlines',
  'imconnector',
  'booking',
  'rpa',
  'note',
  'mail',
  'sonet',
  'socialnetwork',
  'biconnector',
  'vote',
  'humanresources.hcmlink',
  'pay_system',
  'cashbox',
  'delivery',
  'salescenter',
  'sign.b2e',
  'user.userfield',
  'main',
  'call',
  'userconsent',
  'ai_admin',
] as const;

export interface AppOptions {
  /** Default: `local.<hex>.<hex>`. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Granted scopes, as an array or a comma-separated string. Default: all scopes. */
  readonly scopes?: readonly string[] | string;
  /** Where `/oauth/authorize/` sends the user back. Without it, `redirect_uri` in the query is used. */
  readonly redirectUri?: string;
  /** Receives the ONAPPINSTALL form POST on `install()`. */
  readonly installHandler?: string;
  /** Bound to ONAPPUNINSTALL at install, so `uninstall()` posts there (and events listed in `events`). */
  readonly eventHandler?: string;
  /** Extra events bound to `eventHandler` at install (typed by the schema; else `unknownName()`). */
  readonly events?: readonly EventName[];
  /** `status` in token responses and app.info: L local, F free, D demo, T trial, P paid. */
  readonly status?: 'L' | 'F' | 'D' | 'T' | 'P';
  readonly version?: number;
}

export interface App {
  readonly id: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly redirectUri?: string;
  readonly installHandler?: string;
  readonly eventHandler?: string;
  readonly events: readonly EventName[];
  readonly status: 'L' | 'F' | 'D' | 'T' | 'P';
  readonly version: number;
  installed: boolean;
  /** Per app per portal; sent in every event's `auth[application_token]` (§2.7). */
  applicationToken: string;
}

export interface Webhook {
  /** Internal id; keys the operating-time budget without exposing the code. */
  readonly id: number;
  readonly userId: number;
  readonly code: string;
  readonly scopes: readonly string[];
  /** Unix ms after which calls fail with an authorization error. */
  readonly expiresAt?: number;
}

interface Grant {
  clientId: string;
  userId: number;
  scopes: readonly string[];
  expiresAt: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  domain: string;
  server_endpoint: string;
  client_endpoint: string;
  member_id: string;
  user_id: number;
  status: string;
}

const CODE_TTL_MS = 30_000;
const REFRESH_TTL_MS = 180 * 24 * 3600_000;

export function normalizeScopes(scopes: readonly string[] | string | undefined): string[] {
  if (scopes === undefined) return [...ALL_SCOPES];
  const list = typeof scopes === 'string' ? scopes.split(/[,\s]+/) : [...scopes];
  return [...new Set(list.map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

export class AuthServer {
  private readonly apps = new Map<string, App>();
  private nextAppId = 1;
  private readonly codes = new Map<string, Grant>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();
  private readonly webhooks = new Map<string, Webhook>();
  private nextWebhookId = 1;

  constructor(
    private readonly clock: Clock,
    public accessTtlMs: number,
    private readonly endpoints: () => {
      domain: string;
      serverEndpoint: string;
      clientEndpoint: string;
      memberId: string;
    },
  ) {}

  // ---- applications

  registerApp(o: AppOptions = {}): App {
    const clientId = o.clientId ?? `local.${randomHex(7)}.${randomHex(4)}`;
    if (this.apps.has(clientId))
      throw new Error(`registerApp: an application with client_id ${clientId} already exists`);
    const app: App = {
      id: this.nextAppId++,
      clientId,
      clientSecret: o.clientSecret ?? randomCode(50),
      scopes: normalizeScopes(o.scopes),
      ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      ...(o.installHandler ? { installHandler: o.installHandler } : {}),
      ...(o.eventHandler ? { eventHandler: o.eventHandler } : {}),
      // Upper case, as the portal names events: a described name stays one.
      events: (o.events ?? []).map((e) => e.toUpperCase() as EventName),
      status: o.status ?? 'L',
      version: o.version ?? 1,
      installed: false,
      applicationToken: randomHex(16),
    };
    this.apps.set(clientId, app);
    return app;
  }

  app(clientId: string): App | undefined {
    return this.apps.get(clientId);
  }

  /** Revokes every token of the app (uninstall, §2.5). */
  revokeApp(clientId: string): void {
    for (const store of [this.codes, this.access, this.refresh]) {
      for (const [k, g] of store) if (g.clientId === clientId) store.delete(k);
    }
  }

  // ---- authorization code flow

  issueCode(app: App, userId: number): string {
    const code = randomCode(32);
    this.codes.set(code, {
      clientId: app.clientId,
      userId,
      scopes: app.scopes,
      expiresAt: this.clock.now() + CODE_TTL_MS,
    });
    return code;
  }

  issueTokens(app: App, userId: number, scopes: readonly string[] = app.scopes): TokenPair {
    const now = this.clock.now();
    const accessToken = randomCode(32);
    const refreshToken = randomCode(32);
    const grant = { clientId: app.clientId, userId, scopes };
    this.access.set(accessToken, { ...grant, expiresAt: now + this.accessTtlMs });
    this.refresh.set(refreshToken, { ...grant, expiresAt: now + REFRESH_TTL_MS });
    const ep = this.endpoints();
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires: Math.floor((now + this.accessTtlMs) / 1000),
      expires_in: Math.round(this.accessTtlMs / 1000),
      scope: scopes.join(','),
      domain: ep.domain,
      server_endpoint: ep.serverEndpoint,
      client_endpoint: ep.clientEndpoint,
      member_id: ep.memberId,
      user_id: userId,
      status: app.status,
    };
  }

  /**
   * `/oauth/token/`. Errors use the codes of §2.4; statuses (undocumented, §11.4) follow the
   * PHP SDK's expectations: 400 for invalid_grant/invalid_request, 401 for invalid_client.
   */
  token(p: Record<string, unknown>): TokenPair {
    const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
    const grantType = str('grant_type');
    const app = this.apps.get(str('client_id') ?? '');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw new RestError('invalid_request', 'grant_type must be authorization_code or refresh_token', 400);
    }
    if (!app || app.clientSecret !== str('client_secret'))
      throw new RestError('invalid_client', 'Invalid client credentials', 401);
    if (!app.installed) throw new RestError('invalid_client', 'Application is not installed', 401);
    const store = grantType === 'authorization_code' ? this.codes : this.refresh;
    const key = str(grantType === 'authorization_code' ? 'code' : 'refresh_token') ?? '';
    const grant = store.get(key);
    // Codes and refresh tokens are single-use: a reuse gets invalid_grant (§2.3, §11.1).
    store.delete(key);
    if (!grant || grant.clientId !== app.clientId || grant.expiresAt <= this.clock.now()) {
      throw new RestError(
        'invalid_grant',
        grantType === 'authorization_code' ? 'Invalid authorization code' : 'Invalid refresh token',
        400,
      );
    }
    return this.issueTokens(app, grant.userId, grant.scopes);
  }

  /** Looks up an access token; throws invalid_token / expired_token (401). */
  verifyAccess(token: string): Grant & { app: App } {
    const grant = this.access.get(token);
    const app = grant && this.apps.get(grant.clientId);
    if (!grant || !app) throw errors.invalidToken();
    if (grant.expiresAt <= this.clock.now()) throw errors.expiredToken();
    return { ...grant, app };
  }

  /** Makes every issued access token expired (tests of the refresh path). */
  expireAccessTokens(): number {
    const now = this.clock.now();
    let n = 0;
    for (const g of this.access.values()) {
      if (g.expiresAt > now) {
        g.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  // ---- incoming webhooks

  createWebhook(
    o: { userId?: number; scopes?: readonly string[] | string; code?: string; expiresAt?: number } = {},
  ): Webhook {
    const wh: Webhook = {
      id: this.nextWebhookId++,
      userId: o.userId ?? 1,
      code: o.code ?? randomCode(16),
      scopes: normalizeScopes(o.scopes),
      ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}),
    };
    this.webhooks.set(wh.code, wh);
    return wh;
  }

  /** Wrong code → 401 NO_AUTH_FOUND; right code with another user → 403 INVALID_CREDENTIALS ([src], §3.3). */
  verifyWebhook(userId: string, code: string): Webhook {
    const wh = this.webhooks.get(code);
    if (!wh) throw errors.noAuthFound();
    if (String(wh.userId) !== userId) throw errors.invalidCredentials();
    if (wh.expiresAt !== undefined && wh.expiresAt <= this.clock.now()) throw errors.noAuthFound();
    return wh;
  }
}
