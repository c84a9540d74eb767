/**
 * A REST error as the portal sends it: `{error, error_description}` with an HTTP status.
 * Statuses follow PROTOCOL.md §3.3; where the docs and the server source disagree we use the docs.
 */
export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number = 400,
    /** Extra keys merged into the error body, e.g. `{argument: 'EVENT'}` (§3.2). */
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestError';
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra };
  }
}

/** The system errors of PROTOCOL.md §3.3 (and the few known ones beside it), one factory each. */
export const errors = {
  internal: () => new RestError('INTERNAL_SERVER_ERROR', 'Internal server error', 500),
  unexpectedAnswer: () => new RestError('ERROR_UNEXPECTED_ANSWER', 'Server returned an unexpected response', 500),
  queryLimit: () => new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503),
  operationTimeLimit: (method: string) =>
    new RestError('OPERATION_TIME_LIMIT', `Method is blocked due to operation time limit: ${method}`, 429),
  batchMethodNotAllowed: () =>
    new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405),
  batchLengthExceeded: () => new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded', 400),
  noAuthFound: () => new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401),
  httpsRequired: () => new RestError('INVALID_REQUEST', 'Https required', 400),
  overload: () => new RestError('OVERLOAD_LIMIT', 'REST API is blocked due to overload', 503),
  accessDenied: (detail?: string) =>
    new RestError('ACCESS_DENIED', detail ? `Access denied! ${detail}` : 'Access denied!', 403),
  invalidCredentials: () => new RestError('INVALID_CREDENTIALS', 'Invalid request credentials', 403),
  insufficientScope: (byWebhook: boolean) =>
    new RestError(
      'insufficient_scope',
      `The request requires higher privileges than provided by the ${byWebhook ? 'webhook' : 'access'} token`,
      403,
    ),
  expiredToken: () => new RestError('expired_token', 'The access token provided has expired.', 401),
  invalidToken: () => new RestError('invalid_token', 'The access token provided is invalid.', 401),
  userAccess: () => new RestError('user_access_error', 'The user does not have access to the application', 403),
  portalDeleted: () => new RestError('PORTAL_DELETED', 'Portal was deleted', 500),
  methodNotFound: () => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404),
  wrongAuthType: (detail = 'Application context required') =>
    new RestError('WRONG_AUTH_TYPE', `Current authorization type is denied for this method ${detail}`.trim(), 403),
  argument: (description: string, argument?: string) =>
    new RestError('ERROR_ARGUMENT', description, 400, argument === undefined ? undefined : { argument }),
  core: (description: string) => new RestError('ERROR_CORE', description, 400),
  notFound: (description = 'Not found') => new RestError('NOT_FOUND', description, 400),
} as const;

/** Every system error of §3.3 by code, for fault injection and tests. */
export const systemErrorsByCode: Readonly<Record<string, () => RestError>> = {
  INTERNAL_SERVER_ERROR: errors.internal,
  ERROR_UNEXPECTED_ANSWER: errors.unexpectedAnswer,
  QUERY_LIMIT_EXCEEDED: errors.queryLimit,
  OPERATION_TIME_LIMIT: () => errors.operationTimeLimit('method'),
  ERROR_BATCH_METHOD_NOT_ALLOWED: errors.batchMethodNotAllowed,
  ERROR_BATCH_LENGTH_EXCEEDED: errors.batchLengthExceeded,
  NO_AUTH_FOUND: errors.noAuthFound,
  INVALID_REQUEST: errors.httpsRequired,
  OVERLOAD_LIMIT: errors.overload,
  ACCESS_DENIED: () => errors.accessDenied('REST API is available only on commercial plans'),
  INVALID_CREDENTIALS: errors.invalidCredentials,
  ERROR_MANIFEST_IS_NOT_AVAILABLE: () =>
    new RestError('ERROR_MANIFEST_IS_NOT_AVAILABLE', 'Manifest is not available', 404),
  insufficient_scope: () => errors.insufficientScope(false),
  expired_token: errors.expiredToken,
  user_access_error: errors.userAccess,
  PORTAL_DELETED: errors.portalDeleted,
};
