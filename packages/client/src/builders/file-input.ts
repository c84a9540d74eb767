/**
 * File parameters take `[name, base64]` on the wire (disk uploads, task files, avatars). OPI
 * accepts a path or binary data; `fileInput` accepts a path, a Buffer/Uint8Array or a readable
 * stream and returns that pair.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { B24ArgumentError } from '@b24kit/core';

/** Bytes in memory, a file path, or any (async) iterable of chunks such as a Node Readable. */
export type FileSource = string | Uint8Array | ArrayBuffer | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

function isIterable(v: unknown): v is AsyncIterable<unknown> | Iterable<unknown> {
  return v !== null && typeof v === 'object' && (Symbol.asyncIterator in v || Symbol.iterator in v);
}

async function bytesOf(source: FileSource): Promise<Buffer> {
  if (typeof source === 'string') {
    try {
      return await readFile(source);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new B24ArgumentError(`fileInput: cannot read ${JSON.stringify(source)}${code ? ` (${code})` : ''}`, {
        cause: e,
      });
    }
  }
  if (source instanceof Uint8Array) return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer) return Buffer.from(source);
  if (isIterable(source)) {
    const chunks: Buffer[] = [];
    for await (const chunk of source as AsyncIterable<unknown>) {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      else throw new B24ArgumentError(`fileInput: a stream chunk must be bytes or a string, got ${typeof chunk}`);
    }
    return Buffer.concat(chunks);
  }
  throw new B24ArgumentError(
    `fileInput: expected a path, a Buffer/Uint8Array or a readable stream, got ${source === null ? 'null' : typeof source}`,
  );
}

/**
 * Reads a file source into `[name, base64]`. The name defaults to the path's base name; bytes
 * and streams have no name, so one must be given.
 */
export async function fileInput(source: FileSource, name?: string): Promise<[name: string, base64: string]> {
  const fileName = name ?? (typeof source === 'string' ? basename(source) : undefined);
  if (fileName === undefined || fileName === '') {
    throw new B24ArgumentError('fileInput: a file name is required when the source is not a path');
  }
  return [fileName, (await bytesOf(source)).toString('base64')];
}

/** The same file as bare base64, for parameters that take no name (e.g. im.chat.updateAvatar AVATAR). */
export async function fileBase64(source: FileSource): Promise<string> {
  return (await bytesOf(source)).toString('base64');
}
