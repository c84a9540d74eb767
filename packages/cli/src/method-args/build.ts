import { UsageError } from '../io.js';
import { didYouMean } from '../suggest.js';
import type { MethodParam } from './params.js';
import { parseFlagValue, type FlagText } from './values.js';

/** The method command's own flags, suggested alongside the params. */
const OWN_FLAGS = ['all', 'params', 'webhook', 'profile', 'timeout', 'help'];

/** Finds the param a flag names: exact name first, then a unique case-insensitive match. */
export function matchParam(params: readonly MethodParam[], flag: string): MethodParam | undefined {
  const exact = params.find((p) => p.name === flag);
  if (exact) return exact;
  const lower = flag.toLowerCase();
  const loose = params.filter((p) => p.name.toLowerCase() === lower);
  return loose.length === 1 ? loose[0] : undefined;
}

/**
 * Builds the request params: `base` (from --params) first, then one value per flag, parsed by
 * the param's type. Unknown flags and missing required params are usage errors, so nothing
 * is sent for a call that cannot be right.
 */
export function buildParams(
  method: string,
  params: readonly MethodParam[],
  flags: ReadonlyArray<{ name: string; text: FlagText }>,
  base: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const { name, text } of flags) {
    const param = matchParam(params, name);
    if (!param) {
      const valid = params.map((p) => `--${p.name}`).join(', ');
      const hint = didYouMean(name, [...params.map((p) => p.name), ...OWN_FLAGS], '--');
      throw new UsageError(
        `unknown flag --${name} for ${method}${hint}; ` +
          (valid ? `valid params: ${valid}` : 'it takes no described params') +
          ' (anything else goes in --params JSON)',
      );
    }
    out[param.name] = parseFlagValue(name, param.kind, text, param.element);
  }
  const given = new Set(
    Object.keys(out)
      .filter((key) => out[key] !== undefined)
      .map((key) => key.toLowerCase()),
  );
  const missing = params.filter((p) => p.required && !given.has(p.name.toLowerCase()));
  if (missing.length > 0) {
    throw new UsageError(`${method} needs ${missing.map((p) => `--${p.name} (${p.type})`).join(', ')}`);
  }
  return out;
}
