import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { B24Client } from '@b24kit/client';
import { connect, connectionFlags } from '../connection.js';
import { parse, parseJsonFlag, UsageError, type CliIO } from '../io.js';
import { formatRow, type ExportFormat, RowWriter } from '../export/format.js';
import { Progress } from '../export/progress.js';

const HELP = `Usage: b24 export METHOD [--params JSON] [--filter JSON] [--select A,B]
                  [--format ndjson|csv|json] [--out FILE] [--webhook URL | --profile NAME]

Streams every row of a list method (e.g. crm.deal.list) with constant memory.
Rows go to --out FILE or stdout; a progress line goes to stderr when it is a terminal.
`;

export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    params: { type: 'string' },
    filter: { type: 'string' },
    select: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
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
  const b24 = await connect(values, io);
  const out = values.out ? createWriteStream(values.out) : io.stdout;
  const writer = new RowWriter(format, select);
  const showProgress = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const progress = showProgress ? new Progress(io.stderr) : undefined;
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  let rows = 0;
  let failure: unknown;
  try {
    if (progress) progress.total = await countRows(b24, method, params);
    write(out, writer.start());
    for await (const row of b24.paginate(method, params, { signal: controller.signal })) {
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
async function countRows(b24: B24Client, method: string, params: Record<string, unknown>) {
  try {
    const page = await b24.callEnvelope<unknown>(method, { ...params, start: 0 });
    return typeof page.total === 'number' ? page.total : undefined;
  } catch {
    return undefined;
  }
}
