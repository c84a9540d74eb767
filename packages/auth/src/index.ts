export { webhook, type WebhookCredentials, type WebhookOptions } from './webhook.js';
export {
  authorizeUrl,
  exchangeCode,
  refreshTokens,
  DEFAULT_TOKEN_URL,
  type AuthorizeUrlOptions,
  type ExchangeCodeOptions,
  type RefreshTokensOptions,
  type TokenRequestOptions,
} from './oauth-flow.js';
export {
  oauth,
  oauthFromStore,
  type OAuthCredentials,
  type OAuthOptions,
  type OAuthFromStoreOptions,
} from './oauth.js';
export { toTokenSet, portalKey, type TokenSet, type TokenInput } from './token-set.js';
export { FileTokenStore, type FileTokenStoreOptions } from './file-token-store.js';
export {
  MemoryTokenStore,
  overwriteTokens,
  type TokenStore,
  type StoredTokens,
  type RefreshOutcome,
} from './token-store.js';
export type { OnTokens } from './refresh-gate.js';
export { BITRIX24_CLOUD_DOMAINS, isLoopbackHost, portalOrigin } from './portal.js';
export {
  B24AuthError,
  InvalidUrlError,
  TokenEndpointError,
  ReauthorizationRequiredError,
  TokenStoreConflictError,
} from './errors.js';
export { parsePhpForm, type FormValue, type ParseFormOptions } from './php-form.js';
export {
  createApp,
  type B24App,
  type B24Event,
  type CreateAppOptions,
  type EventAuth,
  type EventHandler,
  type FrameRequest,
} from './app.js';
export type { AppRequest, AppResponse } from './app-http.js';
export {
  MemoryEventDedupStore,
  eventKey,
  type EventDedupStore,
  type MemoryEventDedupStoreOptions,
} from './event-dedup.js';
export type { NodeHandlerOptions, NodeRequestHandler } from './node-adapter.js';
export {
  consumeOfflineEvents,
  type ConsumeOfflineOptions,
  type ConsumeOfflineResult,
  type OfflineEvent,
  type RestCall,
} from './offline-events.js';
