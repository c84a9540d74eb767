/**
 * Typed structures for method parameters (filters, `fields` objects): the TypeScript side of the
 * OPI "Get…Structure" helpers. A structure knows its field names and a short description of
 * each; `build()` checks names and keeps every given value, including the empty ones (`0`,
 * `false`, `""`) that must reach the portal; `template()` lists all fields, described or empty.
 */
import { B24ArgumentError } from '@b24kit/core';

/** Prefixes a Bitrix24 list filter accepts before a field name (PROTOCOL §6.2). */
export const FILTER_OPERATORS = [
  '!=%',
  '!%=',
  '!%',
  '=%',
  '%=',
  '>=',
  '<=',
  '!=',
  '!@',
  '=',
  '!',
  '>',
  '<',
  '@',
  '%',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** `FIELD` or an operator-prefixed form such as `>=FIELD`, `!FIELD`, `%FIELD`. */
export type FilterKey<F extends string> = F | `${FilterOperator}${F}`;

export interface StructureSpec<K extends string> {
  /** What the structure is for, used in error messages (e.g. 'deal filter'). */
  readonly name: string;
  /** Field name → what it holds. */
  readonly fields: Readonly<Record<K, string>>;
  /** Keys may carry a filter operator prefix. */
  readonly filter?: boolean;
  /** `UF_*` user fields are accepted too. */
  readonly userFields?: boolean;
}

export interface TemplateOptions {
  /** Empty strings instead of descriptions (OPI's `Clear`). */
  readonly clear?: boolean;
}

export interface Structure<K extends string, T> {
  readonly name: string;
  /** The known field names, in documentation order. */
  readonly keys: readonly K[];
  /** Checks the names and returns a copy with every given value, empty ones included. */
  build(values: T): T;
  /** Every field with its description, or with `''` when `clear` is set. */
  template(options?: TemplateOptions): Record<K, string>;
}

/** Splits `>=OPPORTUNITY` into its operator and field name. */
export function splitFilterKey(key: string): { operator: string; field: string } {
  for (const op of FILTER_OPERATORS) {
    if (key.startsWith(op) && key.length > op.length) return { operator: op, field: key.slice(op.length) };
  }
  return { operator: '', field: key };
}

export function defineStructure<K extends string, T extends object>(spec: StructureSpec<K>): Structure<K, T> {
  const keys = Object.keys(spec.fields) as K[];
  const known = new Set<string>(keys);
  const check = (key: string) => {
    if (spec.filter && key === 'LOGIC') return;
    const field = spec.filter ? splitFilterKey(key).field : key;
    if (known.has(field) || (spec.userFields && /^UF_[A-Z0-9_]+$/i.test(field))) return;
    throw new B24ArgumentError(`${spec.name}: unknown field ${JSON.stringify(key)}; known fields: ${keys.join(', ')}`);
  };
  return {
    name: spec.name,
    keys,
    build(values: T): T {
      if (values === null || typeof values !== 'object' || Array.isArray(values)) {
        throw new B24ArgumentError(
          `${spec.name}: expected an object of fields, got ${values === null ? 'null' : Array.isArray(values) ? 'an array' : typeof values}`,
        );
      }
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        check(key);
        // `undefined` means "not given"; every other value, empty or not, is kept and sent.
        if (value !== undefined) out[key] = value;
      }
      return out as T;
    },
    template(options: TemplateOptions = {}): Record<K, string> {
      const out = {} as Record<K, string>;
      for (const k of keys) out[k] = options.clear ? '' : spec.fields[k];
      return out;
    },
  };
}
