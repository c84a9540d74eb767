import type { IncomingMessage } from 'node:http';
import { RestError } from './errors.js';
import { errors } from './errors.js';
import { assignPhpPath, finalizeParams, PARAM_LIMITS, parseStrRaw, phpKeyPath, type Params } from './params.js';

/** A file part of a multipart body, kept as bytes. */
export class UploadedFile {
  constructor(
    readonly name: string,
    readonly type: string,
    readonly bytes: Buffer,
  ) {}
  toJSON(): string {
    // Never dump file bytes into a JSON response by accident.
    return `[file ${this.name}, ${this.bytes.length} bytes]`;
  }
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new RestError('ERROR_CORE', `Request body exceeds ${maxBytes} bytes`, 413);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export interface ParsedBody {
  params: Params;
  /** The body was sent as JSON (REST 3.0 requires it). */
  json: boolean;
  /** JSON was announced but did not parse. */
  invalidJson: boolean;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Body → params: JSON for `application/json` (invalid JSON gives empty params and no error, as
 * the server does, §1.3), multipart through the WHATWG FormData parser, anything else with
 * `parse_str`. Form values are strings; multipart file parts become `UploadedFile`s.
 */
export async function parseBody(body: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = mediaType(contentType);
  if (body.length === 0) return { params: {}, json: type === 'application/json', invalidJson: false };
  if (type === 'application/json') {
    try {
      const value: unknown = JSON.parse(body.toString('utf8'));
      if (value !== null && typeof value === 'object') {
        return { params: Array.isArray(value) ? { ...value } : (value as Params), json: true, invalidJson: false };
      }
      return { params: {}, json: true, invalidJson: false };
    } catch {
      return { params: {}, json: true, invalidJson: true };
    }
  }
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
    } catch {
      throw new RestError('ERROR_CORE', 'Malformed multipart/form-data body', 400);
    }
    const params: Params = {};
    let parts = 0;
    for (const [name, value] of form.entries()) {
      if (++parts > PARAM_LIMITS.maxPairs)
        throw errors.argument(`Too many parameters: more than ${PARAM_LIMITS.maxPairs} form parts`);
      const path = phpKeyPath(name);
      if (!path) continue;
      if (path.length > PARAM_LIMITS.maxDepth + 1)
        throw errors.argument(`Parameter ${JSON.stringify(path[0])} nests deeper than ${PARAM_LIMITS.maxDepth} levels`);
      if (typeof value === 'string') {
        assignPhpPath(params, path, value);
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        assignPhpPath(params, path, new UploadedFile(value.name, value.type, bytes));
      }
    }
    return { params: finalizeParams(params), json: false, invalidJson: false };
  }
  return { params: finalizeParams(parseStrRaw(body.toString('utf8'))), json: false, invalidJson: false };
}

/** `array_replace(query, body)`: the body wins key by key at the top level. */
export function mergeParams(query: Params, body: Params): Params {
  return { ...query, ...body };
}
