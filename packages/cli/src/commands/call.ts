import { connect, connectionFlags } from '../connection.js';
import { parse, parseJsonFlag, printJson, UsageError, type CliIO } from '../io.js';

export async function callCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    params: { type: 'string' },
    ...connectionFlags,
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write('Usage: b24 call METHOD [--params JSON] [--webhook URL | --profile NAME] [--timeout MS]\n');
    return 0;
  }
  const [method, ...extra] = positionals;
  if (!method) throw new UsageError('missing METHOD, e.g. b24 call server.time');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const params = parseJsonFlag('params', values.params);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout must be a positive number of milliseconds');
  const b24 = await connect(values, io);
  try {
    // Any name the user types, described or not: the untyped path (checked when described).
    const result = await b24.callUnknown(method, params, timeout === undefined ? {} : { timeout });
    printJson(io, result);
    return 0;
  } finally {
    await b24.close();
  }
}
