/**
 * Errors raised by @b24kit/auth. Messages never contain a secret: they name what is wrong,
 * not the value that was wrong.
 */

/** Base class of every error this package raises. */
export class B24AuthError extends Error {
  /** A stable machine-readable code, e.g. `invalid_grant`, `INVALID_WEBHOOK_URL`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'B24AuthError';
    this.code = code;
  }
}

/** A webhook URL or portal address that does not have the expected shape. */
export class InvalidUrlError extends B24AuthError {
  constructor(message: string) {
    super('INVALID_URL', message);
    this.name = 'InvalidUrlError';
  }
}

/** The OAuth token endpoint refused a request or answered with something unusable. */
export class TokenEndpointError extends B24AuthError {
  /** HTTP status of the token endpoint's answer; 0 when no answer arrived. */
  readonly status: number;
  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'TokenEndpointError';
    this.status = status;
  }
}

/**
 * The refresh token is no longer valid (`invalid_grant`): used already, expired (180 days),
 * or the application was removed. Nothing but a new authorization (install or OAuth flow)
 * can fix this, so the library stops instead of retrying.
 */
export class ReauthorizationRequiredError extends TokenEndpointError {
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
    this.name = 'ReauthorizationRequiredError';
    this.portalKey = portalKey;
  }
}

/** A token store's compare-and-set failed: someone else wrote the entry since it was read. */
export class TokenStoreConflictError extends B24AuthError {
  readonly key: string;
  readonly expectedVersion: number | null;
  readonly actualVersion: number | null;
  constructor(key: string, expectedVersion: number | null, actualVersion: number | null) {
    super(
      'TOKEN_STORE_CONFLICT',
      `Token store entry "${key}" changed concurrently: expected version ${expectedVersion ?? 'none (new entry)'}, ` +
        `found ${actualVersion ?? 'none (deleted)'}. Read the entry again and retry.`,
    );
    this.name = 'TokenStoreConflictError';
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
