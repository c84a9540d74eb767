import { parseFlagValue } from '../method-args/values.js';
import type { OpiFlag, OpiFunction } from './types.js';

/**
 * The 12 local helpers: templates built without a call. Field lists come from the schema
 * (through scripts/opi-cli-table.mjs); packages/client has no typed builders yet, so the
 * structures are built here. Values are `<type>` hints, or "" with --empty.
 */
export function buildStructure(fn: OpiFunction, values: ReadonlyMap<OpiFlag, string>): unknown {
  const option = (to: string): string | undefined => [...values].find(([flag]) => flag.to === to)?.[1];
  const structure = fn.structure ?? {};
  if (structure.block) {
    // A message attachment block (im.message.add ATTACH): { IMAGE: { NAME, LINK } } / { FILE: ... }.
    return { [structure.block]: { NAME: option('NAME') ?? '', LINK: option('LINK') ?? '' } };
  }
  const clearText = option('clear');
  const clear = clearText === undefined ? false : parseFlagValue('empty', 'boolean', clearText) === true;
  const out: Record<string, string> = {};
  for (const [name, type] of structure.fields ?? []) out[name] = clear ? '' : `<${type}>`;
  return out;
}
