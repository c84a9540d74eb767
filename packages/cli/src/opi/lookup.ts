import { opiFunctions } from './functions.js';
import type { OpiFlag, OpiFunction } from './types.js';

let byName: Map<string, OpiFunction> | undefined;

/** OPI function names are matched case-insensitively (`servertime` finds ServerTime). */
export function findOpiFunction(name: string): OpiFunction | undefined {
  byName ??= new Map(opiFunctions.map((f) => [f.name.toLowerCase(), f]));
  return byName.get(name.toLowerCase());
}

export function findOpiFlag(fn: OpiFunction, flag: string): OpiFlag | undefined {
  const lower = flag.toLowerCase();
  return fn.flags.find((f) => f.flag.toLowerCase() === lower);
}

/** Names close to a misspelt one, for the error message. */
export function similarOpiFunctions(name: string): string[] {
  const lower = name.toLowerCase();
  return opiFunctions
    .filter((f) => f.name.toLowerCase().includes(lower) || lower.includes(f.name.toLowerCase()))
    .map((f) => f.name)
    .slice(0, 8);
}
