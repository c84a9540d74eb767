import { UsageError } from '../io.js';
import type { FlagText } from './values.js';

export interface SplitArgs {
  /** Words before and between flags: the method name, e.g. `crm deal list`. */
  readonly words: string[];
  /** Flags in the order given; `--name=value`, `--name value` or a lone `--name`. */
  readonly flags: Array<{ name: string; text: FlagText }>;
}

/**
 * Splits argv without knowing the flags in advance (they depend on the method). A flag
 * takes the next argument as its value unless that is another `--flag`, so negative
 * numbers (`--start -1`) and empty strings work.
 */
export function splitArgs(args: readonly string[], isSwitch: (name: string) => boolean): SplitArgs {
  const words: string[] = [];
  const flags: Array<{ name: string; text: FlagText }> = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '-h') {
      flags.push({ name: 'help', text: true });
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) throw new UsageError(`unknown option ${arg}`);
      words.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq > 0) {
      flags.push({ name: body.slice(0, eq), text: body.slice(eq + 1) });
      continue;
    }
    const next = args[i + 1];
    if (isSwitch(body) || next === undefined || next.startsWith('--')) {
      flags.push({ name: body, text: true });
    } else {
      flags.push({ name: body, text: next });
      i += 1;
    }
  }
  return { words, flags };
}
