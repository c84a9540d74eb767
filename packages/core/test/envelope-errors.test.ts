import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  B24AccessDeniedError,
  B24AuthError,
  B24Error,
  B24NotFoundError,
  B24OperatingLimitError,
  B24RateLimitError,
  B24ScopeError,
  B24ServerError,
  B24ValidationError,
  decodeResponse,
  errorClassFor,
  mapError,
} from '../src/index.js';

const ctx = { method: 'crm.deal.list', redact: (t: string) => t.replaceAll('SECRET', '***') };

describe('decodeResponse: success envelopes', () => {
  const cases: [string, number, string, unknown][] = [
    ['scalar result', 200, '{"result":true}', { result: true }],
    ['null result', 200, '{"result":null}', { result: null }],
    [
      'list with next/total',
      200,
      '{"result":[{"ID":"1"}],"next":50,"total":51}',
      { result: [{ ID: '1' }], next: 50, total: 51 },
    ],
    [
      'numeric strings for next/total',
      200,
      '{"result":[],"next":"100","total":"0"}',
      { result: [], next: 100, total: 0 },
    ],
    ['start=-1 sample without next', 200, '{"result":[],"total":0}', { result: [], total: 0 }],
    [
      'time block with string numbers and extra keys',
      200,
      '{"result":1,"time":{"start":1778747192.9,"duration":"0.5","operating":3.3,"operating_reset_at":1778747792,"date_start":"2026-05-14T10:26:32+02:00","extra":1}}',
      {
        result: 1,
        time: {
          start: 1778747192.9,
          duration: 0.5,
          operating: 3.3,
          operating_reset_at: 1778747792,
          date_start: '2026-05-14T10:26:32+02:00',
        },
      },
    ],
    ['REST 3.0 item', 200, '{"result":{"item":{"id":1}}}', { result: { item: { id: 1 } } }],
  ];
  it.each(cases)('%s', (_, status, text, expected) => {
    const d = decodeResponse(status, text, ctx);
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.envelope).toEqual(expected);
  });
});

describe('decodeResponse: errors', () => {
  const cases: [string, number, string, Function, string, boolean][] = [
    [
      'expired token',
      401,
      '{"error":"expired_token","error_description":"The access token provided has expired."}',
      B24AuthError,
      'expired_token',
      false,
    ],
    ['error with HTTP 200', 200, '{"error":"WRONG_CLIENT","error_description":""}', B24Error, 'WRONG_CLIENT', false],
    [
      'REST 3.0 error object',
      400,
      '{"error":{"code":"BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION","message":"bad json"}}',
      B24Error,
      'BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION',
      false,
    ],
    [
      'rate limit',
      503,
      '{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}',
      B24RateLimitError,
      'QUERY_LIMIT_EXCEEDED',
      false,
    ],
    [
      'operating limit',
      429,
      '{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit."}',
      B24OperatingLimitError,
      'OPERATION_TIME_LIMIT',
      false,
    ],
    [
      '500 internal',
      500,
      '{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}',
      B24ServerError,
      'INTERNAL_SERVER_ERROR',
      true,
    ],
    ['HTML 502 from a proxy', 502, '<html><body>Bad gateway</body></html>', B24ServerError, 'HTTP_502', true],
    ['malformed JSON at 200', 200, '{"result":', B24ServerError, 'INVALID_RESPONSE', true],
    ['empty body at 200', 200, '', B24ServerError, 'INVALID_RESPONSE', true],
    ['JSON without result', 200, '{"foo":1}', B24ServerError, 'INVALID_RESPONSE', true],
    ['JSON array', 200, '[1,2]', B24ServerError, 'INVALID_RESPONSE', true],
    ['HTML 404', 404, '<html>nginx 404</html>', B24NotFoundError, 'HTTP_404', false],
    ['result with error status', 403, '{"result":[]}', B24AccessDeniedError, 'HTTP_403', false],
    [
      'legacy empty code, not found',
      400,
      '{"error":"","error_description":"Not found"}',
      B24NotFoundError,
      'NOT_FOUND',
      false,
    ],
    [
      'legacy empty code, other',
      400,
      '{"error":"","error_description":"Parameter fields is empty"}',
      B24Error,
      'HTTP_400',
      false,
    ],
  ];
  it.each(cases)('%s', (_, status, text, Class, code, unknownOutcome) => {
    const d = decodeResponse(status, text, ctx);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.error).toBeInstanceOf(Class);
    expect(d.error.code).toBe(code);
    expect(d.error.status).toBe(status);
    expect(d.error.method).toBe('crm.deal.list');
    expect(d.error.outcomeUnknown).toBe(unknownOutcome);
  });

  it('redacts the description and never echoes a body', () => {
    const d = decodeResponse(401, '{"error":"NO_AUTH_FOUND","error_description":"bad code SECRET"}', ctx);
    expect(!d.ok && d.error.message).toBe('crm.deal.list failed with NO_AUTH_FOUND (HTTP 401): bad code ***');
    const html = decodeResponse(500, '<html>SECRET</html>', ctx);
    expect(!html.ok && html.error.message).not.toContain('SECRET');
  });
});

describe('error mapping: code first, status second', () => {
  const table: [string, number | undefined, Function][] = [
    ['expired_token', 401, B24AuthError],
    ['invalid_token', 401, B24AuthError],
    ['NO_AUTH_FOUND', 401, B24AuthError],
    ['insufficient_scope', 403, B24ScopeError],
    ['insufficient_scope', 401, B24ScopeError], // old builds send 401; the code wins
    ['ACCESS_DENIED', 400, B24AccessDeniedError], // app.info doc shows 400
    ['user_access_error', 403, B24AccessDeniedError],
    ['WRONG_AUTH_TYPE', 403, B24AccessDeniedError],
    ['ERROR_METHOD_NOT_FOUND', 404, B24NotFoundError],
    ['ERROR_NOT_FOUND', 400, B24NotFoundError],
    ['NOT_FOUND', 400, B24NotFoundError],
    ['QUERY_LIMIT_EXCEEDED', 503, B24RateLimitError],
    ['QUERY_LIMIT_EXCEEDED', 429, B24RateLimitError], // 2024-09 docs
    ['OPERATION_TIME_LIMIT', 429, B24OperatingLimitError],
    ['INTERNAL_SERVER_ERROR', 500, B24ServerError],
    ['PORTAL_DELETED', 500, B24AccessDeniedError],
    ['SOME_NEW_CODE', 401, B24AuthError],
    ['SOME_NEW_CODE', 403, B24AccessDeniedError],
    ['SOME_NEW_CODE', 404, B24NotFoundError],
    ['SOME_NEW_CODE', 429, B24RateLimitError],
    ['SOME_NEW_CODE', 503, B24ServerError],
    ['ERROR_ARGUMENT', 400, B24Error],
    ['ERROR_CORE', undefined, B24Error],
  ];
  it.each(table)('%s / %s', (code, status, Class) => {
    expect(errorClassFor(code, status)).toBe(Class);
    const e = mapError({ code, status, method: 'm' });
    expect(e).toBeInstanceOf(Class);
    expect(e).toBeInstanceOf(B24Error);
  });

  it('subclasses are distinct', () => {
    const e = mapError({ code: 'expired_token', status: 401, method: 'm' });
    expect(e).not.toBeInstanceOf(B24ScopeError);
    expect(e).not.toBeInstanceOf(B24ServerError);
    expect(new Error('x')).not.toBeInstanceOf(B24Error);
    expect({ code: 'x' }).not.toBeInstanceOf(B24Error);
  });

  it('carries the reset time of an operating limit', () => {
    const resetAt = new Date(1778747792000);
    const e = mapError({ code: 'OPERATION_TIME_LIMIT', status: 429, method: 'crm.deal.list', resetAt });
    expect(e).toBeInstanceOf(B24OperatingLimitError);
    expect((e as B24OperatingLimitError).resetAt).toEqual(resetAt);
  });

  it('validation errors list problems', () => {
    const e = new B24ValidationError({ method: 'x.y', problems: ["missing required parameter 'id'"] });
    expect(e.code).toBe('INVALID_PARAMS');
    expect(e.message).toBe("x.y failed with INVALID_PARAMS: missing required parameter 'id'");
  });

  it('withAttempts keeps the class and appends a note to message and stack', () => {
    const e = mapError({ code: 'INTERNAL_SERVER_ERROR', status: 500, method: 'crm.deal.add' });
    const n = e.withAttempts(3, 'gave up');
    expect(n).toBeInstanceOf(B24ServerError);
    expect(n.attempts).toBe(3);
    expect(n.message.endsWith('. gave up')).toBe(true);
    expect(n.stack).toContain('. gave up');
    expect(inspect(n)).toContain('attempts: 3');
  });
});

describe('instanceof across two copies of the package', () => {
  it('holds when the error comes from another module instance', async () => {
    // A query string makes vite load a second, independent instance of the module.
    const path = '../src/errors.ts?copy=2';
    const other = (await import(/* @vite-ignore */ path)) as typeof import('../src/errors.js');
    expect(other.B24AuthError).not.toBe(B24AuthError);
    const foreign = new other.B24AuthError({ code: 'expired_token', method: 'm' });
    expect(foreign).toBeInstanceOf(B24AuthError);
    expect(foreign).toBeInstanceOf(B24Error);
    expect(foreign).not.toBeInstanceOf(B24ScopeError);
    const local = new B24RateLimitError({ code: 'QUERY_LIMIT_EXCEEDED', method: 'm' });
    expect(local).toBeInstanceOf(other.B24RateLimitError);
    expect(local).not.toBeInstanceOf(other.B24AuthError);
  });
});
