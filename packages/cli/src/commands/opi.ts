import { printJson, UsageError, type CliIO } from '../io.js';
import { splitArgs } from '../method-args/flags.js';
import { opiFunctionHelp, opiListHelp } from '../opi/help.js';
import { findOpiFlag, findOpiFunction, similarOpiFunctions } from '../opi/lookup.js';
import { runOpi } from '../opi/run.js';
import type { OpiFlag } from '../opi/types.js';

/** b24kit's own flags next to OPI's, for the OAuth functions. */
const EXTRA: Readonly<Record<string, readonly string[]>> = {
  authorizeUrl: ['redirect-uri', 'state'],
  exchangeCode: ['token-url', 'out'],
  refreshTokens: ['token-url', 'out'],
};

/** `b24 opi FUNCTION --flag value`: the OPI CLI's function names and flags. */
export async function opiCommand(args: string[], io: CliIO): Promise<number> {
  const { words, flags } = splitArgs(args, (name) => name === 'help');
  const help = flags.some((f) => f.name === 'help');
  const [name, ...rest] = words;
  if (name === undefined) {
    io.stdout.write(opiListHelp());
    return help ? 0 : 2;
  }
  const fn = findOpiFunction(name);
  if (!fn) {
    const near = similarOpiFunctions(name);
    throw new UsageError(
      `unknown OPI function "${name}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; b24 opi --help lists all`,
    );
  }
  if (help) {
    io.stdout.write(opiFunctionHelp(fn));
    return 0;
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')} (values go after --flags)`);

  const given = new Map<OpiFlag, string>();
  const extra = new Map<string, string>();
  const extras = (fn.auth && EXTRA[fn.auth]) || [];
  for (const { name: flagName, text } of flags) {
    const flag = findOpiFlag(fn, flagName);
    const isExtra = !flag && extras.includes(flagName);
    if (!flag && !isExtra) {
      const valid = [...fn.flags.map((f) => `--${f.flag}`), ...extras.map((e) => `--${e}`)].join(', ');
      throw new UsageError(`unknown flag --${flagName} for ${fn.name}; its flags: ${valid || '(none)'}`);
    }
    // A lone boolean flag (`--empty`) means true, as in OPI.
    const value = text === true ? (flag && /^boolean/i.test(flag.type) ? 'true' : undefined) : text;
    if (value === undefined) throw new UsageError(`--${flagName} needs a value`);
    if (flag) {
      if (given.has(flag)) throw new UsageError(`--${flagName} given twice`);
      given.set(flag, value);
    } else {
      extra.set(flagName, value);
    }
  }
  const result = await runOpi(fn, { given, extra }, io);
  // The authorize link is printed bare, ready to open; everything else is JSON.
  if (fn.auth === 'authorizeUrl') io.stdout.write(`${String(result)}\n`);
  else printJson(io, result);
  return 0;
}
