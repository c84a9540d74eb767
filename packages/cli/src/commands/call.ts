import { connect } from '../connection.js';
import { parseJsonFlag, positiveNumber, printJson, rejectExtra, type CliIO } from '../io.js';
import { sharedLimits } from '../shared-limits.js';

export async function callCommand(
  method: string,
  extra: readonly string[],
  opts: {
    params?: string | undefined;
    webhook?: string | undefined;
    profile?: string | undefined;
    timeout?: string | undefined;
    redis?: string | undefined;
  },
  io: CliIO,
): Promise<number> {
  rejectExtra(extra);
  const params = parseJsonFlag('params', opts.params);
  const timeout = positiveNumber('timeout', opts.timeout);
  const limits = await sharedLimits(opts.redis, io.env);
  const b24 = await connect(opts, io, limits ? { limiterStore: limits.store } : {}).catch(async (error: unknown) => {
    await limits?.close();
    throw error;
  });
  try {
    // Any name the user types, described or not: the untyped path (checked when described).
    const result = await b24.callUnknown(method, params, timeout === undefined ? {} : { timeout });
    printJson(io, result);
    return 0;
  } finally {
    await b24.close();
    await limits?.close();
  }
}
