import { parseArgs } from 'node:util';
import { redactValue } from './redact.js';

/** What a command may touch: injected so tests can run commands in-process. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A user mistake on the command line: printed as is with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose --help to point at, when it is not the one that was routed (b24 crm deal list). */
  help?: string;
}

/** Prints a result as JSON; tokens inside URLs (a file's DOWNLOAD_URL) are redacted. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(redactValue(value), null, 2)}\n`);
}

/** A positive number of milliseconds (or seconds) from a flag, or undefined when not given. */
export function positiveNumber(flag: string, text: string | undefined, unit = 'milliseconds'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value))
    throw new UsageError(`--${flag} must be a positive number of ${unit}, got "${text}"`);
  return value;
}

/** Extra words after the one a command takes: never echoed as given (they may be a webhook URL). */
export function rejectExtra(extra: readonly string[]): void {
  if (extra.length === 0) return;
  const looksLikeWebhook = extra.some((word) => /^https?:\/\//i.test(word));
  throw new UsageError(
    `takes one METHOD; ${extra.length} more argument${extra.length === 1 ? '' : 's'} given` +
      (looksLikeWebhook
        ? ' (a URL: pass a webhook as --webhook URL, or better in B24_WEBHOOK_URL)'
        : ` (params go in --params JSON)`),
  );
}

export function parseJsonFlag(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--${flag} must be a JSON object, e.g. --${flag} '{"id": 1}'`);
  }
  return value as Record<string, unknown>;
}

type ParseConfig = Parameters<typeof parseArgs>[0] & object;
type ParseOptions = NonNullable<ParseConfig['options']>;

/** Strict option parsing: a misspelt flag is an error rather than silently ignored. */
export function parse<T extends ParseOptions>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}
