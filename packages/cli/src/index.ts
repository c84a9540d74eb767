import { CommanderError } from 'commander';
import { paint } from './color.js';
import { describeError } from './errors.js';
import { UsageError, type CliIO } from './io.js';
import { buildProgram, PASS_THROUGH, type Exit } from './program.js';
import { redactText } from './redact.js';
import { didYouMean } from './suggest.js';

export type { CliIO } from './io.js';

/** Options every portal command takes, accepted before the command word too. */
const LEADING = new Set(['--webhook', '--profile', '--timeout']);

/** Runs one `b24` invocation and returns its exit code. Never throws for user errors. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  argv = hoistLeadingOptions(argv);
  const [name, ...rest] = argv;
  if (name === 'help') return main(rest.length > 0 ? [...rest, '--help'] : ['--help'], io);
  if (name === '__complete') {
    const { complete } = await import('./complete.js');
    return guard(io, 'b24', () => complete(rest, io));
  }
  if (name === 'opi') {
    const { opiCommand } = await import('./commands/opi.js');
    return guard(io, 'b24 opi', () => opiCommand(rest, io));
  }
  if (name === 'rest') return methodRoute(rest, io, 'b24 rest');

  const exit: Exit = { code: 0 };
  const program = buildProgram(io, (path, action) => guard(io, `b24 ${path}`, action), exit);
  if (name !== undefined && !name.startsWith('-') && !program.commands.some((c) => c.name() === name)) {
    // Any other first word that starts a REST method name (crm, tasks, user...) is a method call.
    const { isRestNamespace, restNamespaces } = await import('./method-args/route.js');
    if (isRestNamespace(name)) return methodRoute(argv, io, `b24 ${name}`);
    const commands = program.commands.map((c) => c.name()).filter((c) => !PASS_THROUGH.has(c) || c === 'opi');
    const hint = didYouMean(name, [...commands, ...restNamespaces()]);
    io.stderr.write(
      `${paint(io.stderr, io.env).red('b24')}: unknown command "${redactText(name)}"${hint}\nRun "b24 --help" for the commands, "b24 methods" for the REST methods.\n`,
    );
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // Everything else commander rejects is a usage mistake; `b24` or `b24 auth` alone
      // printed the help to stderr.
      return 2;
    }
    throw error;
  }
}

async function methodRoute(args: string[], io: CliIO, label: string): Promise<number> {
  const { methodCommand } = await import('./commands/method.js');
  return guard(io, label, () => methodCommand(args, io));
}

/** Runs a command and maps what it throws to an exit code: 2 for usage, 1 for a failure. */
async function guard(io: CliIO, label: string, action: () => Promise<number>): Promise<number> {
  const red = paint(io.stderr, io.env).red;
  try {
    return await action();
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const help = (error instanceof UsageError && error.help) || label;
      io.stderr.write(`${red(label)}: ${redactText((error as Error).message)}\nRun "${help} --help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`${red(label)}: ${redactText(describeError(error))}\n`);
    return 1;
  }
}

/**
 * `b24 --profile work crm deal list` means `b24 crm deal list --profile work`: connection
 * options given before the command word are moved after it.
 */
function hoistLeadingOptions(argv: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const flag = arg.split('=', 1)[0]!;
    if (!LEADING.has(flag)) break;
    if (arg.includes('=')) {
      lead.push(arg);
      i += 1;
    } else if (i + 1 < argv.length) {
      lead.push(arg, argv[i + 1]!);
      i += 2;
    } else {
      break;
    }
  }
  if (lead.length === 0 || i >= argv.length) return argv;
  // Keep the words of the command (up to the first flag) first, so `b24 --profile p auth status` works.
  const restArgs = argv.slice(i);
  return [...restArgs, ...lead];
}
