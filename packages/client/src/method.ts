/**
 * What every generated method is built from, with no import at all: a domain's declarations
 * (`@b24kit/client/crm`) load this file and their own types, never core's transport (undici,
 * @types/node). `MethodInfo` and `CallOptions` repeat core's `MethodDescriptor` and `CallOptions`
 * structurally; client.ts asserts at compile time that the two stay the same.
 *
 * A generated method is one value: a descriptor core reads, callable as a tree-shakeable free
 * function (`crmDealList(caller, params)`), carrying its params and result types for `b24.call`,
 * `paginate`, `batch` and `bulk`. The `b24.*` tree is built from these values at run time.
 */

/** What core can check about a parameter value before sending it (core's ParamKind). */
export type ParamKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'file' | 'any';

/** core's ParamSpec. */
export interface ParamSpec {
  readonly type: ParamKind;
  readonly required?: boolean;
  readonly fields?: Readonly<Record<string, ParamSpec>>;
  readonly open?: boolean | readonly string[];
}

/** core's ListSpec: where the rows of a list method sit and how it pages. */
export interface ListSpec {
  readonly rows: string;
  readonly idField: string;
  readonly keyset: boolean;
  readonly filterParam?: string;
  readonly orderParam?: string;
  readonly selectParam?: string;
}

/** core's MethodDescriptor, repeated so that a domain's types do not load core. */
export interface MethodInfo {
  readonly method: string;
  readonly scope: string;
  readonly idempotent: boolean;
  readonly batchable: boolean;
  readonly appOnly: boolean;
  readonly apiVersion: 2 | 3;
  readonly params?: Readonly<Record<string, ParamSpec>>;
  readonly paramsOpen?: boolean | readonly string[];
  readonly positional?: readonly string[];
  readonly list?: ListSpec;
  readonly docUrl?: string;
  readonly deprecated?: boolean;
}

/** The part of an AbortSignal a declaration needs (any AbortSignal is one). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** Options of one call (core's CallOptions). */
export interface CallOptions {
  signal?: AbortSignalLike;
  /** Milliseconds for one HTTP attempt; overrides the caller's default. */
  timeout?: number;
  /** Check params against the method's spec before sending (default: the caller's `validate`, true). */
  validate?: boolean;
}

/**
 * What the generated free functions need: anything that can call a described method.
 * A core `Caller` (createCaller) is one; tests and wrappers can pass their own.
 */
export interface MethodCaller {
  call<R = unknown>(descriptor: MethodInfo, params?: object, options?: CallOptions): Promise<R>;
}

declare const TYPES: unique symbol;

/** `[params, options]` of a method: `params` may be left out when nothing in it is required. */
export type ArgsOf<P> = {} extends P ? [params?: P, options?: CallOptions] : [params: P, options?: CallOptions];

/**
 * One described method: its descriptor, callable as `method(caller, params, options)`, and its
 * types (`N` the REST name, `P` its params, `R` its `result`, `L` the rows of a list method).
 */
export interface Method<N extends string = string, P = any, R = unknown, L extends ListTypes = never>
  extends MethodInfo {
  readonly method: N;
  (caller: MethodCaller, ...args: ArgsOf<P>): Promise<R>;
  /** Types only: never present at run time. */
  readonly [TYPES]?: { readonly params: P; readonly result: R; readonly list: L };
}

/** The row type of a list method, and the name of its `select` param when rows follow it. */
export interface ListTypes {
  readonly row: unknown;
  readonly select?: string;
  /** How `filter`/`select` name the row's fields (see NameCase). */
  readonly case?: NameCase;
  /** Fields a row carries whatever the select named (tasks.task.list: `responsible`, ...). */
  readonly also?: string;
}

/** A module of method values (a domain's methods.ts) as a map: REST name -> method. */
export type MethodsOf<Module> = {
  [K in keyof Module as Module[K] extends { readonly method: infer N extends string } ? N : never]: Module[K];
};

// ---- list params and rows ------------------------------------------------------------------

/**
 * The operators a legacy list filter key may start with (`>=OPPORTUNITY`, `%TITLE`, `!ID`,
 * `@ID`): https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html
 */
export type FilterOp =
  | ''
  | '='
  | '!'
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | '%'
  | '!%'
  | '=%'
  | '%='
  | '!=%'
  | '!%='
  | '@'
  | '!@'
  | '><'
  | '!><';
/** The field names of a row type (open families included, as `UF_CRM_${string}`). */
export type FieldName<E> = Extract<keyof E, string>;
/**
 * A camelCase field name as the upper-case name a list takes in `filter`/`select`
 * (`responsibleId` -> `RESPONSIBLE_ID`), for lists that answer in camelCase but are asked in
 * upper case (tasks.task.list).
 */
export type UpperName<S extends string, A extends string = ''> = S extends `${infer H}${infer T}`
  ? UpperName<T, `${A}${H extends Lowercase<H> ? Uppercase<H> : `_${H}`}`>
  : A;
/** How a list names its fields in `filter`/`select`: as the rows do, or in upper case (`U`). */
export type NameCase = '' | 'U';
/** A field of `E` as `filter`/`select` name it. */
export type ListName<E, C extends NameCase = ''> = C extends 'U'
  ? { [K in FieldName<E>]: UpperName<K> }[FieldName<E>]
  : FieldName<E>;
/**
 * What the wire accepts as a filter value for a field whose row type is `T`: a number field
 * takes a number or a numeric string; a Y/N field `'Y' | 'N'`; a boolean field also `'Y' | 'N'`;
 * any other (text, dates as ISO 8601 text, ids the docs show as text) a string or a number.
 */
export type FilterValueOf<T> = [NonNullable<T>] extends [never]
  ? string | number
  : [NonNullable<T>] extends [number]
    ? number | `${number}`
    : [NonNullable<T>] extends ['Y' | 'N']
      ? 'Y' | 'N'
      : [NonNullable<T>] extends [boolean]
        ? boolean | 'Y' | 'N'
        : string | number;
/** The value of field `K` of `E` in a filter (`N`: fields the rows show as text but hold numbers). */
export type FilterFieldValue<E, K extends keyof E, N extends string> = K extends N
  ? number | `${number}`
  : FilterValueOf<E[K]>;
/** Filter key `K` (in the list's naming) back to the row's field. */
export type FilterRowKey<E, C extends NameCase, Name extends string> = C extends 'U'
  ? { [K in FieldName<E>]: UpperName<K> extends Name ? K : never }[FieldName<E>]
  : Name & keyof E;
/**
 * A list filter over the fields of `E`: a misspelled field or operator fails to compile, and each
 * value has the field's wire type. `=`, `!`, `!=` and no operator take one value or a list (IN);
 * `>`, `>=`, `<`, `<=` one value; `%`, `=%`, `%=` (LIKE) and `!%`, `!=%`, `!%=` text; `@`, `!@` a list; `><`,
 * `!><` a pair. `N` names fields the rows show as text that hold numbers (ids, amounts); `C`
 * the naming of the keys (see NameCase); `X` keys the docs accept beyond the row (FilterExtra).
 * https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html
 */
export type Filter<E, N extends string = never, C extends NameCase = '', X extends string = never> =
  | CheckedFilter
  | (FilterFields<E, N, C> & FilterExtra<X>);
/**
 * Filter keys the docs accept beyond the row's fields (`X`: names such as `NAME_SEARCH`, or
 * families such as `` `PERSONAL_${string}` ``), with any operator; their values are not typed
 * further than text, number, boolean or a list.
 */
export type FilterExtra<X extends string> = {
  [K in X as `${FilterOp}${K}`]?: string | number | boolean | readonly (string | number)[];
};
declare const CHECKED: unique symbol;
/**
 * A filter made by one of the client's filter builders (`dealFilter`, `taskFilter`, ...), which
 * check names at run time and allow the builders' wider values (`null`, `LOGIC`): accepted as is.
 */
export interface CheckedFilter {
  /** Types only: never present at run time. */
  readonly [CHECKED]: true;
}
/** The object form of Filter. */
export type FilterFields<E, N extends string = never, C extends NameCase = ''> = {
  [K in ListName<E, C> as `${'' | '=' | '!' | '!='}${K}`]?:
    | FilterFieldValue<E, FilterRowKey<E, C, K>, N>
    | readonly FilterFieldValue<E, FilterRowKey<E, C, K>, N>[];
} & { [K in ListName<E, C> as `${'>' | '>=' | '<' | '<='}${K}`]?: FilterFieldValue<E, FilterRowKey<E, C, K>, N> } & {
  [K in ListName<E, C> as `${'%' | '!%' | '=%' | '%=' | '!=%' | '!%='}${K}`]?: string | number;
} & { [K in ListName<E, C> as `${'@' | '!@'}${K}`]?: readonly FilterFieldValue<E, FilterRowKey<E, C, K>, N>[] } & {
  [K in ListName<E, C> as `${'><' | '!><'}${K}`]?: readonly [
    FilterFieldValue<E, FilterRowKey<E, C, K>, N>,
    FilterFieldValue<E, FilterRowKey<E, C, K>, N>,
  ];
};
/** What `select` of a list over `E` may name: its fields, `*` (the default set) and `UF_*`. */
export type SelectField<E, C extends NameCase = ''> = ListName<E, C> | '*' | 'UF_*';
/**
 * A row of a list over `E` that selected `S`: exactly the selected fields (all present, as the
 * server sends them) and the fields `A` the list returns whatever was selected; no select or `*`
 * gives `E`, the documented default set.
 */
export type Selected<E, S extends string, C extends NameCase = '', A extends string = never> = [S] extends [never]
  ? E
  : '*' extends S
    ? E
    : {
        [K in keyof E as K extends string
          ? (C extends 'U' ? UpperName<K> : K) extends S
            ? K
            : K extends A
              ? K
              : 'UF_*' extends S
                ? K extends `UF_${string}` | `ufCrm${string}`
                  ? K
                  : never
                : never
          : never]-?: E[K];
      };
/**
 * The `result` of a list whose rows sit under `At` (`''`: the result is the rows) after a select
 * of `S`: the rows narrowed as by Selected (always present in a list's answer), the rest of the
 * result as it is.
 */
export type SelectedResult<
  R,
  E,
  S extends string,
  At extends string = '',
  C extends NameCase = '',
  A extends string = never,
> = At extends ''
  ? Selected<E, S, C, A>[]
  : { [K in keyof R as K extends At ? never : K]: R[K] } & { [K in At]: Selected<E, S, C, A>[] };

/** Any described method. */
export type AnyMethod = Method<string, any, any, any>;
/** The params type of a method value. */
export type ParamsOf<M> = M extends { readonly [TYPES]?: { readonly params: infer P } } ? P : never;
/** The `result` type of a method value. */
export type ResultOf<M> = M extends { readonly [TYPES]?: { readonly result: infer R } } ? R : never;
/** The name of a list method's select param when its rows follow select (else never). */
export type SelectKeyOf<M> = M extends { readonly [TYPES]?: { readonly list: infer L } }
  ? [L] extends [{ readonly select: infer K extends string }]
    ? K
    : never
  : never;
/** How a list method's `select` names the row's fields (see NameCase). */
export type NameCaseOf<M> = M extends { readonly [TYPES]?: { readonly list: infer L } }
  ? [L] extends [{ readonly case: infer C extends NameCase }]
    ? C
    : ''
  : '';
/** The fields a list method's rows carry whatever the select named (see ListTypes.also). */
export type AlsoOf<M> = M extends { readonly [TYPES]?: { readonly list: infer L } }
  ? [L] extends [{ readonly also: infer A extends string }]
    ? A
    : never
  : never;
/** The row type of a list method value (`never` for a method that does not page). */
export type RowOf<M> = M extends { readonly [TYPES]?: { readonly list: infer L } }
  ? [L] extends [ListTypes]
    ? L['row']
    : never
  : never;

// ---- run time ----------------------------------------------------------------------------

/**
 * A param in the generated tables: its kind (`s` string, `n` number, `b` boolean, `o` object,
 * `a` array, `f` file, `x` any) with `!` when required; a nested group is `[kind, fields, open?]`
 * where open is a comma-separated list of name prefixes, or `*` for any name.
 */
export type CompactParam = string | readonly [string, CompactParams, string?];
export type CompactParams = { readonly [name: string]: CompactParam };

const KINDS: Readonly<Record<string, ParamKind>> = {
  s: 'string',
  n: 'number',
  b: 'boolean',
  o: 'object',
  a: 'array',
  f: 'file',
  x: 'any',
};
const DOCS = 'https://apidocs.bitrix24.com/api-reference/';

function openOf(text: string | undefined): boolean | readonly string[] | undefined {
  if (text === undefined || text === '') return undefined;
  return text === '*' ? true : text.split(',');
}

function expand(params: CompactParams): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  for (const [name, p] of Object.entries(params)) {
    const [code, fields, open] = typeof p === 'string' ? [p] : p;
    const type = KINDS[code.replace('!', '')];
    if (!type) throw new Error(`bad param kind "${code}" for ${name}`);
    const o = openOf(open);
    out[name] = {
      type,
      ...(code.endsWith('!') ? { required: true } : {}),
      ...(fields ? { fields: expand(fields) } : {}),
      ...(o !== undefined ? { open: o } : {}),
    };
  }
  return out;
}

/** Extras of a method that few have. `open`: the top-level names are open (see CompactParam). */
export interface MethodExtras {
  readonly list?: ListSpec;
  readonly positional?: readonly string[];
  readonly open?: string;
}

/**
 * Builds one method value (the generator writes one call per method). `flags`: `i` idempotent,
 * `n` not batchable, `a` application only, `3` REST 3.0, `d` deprecated. `doc`: the docs URL, or
 * its path under https://apidocs.bitrix24.com/api-reference/ without `.html`. The param spec is
 * expanded on first use, so importing every domain costs no parsing.
 */
export function def<N extends string>(
  method: N,
  scope: string,
  flags: string,
  doc: string,
  params: CompactParams,
  extras: MethodExtras = {},
): Method<N, any, any, never> {
  const fn = function (this: unknown, caller: MethodCaller, params?: object, options?: CallOptions) {
    return caller.call(fn as unknown as MethodInfo, params, options);
  };
  let spec: Record<string, ParamSpec> | undefined;
  const docUrl = doc === '' ? undefined : doc.startsWith('https://') ? doc : `${DOCS}${doc}.html`;
  const props: Record<string, unknown> = {
    method,
    scope,
    idempotent: flags.includes('i'),
    batchable: !flags.includes('n'),
    appOnly: flags.includes('a'),
    apiVersion: flags.includes('3') ? 3 : 2,
    ...(extras.positional ? { positional: extras.positional } : {}),
    ...(extras.list ? { list: extras.list } : {}),
    ...(docUrl ? { docUrl } : {}),
    ...(flags.includes('d') ? { deprecated: true } : {}),
  };
  const open = openOf(extras.open);
  if (open !== undefined) props['paramsOpen'] = open;
  for (const [key, value] of Object.entries(props)) Object.defineProperty(fn, key, { value, enumerable: true });
  Object.defineProperty(fn, 'params', { get: () => (spec ??= expand(params)), enumerable: true });
  return fn as unknown as Method<N, any, any, never>;
}

/**
 * A function that also carries members: `im.dialog.read` is a method and `im.dialog.read.all`
 * another, so `read` must be callable and have `all`. defineProperty (not assignment) so that
 * members named like Function's own read-only properties (`name`, `length`) still work.
 */
export function withMembers<F extends (...args: never[]) => unknown, M extends object>(fn: F, members: M): F & M {
  for (const [key, value] of Object.entries(members)) {
    Object.defineProperty(fn, key, { value, enumerable: true, configurable: true, writable: false });
  }
  return fn as F & M;
}

/** One row of the method list (`b24 methods`). */
export interface MethodIndexEntry {
  readonly method: string;
  /** The subpath export: `@b24kit/client/<domain>`. */
  readonly domain: string;
  readonly scope: string;
  readonly docUrl?: string;
  readonly deprecated: boolean;
}

const isMethod = (v: unknown): v is AnyMethod =>
  typeof v === 'function' && typeof (v as { method?: unknown }).method === 'string';

/** Every method value of each domain module, by REST name, and the sorted method list. */
export function indexMethods(domains: Readonly<Record<string, object>>): {
  registry: Readonly<Record<string, AnyMethod>>;
  methodIndex: readonly MethodIndexEntry[];
} {
  const registry: Record<string, AnyMethod> = {};
  const methodIndex: MethodIndexEntry[] = [];
  for (const [domain, module] of Object.entries(domains)) {
    for (const m of Object.values(module)) {
      if (!isMethod(m)) continue;
      registry[m.method] = m;
      methodIndex.push({
        method: m.method,
        domain,
        scope: m.scope,
        ...(m.docUrl ? { docUrl: m.docUrl } : {}),
        deprecated: !!m.deprecated,
      });
    }
  }
  methodIndex.sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
  return { registry: Object.freeze(registry), methodIndex: Object.freeze(methodIndex) };
}

/**
 * The `b24.<rest.method.name>` tree over `caller`, built from the method values: each name is
 * split at its dots; a node that is a method and also has children is a function with members.
 */
export function buildTree(caller: MethodCaller, methods: Iterable<AnyMethod>): Record<string, unknown> {
  interface Node {
    method?: AnyMethod;
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const m of methods) {
    let node = root;
    for (const seg of m.method.split('.')) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map() }));
      node = next;
    }
    node.method = m;
  }
  const materialize = (node: Node): unknown => {
    const members: Record<string, unknown> = {};
    for (const [seg, child] of node.children) members[seg] = materialize(child);
    const m = node.method;
    if (!m) return members;
    const bound = (params?: object, options?: CallOptions) => caller.call(m, params, options);
    return node.children.size ? withMembers(bound, members) : bound;
  };
  return materialize(root) as Record<string, unknown>;
}
