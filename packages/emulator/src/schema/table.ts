/**
 * The schema as the emulator sees it: the generated method table (src/generated/method-table.ts,
 * made from schema/ by scripts/emulator-method-table.mjs), parsed once, with type expressions
 * parsed into nodes and type names resolved per domain. Nothing here reads a file.
 */
import { methodTableJson } from '../generated/method-table.js';

/** name -> [type expression, required 0|1, nested group?] */
export type ParamTable = Readonly<Record<string, readonly [string, 0 | 1, ParamTable?]>>;

export interface SchemaMethod {
  readonly name: string;
  readonly domain: string;
  readonly scope: string;
  readonly appOnly: boolean;
  readonly batchable: boolean;
  readonly apiVersion: 2 | 3;
  readonly params: ParamTable;
  readonly openParams: boolean;
  readonly result: TypeNode;
  readonly list?: { readonly rows?: string; readonly idField?: string; readonly keyset?: boolean };
  /** The documented response example's `result` (and `total`), when the docs have one. */
  readonly example?: unknown;
  readonly exampleTotal?: number;
  /** Documented errors: [code, message, status?]. */
  readonly errors: readonly (readonly [string, string, number?])[];
}

/** An event as the schema documents it: its name as written, scope and payload fields. */
export interface SchemaEvent {
  readonly name: string;
  readonly scope: string;
  /** The documented `data` of the event's payload (FIELDS: {ID: ...}, ...). */
  readonly data: ParamTable;
}

export type TypeNode =
  | { readonly kind: 'prim'; readonly name: string }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'array'; readonly of: TypeNode }
  | { readonly kind: 'record'; readonly of: TypeNode }
  | { readonly kind: 'union'; readonly of: readonly TypeNode[] };

export interface TypeField {
  readonly type: TypeNode;
  readonly required: boolean;
  readonly wire?: 'string' | 'yn';
}

export interface TypeDef {
  readonly name: string;
  readonly fields: Readonly<Record<string, TypeField>>;
  readonly open: boolean;
}

const PRIMITIVES = new Set([
  'string',
  'integer',
  'double',
  'boolean',
  'date',
  'datetime',
  'object',
  'any',
  'file',
  'yn',
  'null',
]);

/** Parses `A | B[]`, `Record<T>`, primitives and names (the grammar of schema/README.md). */
export function parseTypeExpr(text: string): TypeNode {
  const src = text.trim();
  let pos = 0;
  const skip = () => {
    while (src[pos] === ' ') pos++;
  };
  const union = (): TypeNode => {
    const parts = [term()];
    skip();
    while (src[pos] === '|') {
      pos++;
      parts.push(term());
      skip();
    }
    return parts.length === 1 ? parts[0]! : { kind: 'union', of: parts };
  };
  const term = (): TypeNode => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    if (!m) throw new Error(`bad type expression "${text}" at ${pos}`);
    pos += m[0].length;
    let node: TypeNode;
    if (m[0] === 'Record' && src[pos] === '<') {
      pos++;
      const inner = union();
      skip();
      pos++; // '>'
      node = { kind: 'record', of: inner };
    } else {
      node = PRIMITIVES.has(m[0]) ? { kind: 'prim', name: m[0] } : { kind: 'ref', name: m[0] };
    }
    while (src.startsWith('[]', pos)) {
      pos += 2;
      node = { kind: 'array', of: node };
    }
    return node;
  };
  return union();
}

interface RawMethod {
  d: string;
  s: string;
  r: string;
  p: ParamTable;
  a?: 1;
  b?: 0;
  v?: 3;
  op?: 1;
  l?: SchemaMethod['list'];
  x?: unknown;
  xt?: number;
  e?: [string, string, number?][];
}

interface RawTable {
  types: Record<string, Record<string, { f: Record<string, [string, 0 | 1, ('string' | 'yn')?]>; o?: 1 }>>;
  methods: Record<string, RawMethod>;
  events?: Record<string, { s: string; p: ParamTable }>;
}

export class SchemaTable {
  readonly methods: readonly SchemaMethod[];
  /** Events by lowercase name (Bitrix24 matches event names case-insensitively). */
  readonly events: ReadonlyMap<string, SchemaEvent>;
  private readonly types = new Map<string, Map<string, TypeDef>>();

  constructor(raw: RawTable) {
    for (const [domain, defs] of Object.entries(raw.types)) {
      const map = new Map<string, TypeDef>();
      for (const [name, t] of Object.entries(defs)) {
        const fields: Record<string, TypeField> = {};
        for (const [f, [type, req, wire]] of Object.entries(t.f))
          fields[f] = { type: parseTypeExpr(type), required: req === 1, ...(wire ? { wire } : {}) };
        map.set(name, { name, fields, open: t.o === 1 });
      }
      this.types.set(domain, map);
    }
    this.methods = Object.entries(raw.methods).map(([name, m]) => ({
      name,
      domain: m.d,
      scope: m.s,
      appOnly: m.a === 1,
      batchable: m.b !== 0,
      apiVersion: m.v === 3 ? 3 : 2,
      params: m.p,
      openParams: m.op === 1,
      result: parseTypeExpr(m.r),
      ...(m.l ? { list: m.l } : {}),
      ...('x' in m ? { example: m.x } : {}),
      ...(m.xt !== undefined ? { exampleTotal: m.xt } : {}),
      errors: m.e ?? [],
    }));
    this.events = new Map(
      Object.entries(raw.events ?? {}).map(([name, e]) => [name.toLowerCase(), { name, scope: e.s, data: e.p }]),
    );
  }

  /** A type name as the method's domain sees it: its own types first, then `_shared`. */
  resolve(domain: string, name: string): TypeDef | undefined {
    return this.types.get(domain)?.get(name) ?? this.types.get('_shared')?.get(name);
  }
}

let table: SchemaTable | undefined;

/** The schema table, parsed on first use (about 1.5 MB of JSON). */
export function schemaTable(): SchemaTable {
  table ??= new SchemaTable(JSON.parse(methodTableJson) as RawTable);
  return table;
}
