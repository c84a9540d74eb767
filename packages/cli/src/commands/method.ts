import { once } from 'node:events';
import { connect } from '../connection.js';
import { parseJsonFlag, printJson, UsageError, type CliIO } from '../io.js';
import { buildParams } from '../method-args/build.js';
import { splitArgs } from '../method-args/flags.js';
import { groupHelp, methodHelp } from '../method-args/help.js';
import { methodInfo } from '../method-args/params.js';
import { resolveMethod, similarMethods } from '../method-args/route.js';
import { redactValue } from '../redact.js';
import type { FlagText } from '../method-args/values.js';

const REST_HELP = `Usage: b24 NAMESPACE WORDS... [--PARAM VALUE ...] [--all]
       b24 rest WORDS... [--PARAM VALUE ...] [--all]

Calls a described REST method named by its words: b24 crm deal list is crm.deal.list. The
longest run of words that names a method wins; "b24 rest" reaches namespaces named like a
command (b24 rest call followup list). Flags name the method's params.

  b24 crm deal list --filter '{">OPPORTUNITY": 1000}' --select ID,TITLE
  b24 crm deal --help          the methods under crm.deal
  b24 crm deal list --help     one method's params, types and docs link
  b24 methods --search deal    every described method with "deal" in its name
`;

/** Flags of the command itself; every other flag names a param of the method. */
const OWN = new Set(['help', 'all', 'params', 'webhook', 'profile', 'timeout']);
const SWITCHES = new Set(['help', 'all']);

/**
 * `b24 crm deal list --filter '{">OPPORTUNITY": 1000}' --select ID,TITLE`: the words name a
 * REST method, the flags its params. Prints the result as JSON, or with --all every row of a
 * list method as ndjson.
 */
export async function methodCommand(args: string[], io: CliIO): Promise<number> {
  const { words, flags } = splitArgs(args, (name) => SWITCHES.has(name));
  const own = new Map<string, FlagText>();
  const paramFlags: Array<{ name: string; text: FlagText }> = [];
  for (const flag of flags) {
    if (OWN.has(flag.name)) {
      if (own.has(flag.name)) throw new UsageError(`--${flag.name} given twice`);
      own.set(flag.name, flag.text);
    } else {
      paramFlags.push(flag);
    }
  }
  const help = own.has('help');
  if (words.length === 0) {
    if (help) {
      io.stdout.write(REST_HELP);
      return 0;
    }
    throw new UsageError('missing a method, e.g. b24 crm deal list');
  }
  const route = resolveMethod(words);
  if (route.kind === 'none') {
    const near = similarMethods(route.name);
    const words2 = (m: string) => m.split('.').join(' ');
    throw new UsageError(
      `no method ${route.name} is known` +
        (near.length > 0
          ? ` (did you mean ${near.map((m) => `"${words2(m)}"`).join(', ')}?)`
          : ` (try: b24 methods --search ${words[0]})`),
    );
  }
  if (route.kind === 'group') {
    if (help) {
      io.stdout.write(groupHelp(route.prefix, route.methods));
      return 0;
    }
    io.stderr.write(groupHelp(route.prefix, route.methods));
    throw new UsageError(`${route.prefix} is a group of methods, not a method: name one of them`);
  }
  const { descriptor } = route;
  if (route.extra.length > 0) {
    throw new UsageError(
      `unexpected words after ${descriptor.method}: ${route.extra.join(' ')} (params are flags: --NAME VALUE)`,
    );
  }
  const info = methodInfo(descriptor.method);
  if (help) {
    io.stdout.write(methodHelp(descriptor, info));
    return 0;
  }

  // Usage mistakes from here on point at this method's own help.
  const pointAtMethod = <T>(check: () => T): T => {
    try {
      return check();
    } catch (error) {
      if (error instanceof UsageError) error.help = `b24 ${descriptor.method.split('.').join(' ')}`;
      throw error;
    }
  };
  const { params, all, timeout, text } = pointAtMethod(() => {
    const text = (name: string): string | undefined => {
      const value = own.get(name);
      if (value === true) throw new UsageError(`--${name} needs a value`);
      return value;
    };
    const base = parseJsonFlag('params', text('params'));
    const params = buildParams(descriptor.method, info?.params ?? [], paramFlags, base);
    const all = own.has('all');
    if (all && own.get('all') !== true) throw new UsageError('--all takes no value');
    if (all && !descriptor.list)
      throw new UsageError(`--all needs a list method; ${descriptor.method} does not return pages of rows`);
    const timeoutText = text('timeout');
    const timeout = timeoutText === undefined ? undefined : Number(timeoutText);
    if (timeout !== undefined && !(timeout > 0))
      throw new UsageError('--timeout must be a positive number of milliseconds');
    return { params, all, timeout, text };
  });
  const b24 = await connect({ webhook: text('webhook'), profile: text('profile') }, io);
  try {
    if (all) {
      for await (const row of b24.paginate(descriptor, params, timeout === undefined ? {} : { timeout })) {
        if (!io.stdout.write(`${JSON.stringify(redactValue(row))}\n`)) await once(io.stdout, 'drain');
      }
      return 0;
    }
    printJson(io, await b24.call(descriptor, params, timeout === undefined ? {} : { timeout }));
    return 0;
  } finally {
    await b24.close();
  }
}
