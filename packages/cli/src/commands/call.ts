import { findDescriptor } from '@b24kit/client';
import { connect } from '../connection.js';
import { parseJsonFlag, positiveNumber, printJson, rejectExtra, UsageError, type CliIO } from '../io.js';
import { similarMethods } from '../method-args/route.js';
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
    allowUnknown?: boolean | string | undefined;
  },
  io: CliIO,
): Promise<number> {
  rejectExtra(extra);
  // A name the schema does not describe is most often a typo: refuse it before anything is
  // sent, with the nearest names, unless the user says it is meant (a newer or vendor method).
  if (!opts.allowUnknown && !findDescriptor(method)) {
    const near = similarMethods(method);
    throw new UsageError(
      `no method ${method} is known` +
        (near.length > 0 ? ` (did you mean ${near.map((m) => `"${m}"`).join(', ')}?)` : '') +
        '; to send a name the schema does not describe, add --allow-unknown',
    );
  }
  const params = parseJsonFlag('params', opts.params);
  const timeout = positiveNumber('timeout', opts.timeout);
  const limits = await sharedLimits(opts.redis, io.env);
  const b24 = await connect(opts, io, limits ? { limiterStore: limits.store } : {}).catch(async (error: unknown) => {
    await limits?.close();
    throw error;
  });
  try {
    // A name the user typed (described, or sent on purpose with --allow-unknown): the documented
    // untyped path, whose params are still checked when the schema describes the method.
    const result = await b24.callUnknown(method, params, timeout === undefined ? {} : { timeout });
    printJson(io, result);
    return 0;
  } finally {
    await b24.close();
    await limits?.close();
  }
}
