import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Contract checks: an emulator response has the keys and JSON value types of the documented
 * response example. The examples are project data: `schema/<domain>/<entity>.docs.json`, written
 * by the docs sync (scripts/restdocs) from the official docs pages, so a clone needs nothing
 * outside the repository.
 */

interface DocsFacts {
  readonly example?: unknown;
  readonly errors?: readonly { code: string; message: string }[];
}

export interface DocumentedMethod {
  readonly method: string;
  readonly responseExample?: unknown;
  readonly errors?: DocsFacts['errors'];
}

const schemaDir = join(import.meta.dirname, '../../../../schema');
let facts: Map<string, DocumentedMethod> | undefined;

function load(): Map<string, DocumentedMethod> {
  const map = new Map<string, DocumentedMethod>();
  for (const domain of readdirSync(schemaDir, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    for (const file of readdirSync(join(schemaDir, domain.name))) {
      if (!file.endsWith('.docs.json')) continue;
      const data = JSON.parse(readFileSync(join(schemaDir, domain.name, file), 'utf8')) as {
        methods?: Record<string, DocsFacts>;
      };
      for (const [method, entry] of Object.entries(data.methods ?? {})) {
        map.set(method.toLowerCase(), { method, responseExample: entry.example, errors: entry.errors });
      }
    }
  }
  return map;
}

/** The documented facts of a REST 2 method (names match case-insensitively, as the portal does). */
export function documented(method: string): DocumentedMethod | undefined {
  facts ??= load();
  return facts.get(method.toLowerCase());
}

export type JsonKind = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

export function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

export interface ShapeOptions {
  /** Paths (e.g. `result.0.UF_CRM_1`) whose presence is not required: optional fields the example happens to show. */
  readonly optional?: readonly string[];
  /** Paths whose value may be of another kind than the example's (a documented choice). */
  readonly anyKind?: readonly string[];
  /** Keys of the example's `time` block are checked too unless false. */
  readonly checkTime?: boolean;
}

/**
 * Lists every difference between `actual` and the documented `example`: a key the example has
 * and the response lacks, or a value of another JSON kind. `null` in either place matches any
 * kind (the docs show null for empty values). Arrays compare their first elements; an empty
 * array on either side matches. An empty object `{}` in the example matches an empty array
 * (PHP serializes an empty array as `[]`).
 */
export function shapeDifferences(actual: unknown, example: unknown, options: ShapeOptions = {}, path = ''): string[] {
  const optional = new Set(options.optional ?? []);
  const anyKind = new Set(options.anyKind ?? []);
  const out: string[] = [];
  const walk = (a: unknown, e: unknown, p: string) => {
    const ka = kindOf(a);
    const ke = kindOf(e);
    if (ka === 'null' || ke === 'null' || anyKind.has(p)) return;
    if (ka !== ke) {
      const emptyPhpArray =
        (ke === 'object' && ka === 'array' && (a as unknown[]).length === 0) ||
        (ke === 'array' && ka === 'object' && Object.keys(a as object).length === 0);
      if (!emptyPhpArray) out.push(`${p || '(root)'}: expected ${ke}, got ${ka}`);
      return;
    }
    if (ka === 'array') {
      const [fa] = a as unknown[];
      const [fe] = e as unknown[];
      if (fa !== undefined && fe !== undefined) walk(fa, fe, `${p}.0`);
      return;
    }
    if (ka === 'object') {
      for (const [key, value] of Object.entries(e as Record<string, unknown>)) {
        const child = p ? `${p}.${key}` : key;
        if (child === 'time' && options.checkTime === false) continue;
        if (!(key in (a as Record<string, unknown>))) {
          // UF_* and PARENT_ID_<n> are the docs portal's own custom fields and smart-process links.
          if (!optional.has(child) && !/^(UF_|PARENT_ID_\d)/.test(key)) out.push(`${child}: missing`);
          continue;
        }
        walk((a as Record<string, unknown>)[key], value, child);
      }
    }
  };
  walk(actual, example, path);
  return out;
}
