import { once } from 'node:events';
import { clientOnCaller, findDescriptor, type B24Client } from '@b24kit/client';
import { adHocDescriptor, createCaller, type LimiterOption, type MethodDescriptor } from '@b24kit/core';
import { connect } from '../connection.js';
import { parseJsonFlag, positiveNumber, rejectExtra, UsageError, type CliIO } from '../io.js';
import { redactValue } from '../redact.js';
import { sharedLimits, type SharedLimits } from '../shared-limits.js';
import { privateStream } from '../secure-file.js';
import { type ExportFormat, RowWriter } from '../export/format.js';
import { Progress } from '../export/progress.js';

const MAX_CONCURRENCY = 32;

export interface ExportOptions {
  params?: string | undefined;
  filter?: string | undefined;
  select?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
  bom?: boolean | undefined;
  /** false with --no-escape-formulas */
  escapeFormulas?: boolean | undefined;
  concurrency?: string | undefined;
  limiter?: string | undefined;
  /** false with --no-progress */
  progress?: boolean | undefined;
  webhook?: string | undefined;
  profile?: string | undefined;
  /** --redis URL: share the portal's limits through Redis (also B24_REDIS_URL). */
  redis?: string | undefined;
  /** --timeout MS: give up on each request (one page, or one batch of pages) after MS milliseconds. */
  timeout?: string | undefined;
}

/** Options every request of an export carries: the --timeout, when given. */
type PerRequest = { timeout?: number };

/** Exit codes of a stopped export: 128 + the signal's number, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function exportCommand(
  method: string,
  extra: readonly string[],
  values: ExportOptions,
  io: CliIO,
): Promise<number> {
  rejectExtra(extra);
  const format = (values.format ?? 'ndjson') as ExportFormat;
  if (!['ndjson', 'csv', 'json'].includes(format))
    throw new UsageError(`--format must be ndjson, csv or json, got "${values.format}"`);
  if (values.bom && format !== 'csv')
    throw new UsageError('--bom is for --format csv (JSON must not start with a byte order mark)');
  if (values.escapeFormulas === false && format !== 'csv')
    throw new UsageError('--no-escape-formulas is for --format csv');
  const params: Record<string, unknown> = parseJsonFlag('params', values.params);
  if (values.filter !== undefined) params.filter = parseJsonFlag('filter', values.filter);
  const select = values.select
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (values.select !== undefined && (!select || select.length === 0))
    throw new UsageError('--select needs field names, e.g. --select ID,TITLE');
  if (select) params.select = select;
  const concurrency = parseConcurrency(values.concurrency);
  const limiter = parseLimiter(values.limiter);
  const timeout = positiveNumber('timeout', values.timeout);
  const perRequest: PerRequest = timeout === undefined ? {} : { timeout };
  const descriptor = listDescriptor(method);
  const limits = await sharedLimits(values.redis, io.env);
  let b24: B24Client;
  try {
    b24 = await connect(values, io, limits ? { limiterStore: limits.store } : {}).then((client) =>
      withLimiter(client, limiter, limits),
    );
  } catch (error) {
    await limits?.close();
    throw error;
  }
  let out: NodeJS.WritableStream;
  try {
    out = values.out ? await openOutput(values.out, io) : io.stdout;
  } catch (error) {
    await b24.close();
    await limits?.close();
    throw error;
  }
  const writer = new RowWriter(format, {
    select,
    bom: values.bom === true,
    escapeFormulas: values.escapeFormulas !== false,
  });
  // A live line only for a person watching stderr, and never on the terminal the rows go to.
  const isTty = (stream: NodeJS.WritableStream) => Boolean((stream as { isTTY?: boolean }).isTTY);
  const rowsOnTerminal = out === io.stdout && isTty(io.stdout);
  const showProgress = values.progress !== false && isTty(io.stderr) && !rowsOnTerminal;
  const progress = showProgress ? new Progress(io.stderr) : undefined;
  const controller = new AbortController();
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
  const stopOn = (signal: keyof typeof SIGNAL_EXIT) => () => {
    stoppedBy ??= signal;
    controller.abort(new Error(signal === 'SIGINT' ? 'interrupted' : 'terminated'));
  };
  const onInt = stopOn('SIGINT');
  const onTerm = stopOn('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const countController = new AbortController();
  controller.signal.addEventListener('abort', () => countController.abort(), { once: true });
  let counting: Promise<void> | undefined;
  let rows = 0;
  let failure: unknown;
  try {
    // The total (for the share done and the ETA) comes from one counted call made beside the
    // reading, not before it: counting a large table can take the portal longer than a page,
    // and the rows should not wait for it. Until it answers, the line shows rows and rate.
    if (progress) {
      progress.start();
      progress.update(0);
      counting = countRows(b24, descriptor, params, { signal: countController.signal, ...perRequest }).then((total) => {
        progress.total = total;
      });
    }
    write(out, writer.start());
    const rowsOf =
      concurrency > 1
        ? b24.caller.paginateParallel(descriptor, params, {
            chains: concurrency,
            signal: controller.signal,
            ...perRequest,
          })
        : b24.paginate(descriptor, params, { signal: controller.signal, ...perRequest });
    for await (const row of rowsOf) {
      if (!write(out, writer.row(redactValue(row as Record<string, unknown>)))) await once(out, 'drain');
      rows += 1;
      progress?.update(rows);
    }
    if (rows === 0 && format === 'csv' && !writer.columns && !stoppedBy) {
      writer.columns = await fieldNames(b24, descriptor, { signal: controller.signal, ...perRequest });
      if (!writer.columns)
        io.stderr.write('b24 export: no rows, and no column names known; pass --select to get a header\n');
    }
  } catch (error) {
    failure = error;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    // A finished export waits for its count (the last line shows the total); a stopped one does not.
    if (failure !== undefined || stoppedBy) countController.abort();
    await counting;
    // Whatever happened, close the output cleanly: every row written so far stays whole
    // (a JSON array is closed and an empty CSV gets its header, so the file still parses).
    write(out, writer.end());
    progress?.finish(rows);
    if (out !== io.stdout) {
      (out as NodeJS.WritableStream).end();
      await once(out, 'finish');
    }
    await b24.close();
    await limits?.close();
  }
  const where = values.out ? ` to ${values.out}` : '';
  if (stoppedBy) {
    io.stderr.write(
      `b24 export: ${stoppedBy === 'SIGINT' ? 'interrupted' : 'terminated'} after ${rows} rows (written${where} and intact)\n`,
    );
    return SIGNAL_EXIT[stoppedBy];
  }
  if (failure !== undefined) {
    io.stderr.write(`b24 export: stopped after ${rows} rows (written${where} and intact)\n`);
    throw failure;
  }
  if (!progress) io.stderr.write(`b24 export: ${rows} rows\n`);
  return 0;
}

function write(out: NodeJS.WritableStream, text: string): boolean {
  return text === '' ? true : out.write(text);
}

/** One counted call (start=0) to know the total for the ETA; only when a terminal shows it. Never throws. */
async function countRows(
  b24: B24Client,
  descriptor: MethodDescriptor,
  params: Record<string, unknown>,
  options: PerRequest & { signal: AbortSignal },
) {
  try {
    const page = await b24.callEnvelope(descriptor, { ...params, start: 0 }, options);
    return typeof page.total === 'number' ? page.total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The schema's descriptor when the method is described (it must be a list method); otherwise an
 * ad-hoc one paged by offset with rows in `result`, so undescribed list methods still export
 * (and an unknown method gets the portal's own ERROR_METHOD_NOT_FOUND).
 */
function listDescriptor(method: string): MethodDescriptor {
  const described = findDescriptor(method);
  if (described && !described.list)
    throw new UsageError(`${described.method} does not return pages of rows; use "b24 call ${described.method}"`);
  return (
    described ?? { ...adHocDescriptor(method), idempotent: true, list: { rows: '', idField: 'ID', keyset: false } }
  );
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new UsageError(`--concurrency must be an integer 1..${MAX_CONCURRENCY}, got "${text}"`);
  return n;
}

function parseLimiter(text: string | undefined): LimiterOption | undefined {
  if (text === undefined) return undefined;
  if (text === 'standard' || text === 'enterprise') return text;
  if (text === 'off') return false;
  throw new UsageError(`--limiter must be standard, enterprise or off, got "${text}"`);
}

/** The same portal connection with another request bucket (the connection's caller is unused). */
async function withLimiter(
  client: B24Client,
  limiter: LimiterOption | undefined,
  limits: SharedLimits | undefined,
): Promise<B24Client> {
  if (limiter === undefined) return client;
  await client.close();
  return clientOnCaller(
    createCaller({
      credentials: client.caller.credentials,
      limiter,
      ...(limits ? { limiterStore: limits.store } : {}),
    }),
  );
}

/**
 * Opens --out before anything is read, so a bad path fails at once with a clear message. The
 * file is private (0600, no symbolic links followed): see secure-file.ts.
 */
async function openOutput(path: string, io: CliIO): Promise<NodeJS.WritableStream> {
  // Opened synchronously on a descriptor, so there is no 'open' event to wait for.
  return privateStream(path, io.stderr);
}

/**
 * The column names of an empty CSV export without --select: the field names the method's
 * sibling `*.fields` method describes (crm.deal.list -> crm.deal.fields), when there is one.
 */
async function fieldNames(
  b24: B24Client,
  descriptor: MethodDescriptor,
  options: PerRequest & { signal: AbortSignal },
): Promise<string[] | undefined> {
  const fields = findDescriptor(descriptor.method.replace(/\.[^.]+$/, '.fields'));
  if (!fields || fields.method === descriptor.method) return undefined;
  try {
    const result = (await b24.call(fields, {}, options)) as Record<string, unknown> | null;
    const map =
      result && typeof result === 'object' && 'fields' in result && typeof result.fields === 'object'
        ? (result.fields as Record<string, unknown>)
        : result;
    const names = map && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : [];
    return names.length > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}
