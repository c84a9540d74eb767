/**
 * `b24 __complete -- b24 WORDS... CURRENT`: the candidates for the word being typed, one a
 * line, for the shell scripts of completion-scripts.ts. It reads the same commander tree as
 * the help (commands, subcommands, flags, flag choices), the method registry (namespaces, the
 * next word of a method name, a method's params) and the OPI table.
 */
import type { Command, Option } from 'commander';
import type { CliIO } from './io.js';
import { buildProgram, PASS_THROUGH } from './program.js';

export async function complete(args: string[], io: CliIO): Promise<number> {
  const words = args[0] === '--' ? args.slice(1) : args;
  const typed = words.slice(1); // without the program name
  const current = typed.pop() ?? '';
  const candidates = await candidatesFor(typed, current, io);
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (!candidate.startsWith(current) || seen.has(candidate)) continue;
    seen.add(candidate);
    io.stdout.write(`${candidate}\n`);
  }
  return 0;
}

const CONNECTION = ['--webhook', '--profile', '--timeout'];

async function candidatesFor(before: string[], current: string, io: CliIO): Promise<string[]> {
  const program = buildProgram(io, async () => 0, { code: 0 });
  const first = before[0];
  if (first === undefined) {
    if (current.startsWith('-')) return ['--help', '--version', ...CONNECTION];
    const { restNamespaces } = await import('./method-args/route.js');
    return [...program.commands.map((c) => c.name()), 'rest', ...restNamespaces()];
  }
  if (first === 'help') return commandWords(program, before.slice(1));
  if (first === 'opi') return opiWords(before.slice(1), current);
  if (first === 'rest') return methodWords(before.slice(1), current);
  const command = program.commands.find((c) => c.name() === first);
  if (!command || PASS_THROUGH.has(first)) return methodWords(before, current);

  // Walk down the subcommands named so far (b24 auth login ...).
  let cmd: Command = command;
  let i = 1;
  for (; i < before.length; i += 1) {
    const sub = cmd.commands.find((c) => c.name() === before[i]);
    if (!sub) break;
    cmd = sub;
  }
  const rest = before.slice(i);
  const last = rest.at(-1);
  const pending = last?.startsWith('--') && !last.includes('=') ? findOption(cmd, last) : undefined;
  if (pending && (pending.required || pending.optional)) return pending.argChoices ? [...pending.argChoices] : [];
  if (current.startsWith('-'))
    return [...cmd.options.map((o) => o.long).filter((l): l is string => Boolean(l)), '--help'];
  if (cmd.commands.length > 0) return cmd.commands.map((c) => c.name());
  const positionals = countPositionals(cmd, rest);
  const argument = cmd.registeredArguments[positionals];
  if (!argument) return [];
  if (argument.argChoices) return [...argument.argChoices];
  if (argument.name() === 'method') {
    const { methodIndex } = await import('@b24kit/client');
    return methodIndex.map((row) => row.method);
  }
  return [];
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

function countPositionals(cmd: Command, words: string[]): number {
  let n = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      const option = word.includes('=') ? undefined : findOption(cmd, word);
      if (option && (option.required || option.optional)) i += 1;
      continue;
    }
    n += 1;
  }
  return n;
}

/** `b24 help WORDS...`: the commands and subcommands. */
function commandWords(program: Command, words: string[]): string[] {
  let cmd = program;
  for (const word of words) {
    const sub = cmd.commands.find((c) => c.name() === word);
    if (!sub) return [];
    cmd = sub;
  }
  return cmd.commands.map((c) => c.name());
}

/** `b24 crm deal ...`: the next word of a method name, or the method's params as flags. */
async function methodWords(words: string[], current: string): Promise<string[]> {
  const { methodsUnder, resolveMethod, restNamespaces } = await import('./method-args/route.js');
  const name = words.filter((w) => !w.startsWith('-'));
  if (current.startsWith('-')) {
    const route = name.length > 0 ? resolveMethod(name) : undefined;
    if (route?.kind !== 'method') return ['--help'];
    const { methodInfo } = await import('./method-args/params.js');
    const params = methodInfo(route.descriptor.method)?.params ?? [];
    return [
      ...params.map((p) => `--${p.name}`),
      '--params',
      '--webhook',
      '--profile',
      '--timeout',
      '--help',
      ...(route.descriptor.list ? ['--all'] : []),
    ];
  }
  // After a flag that takes a value, nothing to offer (let the shell complete files).
  if (words.at(-1)?.startsWith('--')) return [];
  if (name.length === 0) return restNamespaces();
  const prefix = name
    .flatMap((w) => w.split('.'))
    .filter(Boolean)
    .join('.');
  const depth = prefix.split('.').length;
  return methodsUnder(prefix)
    .map((row) => row.method.split('.')[depth]!)
    .filter(Boolean);
}

/** `b24 opi ...`: function names, then the function's flags. */
async function opiWords(words: string[], current: string): Promise<string[]> {
  const { opiFunctions } = await import('./opi/functions.js');
  const name = words.find((w) => !w.startsWith('-'));
  if (!name) return current.startsWith('-') ? ['--help'] : opiFunctions.map((f) => f.name);
  const fn = opiFunctions.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!fn || !current.startsWith('-')) return [];
  return [...fn.flags.map((f) => `--${f.flag}`), '--help'];
}
