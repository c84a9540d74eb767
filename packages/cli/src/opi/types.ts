/** How an OPI flag's text becomes a REST value (see scripts/opi-cli-table.mjs). */
export type OpiHow =
  | 'url'
  | 'token'
  | 'number'
  | 'string'
  | 'bool'
  | 'yn'
  | 'yn-not'
  | 'object'
  | 'spread'
  | 'list'
  | 'blocks'
  | 'dialog'
  | 'base64'
  | 'file'
  | 'files'
  | 'ignore'
  | 'local';

export interface OpiFlag {
  /** The OPI param name, e.g. `TaskID`. */
  readonly name: string;
  /** The OPI type as documented, e.g. `Number,String`, `Structure Of KeyAndValue`. */
  readonly type: string;
  /** The OPI CLI flag, e.g. `task` for `--task`. */
  readonly flag: string;
  readonly required: boolean;
  /** OPI's default, applied when the flag is not given (an optional param without one is not sent). */
  readonly default?: string | number | boolean;
  /** REST param path (dotted for nested), or for auth/local functions the option it sets. */
  readonly to: string;
  readonly how?: OpiHow;
}

export interface OpiStructure {
  /** Message attachment block (`IMAGE`, `FILE`) built from the flags. */
  readonly block?: string;
  /** A filter template: the keys are what list methods filter on. */
  readonly filter?: boolean;
  /** Field name and schema type. */
  readonly fields?: ReadonlyArray<readonly [string, string]>;
}

export interface OpiFunction {
  readonly name: string;
  readonly region: string;
  readonly kind: 'remote' | 'auth' | 'local-helper';
  /** Column 3 of the parity list as written (method, verb and notes). */
  readonly rest: string;
  /** The REST method a remote function calls. */
  readonly method?: string;
  readonly flags: readonly OpiFlag[];
  /** Params always sent (e.g. MUTE=Y for DisableChatNotifications). */
  readonly fixed?: Readonly<Record<string, unknown>>;
  /** A local step after the call: `filter-fields` keeps the fields usable in a filter. */
  readonly post?: 'filter-fields';
  readonly note?: string;
  /** For auth functions: the @b24kit/auth helper that does the work. */
  readonly auth?: 'authorizeUrl' | 'exchangeCode' | 'refreshTokens';
  readonly structure?: OpiStructure;
}
