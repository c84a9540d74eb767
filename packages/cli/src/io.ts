import { parseArgs } from 'node:util';

/** What a command may touch: injected so tests can run commands in-process. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A user mistake on the command line: printed as is with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
