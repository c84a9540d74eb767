/**
 * Errors raised by @b24kit/auth. Messages never contain a secret: they name what is wrong,
 * not the value that was wrong.
 *
 * One error tree: every class here extends core's `B24AuthError`, itself a `B24Error`, so
 * `instanceof B24Error` holds for everything b24kit throws and `code` is always set. The brand of
 * `B24AuthError` is shared with core's, so an `expired_token` from the wire and a refresh failure
 * here are both `instanceof` either package's `B24AuthError`.
 */
import { B24AuthError as CoreAuthError, replaceMessage } from '@b24kit/core';

/** Base class of every error this package raises; a core `B24AuthError` (and `B24Error`). */
export class B24AuthError extends CoreAuthError {
  static override readonly kind: string = 'B24AuthError';
  /**
   * @param code A stable machine-readable code, e.g. `invalid_grant`, `INVALID_URL`.
   * @param message What is wrong, without secrets.
   */
  constructor(code: string, message: string, options?: { cause?: unknown; status?: number; method?: string }) {
    super({
      method: options?.method ?? 'auth',
      code,
      description: message,
      status: options?.status,
      cause: options?.cause,
    });
    replaceMessage(this, message);
  }
}

/** A webhook URL or portal address that does not have the expected shape. */
export class InvalidUrlError extends B24AuthError {
  static override readonly kind: string = 'InvalidUrlError';
  constructor(message: string) {
    super('INVALID_URL', message);
  }
}

/** The OAuth token endpoint refused a request or answered with something unusable. */
export class TokenEndpointError extends B24AuthError {
  static override readonly kind: string = 'TokenEndpointError';
  /** HTTP status of the token endpoint's answer; 0 when no answer arrived. */
  declare readonly status: number;
  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(code, message, { ...options, status, method: 'oauth.token' });
  }
}

/**
 * The refresh token is no longer valid (`invalid_grant`): used already, expired (180 days),
 * or the application was removed. Nothing but a new authorization (install or OAuth flow)
 * can fix this, so the library stops instead of retrying.
 */
export class ReauthorizationRequiredError extends TokenEndpointError {
  static override readonly kind: string = 'ReauthorizationRequiredError';
  /** The portal (member_id or domain) that needs authorizing again. */
  readonly portalKey: string;
  constructor(portalKey: string, status: number, detail?: string) {
    super(
      'invalid_grant',
      `The refresh token of portal ${portalKey} was rejected (invalid_grant${detail ? `: ${detail}` : ''}). ` +
        'It was already used, expired, or the application was removed; authorize the application ' +
        'on this portal again (reinstall it or repeat the OAuth flow) to get new tokens.',
      status,
    );
    this.portalKey = portalKey;
  }
}

/** A token store's compare-and-set failed: someone else wrote the entry since it was read. */
export class TokenStoreConflictError extends B24AuthError {
  static override readonly kind: string = 'TokenStoreConflictError';
  readonly key: string;
  readonly expectedVersion: number | null;
  readonly actualVersion: number | null;
  constructor(key: string, expectedVersion: number | null, actualVersion: number | null) {
    super(
      'TOKEN_STORE_CONFLICT',
      `Token store entry "${key}" changed concurrently: expected version ${expectedVersion ?? 'none (new entry)'}, ` +
        `found ${actualVersion ?? 'none (deleted)'}. Read the entry again and retry.`,
    );
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
