/**
 * Errors thrown (or, in batch, returned) by core. One base class, `B24Error`, and one subclass
 * per thing a caller may want to branch on. Classes are branded with `Symbol.for` keys so that
 * `instanceof` holds even when two copies of @b24kit/core are loaded in one process (a CJS and an
 * ESM copy, or two versions in node_modules).
 */

const KINDS = Symbol.for('b24kit.error.kinds');

export interface B24ErrorInit {
  /** The wire `error` code (`expired_token`, `QUERY_LIMIT_EXCEEDED`, ...) or a core code (`NETWORK_ERROR`, ...). */
  code: string;
  /** The wire `error_description`, or core's explanation. Already redacted. */
  description?: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The REST method that failed (`crm.deal.add`, or `batch`). */
  method: string;
  /** True when the request may have been executed by the server although the call failed. */
  outcomeUnknown?: boolean;
  /** Sentence appended to the message, e.g. why the call was not repeated. */
  note?: string;
  /** Underlying cause (already stripped of secrets by the thrower). */
  cause?: unknown;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

/** Base class of every b24kit error. `instanceof B24Error` works across package copies. */
export class B24Error extends Error {
  static readonly kind: string = 'B24Error';

  readonly code: string;
  readonly description: string;
  readonly status: number | undefined;
  readonly method: string;
  /**
   * True when the request may have reached the server and been executed, yet no answer was read
   * (connection reset, timeout after sending, unreadable 5xx). Such a call was not repeated unless
   * its method is idempotent; check the portal before repeating it yourself.
   */
  readonly outcomeUnknown: boolean;
  readonly attempts: number;
  declare readonly [KINDS]: readonly string[];

  constructor(init: B24ErrorInit) {
    const about = init.description ? `: ${init.description}` : '';
    const status = init.status === undefined ? '' : ` (HTTP ${init.status})`;
    const note = init.note ? `. ${init.note}` : '';
    super(
      `${init.method} failed with ${init.code}${status}${about}${note}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = init.code;
    this.description = init.description ?? '';
    this.status = init.status;
    this.method = init.method;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.attempts = init.attempts ?? 1;
    // Collect the brand of every class from the concrete one up to B24Error.
    const kinds: string[] = [];
    for (
      let c: unknown = new.target;
      typeof c === 'function' && Object.hasOwn(c, 'kind');
      c = Object.getPrototypeOf(c)
    ) {
      kinds.push((c as unknown as { kind: string }).kind);
    }
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds), enumerable: false });
    Object.defineProperty(this, 'name', {
      value: kinds[0] ?? 'B24Error',
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as Record<symbol, unknown>)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  /** A copy with `attempts` and an optional note set, keeping the class. */
  withAttempts(attempts: number, note?: string): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(this));
    Object.defineProperty(copy, 'attempts', { value: attempts, enumerable: true });
    if (note) {
      Object.defineProperty(copy, 'message', { value: `${this.message}. ${note}`, writable: true, configurable: true });
      Object.defineProperty(copy, 'stack', {
        value: this.stack?.replace(this.message, copy.message),
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
}

/** Authentication failed: bad, expired or revoked token, wrong webhook code. */
export class B24AuthError extends B24Error {
  static override readonly kind: string = 'B24AuthError';
}
/** The token or webhook lacks a scope the method needs. */
export class B24ScopeError extends B24Error {
  static override readonly kind: string = 'B24ScopeError';
}
/** The user, plan or auth type may not do this. */
export class B24AccessDeniedError extends B24Error {
  static override readonly kind: string = 'B24AccessDeniedError';
}
/** The method or the entity does not exist. */
export class B24NotFoundError extends B24Error {
  static override readonly kind: string = 'B24NotFoundError';
}
/** The portal's request-rate bucket overflowed (`QUERY_LIMIT_EXCEEDED`). */
export class B24RateLimitError extends B24Error {
  static override readonly kind: string = 'B24RateLimitError';
}
/** The method used up its operating-time budget (`OPERATION_TIME_LIMIT`). */
export class B24OperatingLimitError extends B24Error {
  static override readonly kind: string = 'B24OperatingLimitError';
  /** When the oldest operating-time bucket expires, if known. */
  readonly resetAt: Date | undefined;
  constructor(init: B24ErrorInit & { resetAt?: Date }) {
    super(init);
    this.resetAt = init.resetAt;
  }
}
/** Parameters were refused before anything was sent. */
export class B24ValidationError extends B24Error {
  static override readonly kind: string = 'B24ValidationError';
  /** One line per problem, naming the parameter (never its value). */
  readonly problems: readonly string[];
  constructor(init: Omit<B24ErrorInit, 'code'> & { problems: readonly string[]; code?: string }) {
    super({ ...init, code: init.code ?? 'INVALID_PARAMS', description: init.description ?? init.problems.join('; ') });
    this.problems = init.problems;
  }
}
/** The connection failed (refused, reset, DNS). */
export class B24NetworkError extends B24Error {
  static override readonly kind: string = 'B24NetworkError';
}
/** No answer within the timeout. */
export class B24TimeoutError extends B24Error {
  static override readonly kind: string = 'B24TimeoutError';
}
/** The server failed (5xx, unreadable answer). */
export class B24ServerError extends B24Error {
  static override readonly kind: string = 'B24ServerError';
}
/** The caller's AbortSignal fired. Named `AbortError` like the platform's own. */
export class B24AbortError extends B24Error {
  static override readonly kind: string = 'AbortError';
}

/**
 * A wrong argument of a b24kit function (a bad option, a malformed step, an empty ref key):
 * a programming error, raised before anything is sent. Its message is the problem alone.
 */
export class B24ArgumentError extends B24Error {
  static override readonly kind: string = 'B24ArgumentError';
  constructor(message: string, init: { method?: string; code?: string; cause?: unknown } = {}) {
    super({
      method: init.method ?? 'b24kit',
      code: init.code ?? 'INVALID_ARGUMENT',
      description: message,
      cause: init.cause,
    });
    replaceMessage(this, message);
  }
}

/** Sets a plain message (and the stack's first line) on an error built by B24Error. */
export function replaceMessage(error: Error, message: string): void {
  const old = error.message;
  Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (typeof error.stack === 'string') {
    Object.defineProperty(error, 'stack', {
      value: error.stack.replace(old, message),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

/**
 * A portal answered with a redirect to another host that was not followed: not https, or not
 * accepted by the credentials as the same portal moved (see `acceptMove`). Nothing was sent to
 * `targetHost`; the old host did not run the method.
 */
export class B24PortalMovedError extends B24Error {
  static override readonly kind: string = 'B24PortalMovedError';
  /** Host (and port) the redirect pointed to. */
  readonly targetHost: string;
  constructor(init: B24ErrorInit & { targetHost: string }) {
    super(init);
    this.targetHost = init.targetHost;
  }
}

type ErrorClass = new (init: B24ErrorInit) => B24Error;

/** Wire codes, first key of the mapping (PROTOCOL.md §3). */
const BY_CODE: Readonly<Record<string, ErrorClass>> = {
  expired_token: B24AuthError,
  invalid_token: B24AuthError,
  NO_AUTH_FOUND: B24AuthError,
  authorization_error: B24AuthError,
  ERROR_OAUTH: B24AuthError,
  invalid_grant: B24AuthError,
  invalid_client: B24AuthError,
  insufficient_scope: B24ScopeError,
  invalid_scope: B24ScopeError,
  ACCESS_DENIED: B24AccessDeniedError,
  user_access_error: B24AccessDeniedError,
  INVALID_CREDENTIALS: B24AccessDeniedError,
  WRONG_AUTH_TYPE: B24AccessDeniedError,
  METHOD_CONFIRM_WAITING: B24AccessDeniedError,
  METHOD_CONFIRM_DENIED: B24AccessDeniedError,
  allowed_only_intranet_user: B24AccessDeniedError,
  PAYMENT_REQUIRED: B24AccessDeniedError,
  PORTAL_DELETED: B24AccessDeniedError,
  ERROR_METHOD_NOT_FOUND: B24NotFoundError,
  ERROR_NOT_FOUND: B24NotFoundError,
  NOT_FOUND: B24NotFoundError,
  ERROR_MANIFEST_IS_NOT_AVAILABLE: B24NotFoundError,
  APPLICATION_NOT_FOUND: B24NotFoundError,
  QUERY_LIMIT_EXCEEDED: B24RateLimitError,
  OPERATION_TIME_LIMIT: B24OperatingLimitError,
  INTERNAL_SERVER_ERROR: B24ServerError,
  ERROR_UNEXPECTED_ANSWER: B24ServerError,
  OVERLOAD_LIMIT: B24ServerError,
  CONNECTION_ERROR: B24ServerError,
};

/** Codes whose request the server refused before executing anything. */
export const REFUSED_CODES: ReadonlySet<string> = new Set([
  'QUERY_LIMIT_EXCEEDED',
  'OPERATION_TIME_LIMIT',
  'OVERLOAD_LIMIT',
]);

/** HTTP status, second key of the mapping, for codes core does not know. */
function classByStatus(status: number | undefined): ErrorClass {
  if (status === undefined) return B24Error;
  if (status === 401) return B24AuthError;
  if (status === 403) return B24AccessDeniedError;
  if (status === 404) return B24NotFoundError;
  if (status === 429) return B24RateLimitError;
  if (status >= 500) return B24ServerError;
  return B24Error;
}

/** The error class for a wire error: by `error` code first, by HTTP status second. */
export function errorClassFor(code: string, status: number | undefined): ErrorClass {
  return BY_CODE[code] ?? classByStatus(status);
}

/** Builds the right B24Error subclass for a wire error. */
export function mapError(init: B24ErrorInit & { resetAt?: Date }): B24Error {
  const Class = errorClassFor(init.code, init.status);
  // A server failure may have happened after the method did its work; a refusal did not.
  if (Class === B24ServerError && init.outcomeUnknown === undefined && !REFUSED_CODES.has(init.code)) {
    init = { ...init, outcomeUnknown: true };
  }
  if (Class === B24OperatingLimitError) return new B24OperatingLimitError(init);
  return new Class(init);
}

/** Codes that mean "the token is stale; fresh credentials may succeed" (PROTOCOL.md §3.3). */
export const RECOVERABLE_AUTH_CODES: ReadonlySet<string> = new Set(['expired_token', 'invalid_token']);
