/**
 * The command tree of `b24`, declared with commander.
 *
 * Why commander: it is the most used and best kept Node CLI framework, has no dependencies
 * and loads in about 10 ms (`b24 --version` must start within 2x of a bare `node -e 1`; yargs
 * and oclif cost several times that). From one declaration it gives `--help` on every command,
 * `b24 help COMMAND`, "did you mean" for commands and options, and usage errors we can map to
 * exit code 2. What it lacks we add on top of the same tree: shell completion (complete.ts)
 * and suggestions for method names and params (suggest.ts).
 *
 * Startup: this file imports no command. Each action loads its module on demand, so `--help`,
 * `--version` and completion never load the client, the generated registry or the emulator.
 *
 * Method commands (`b24 crm deal list ...`), `b24 rest ...` and `b24 opi ...` take flags named
 * by the method or the OPI function, so they are routed before commander parses (index.ts);
 * they are declared here too, so that the help and completion list them.
 */
import { Argument, Command, Option } from 'commander';
import { colorEnabled, paint } from './color.js';
import type { CliIO } from './io.js';
import { redactText } from './redact.js';
import { cliVersion } from './version.js';

export type Exit = { code: number };

/** Names routed before commander (see the file comment). */
export const PASS_THROUGH = new Set(['rest', 'opi']);

export const CONNECTION_HELP = `Options of every command that calls a portal (call, export, b24 NAMESPACE ...):
  --webhook URL    the incoming webhook (default: B24_WEBHOOK_URL)
  --profile NAME   a stored login from "b24 auth login" (default: B24_PROFILE, else "default")
  --timeout MS     give up on a request after this many milliseconds (call, export and
                   method commands; an export applies it to each page request)
  --redis URL      share the portal's limits with other processes through Redis (call and
                   export; default: B24_REDIS_URL; needs the @b24kit/redis package)
They may also come first: b24 --profile work crm deal list`;

const AFTER_TOP = `
Method commands:
  b24 NAMESPACE WORDS... [--PARAM VALUE] [--all]
                   any described method by its words: b24 crm deal list --select ID,TITLE
                   (b24 crm deal --help lists the methods under crm.deal; b24 methods lists all)
  b24 rest WORDS...
                   the same, for namespaces named like a command (b24 rest call followup list)

${CONNECTION_HELP}

Environment:
  B24_WEBHOOK_URL     the incoming webhook used when neither --webhook nor --profile is given
  B24_PROFILE         the profile used when --profile is not given
  B24_REDIS_URL       redis://host:port: b24 call and b24 export share the portal's request
                      bucket and operating budget with every process using that Redis
  B24_CLIENT_ID, B24_CLIENT_SECRET, B24_REFRESH_TOKEN
                      OAuth application credentials (kept out of shell history)
  B24KIT_CONFIG_DIR   where profiles and tokens live (default: $XDG_CONFIG_HOME/b24kit or ~/.config/b24kit)
  NO_COLOR            no colour in help and errors

Exit codes:
  0    done
  1    the call or export failed (the portal's error is printed on stderr)
  2    a usage mistake: unknown command, flag or method, a bad value; nothing was sent
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM). An export keeps every row written whole.

Run "b24 help COMMAND" (or "b24 COMMAND --help") for one command's options.
Shell completion: b24 completion bash|zsh|fish (see "b24 help completion").
`;

type Loader = () => Promise<unknown>;

/**
 * Builds the tree. `exit.code` receives the action's exit code; the actions call `run`,
 * which loads the command module and maps errors (index.ts).
 */
export function buildProgram(
  io: CliIO,
  run: (name: string, action: () => Promise<number>) => Promise<number>,
  exit: Exit,
): Command {
  const colors = { out: paint(io.stdout, io.env), err: paint(io.stderr, io.env) };
  const program = new Command('b24');
  program
    .description('b24: the Bitrix24 REST command line')
    .usage('COMMAND [options]')
    .version(cliVersion(), '-V, --version', 'print the version of b24')
    .helpOption('-h, --help', 'show help (also: b24 help COMMAND)')
    .helpCommand(false)
    // Usage mistakes throw (index.ts maps them to exit code 2) instead of exiting the process;
    // set before the subcommands are added, which copy it.
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({
      sortSubcommands: false,
      styleTitle: (text) => colors.out.bold(text),
      // The top help lists nested commands with their parent: "auth login", "auth status", ...
      visibleCommands: (cmd) => visible(cmd),
      subcommandTerm: (cmd) => `${pathOf(cmd).slice(1).join(' ')} ${cmd.usage()}`.trim(),
    })
    .addHelpText('after', AFTER_TOP);

  const act =
    <A extends unknown[]>(name: string, load: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      exit.code = await run(name, () => load(...args));
    };

  program
    .command('call')
    .description('call any REST method, print the result as JSON')
    .argument('<method>', 'the REST method, e.g. crm.deal.get or server.time')
    .allowExcessArguments()
    .option('--params <json>', 'the params as a JSON object, e.g. \'{"id": 42}\'')
    .option('--allow-unknown', 'send a method name the schema does not describe (a newer or vendor method)')
    .addOption(webhookOption())
    .addOption(profileOption())
    .option('--timeout <ms>', 'give up after this many milliseconds')
    .addOption(redisOption())
    .addHelpText(
      'after',
      '\nExample:\n  b24 call crm.deal.list --params \'{"filter": {">OPPORTUNITY": 1000}, "select": ["ID", "TITLE"]}\'\n',
    )
    .action(
      act('call', async (method: string, opts: Record<string, string | boolean | undefined>, cmd: Command) => {
        const { callCommand } = await import('./commands/call.js');
        return callCommand(method, cmd.args.slice(1), opts, io);
      }),
    );

  program
    .command('export')
    .description('stream every row of a list method to a file or stdout (ndjson, csv or json)')
    .argument('<method>', 'a list method, e.g. crm.deal.list')
    .allowExcessArguments()
    .option('--params <json>', 'base params as a JSON object')
    .option('--filter <json>', 'the filter as a JSON object, e.g. \'{"STAGE_ID": "WON"}\'')
    .option('--select <fields>', 'comma list of fields; also the CSV columns, e.g. ID,TITLE')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv', 'json']).default('ndjson'))
    .option('--out <file>', 'write to FILE (created 0600, links not followed) instead of stdout')
    .option('--bom', 'start a CSV with a UTF-8 byte order mark (for spreadsheet programs)')
    .option('--no-escape-formulas', "CSV: write cells that start with = + - @ as they are (default: prefixed with ')")
    .option('--concurrency <n>', 'read N id ranges at once (keyset list methods; rows come interleaved)', '1')
    .addOption(
      new Option('--limiter <plan>', "the portal's request bucket to stay under").choices([
        'standard',
        'enterprise',
        'off',
      ]),
    )
    .option('--no-progress', 'no progress line on stderr')
    .addOption(webhookOption())
    .addOption(profileOption())
    .option('--timeout <ms>', 'give up on each request (a page or a batch of pages) after this many milliseconds')
    .addOption(redisOption())
    .addHelpText(
      'after',
      `
Rows go to --out FILE or stdout; a progress line (rows, rate, ETA) goes to stderr when stderr
is a terminal and the rows do not go to the same terminal. Failed reads are retried. On a
failure, Ctrl-C or SIGTERM every row written so far stays whole and the file stays valid
(a JSON array is closed). Exit code 1 on failure, 130 on Ctrl-C, 143 on SIGTERM.
Tokens inside URLs (a file's DOWNLOAD_URL) are written as [redacted].
Methods b24kit does not describe are paged by offset, rows taken from \`result\`.

Examples:
  b24 export crm.deal.list --select ID,TITLE,STAGE_ID --format csv --bom --out deals.csv
  b24 export crm.contact.list --filter '{">DATE_CREATE": "2026-01-01"}' > contacts.ndjson
`,
    )
    .action(
      act('export', async (method: string, opts: Record<string, unknown>, cmd: Command) => {
        const { exportCommand } = await import('./commands/export.js');
        return exportCommand(method, cmd.args.slice(1), opts, io);
      }),
    );

  program
    .command('methods')
    .description('list the methods b24kit knows (name, scope, docs link)')
    .option('--search <text>', 'only names containing TEXT, or the methods of a domain')
    .option('--json', 'print JSON for machines')
    .action(
      act('methods', async (opts: { search?: string; json?: boolean }) => {
        const { methodsCommand } = await import('./commands/methods.js');
        return methodsCommand(opts, io);
      }),
    );

  const auth = program
    .command('auth')
    .description('log in to a portal, and the OAuth helpers')
    .usage('COMMAND [options]')
    .addHelpText(
      'after',
      `
The client secret may come from B24_CLIENT_SECRET and the refresh token from B24_REFRESH_TOKEN,
so neither lands in shell history. Tokens are never printed: --out FILE writes the token set to
FILE (mode 0600).`,
    );
  auth
    .command('login')
    .description('log in with OAuth (opens the browser) or store a webhook; saves a profile')
    .option('--portal <portal>', 'the portal, e.g. example.bitrix24.com')
    .option('--client-id <id>', "the application's client id (default: B24_CLIENT_ID)")
    .option('--client-secret <secret>', 'the client secret (better: B24_CLIENT_SECRET)')
    .addOption(profileOption('the profile to store the login in (default: "default")'))
    .option('--port <n>', 'the loopback port of the redirect (default: a free one)')
    .option('--token-url <url>', 'another token endpoint (default https://oauth.bitrix.info/oauth/token/)')
    .option('--no-open', 'print the link only; do not open a browser')
    .option('--timeout <seconds>', 'how long to wait for the redirect (default 300)')
    .option('--webhook-from-env', 'store B24_WEBHOOK_URL in the profile instead of an OAuth login')
    .addHelpText(
      'after',
      `
Examples:
  B24_CLIENT_SECRET=... b24 auth login --portal example.bitrix24.com --client-id app.123
  B24_WEBHOOK_URL=https://example.bitrix24.com/rest/1/CODE/ b24 auth login --webhook-from-env --profile hook
`,
    )
    .action(
      act('auth login', async (opts: Record<string, unknown>) => {
        const { login } = await import('./login.js');
        return login(opts, io);
      }),
    );
  auth
    .command('status')
    .description('show the portal, user, scopes and token lifetimes of a profile (never a token)')
    .addOption(profileOption())
    .action(
      act('auth status', async (opts: { profile?: string }) => {
        const { status } = await import('./login.js');
        return status(opts, io);
      }),
    );
  auth
    .command('logout')
    .description('remove a profile and its tokens')
    .addOption(profileOption())
    .action(
      act('auth logout', async (opts: { profile?: string }) => {
        const { logout } = await import('./login.js');
        return logout(opts, io);
      }),
    );
  auth
    .command('url')
    .description('print the authorize link of an application')
    .option('--portal <portal>', 'the portal, e.g. example.bitrix24.com')
    .option('--client-id <id>', "the application's client id (default: B24_CLIENT_ID)")
    .option('--state <state>', 'CSRF state (default: a random one)')
    .option('--redirect-uri <url>', "where the portal sends the code (default: the app's)")
    .action(
      act('auth url', async (opts: Record<string, string | undefined>) => {
        const { authUrl } = await import('./commands/auth.js');
        return authUrl(opts, io);
      }),
    );
  for (const kind of ['exchange', 'refresh'] as const) {
    const cmd = auth
      .command(kind)
      .description(
        kind === 'exchange'
          ? 'exchange an authorization code for tokens'
          : 'get a new token pair from B24_REFRESH_TOKEN',
      );
    if (kind === 'exchange') cmd.option('--code <code>', 'the code from the authorize redirect');
    cmd
      .option('--client-id <id>', "the application's client id (default: B24_CLIENT_ID)")
      .option('--token-url <url>', 'another token endpoint (default https://oauth.bitrix.info/oauth/token/)')
      .option('--out <file>', 'write the token set to FILE (mode 0600)')
      .action(
        act(`auth ${kind}`, async (opts: Record<string, string | undefined>) => {
          const { authTokens } = await import('./commands/auth.js');
          return authTokens(kind, opts, io);
        }),
      );
  }

  program
    .command('emulator')
    .description('run a local Bitrix24 portal for tests and demos (needs @b24kit/emulator)')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <addr>', 'loopback address to listen on (default 127.0.0.1)')
    .option('--plan <name>', 'standard | enterprise | unlimited | BURST/DRAIN (e.g. 100/4); default standard')
    .option('--latency <ms>', 'network latency added to every request')
    .option(
      '--time-model <model>',
      'processing time per call: realistic (default; figures and sources in the emulator README), off, or COUNT_US/SKIP_US',
    )
    .option(
      '--list-methods',
      'print every method it answers (name, API version, stateful or example-backed, domain or schema, scope) and exit',
    )
    .option('--faults <rate>', 'inject faults into this share of calls (0..1)')
    .option(
      '--fault-kinds <list>',
      'comma list of 500,503,reset,slow,truncated,malformed (default 500,503,reset,malformed)',
    )
    .option('--fault-methods <list>', 'only these methods get faults (described names or batch; a typo is refused)')
    .option('--seed-rng <n>', 'seed of the fault generator (same seed, same faults)')
    .option(
      '--seed <entity=count>',
      'bulk-create synthetic rows, repeatable (e.g. crm.deal=100000)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--tls', 'serve HTTPS with a self-signed certificate (its path is in the JSON line)')
    .option('--operating-limit <ms>', 'per-method operating time allowed per 10 minutes')
    .option('--token-ttl <seconds>', 'access token lifetime (default 3600)')
    .addHelpText(
      'after',
      `
Runs until SIGINT or SIGTERM. Once it listens (and is seeded) it prints one JSON line on
stdout: {"webhookUrl", "port", "baseUrl", "oauth", "tls"?}.

The emulator is a separate package with a native SQLite module, so the CLI does not install
it; add it where you run it: npm install @b24kit/emulator`,
    )
    .action(
      act('emulator', async (opts: Record<string, unknown>) => {
        const { emulatorCommand } = await import('./commands/emulator.js');
        return emulatorCommand(opts, io);
      }),
    );

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Install:
  bash   echo 'source <(b24 completion bash)' >> ~/.bashrc
  zsh    echo 'source <(b24 completion zsh)' >> ~/.zshrc      (after compinit)
  fish   b24 completion fish > ~/.config/fish/completions/b24.fish

Completes commands, subcommands, flags, flag values, method names and their params.`,
    )
    .action(
      act('completion', async (shell: string) => {
        const { completionScript } = await import('./completion-scripts.js');
        io.stdout.write(completionScript(shell as 'bash' | 'zsh' | 'fish'));
        return 0;
      }),
    );

  // Listed for help and completion; routed in index.ts before commander parses.
  program
    .command('opi')
    .description("the OPI CLI's function names and flags (b24 opi --help lists all 179)")
    .usage('FUNCTION [--flag value ...]');
  program.command('help').description('show help for a command: b24 help auth login').usage('[COMMAND...]');

  for (const cmd of allCommands(program)) {
    const path = pathOf(cmd).join(' ');
    cmd.configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHasColors: () => colorEnabled(io.stdout, io.env),
      getErrHasColors: () => colorEnabled(io.stderr, io.env),
      // "error: unknown option '--parms'" becomes "b24 call: unknown option '--parms'"; argv
      // echoes go through the redactor (a webhook URL pasted in the wrong place).
      outputError: (text, write) => write(redactText(text.replace(/^error: /, `${colors.err.red(path)}: `))),
    });
    if (cmd !== program) cmd.showHelpAfterError(`Run "${path} --help" for usage.`);
    else cmd.showHelpAfterError('Run "b24 --help" for usage.');
  }
  return program;
}

function webhookOption() {
  return new Option('--webhook <url>', 'the incoming webhook (default: B24_WEBHOOK_URL)');
}

function redisOption() {
  return new Option(
    '--redis <url>',
    "share the portal's limits through Redis (default: B24_REDIS_URL; needs @b24kit/redis)",
  );
}

function profileOption(description = 'a stored login (default: B24_PROFILE, else "default")') {
  return new Option('--profile <name>', description);
}

export function pathOf(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names;
}

export function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap((c) => allCommands(c))];
}

/** The root lists nested commands (auth login, auth status, ...) instead of their parent. */
function visible(cmd: Command): Command[] {
  const own = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  if (cmd.parent) return own;
  return own.flatMap((c) => (c.commands.length > 0 ? visible(c) : [c]));
}
