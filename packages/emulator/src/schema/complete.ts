/**
 * Stateful answers with every always-returned field. The schema marks a result field required
 * when the docs' get example shows it (scripts/restdocs/required-fields.mjs), and `| null` only
 * where that example shows null. A hand-written domain stores what a caller sent, so a field
 * nobody set is null or absent in its row; this fills such a field with the empty value of its
 * type ('' / '0' / 'N' / 0 / [] / {}), the shape the docs show, and leaves every other value as it is.
 * Optional fields are untouched (the portal sends empty optional fields as null).
 */
import { synthesize } from './conform.js';
import { schemaTable, type TypeDef, type TypeNode } from './table.js';

type Row = Record<string, unknown>;

const allowsNull = (t: TypeNode): boolean =>
  (t.kind === 'prim' && (t.name === 'null' || t.name === 'any')) || (t.kind === 'union' && t.of.some(allowsNull));

/**
 * The row type a method's result carries: the result type itself, its array element, or the
 * type of the field `key` wraps the row in (`{ item: T }`, `{ task: T }`).
 */
function rowTypeOf(method: string, key?: string): { t: TypeDef; domain: string } | undefined {
  const table = schemaTable();
  const lower = method.toLowerCase();
  const m = table.methods.find((x) => x.name.toLowerCase() === lower && x.apiVersion === 2);
  if (!m) return undefined;
  let node: TypeNode = m.result;
  if (key && node.kind === 'ref') {
    const f = table.resolve(m.domain, node.name)?.fields[key];
    if (!f) return undefined;
    node = f.type;
  }
  if (node.kind === 'array') node = node.of;
  if (node.kind !== 'ref') return undefined;
  const t = table.resolve(m.domain, node.name);
  return t ? { t, domain: m.domain } : undefined;
}

export interface Completer {
  /** Fills the always-returned fields of a full row (get, add, update answers): absent or null ones. */
  full(row: Row): Row;
  /** Fills only the always-returned fields the row carries as null (list rows follow `select`). */
  present(row: Row): Row;
}

const identity: Completer = { full: (r) => r, present: (r) => r };

/**
 * A completer for the rows `method` answers with (`key`: the wrapper field of the row, if any).
 * Without a schema entry (a method the schema does not know) rows pass unchanged.
 */
export function completerFor(method: string, key?: string): Completer {
  const found = rowTypeOf(method, key);
  if (!found) return identity;
  const { t, domain } = found;
  const resolve = (name: string) => schemaTable().resolve(domain, name);
  const required = Object.entries(t.fields).filter(([, f]) => f.required);
  const fill = (row: Row, addMissing: boolean): Row => {
    for (const [name, f] of required) {
      const v = row[name];
      if (v === undefined ? !addMissing : v !== null || allowsNull(f.type)) continue;
      row[name] = synthesize(f.type, resolve, 0, f.wire);
    }
    return row;
  };
  return { full: (r) => fill(r, true), present: (r) => fill(r, false) };
}

/** Whether a list's `select` asks for the whole documented row: none, empty, or one naming `*`. */
export function selectsAll(select: unknown): boolean {
  if (select === undefined || select === null || select === '') return true;
  const list = Array.isArray(select) ? select : typeof select === 'object' ? Object.values(select) : [select];
  return list.length === 0 || list.some((x) => String(x) === '*');
}
