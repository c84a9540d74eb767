/**
 * The application side: install (ONAPPINSTALL and the frame POST), verified events,
 * uninstall, per-portal credentials and the offline queue, behind framework-neutral handlers.
 */
import { adHocDescriptor, createCaller, type CallerOptions } from '@b24kit/core';
import { bodyText, errorResponse, header, jsonResponse, type AppRequest, type AppResponse } from './app-http.js';
import { B24AuthError, TokenEndpointError } from './errors.js';
import { consumeOfflineEvents, type ConsumeOfflineOptions, type ConsumeOfflineResult } from './offline-events.js';
import { oauthFromStore, type OAuthCredentials } from './oauth.js';
import { refreshTokens } from './oauth-flow.js';
import { parsePhpForm, type FormValue } from './php-form.js';
import { isLoopbackHost } from './portal.js';
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
   * Check install requests with the authorization server before trusting them (default true):
   * the posted refresh token is exchanged at `tokenUrl`, and the server must confirm the
   * member_id. Without it a forged install could replace a portal's application_token.
   */
  readonly verifyInstall?: boolean;
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

  constructor(options: CreateAppOptions) {
    this.#o = options;
  }

  handleInstall(request: AppRequest): Promise<AppResponse> {
    return this.handle(request);
  }

  handleEvent(request: AppRequest): Promise<AppResponse> {
    return this.handle(request);
  }

  async handle(request: AppRequest): Promise<AppResponse> {
    try {
      if (request.method.toUpperCase() !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Bitrix24 sends install and event requests as POST');
      const type = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected an application/x-www-form-urlencoded body');
      }
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
      throw new HttpError(400, 'UNKNOWN_REQUEST', 'Neither an event (no "event" field) nor a frame request (no AUTH_ID)');
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message);
      this.#report(error);
      return errorResponse(500, 'INTERNAL_ERROR', 'The application failed to handle the request');
    }
  }

  // ---- install -------------------------------------------------------------------------

  async #installEvent(event: string, form: Record<string, FormValue>): Promise<AppResponse> {
    const auth = record(form['auth']);
    const claimed = claimTokens({
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
    }, 'auth[');
    await this.#store(claimed);
    this.#dispatch(toEvent(event, form));
    return jsonResponse(200, { ok: true });
  }

  async #frame(request: AppRequest, form: Record<string, FormValue>): Promise<AppResponse> {
    const query = new URL(request.url, 'http://app.invalid').searchParams;
    const domain = query.get('DOMAIN') ?? '';
    const protocol = query.get('PROTOCOL') === '0' ? 'http' : 'https';
    const memberId = text(form['member_id']);
    if (!domain) throw new HttpError(400, 'BAD_INSTALL', 'Frame request lacks the DOMAIN query parameter');
    if (!memberId) throw new HttpError(400, 'BAD_INSTALL', 'Frame request lacks member_id');
    if (protocol === 'http' && !isLoopbackHost(new URL(`http://${domain}`).hostname)) {
      throw new HttpError(400, 'BAD_INSTALL', 'Frame request says PROTOCOL=0 (http) for a non-loopback portal');
    }
    const applicationToken = text(form['APPLICATION_TOKEN']);
    const stored = await this.#o.store.get(memberId);
    let installed = false;
    if (!stored) {
      // First open of the app by the installing admin: keep these tokens for the portal.
      const claimed = claimTokens({
        accessToken: text(form['AUTH_ID']),
        refreshToken: text(form['REFRESH_ID']),
        expiresIn: text(form['AUTH_EXPIRES']),
        domain,
        clientEndpoint: `${protocol}://${domain}/rest/`,
        serverEndpoint: text(form['SERVER_ENDPOINT']),
        memberId,
        scope: text(form['APPLICATION_SCOPE']),
        status: text(form['status']),
        applicationToken,
      }, '');
      await this.#store(claimed);
      installed = true;
    } else if (applicationToken !== undefined) {
      // Later opens (any user) do not replace the portal's tokens; the token only has to match.
      if (!stored.tokens.applicationToken || !secretsEqual(applicationToken, stored.tokens.applicationToken)) {
        throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'APPLICATION_TOKEN does not match the one stored for this portal');
      }
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
      domain,
      placement: text(form['PLACEMENT']) ?? 'DEFAULT',
      placementOptions,
      lang: query.get('LANG') ?? undefined,
      installed,
      request,
    };
    return this.#o.onFrame ? this.#o.onFrame(frame) : jsonResponse(200, { ok: true, installed });
  }

  /** Verifies (unless switched off) and stores a claimed pair as the portal's tokens. */
  async #store(claimed: TokenSet): Promise<void> {
    let tokens = claimed;
    if (this.#o.verifyInstall !== false) {
      let confirmed: TokenSet;
      try {
        confirmed = await refreshTokens({
          clientId: this.#o.clientId,
          clientSecret: this.#o.clientSecret,
          refreshToken: claimed.refreshToken,
          previous: claimed,
          portalKey: claimed.memberId,
          ...(this.#o.tokenUrl ? { tokenUrl: this.#o.tokenUrl } : {}),
        });
      } catch (error) {
        if (error instanceof TokenEndpointError && error.status !== 0 && error.status < 500) {
          throw new HttpError(401, 'INSTALL_NOT_CONFIRMED', `The authorization server did not confirm the install tokens (${error.code})`);
        }
        throw error;
      }
      if (confirmed.memberId && confirmed.memberId !== claimed.memberId) {
        throw new HttpError(401, 'INSTALL_NOT_CONFIRMED', 'The authorization server names a different member_id than the install request');
      }
      tokens = { ...confirmed, memberId: claimed.memberId, applicationToken: claimed.applicationToken ?? confirmed.applicationToken ?? '' };
    } else {
      const stored = await this.#o.store.get(claimed.memberId);
      const known = stored?.tokens.applicationToken;
      // Unverified installs may not change a portal's application_token (trust on first use).
      if (known && (!claimed.applicationToken || !secretsEqual(known, claimed.applicationToken))) {
        throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'application_token differs from the stored one and verifyInstall is off');
      }
    }
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
    if (!memberId || !token) throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'Event lacks auth[member_id] or auth[application_token]');
    const stored = await this.#o.store.get(memberId);
    const known = stored?.tokens.applicationToken;
    if (!known) throw new HttpError(401, 'UNKNOWN_PORTAL', 'No installation is known for this member_id');
    if (!secretsEqual(token, known)) throw new HttpError(401, 'INVALID_APPLICATION_TOKEN', 'auth[application_token] does not match this portal');
    return memberId;
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
    return nodeHandler((request) => this.handle(request), options);
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
  const expiresIn = claim.expiresIn !== undefined && Number.isFinite(Number(claim.expiresIn)) ? Number(claim.expiresIn) : 3600;
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
    data: typeof data === 'string' ? (data as unknown as Record<string, FormValue>) : data && typeof data === 'object' && !Array.isArray(data) ? data : {},
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
