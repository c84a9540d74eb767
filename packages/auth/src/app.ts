/**
 * The application side: install (ONAPPINSTALL and the frame POST), verified events,
 * uninstall, per-portal credentials and the offline queue, behind framework-neutral handlers.
 */
import { adHocDescriptor, createCaller, type CallerOptions } from '@b24kit/core';
import { bodyText, errorResponse, header, jsonResponse, type AppRequest, type AppResponse } from './app-http.js';
import { request as httpRequest } from 'undici';
import { B24AuthError, TokenEndpointError } from './errors.js';
import { eventKey, MemoryEventDedupStore, type EventDedupStore } from './event-dedup.js';
import { consumeOfflineEvents, type ConsumeOfflineOptions, type ConsumeOfflineResult } from './offline-events.js';
import { oauthFromStore, type OAuthCredentials } from './oauth.js';
import { refreshTokens } from './oauth-flow.js';
import { parsePhpForm, type FormValue } from './php-form.js';
import { checkScheme, isLoopbackHost } from './portal.js';
import { gateFor, type OnTokens } from './refresh-gate.js';
import { secretsEqual } from './timing-safe.js';
import { toTokenSet, type TokenSet } from './token-set.js';
import { overwriteTokens, type TokenStore } from './token-store.js';
import { nodeHandler, type NodeHandlerOptions, type NodeRequestHandler } from './node-adapter.js';

/** What an event's `auth` says about the portal. Tokens in it are left out on purpose. */
export interface EventAuth {
  readonly domain: string;
  readonly memberId: string;
  readonly clientEndpoint: string;
  readonly serverEndpoint: string;
  readonly scope: string;
  readonly status: string;
  readonly userId: number | null;
  /** The event carried the acting user's access token (absent for robots and workflows). */
  readonly hasUserToken: boolean;
}

export interface B24Event<Data = Record<string, FormValue>> {
  /** Upper-case event name, e.g. `ONCRMDEALADD`. */
  readonly event: string;
  readonly eventHandlerId: string | null;
  readonly data: Data;
  /** Unix seconds the queue sent it; null when absent. */
  readonly ts: number | null;
  readonly memberId: string;
  readonly auth: EventAuth;
}

export type EventHandler = (event: B24Event) => unknown;

/** A frame (placement / app page) POST, after its tokens were handled. */
export interface FrameRequest {
  readonly memberId: string;
  readonly domain: string;
  /** `DEFAULT` for the app page, else the placement code. */
  readonly placement: string;
  /** PLACEMENT_OPTIONS parsed from JSON (the raw string when it is not JSON). */
  readonly placementOptions: unknown;
  readonly lang: string | undefined;
  /** True when this request installed (stored) the portal's tokens. */
  readonly installed: boolean;
  readonly request: AppRequest;
}

export interface CreateAppOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly store: TokenStore;
  /** Token endpoint; default `https://oauth.bitrix.info/oauth/token/`. */
  readonly tokenUrl?: string;
  /**
   * Check install requests with the portal before trusting them (default true): the posted
   * refresh token is exchanged at `tokenUrl` with this app's client secret (so the tokens are
   * this application's), the server must confirm the member_id, and the portal must answer
   * `user.admin` = true for the installing user (only an administrator installs an app).
   * Without it a forged install could replace a portal's application_token. With it off, the
   * first install is trusted, and a later one that changes the application_token is verified
   * all the same.
   */
  readonly verifyInstall?: boolean;
  /** Largest request body `handle()` accepts, in bytes (default 1 MiB); larger gets 413. */
  readonly maxBodyBytes?: number;
  /**
   * Refuses a second copy of an event within this many seconds, and events whose `ts` lies
   * further than this from now (default 900 = 15 minutes; 0 turns replay refusal off).
   * The portal's queue may delay events (PROTOCOL.md §7.3); an event delayed longer than the
   * window is refused, so raise it if your portal's queue runs late.
   */
  readonly replayWindowSeconds?: number;
  /** Where seen events are recorded (default: this process's memory). Share one across replicas. */
  readonly eventDedup?: EventDedupStore;
  /** Event handlers' errors (they run after the 200 went out) and background failures. */
  readonly onError?: (error: unknown, event?: B24Event) => void;
  /** Called with every pair stored by install or refresh (e.g. to mirror it in your DB). */
  readonly onTokens?: OnTokens;
  /** Renders the frame page; default answers 200 `{"ok":true}`. */
  readonly onFrame?: (frame: FrameRequest) => AppResponse | Promise<AppResponse>;
  /** Options for the core caller behind `app.caller()` and the offline consumer. */
  readonly caller?: Omit<CallerOptions, 'credentials'>;
}

export interface B24App {
  /** Routes by content: ONAPPINSTALL/ONAPPUPDATE, ONAPPUNINSTALL, other events, frame POSTs. */
  handle(request: AppRequest): Promise<AppResponse>;
  /** Same as `handle`, for code that mounts install and events on different paths. */
  handleInstall(request: AppRequest): Promise<AppResponse>;
  handleEvent(request: AppRequest): Promise<AppResponse>;
  /** A `(req, res)` listener for `node:http` (and Express, which accepts the same shape). */
  nodeHandler(options?: NodeHandlerOptions): NodeRequestHandler;
  /** Handlers for one event (case-insensitive); returns a function that removes it. */
  on(event: string, handler: EventHandler): () => void;
  /** A handler for every verified event. */
  onEvent(handler: EventHandler): () => void;
  /** OAuth credentials of an installed portal. */
  credentials(memberId: string): Promise<OAuthCredentials>;
  /** A core caller on those credentials (cached per portal). */
  caller(memberId: string): Promise<import('@b24kit/core').Caller>;
  /** Drains a portal's offline event queue through `event.offline.*`. */
  consumeOfflineEvents(
    memberId: string,
    handler: ConsumeOfflineOptions['handler'],
    options?: Omit<ConsumeOfflineOptions, 'call' | 'handler'>,
  ): Promise<ConsumeOfflineResult>;
  /** Resolves when every event handler started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const INSTALL_EVENTS = new Set(['ONAPPINSTALL', 'ONAPPUPDATE']);
const DEFAULT_MAX_BODY = 1024 * 1024;
const DEFAULT_REPLAY_WINDOW_S = 900;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createApp(options: CreateAppOptions): B24App {
  if (!options || typeof options.clientId !== 'string' || options.clientId === '') {
    throw new B24AuthError('INVALID_ARGUMENT', 'createApp: clientId is missing or empty');
  }
  if (typeof options.clientSecret !== 'string' || options.clientSecret === '') {
    throw new B24AuthError('INVALID_ARGUMENT', 'createApp: clientSecret is missing or empty');
  }
  if (!options.store || typeof options.store.get !== 'function') {
    throw new B24AuthError('INVALID_ARGUMENT', 'createApp: store is required (e.g. new FileTokenStore({ dir }))');
  }
  return new App(options);
}

class App implements B24App {
  readonly #o: CreateAppOptions;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  readonly #all = new Set<EventHandler>();
  readonly #running = new Set<Promise<void>>();
  readonly #callers = new Map<string, import('@b24kit/core').Caller>();
  readonly #maxBody: number;
  readonly #windowMs: number;
  readonly #dedup: EventDedupStore;

  constructor(options: CreateAppOptions) {
    this.#o = options;
    this.#maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.#windowMs = (options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_S) * 1000;
    this.#dedup = options.eventDedup ?? new MemoryEventDedupStore();
  }

  handleInstall(request: AppRequest): Promise<AppResponse> {
    return this.handle(request);
  }

  handleEvent(request: AppRequest): Promise<AppResponse> {
    return this.handle(request);
  }

  async handle(request: AppRequest): Promise<AppResponse> {
    try {
      if (request.method.toUpperCase() !== 'POST')
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Bitrix24 sends install and event requests as POST');
      const type = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected an application/x-www-form-urlencoded body');
      }
      const size = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength;
      if (size > this.#maxBody)
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${this.#maxBody} bytes`);
      let form: Record<string, FormValue>;
      try {
        form = parsePhpForm(bodyText(request));
      } catch (error) {
        throw new HttpError(400, 'BAD_FORM', (error as Error).message);
      }
      const event = text(form['event'])?.toUpperCase();
      if (event && INSTALL_EVENTS.has(event)) return await this.#installEvent(event, form);
      if (event === 'ONAPPUNINSTALL') return await this.#uninstall(form);
      if (event) return await this.#event(event, form);
      if (text(form['AUTH_ID']) !== undefined) return await this.#frame(request, form);
      throw new HttpError(
        400,
        'UNKNOWN_REQUEST',
        'Neither an event (no "event" field) nor a frame request (no AUTH_ID)',
      );
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message);
      this.#report(error);
      return errorResponse(500, 'INTERNAL_ERROR', 'The application failed to handle the request');
    }
  }

  // ---- install -------------------------------------------------------------------------

  async #installEvent(event: string, form: Record<string, FormValue>): Promise<AppResponse> {
    const auth = record(form['auth']);
    const claimed = claimTokens(
      {
        accessToken: text(auth['access_token']),
        refreshToken: text(auth['refresh_token']),
        expiresIn: text(auth['expires_in']),
        domain: text(auth['domain']),
        clientEndpoint: text(auth['client_endpoint']),
        serverEndpoint: text(auth['server_endpoint']),
        memberId: text(auth['member_id']),
        scope: text(auth['scope']),
        status: text(auth['status']),
        userId: text(auth['user_id']),
        applicationToken: text(auth['application_token']),
      },
      'auth[',
    );
    // No replay window here: the docs warn that ONAPPINSTALL may arrive late
    // (https://apidocs.bitrix24.com/settings/oauth/simple-way.html), and a copy cannot pass
    // #confirmInstall twice, since the refresh token it spends is single-use.
    const tokens = await this.#confirmInstall(claimed);
    await this.#store(tokens);
    this.#dispatch(toEvent(event, form));
    return jsonResponse(200, { ok: true });
  }

  async #frame(request: AppRequest, form: Record<string, FormValue>): Promise<AppResponse> {
    let query: URLSearchParams;
    try {
      query = new URL(request.url, 'http://app.invalid').searchParams;
    } catch {
      throw new HttpError(400, 'BAD_INSTALL', 'Frame request has a URL that does not parse');
    }
    const domain = query.get('DOMAIN') ?? '';
    const protocol = query.get('PROTOCOL') === '0' ? 'http' : 'https';
    const postedMemberId = text(form['member_id']);
    if (!domain) throw new HttpError(400, 'BAD_INSTALL', 'Frame request lacks the DOMAIN query parameter');
    if (!postedMemberId) throw new HttpError(400, 'BAD_INSTALL', 'Frame request lacks member_id');
    let host: string;
    try {
      host = new URL(`http://${domain}`).hostname;
    } catch {
      throw new HttpError(400, 'BAD_INSTALL', 'Frame request has a DOMAIN that is not a host name');
    }
    if (protocol === 'http' && !isLoopbackHost(host)) {
      throw new HttpError(400, 'BAD_INSTALL', 'Frame request says PROTOCOL=0 (http) for a non-loopback portal');
    }
    const applicationToken = text(form['APPLICATION_TOKEN']);
    const stored = await this.#o.store.get(postedMemberId);
    let installed = false;
    // What onFrame gets as the portal: never just what the request claims.
    let memberId: string;
    let trustedDomain: string;
    if (!stored) {
      // First open of the app: the installing admin's frame (§2.5 "App with UI"). Verified like
      // ONAPPINSTALL before anything is kept; a non-admin's frame is refused.
      const claimed = claimTokens(
        {
          accessToken: text(form['AUTH_ID']),
          refreshToken: text(form['REFRESH_ID']),
          expiresIn: text(form['AUTH_EXPIRES']),
          domain,
          clientEndpoint: `${protocol}://${domain}/rest/`,
          serverEndpoint: text(form['SERVER_ENDPOINT']),
          memberId: postedMemberId,
          scope: text(form['APPLICATION_SCOPE']),
          status: text(form['status']),
          applicationToken,
        },
        '',
      );
      const tokens = await this.#confirmInstall(claimed);
      await this.#store(tokens);
      installed = true;
      memberId = tokens.memberId;
      trustedDomain = tokens.domain;
    } else if (applicationToken !== undefined && stored.tokens.applicationToken) {
      // Later opens (any user) do not replace the portal's tokens; the token only has to match.
      if (!secretsEqual(applicationToken, stored.tokens.applicationToken)) {
        throw new HttpError(
          401,
          'INVALID_APPLICATION_TOKEN',
          'APPLICATION_TOKEN does not match the one stored for this portal',
        );
      }
      memberId = postedMemberId;
      trustedDomain = stored.tokens.domain;
    } else {
      // No APPLICATION_TOKEN (the docs always send one, https://apidocs.bitrix24.com/settings/oauth/simple-way.html):
      // only the authorization server can say whose tokens these are. REFRESH_ID is exchanged with
      // this app's secret (which spends it) and the server's member_id must be the posted one.
      const refreshToken = text(form['REFRESH_ID']);
      if (!refreshToken)
        throw new HttpError(
          401,
          'INVALID_APPLICATION_TOKEN',
          'Frame request lacks APPLICATION_TOKEN (and REFRESH_ID to verify it otherwise)',
        );
      const confirmed = await this.#oauthConfirm(refreshToken);
      if (confirmed.memberId !== postedMemberId) {
        throw new HttpError(
          401,
          'FRAME_NOT_CONFIRMED',
          'The authorization server names a different member_id than the frame request',
        );
      }
      memberId = confirmed.memberId;
      trustedDomain = confirmed.domain;
    }
    const rawOptions = text(form['PLACEMENT_OPTIONS']);
    let placementOptions: unknown = rawOptions;
    if (rawOptions !== undefined) {
      try {
        placementOptions = JSON.parse(rawOptions);
      } catch {
        // Kept as the raw string.
      }
    }
    const frame: FrameRequest = {
      memberId,
      domain: trustedDomain,
      placement: text(form['PLACEMENT']) ?? 'DEFAULT',
      placementOptions,
      lang: query.get('LANG') ?? undefined,
      installed,
      request,
    };
    return this.#o.onFrame ? this.#o.onFrame(frame) : jsonResponse(200, { ok: true, installed });
  }

  /**
   * Decides whether claimed install tokens may become the portal's tokens, and returns the
   * pair to keep. The install flow is documented at
   * https://apidocs.bitrix24.com/settings/app-installation/index.html: an administrator installs
   * the app, and the portal then posts ONAPPINSTALL (or opens the install page in a frame).
   * Every user who opens the app gets tokens and the APPLICATION_TOKEN in the frame POST
   * (https://apidocs.bitrix24.com/settings/oauth/simple-way.html), so neither a valid refresh
   * token nor a known application_token proves an install. What is checked:
   *  1. the authorization server at `tokenUrl` (never a URL from the request) exchanges the
   *     posted refresh token with this app's client secret: the tokens are this application's,
   *     and its member_id must be the posted one;
   *  2. the portal, at the client_endpoint that server named, answers `user.admin`
   *     (https://apidocs.bitrix24.com/api-reference/common/users/user-admin.html) = true for the
   *     token's user. Assumed where the docs are silent: ONAPPUPDATE carries the tokens of an
   *     administrator too (an update is installed by an admin like an install).
   * `app.info` is not used: it describes whatever app the token belongs to, and the docs do
   * not say its CODE equals a local app's client_id; step 1 proves the app already.
   * With `verifyInstall: false` the first install is trusted (no request leaves), and a later
   * one is trusted only while it keeps the stored application_token; a change is verified.
   */
  async #confirmInstall(claimed: TokenSet): Promise<TokenSet> {
    if (this.#o.verifyInstall === false) {
      const known = (await this.#o.store.get(claimed.memberId))?.tokens.applicationToken;
      if (!known || (claimed.applicationToken && secretsEqual(known, claimed.applicationToken))) return claimed;
    }
    const confirmed = await this.#oauthConfirm(claimed.refreshToken);
    if (confirmed.memberId !== claimed.memberId) {
      throw new HttpError(
        401,
        'INSTALL_NOT_CONFIRMED',
        'The authorization server names a different member_id than the install request',
      );
    }
    const admin = await this.#portalCall(confirmed, 'user.admin');
    if (admin !== true) {
      throw new HttpError(
        403,
        'INSTALL_NOT_ADMIN',
        'The portal says the installing user is not an administrator (user.admin is not true)',
      );
    }
    return { ...confirmed, applicationToken: claimed.applicationToken ?? '' };
  }

  /** Exchanges a refresh token at the configured token URL; refusals become 401. */
  async #oauthConfirm(refreshToken: string): Promise<TokenSet> {
    let confirmed: TokenSet;
    try {
      // No `previous`: the portal's address and member_id must come from the server's answer.
      confirmed = await refreshTokens({
        clientId: this.#o.clientId,
        clientSecret: this.#o.clientSecret,
        refreshToken,
        portalKey: 'of the install request',
        ...(this.#o.tokenUrl ? { tokenUrl: this.#o.tokenUrl } : {}),
      });
    } catch (error) {
      if (error instanceof TokenEndpointError && (error.status === 0 || error.status >= 500)) {
        throw new HttpError(
          503,
          'INSTALL_CHECK_UNAVAILABLE',
          `The authorization server could not be asked (${error.code}); try again`,
        );
      }
      if (error instanceof B24AuthError) {
        throw new HttpError(
          401,
          'INSTALL_NOT_CONFIRMED',
          `The authorization server did not confirm the tokens (${error.code})`,
        );
      }
      throw error;
    }
    if (!confirmed.memberId)
      throw new HttpError(
        401,
        'INSTALL_NOT_CONFIRMED',
        'The authorization server did not name the portal (no member_id)',
      );
    return confirmed;
  }

  /** One REST call to the portal the authorization server named; resolves with `result`. */
  async #portalCall(tokens: TokenSet, method: string): Promise<unknown> {
    const endpoint = new URL(`${method}.json`, tokens.clientEndpoint);
    try {
      checkScheme(endpoint, 'client_endpoint');
    } catch {
      throw new HttpError(
        401,
        'INSTALL_NOT_CONFIRMED',
        'The authorization server named a portal address that is not https',
      );
    }
    let status: number;
    let body: unknown;
    try {
      const res = await httpRequest(endpoint, {
        method: 'POST',
        // The token in the `auth` parameter, the documented way
        // (https://apidocs.bitrix24.com/settings/oauth/simple-way.html); never in the URL.
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ auth: tokens.accessToken }),
        signal: AbortSignal.timeout(30_000),
      });
      status = res.statusCode;
      const raw = await res.body.text();
      body = raw.length > 1024 * 1024 ? undefined : JSON.parse(raw);
    } catch {
      throw new HttpError(503, 'INSTALL_CHECK_UNAVAILABLE', `The portal did not answer ${method} usably; try again`);
    }
    if (status >= 500)
      throw new HttpError(
        503,
        'INSTALL_CHECK_UNAVAILABLE',
        `The portal answered ${method} with HTTP ${status}; try again`,
      );
    const envelope = record(body as FormValue);
    if (!('result' in envelope)) {
      const code = typeof envelope['error'] === 'string' ? envelope['error'] : `HTTP_${status}`;
      throw new HttpError(403, 'INSTALL_NOT_ADMIN', `The portal refused ${method} (${code})`);
    }
    return envelope['result'];
  }

  /** Stores a pair (already confirmed) as the portal's tokens. */
  async #store(tokens: TokenSet): Promise<void> {
    const version = await overwriteTokens(this.#o.store, tokens.memberId, tokens);
    const gate = gateFor(this.#o.store, tokens.memberId, this.#o.clientId);
    gate.adopt(tokens, version);
    gate.clearFailure();
    if (this.#o.onTokens) {
      gate.listeners.add(this.#o.onTokens);
      await this.#o.onTokens(tokens);
    }
  }

  // ---- events --------------------------------------------------------------------------

  /** Checks `auth[application_token]` against the stored one; throws 401 when it fails. */
  async #verify(form: Record<string, FormValue>): Promise<string> {
    const auth = record(form['auth']);
    const memberId = text(auth['member_id']);
    const token = text(auth['application_token']);
    if (!memberId || !token)
      throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'Event lacks auth[member_id] or auth[application_token]');
    const stored = await this.#o.store.get(memberId);
    const known = stored?.tokens.applicationToken;
    if (!known) throw new HttpError(401, 'UNKNOWN_PORTAL', 'No installation is known for this member_id');
    if (!secretsEqual(token, known))
      throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'auth[application_token] does not match this portal');
    this.#checkTs(form);
    await this.#once(memberId, form);
    return memberId;
  }

  /** An event whose `ts` (unix seconds) lies outside the replay window is refused. */
  #checkTs(form: Record<string, FormValue>): void {
    if (this.#windowMs <= 0) return;
    const raw = text(form['ts']);
    // The docs' examples always carry ts, but it is not promised (§11.15): without it only the
    // duplicate check applies.
    if (raw === undefined) return;
    const ts = Number(raw) * 1000;
    if (!Number.isFinite(ts) || Math.abs(Date.now() - ts) > this.#windowMs) {
      throw new HttpError(
        400,
        'EVENT_TS_OUT_OF_WINDOW',
        `Event ts is not within ${this.#windowMs / 1000} s of now (a replay, or a clock far off)`,
      );
    }
  }

  /** Refuses a copy of an event already handled within the window. */
  async #once(memberId: string, form: Record<string, FormValue>): Promise<void> {
    if (this.#windowMs <= 0) return;
    // Twice the window: a copy is refused for as long as its ts can still pass #checkTs.
    if (!(await this.#dedup.firstSeen(eventKey(memberId, form), 2 * this.#windowMs))) {
      throw new HttpError(409, 'EVENT_REPLAYED', 'This event was already received (same portal, event, ts and data)');
    }
  }

  async #event(event: string, form: Record<string, FormValue>): Promise<AppResponse> {
    await this.#verify(form);
    this.#dispatch(toEvent(event, form));
    return jsonResponse(200, { ok: true });
  }

  async #uninstall(form: Record<string, FormValue>): Promise<AppResponse> {
    const memberId = await this.#verify(form);
    await this.#o.store.delete(memberId);
    const caller = this.#callers.get(memberId);
    this.#callers.delete(memberId);
    await caller?.close();
    this.#dispatch(toEvent('ONAPPUNINSTALL', form));
    return jsonResponse(200, { ok: true });
  }

  /** Runs the handlers after the response: Bitrix24 does not retry, so answer first. */
  #dispatch(event: B24Event): void {
    const handlers = [...(this.#handlers.get(event.event) ?? []), ...this.#all];
    for (const handler of handlers) {
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => handler(event))
        .then(
          () => undefined,
          (error: unknown) => this.#report(error, event),
        )
        .finally(() => this.#running.delete(run));
      this.#running.add(run);
    }
  }

  #report(error: unknown, event?: B24Event): void {
    try {
      if (this.#o.onError) return this.#o.onError(error, event);
      const where = event ? `handler of ${event.event} (portal ${event.memberId})` : 'request handling';
      console.error(`@b24kit/auth: ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
    } catch {
      // An onError that throws must not take the process down.
    }
  }

  on(event: string, handler: EventHandler): () => void {
    const name = event.toUpperCase();
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  }

  onEvent(handler: EventHandler): () => void {
    this.#all.add(handler);
    return () => void this.#all.delete(handler);
  }

  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  // ---- calls ---------------------------------------------------------------------------

  credentials(memberId: string): Promise<OAuthCredentials> {
    return oauthFromStore({
      clientId: this.#o.clientId,
      clientSecret: this.#o.clientSecret,
      store: this.#o.store,
      key: memberId,
      ...(this.#o.tokenUrl ? { tokenUrl: this.#o.tokenUrl } : {}),
      ...(this.#o.onTokens ? { onTokens: this.#o.onTokens } : {}),
    });
  }

  async caller(memberId: string): Promise<import('@b24kit/core').Caller> {
    const cached = this.#callers.get(memberId);
    if (cached) return cached;
    const credentials = await this.credentials(memberId);
    const existing = this.#callers.get(memberId);
    if (existing) return existing;
    const caller = createCaller({ ...this.#o.caller, credentials });
    this.#callers.set(memberId, caller);
    return caller;
  }

  async consumeOfflineEvents(
    memberId: string,
    handler: ConsumeOfflineOptions['handler'],
    options: Omit<ConsumeOfflineOptions, 'call' | 'handler'> = {},
  ): Promise<ConsumeOfflineResult> {
    const caller = await this.caller(memberId);
    const signal = options.signal;
    return consumeOfflineEvents({
      ...options,
      handler,
      call: (method, params) => caller.call(adHocDescriptor(method), params, signal ? { signal } : {}),
    });
  }

  nodeHandler(options?: NodeHandlerOptions): NodeRequestHandler {
    return nodeHandler((request) => this.handle(request), { maxBodyBytes: this.#maxBody, ...options });
  }

  async close(): Promise<void> {
    await this.idle();
    const callers = [...this.#callers.values()];
    this.#callers.clear();
    await Promise.all(callers.map((c) => c.close()));
  }

  toString(): string {
    return `B24App(client ${this.#o.clientId})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

// ---- helpers -----------------------------------------------------------------------------

function text(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: FormValue | undefined): Record<string, FormValue> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

interface Claim {
  accessToken: string | undefined;
  refreshToken: string | undefined;
  expiresIn: string | undefined;
  domain: string | undefined;
  clientEndpoint: string | undefined;
  serverEndpoint: string | undefined;
  memberId: string | undefined;
  scope: string | undefined;
  status: string | undefined;
  userId?: string | undefined;
  applicationToken: string | undefined;
}

/** Install fields -> TokenSet; a missing field is a 400 naming it (`auth[refresh_token]`). */
function claimTokens(claim: Claim, prefix: string): TokenSet {
  const name = (field: string, frame: string) => (prefix ? `${prefix}${field}]` : frame);
  const missing: string[] = [];
  if (!claim.accessToken) missing.push(name('access_token', 'AUTH_ID'));
  if (!claim.refreshToken) missing.push(name('refresh_token', 'REFRESH_ID'));
  if (!claim.memberId) missing.push(name('member_id', 'member_id'));
  if (!claim.applicationToken) missing.push(name('application_token', 'APPLICATION_TOKEN'));
  if (!claim.domain && !claim.clientEndpoint) missing.push(name('domain', 'DOMAIN'));
  if (missing.length > 0) throw new HttpError(400, 'BAD_INSTALL', `Install request lacks ${missing.join(', ')}`);
  const expiresIn =
    claim.expiresIn !== undefined && Number.isFinite(Number(claim.expiresIn)) ? Number(claim.expiresIn) : 3600;
  const userId = claim.userId !== undefined && Number.isFinite(Number(claim.userId)) ? Number(claim.userId) : null;
  try {
    return toTokenSet({
      accessToken: claim.accessToken!,
      refreshToken: claim.refreshToken!,
      expiresIn,
      memberId: claim.memberId!,
      applicationToken: claim.applicationToken!,
      userId,
      ...(claim.clientEndpoint ? { clientEndpoint: claim.clientEndpoint } : {}),
      ...(claim.domain ? { domain: claim.domain } : {}),
      ...(claim.serverEndpoint ? { serverEndpoint: claim.serverEndpoint } : {}),
      ...(claim.scope ? { scope: claim.scope } : {}),
      ...(claim.status ? { status: claim.status } : {}),
    });
  } catch (error) {
    throw new HttpError(400, 'BAD_INSTALL', `Install request is invalid: ${(error as Error).message}`);
  }
}

function toEvent(name: string, form: Record<string, FormValue>): B24Event {
  const auth = record(form['auth']);
  const ts = Number(text(form['ts']));
  const userId = Number(text(auth['user_id']));
  const data = form['data'];
  return {
    event: name,
    eventHandlerId: text(form['event_handler_id']) ?? null,
    // A few events send a bare value as `data` (ONIMCONNECTORLINEDELETE: the line id); it is kept
    // as the string it arrived as, and the generated event types say so.
    data:
      typeof data === 'string'
        ? (data as unknown as Record<string, FormValue>)
        : data && typeof data === 'object' && !Array.isArray(data)
          ? data
          : {},
    ts: Number.isFinite(ts) ? ts : null,
    memberId: text(auth['member_id']) ?? '',
    auth: {
      domain: text(auth['domain']) ?? '',
      memberId: text(auth['member_id']) ?? '',
      clientEndpoint: text(auth['client_endpoint']) ?? '',
      serverEndpoint: text(auth['server_endpoint']) ?? '',
      scope: text(auth['scope']) ?? '',
      status: text(auth['status']) ?? '',
      userId: Number.isFinite(userId) && userId > 0 ? userId : null,
      hasUserToken: text(auth['access_token']) !== undefined,
    },
  };
}
