/**
 * A method descriptor is data about one REST method. The generator writes one per method
 * (packages/client/src/generated/**); core reads them and never names a method itself.
 */

/** What core can check about a parameter value before sending it. */
import { readsByName } from './idempotency.js';

export type ParamKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'file' | 'any';

export interface ParamSpec {
  readonly type: ParamKind;
  readonly required?: boolean;
  /** The names of a nested group (an object, or each object of an array), checked like the params. */
  readonly fields?: Readonly<Record<string, ParamSpec>>;
  /**
   * The group also takes names it does not list: `true` for any name (the schema says why), or
   * the prefixes of an open family (`UF_CRM_` for user fields).
   */
  readonly open?: boolean | readonly string[];
}

/** How a list method returns its rows and how it can be paged. */
export interface ListSpec {
  /**
   * Dotted path of the row array inside `result`: '' when `result` itself is the array,
   * 'items' for `result.items`, 'tasks' for `result.tasks`, ...
   */
  readonly rows: string;
  /** Name of the id field in a row, in the casing the wire uses (`ID`, `id`). */
  readonly idField: string;
  /** The method accepts `>ID`-style filters, `order` by id and `start=-1` (keyset paging). */
  readonly keyset: boolean;
  /** Parameter names the method uses for filter, order and select (legacy methods vary in casing). */
  readonly filterParam?: string;
  readonly orderParam?: string;
  readonly selectParam?: string;
}

export interface MethodDescriptor {
  /** The REST method name exactly as the docs write it, e.g. `crm.deal.list`. */
  readonly method: string;
  readonly scope: string;
  /** Idempotent methods may be retried after the request may have reached the server. */
  readonly idempotent: boolean;
  /** The method may appear inside `batch`. */
  readonly batchable: boolean;
  /** Only an OAuth application may call it (webhooks get WRONG_AUTH_TYPE). */
  readonly appOnly: boolean;
  /** 2 for classic REST (`/rest/method`), 3 for REST 3.0 (`/rest/api/method`). */
  readonly apiVersion: 2 | 3;
  /**
   * Known parameters. When present, core validates before sending: required ones present,
   * no unknown names, kinds match. Absent means "not described": nothing is checked.
   */
  readonly params?: Readonly<Record<string, ParamSpec>>;
  /** The params also take names they do not list: `true` for any, or name prefixes (`UF_`). */
  readonly paramsOpen?: boolean | readonly string[];
  /** Parameter names in order, for methods that also accept a positional array. */
  readonly positional?: readonly string[];
  /** Present for methods that return pages of rows. */
  readonly list?: ListSpec;
  readonly docUrl?: string;
  readonly deprecated?: boolean;
}

/**
 * A descriptor for a method nothing is known about (`b24.call('any.method')`). Its idempotency
 * comes from the name (idempotency.ts); a raw `batch` is judged by its commands when called.
 */
export function adHocDescriptor(method: string): MethodDescriptor {
  return {
    method,
    scope: '',
    idempotent: readsByName(method),
    batchable: true,
    appOnly: false,
    apiVersion: 2,
  };
}
