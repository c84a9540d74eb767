import { authCommand } from './commands/auth.js';
import { callCommand } from './commands/call.js';
import { emulatorCommand } from './commands/emulator.js';
import { exportCommand } from './commands/export.js';
import { methodsCommand } from './commands/methods.js';
import { methodCommand } from './commands/method.js';
import { opiCommand } from './commands/opi.js';
import { isRestNamespace } from './method-args/route.js';
import { UsageError, type CliIO } from './io.js';
import { describeError } from './errors.js';

export type { CliIO } from './io.js';

const USAGE = `b24: the Bitrix24 REST command line

Usage:
  b24 call METHOD [--params JSON] [--webhook URL]   call any REST method, print the result as JSON
  b24 methods [--search TEXT] [--json]              list the methods b24kit knows
  b24 auth url --portal P --client-id ID [--state S] [--redirect-uri URL]
  b24 auth exchange --code CODE [--token-url URL] [--out FILE]
  b24 auth refresh [--token-url URL] [--out FILE]   (reads the refresh token from B24_REFRESH_TOKEN)
  b24 export METHOD [--filter JSON] [--select A,B] [--format ndjson|csv|json] [--out FILE]
                                                    stream every row of a list method
  b24 emulator [--port N]                           run a local Bitrix24 portal
  b24 NAMESPACE WORDS... [--PARAM VALUE] [--all]    any described method, e.g. b24 crm deal list --select ID,TITLE
  b24 rest WORDS...                                 the same, for namespaces named like a command (b24 rest call followup list)
  b24 opi FUNCTION [--flag value]                   the OPI CLI's functions and flags (b24 opi --help lists them)

Environment:
  B24_WEBHOOK_URL     the incoming webhook used when --webhook is not given
  B24_CLIENT_ID, B24_CLIENT_SECRET, B24_REFRESH_TOKEN
                      OAuth application credentials (kept out of shell history)
`;

type Command = (args: string[], io: CliIO) => Promise<number>;

const commands: Record<string, Command> = {
  call: callCommand,
  methods: methodsCommand,
  auth: authCommand,
  emulator: emulatorCommand,
  export: exportCommand,
  rest: methodCommand,
  opi: opiCommand,
};

/** Runs one `b24` invocation and returns its exit code. Never throws for user errors. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // Any other first word that starts a REST method name (crm, tasks, user...) is a method call.
  const command = commands[name] ?? (isRestNamespace(name) ? (args: string[], io: CliIO) => methodCommand([name, ...args], io) : undefined);
  if (!command) {
    io.stderr.write(`b24: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`b24 ${name}: ${(error as Error).message}\nRun "b24 --help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`b24 ${name}: ${describeError(error)}\n`);
    return 1;
  }
}

const VERSION = '0.1.0';
