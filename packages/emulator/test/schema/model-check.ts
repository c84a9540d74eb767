/**
 * Test helpers over the generator's model (scripts/codegen model stage): minimal valid params
 * for a method, and a run-time check that a value has the generated result type. The check
 * follows what scripts/codegen/emit.mjs writes for the `out` side: integer/double → number
 * (`wire: string` → string), boolean → boolean (`wire: yn` → 'Y' | 'N'), yn → 'Y' | 'N',
 * string/date/datetime → string, file/any → unknown, object → Record<string, unknown>,
 * required type fields present, optional ones absent or of their type. Two allowances: PHP's
 * empty array `[]` stands for an empty object (PROTOCOL.md §9), and an optional field may be
 * null, as the portal sends empty fields (collected in `nullFields` for the report).
 */
export type TypeNode =
  | { kind: 'prim'; name: string }
  | { kind: 'ref'; name: string }
  | { kind: 'array'; of: TypeNode }
  | { kind: 'record'; of: TypeNode }
  | { kind: 'union'; of: TypeNode[] };

export interface ParamIR {
  name: string;
  type: TypeNode;
  required: boolean;
  fields?: ParamIR[];
}
export interface FieldIR {
  name: string;
  type: TypeNode;
  required: boolean;
  wire?: 'string' | 'yn';
}
export interface TypeIR {
  name: string;
  fields: FieldIR[];
  open: boolean;
}
export interface MethodIR {
  name: string;
  domain: string;
  scope: string;
  params: ParamIR[];
  result: TypeNode;
  appOnly: boolean;
  batchable: boolean;
  apiVersion: 2 | 3;
}
export interface ModelIR {
  domains: { name: string; types: TypeIR[]; methods: MethodIR[] }[];
  shared: TypeIR[];
}

const typeIndex = new WeakMap<ModelIR, Map<string, TypeIR>>();
function lookup(model: ModelIR, domain: string, name: string): TypeIR | undefined {
  let idx = typeIndex.get(model);
  if (!idx) {
    idx = new Map();
    for (const d of model.domains) for (const t of d.types) idx.set(`${d.name}:${t.name}`, t);
    for (const t of model.shared) idx.set(`_shared:${t.name}`, t);
    typeIndex.set(model, idx);
  }
  return idx.get(`${domain}:${name}`) ?? idx.get(`_shared:${name}`);
}

function sample(node: TypeNode, name: string, model: ModelIR, domain: string, depth = 0): unknown {
  switch (node.kind) {
    case 'prim':
      switch (node.name) {
        case 'integer':
        case 'double':
          return 1;
        case 'boolean':
          return true;
        case 'yn':
          return 'Y';
        case 'date':
          return '2025-01-15';
        case 'datetime':
          return '2025-01-15T10:00:00+00:00';
        case 'object':
          return {};
        case 'file':
          return ['a.txt', 'aGVsbG8='];
        case 'any':
          return /id$/i.test(name) ? 1 : 'x';
        case 'null':
          return null;
        default:
          return /id$/i.test(name) ? '1' : 'x';
      }
    case 'array':
      return [sample(node.of, name, model, domain, depth + 1)];
    case 'record':
      return {};
    case 'union':
      return sample(node.of[0]!, name, model, domain, depth);
    case 'ref':
      return {};
  }
}

/** Every required param (and required nested field) with a plain value of its type. */
export function minimalParams(m: MethodIR, model: ModelIR): Record<string, unknown> {
  const fill = (params: ParamIR[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const p of params) {
      if (!p.required) continue;
      out[p.name] = p.fields?.length ? fill(p.fields) : sample(p.type, p.name, model, m.domain);
    }
    return out;
  };
  return fill(m.params);
}

/** `Type.field` names seen null where the generated type has no null (reported by the test). */
export const nullFields = new Set<string>();

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const emptyArray = (v: unknown) => Array.isArray(v) && v.length === 0;

/** Differences between `value` and the method's generated result type (empty = fits). */
export function resultProblems(value: unknown, m: MethodIR, model: ModelIR): string[] {
  const out: string[] = [];
  check(value, m.result, 'result', undefined, 0);
  return out;

  function check(v: unknown, node: TypeNode, path: string, wire: 'string' | 'yn' | undefined, depth: number): boolean {
    if (depth > 14) return true;
    const fail = (what: string) => {
      out.push(`${path}: expected ${what}, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`);
      return false;
    };
    switch (node.kind) {
      case 'prim':
        switch (node.name) {
          case 'integer':
          case 'double':
            return wire === 'string'
              ? typeof v === 'string' || fail('string')
              : typeof v === 'number' || fail('number');
          case 'boolean':
            return wire === 'yn'
              ? v === 'Y' || v === 'N' || fail('"Y" | "N"')
              : typeof v === 'boolean' || fail('boolean');
          case 'yn':
            return v === 'Y' || v === 'N' || fail('"Y" | "N"');
          case 'object':
            return isObj(v) || emptyArray(v) || fail('object');
          case 'null':
            return v === null || fail('null');
          case 'any':
          case 'file':
            return true;
          default:
            return typeof v === 'string' || fail('string');
        }
      case 'array':
        if (!Array.isArray(v)) return fail('array');
        return v.every((x, i) => check(x, node.of, `${path}.${i}`, undefined, depth + 1));
      case 'record':
        if (emptyArray(v)) return true;
        if (!isObj(v)) return fail('object');
        return Object.entries(v).every(([k, x]) => check(x, node.of, `${path}.${k}`, undefined, depth + 1));
      case 'union': {
        const before = out.length;
        for (const member of node.of) {
          if (check(v, member, path, wire, depth)) {
            out.length = before;
            return true;
          }
        }
        const mine = out.splice(before);
        out.push(`${path}: fits no member of the union (${mine.slice(0, 2).join('; ')})`);
        return false;
      }
      case 'ref': {
        if (emptyArray(v)) return true;
        if (!isObj(v)) return fail(`object ${node.name}`);
        const t = lookup(model, m.domain, node.name);
        if (!t) return true;
        let ok = true;
        for (const f of t.fields) {
          const x = v[f.name];
          if (x === null && !f.required) {
            // The portal sends empty optional fields as null (the docs' examples show it); the
            // generated types leave null out. Counted apart, not a shape failure.
            nullFields.add(`${node.name}.${f.name}`);
            continue;
          }
          if (x === undefined) {
            if (f.required) {
              out.push(`${path}.${f.name}: missing (required in ${node.name})`);
              ok = false;
            }
            continue;
          }
          if (!check(x, f.type, `${path}.${f.name}`, f.wire, depth + 1)) ok = false;
        }
        return ok;
      }
    }
  }
}
