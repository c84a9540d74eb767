/**
 * The names the emulator's public API takes, typed by the schema (src/generated/names.ts): a
 * misspelled method, event or entity, or a field an entity does not have, fails to compile. A
 * name the schema does not describe (a custom domain's method, event or entity, a vendor method)
 * goes through the one escape hatch, `unknownName('vendor.method')`, never through a plain string.
 */
import type { SchemaEntityFields, SchemaEventName, SchemaMethodName } from './generated/names.js';

export type { SchemaEntityFields, SchemaEventName, SchemaMethodName };

declare const unknownNameBrand: unique symbol;

/** A name the schema does not describe, passed on purpose through `unknownName()`. */
export type UnknownName = string & { readonly [unknownNameBrand]: true };

/**
 * The escape hatch for a name the schema does not describe: a method or event a custom domain
 * registers, a vendor method, a seedable entity of your own domain. The name is used as given
 * (method and event names are matched case-insensitively, as Bitrix24 does).
 *
 * ```ts
 * emulator.setFaults({ rules: [{ kind: '503', rate: 1, methods: [unknownName('vendor.sync')] }] });
 * emulator.seed(unknownName('demo.note'), 30);
 * ```
 */
export function unknownName(name: string): UnknownName {
  if (typeof name !== 'string' || name.trim() === '')
    throw new TypeError(`unknownName: a name must be a non-empty string, got ${JSON.stringify(name)}`);
  return name as UnknownName;
}

/**
 * A REST method the schema describes, `batch` (the protocol's own method, which the schema does
 * not list among the methods), or a name passed through `unknownName()`.
 */
export type MethodName = SchemaMethodName | 'batch' | UnknownName;

/** An event the schema describes (upper case, as the portal sends it), or `unknownName()`. */
export type EventName = SchemaEventName | UnknownName;

/**
 * The entities `seed()` fills, with the fields it may set: the built-in domains' seedable
 * entities, their fields from the schema. A custom domain that registers a seeder can add its
 * entity here by declaration merging:
 *
 * ```ts
 * declare module '@b24kit/emulator' {
 *   interface SeedEntities { 'demo.task': { readonly TITLE?: string } }
 * }
 * ```
 */
export interface SeedEntities {
  'crm.deal': SchemaEntityFields['crm.deal'];
  'crm.lead': SchemaEntityFields['crm.lead'];
  'crm.contact': SchemaEntityFields['crm.contact'];
  'crm.company': SchemaEntityFields['crm.company'];
  'crm.quote': SchemaEntityFields['crm.quote'];
  /**
   * The schema gives `tasks.task.add` an open `fields` object (no field list), so the names are
   * checked at run time only: an unknown one throws.
   */
  'tasks.task': Readonly<Record<string, unknown>>;
}

/** The name of a seedable entity (`'crm.deal'`). */
export type SeedEntity = keyof SeedEntities;
