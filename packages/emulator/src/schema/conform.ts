/**
 * Fits a value (a documented response example, or a stored row) to a schema type, so an
 * example-backed answer has the shape of the generated result type: numbers where the type
 * says number, "Y"/"N" where it says YN, required fields present. Optional fields the example
 * shows as null stay null, as the portal sends them.
 * Values that already fit are returned unchanged. Where the example is missing or of another
 * kind, a minimal value of the type is built (0, '', false, 'N', [], {}).
 */
import type { SchemaTable, TypeNode } from './table.js';

type Resolve = (name: string) => ReturnType<SchemaTable['resolve']>;

const MAX_DEPTH = 12;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A minimal value of a type. */
export function synthesize(node: TypeNode, resolve: Resolve, depth = 0, wire?: 'string' | 'yn'): unknown {
  switch (node.kind) {
    case 'prim':
      switch (node.name) {
        case 'integer':
        case 'double':
          return wire === 'string' ? '0' : 0;
        case 'boolean':
          return wire === 'yn' ? 'N' : false;
        case 'yn':
          return 'N';
        case 'object':
          return {};
        case 'null':
        case 'any':
        case 'file':
          return null;
        default:
          return '';
      }
    case 'array':
      return [];
    case 'record':
      return {};
    case 'union': {
      // Prefer a member that is not null, so a caller gets something to read.
      const member = node.of.find((n) => !(n.kind === 'prim' && n.name === 'null')) ?? node.of[0]!;
      return synthesize(member, resolve, depth, wire);
    }
    case 'ref': {
      const t = resolve(node.name);
      const out: Record<string, unknown> = {};
      if (!t || depth > MAX_DEPTH) return out;
      for (const [name, f] of Object.entries(t.fields))
        if (f.required) out[name] = synthesize(f.type, resolve, depth + 1, f.wire);
      return out;
    }
  }
}

/** True when `value` already has the shape of `node` (the same rules `conform` enforces). */
export function fits(value: unknown, node: TypeNode, resolve: Resolve, depth = 0, wire?: 'string' | 'yn'): boolean {
  if (depth > MAX_DEPTH) return true;
  switch (node.kind) {
    case 'prim':
      switch (node.name) {
        case 'integer':
        case 'double':
          return wire === 'string' ? typeof value === 'string' : typeof value === 'number';
        case 'boolean':
          return wire === 'yn' ? value === 'Y' || value === 'N' : typeof value === 'boolean';
        case 'yn':
          return value === 'Y' || value === 'N';
        case 'object':
          return value !== null && typeof value === 'object';
        case 'null':
          return value === null;
        case 'any':
        case 'file':
          return true;
        default:
          return typeof value === 'string';
      }
    case 'array':
      return Array.isArray(value) && value.every((v) => fits(v, node.of, resolve, depth + 1));
    case 'record':
      return (
        (isPlainObject(value) && Object.values(value).every((v) => fits(v, node.of, resolve, depth + 1))) ||
        (Array.isArray(value) && value.length === 0)
      );
    case 'union':
      return node.of.some((n) => fits(value, n, resolve, depth, wire));
    case 'ref': {
      const t = resolve(node.name);
      if (Array.isArray(value) && value.length === 0) return true;
      if (!isPlainObject(value)) return false;
      if (!t) return true;
      for (const [name, f] of Object.entries(t.fields)) {
        const v = value[name];
        if (v === undefined || (v === null && !f.required)) {
          if (f.required) return false;
          continue;
        }
        if (!fits(v, f.type, resolve, depth + 1, f.wire)) return false;
      }
      return true;
    }
  }
}

/** `value` reshaped to fit `node`, keeping every part that already fits. */
export function conform(value: unknown, node: TypeNode, resolve: Resolve, depth = 0, wire?: 'string' | 'yn'): unknown {
  if (depth > MAX_DEPTH) return value;
  switch (node.kind) {
    case 'prim':
      switch (node.name) {
        case 'integer':
        case 'double': {
          if (wire === 'string')
            return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '0';
          if (typeof value === 'number') return value;
          const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
          return Number.isFinite(n) ? n : typeof value === 'boolean' ? (value ? 1 : 0) : 0;
        }
        case 'boolean':
          if (wire === 'yn') return value === 'Y' || value === true || value === 1 || value === '1' ? 'Y' : 'N';
          if (typeof value === 'boolean') return value;
          return value === 'Y' || value === 1 || value === '1' || value === 'true';
        case 'yn':
          return value === 'Y' || value === true || value === 1 || value === '1' ? 'Y' : 'N';
        case 'object':
          return value !== null && typeof value === 'object' ? value : {};
        case 'null':
          return null;
        case 'any':
        case 'file':
          return value === undefined ? null : value;
        default:
          if (typeof value === 'string') return value;
          if (typeof value === 'number' || typeof value === 'boolean') return String(value);
          return '';
      }
    case 'array': {
      const list = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
      return list.map((v) => conform(v, node.of, resolve, depth + 1));
    }
    case 'record': {
      if (!isPlainObject(value)) return {};
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, conform(v, node.of, resolve, depth + 1)]));
    }
    case 'union': {
      const hit = node.of.find((n) => fits(value, n, resolve, depth, wire));
      if (hit) return value;
      // Reshape to the member of the same JSON kind, else the first non-null member.
      const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
      const same =
        node.of.find((n) => kindOfNode(n, resolve) === kind) ??
        node.of.find((n) => !(n.kind === 'prim' && n.name === 'null')) ??
        node.of[0]!;
      return conform(value, same, resolve, depth, wire);
    }
    case 'ref': {
      const t = resolve(node.name);
      // PHP writes an empty array as [] even where an object is meant (§9).
      if (Array.isArray(value) && value.length === 0) return value;
      if (!isPlainObject(value)) return synthesize(node, resolve, depth);
      if (!t) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const f = t.fields[k];
        if (!f) {
          out[k] = v;
          continue;
        }
        if (v === null || v === undefined) {
          // The docs show empty optional fields as null and the portal sends them so: kept.
          // A required field gets a value of its type.
          if (f.required)
            out[k] = fits(v, f.type, resolve, depth + 1, f.wire) ? v : synthesize(f.type, resolve, depth + 1, f.wire);
          else if (v === null) out[k] = null;
          continue;
        }
        out[k] = conform(v, f.type, resolve, depth + 1, f.wire);
      }
      for (const [k, f] of Object.entries(t.fields))
        if (f.required && !(k in out)) out[k] = synthesize(f.type, resolve, depth + 1, f.wire);
      return out;
    }
  }
}

function kindOfNode(node: TypeNode, resolve: Resolve): string {
  switch (node.kind) {
    case 'array':
      return 'array';
    case 'record':
    case 'ref':
      return 'object';
    case 'union':
      return 'union';
    case 'prim':
      switch (node.name) {
        case 'integer':
        case 'double':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'object':
          return 'object';
        case 'null':
          return 'null';
        case 'any':
        case 'file':
          return 'any';
        default:
          return 'string';
      }
  }
  void resolve;
}
