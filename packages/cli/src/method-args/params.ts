import { catalog, replacements } from '../generated/catalog.js';

/** How a flag's text becomes a value: decided by the param's schema type. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'yn' | 'object' | 'array' | 'file' | 'any';

export interface MethodParam {
  readonly name: string;
  /** The schema type expression, e.g. `integer`, `string[]`, `Deal`, `string | object`. */
  readonly type: string;
  readonly kind: ValueKind;
  /** For arrays: the kind of one element (comma lists are allowed for scalar elements). */
  readonly element?: ValueKind;
  readonly required: boolean;
}

export interface MethodInfo {
  readonly description: string;
  readonly params: readonly MethodParam[];
}

const SCALARS: Readonly<Record<string, ValueKind>> = {
  string: 'string',
  date: 'string',
  datetime: 'string',
  integer: 'number',
  double: 'number',
  boolean: 'boolean',
  yn: 'yn',
  object: 'object',
  file: 'file',
  any: 'any',
};

/** Maps a schema type expression to the way its flag is parsed. */
export function kindOf(type: string): { kind: ValueKind; element?: ValueKind } {
  const t = type.trim();
  if (t.includes('|')) return { kind: 'any' };
  if (t.endsWith('[]')) return { kind: 'array', element: kindOf(t.slice(0, -2)).kind };
  if (t.startsWith('Record<')) return { kind: 'object' };
  // Anything else is a named type (Deal, ParameterRows, ...): an object on the wire.
  return { kind: SCALARS[t] ?? 'object' };
}

/** The described description and params of a method (names as in the schema), if any. */
export function methodInfo(method: string): MethodInfo | undefined {
  const entry = Object.prototype.hasOwnProperty.call(catalog, method) ? catalog[method] : undefined;
  if (!entry) return undefined;
  const [description, encoded] = entry;
  const params =
    encoded === ''
      ? []
      : encoded.split(';').map((part): MethodParam => {
          const colon = part.indexOf(':');
          const rawName = part.slice(0, colon);
          const type = part.slice(colon + 1);
          const required = rawName.endsWith('!');
          const name = required ? rawName.slice(0, -1) : rawName;
          return { name, type, required, ...kindOf(type) };
        });
  return { description, params };
}

/** The method the docs name instead of a deprecated one, if they name one. */
export function replacementOf(method: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(replacements, method) ? replacements[method] : undefined;
}

/** "Deprecated in the Bitrix24 docs; use crm.item.list (b24 crm item list) instead." */
export function deprecationNote(method: string): string {
  const instead = replacementOf(method);
  return instead
    ? `Deprecated in the Bitrix24 docs; use ${instead} (b24 ${instead.split('.').join(' ')}) instead.`
    : 'Deprecated in the Bitrix24 docs (they name no replacement).';
}
