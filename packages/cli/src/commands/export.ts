import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { clientOnCaller, findDescriptor, type B24Client } from '@b24kit/client';
import { adHocDescriptor, createCaller, type LimiterOption, type MethodDescriptor } from '@b24kit/core';
import { connect, connectionFlags } from '../connection.js';
import { parse, parseJsonFlag, UsageError, type CliIO } from '../io.js';
import { formatRow, type ExportFormat, RowWriter } from '../export/format.js';
import { Progress } from '../export/progress.js';

const HELP = `Usage: b24 export METHOD [--params JSON] [--filter JSON] [--select A,B]
                  [--format ndjson|csv|json] [--out FILE] [--concurrency N]
                  [--limiter standard|enterprise|off] [--webhook URL | --profile NAME]

Streams every row of a list method (e.g. crm.deal.list) with constant memory.
Rows go to --out FILE or stdout; a progress line goes to stderr when it is a terminal.

  --concurrency N   read N id ranges at once (keyset list methods only; rows come
                    interleaved, not in id order). Default 1.
  --limiter P       the portal's request bucket to stay under: standard (50, 2/s, the
                    default), enterprise (250, 5/s), or off.

Failed reads are retried; on failure or Ctrl-C every row written so far stays whole
(a JSON array is closed). Exit code 1 on failure, 130 when interrupted.
Methods b24kit does not describe are paged by offset, rows taken from \`result\`.
`;

const MAX_CONCURRENCY = 32;

export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    params: { type: 'string' },
    filter: { type: 'string' },
    select: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    concurrency: { type: 'string' },
    limiter: { type: 'string' },
    ...connectionFlags,
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [method, ...extra] = positionals;
  if (!method) throw new UsageError('missing METHOD, e.g. b24 export crm.deal.list');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const format = (values.format ?? 'ndjson') as ExportFormat;
  if (!['ndjson', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be ndjson, csv or json, got "${values.format}"`);
  const params: Record<string, unknown> = parseJsonFlag('params', values.params);
  if (values.filter !== undefined) params.filter = parseJsonFlag('filter', values.filter);
  const select = values.select?.split(',').map((name) => name.trim()).filter(Boolean);
  if (values.select !== undefined && (!select || select.length === 0)) throw new UsageError('--select needs field names, e.g. --select ID,TITLE');
  if (select) params.select = select;
  const concurrency = parseConcurrency(values.concurrency);
  const limiter = parseLimiter(values.limiter);
  const descriptor = listDescriptor(method);
  const b24 = await connect(values, io).then((client) => withLimiter(client, limiter));
  let out: NodeJS.WritableStream;
  try {
    out = values.out ? await openOutput(values.out) : io.stdout;
  } catch (error) {
    await b24.close();
    throw error;
  }
  const writer = new RowWriter(format, select);
  const showProgress = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const progress = showProgress ? new Progress(io.stderr) : undefined;
  const controller = new AbortController();
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', stop);
  let rows = 0;
  let failure: unknown;
  try {
    if (progress) progress.total = await countRows(b24, descriptor, params, controller.signal);
    write(out, writer.start());
    const rowsOf =
      concurrency > 1
        ? b24.caller.paginateParallel(descriptor, params, { chains: concurrency, signal: controller.signal })
        : b24.paginate(descriptor, params, { signal: controller.signal });
    for await (const row of rowsOf) {
      if (!write(out, formatRow(writer, row as Record<string, unknown>))) await once(out, 'drain');
      rows += 1;
      progress?.update(rows);
    }
  } catch (error) {
    failure = error;
  } finally {
    process.off('SIGINT', stop);
    // Whatever happened, close the output cleanly: every row written so far stays whole
    // (and a JSON array is closed, so the file still parses).
    write(out, writer.end());
    progress?.finish(rows);
    if (out !== io.stdout) {
      (out as NodeJS.WritableStream).end();
      await once(out, 'finish');
    }
    await b24.close();
  }
  if (failure !== undefined) {
    const where = values.out ? ` to ${values.out}` : '';
    if (interrupted) {
      io.stderr.write(`b24 export: interrupted after ${rows} rows (written${where} and intact)\n`);
      return 130;
    }
    io.stderr.write(`b24 export: stopped after ${rows} rows (written${where} and intact)\n`);
    throw failure;
  }
  if (!progress) io.stderr.write(`b24 export: ${rows} rows\n`);
  return 0;
}

function write(out: NodeJS.WritableStream, text: string): boolean {
  return text === '' ? true : out.write(text);
}

/** One counted call (start=0) to know the total for the ETA; only when a terminal shows it. */
async function countRows(b24: B24Client, descriptor: MethodDescriptor, params: Record<string, unknown>, signal: AbortSignal) {
  try {
    const page = await b24.callEnvelope(descriptor, { ...params, start: 0 }, { signal });
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
  if (described && !described.list) throw new UsageError(`${described.method} does not return pages of rows; use "b24 call ${described.method}"`);
  return described ?? { ...adHocDescriptor(method), idempotent: true, list: { rows: '', idField: 'ID', keyset: false } };
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UsageError(`--concurrency must be an integer 1..${MAX_CONCURRENCY}, got "${text}"`);
  return n;
}

function parseLimiter(text: string | undefined): LimiterOption | undefined {
  if (text === undefined) return undefined;
  if (text === 'standard' || text === 'enterprise') return text;
  if (text === 'off') return false;
  throw new UsageError(`--limiter must be standard, enterprise or off, got "${text}"`);
}

/** The same portal connection with another request bucket (the connection's caller is unused). */
async function withLimiter(client: B24Client, limiter: LimiterOption | undefined): Promise<B24Client> {
  if (limiter === undefined) return client;
  await client.close();
  return clientOnCaller(createCaller({ credentials: client.caller.credentials, limiter }));
}

/** Opens --out before anything is read, so a bad path fails at once with a clear message. */
async function openOutput(path: string): Promise<NodeJS.WritableStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot write --out ${path}${code ? ` (${code})` : ''}`);
  }
  return stream;
}
