/** The framework-neutral request and response an application handler takes and returns. */

export interface AppRequest {
  /** `POST`, `GET`, ... */
  readonly method: string;
  /** Path and query as received, e.g. `/install?DOMAIN=x.bitrix24.com&PROTOCOL=1`. */
  readonly url: string;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
}

export interface AppResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function jsonResponse(status: number, body: unknown): AppResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

export function errorResponse(status: number, code: string, description: string): AppResponse {
  return jsonResponse(status, { error: code, error_description: description });
}

export function header(request: AppRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

export function bodyText(request: AppRequest): string {
  return typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
}
