/**
 * Client-side parameter checks, done before anything is sent. Only what the descriptor
 * knows is checked; messages name parameters, never their values (they may be secrets).
 */
import type { MethodDescriptor, ParamKind, ParamSpec } from './descriptor.js';
import { B24ValidationError } from './errors.js';
import { BatchRef } from './ref.js';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Legacy methods send numbers as strings and booleans as Y/N, so accept the wire forms too. */
function matches(kind: ParamKind, value: unknown): boolean {
  if (value instanceof BatchRef) return true; // resolved by the server inside a batch
  switch (kind) {
    case 'any':
      return true;
    case 'file':
      return value !== null;
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
    case 'number':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'bigint' ||
        (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
      );
    case 'boolean':
      return (
        typeof value === 'boolean' ||
        value === 'Y' ||
        value === 'N' ||
        value === 0 ||
        value === 1 ||
        value === '0' ||
        value === '1'
      );
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'array':
      return Array.isArray(value);
  }
}

/** Parameters core itself adds or that every method accepts. */
const ALWAYS_ALLOWED = new Set(['start', 'auth']);

/** Nested groups are checked this deep at most (the schema nests two or three levels). */
const MAX_DEPTH = 8;

function openTo(open: boolean | readonly string[] | undefined, name: string): boolean {
  if (open === true) return true;
  if (!open) return false;
  const upper = name.toUpperCase();
  return open.some((prefix) => upper.startsWith(prefix.toUpperCase()));
}

function checkGroup(
  spec: Readonly<Record<string, ParamSpec>>,
  open: boolean | readonly string[] | undefined,
  params: object,
  path: string,
  depth: number,
  problems: string[],
): void {
  // Legacy methods read parameter names case-insensitively (the docs send FILTER, SELECT).
  const known = new Map(Object.keys(spec).map((name) => [name.toLowerCase(), name]));
  const given = new Set<string>();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const specName = known.get(name.toLowerCase());
    const shown = `${path}${name}`;
    if (specName === undefined) {
      if (!(depth === 0 && ALWAYS_ALLOWED.has(name.toLowerCase())) && !openTo(open, name))
        problems.push(`unknown parameter '${shown}'`);
      continue;
    }
    given.add(specName);
    const s = spec[specName] as ParamSpec;
    if (!matches(s.type, value)) {
      problems.push(`parameter '${shown}' must be ${s.type}, got ${kindOf(value)}`);
      continue;
    }
    if (s.fields && depth < MAX_DEPTH && !(value instanceof BatchRef)) {
      const rows = Array.isArray(value) ? value : [value];
      rows.forEach((row, i) => {
        if (row === null || typeof row !== 'object' || Array.isArray(row) || row instanceof BatchRef) return;
        checkGroup(
          s.fields as Readonly<Record<string, ParamSpec>>,
          s.open,
          row,
          `${shown}${Array.isArray(value) ? `[${i}]` : ''}.`,
          depth + 1,
          problems,
        );
      });
    }
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !given.has(name)) problems.push(`missing required parameter '${path}${name}'`);
  }
}

/** Returns one line per problem; empty when the params are acceptable. */
export function paramProblems(descriptor: MethodDescriptor, input: unknown): string[] {
  const params = input ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    if (Array.isArray(params) && descriptor.positional) return [];
    return [`params must be an object, got ${kindOf(params)}`];
  }
  const spec = descriptor.params;
  if (!spec) return [];
  const problems: string[] = [];
  checkGroup(spec, descriptor.paramsOpen, params, '', 0, problems);
  return problems;
}

/** Throws B24ValidationError when the params do not fit the descriptor. */
export function validateParams(descriptor: MethodDescriptor, params: unknown): void {
  const problems = paramProblems(descriptor, params);
  if (problems.length > 0) {
    const docs = descriptor.docUrl ? `; see ${descriptor.docUrl}` : '';
    throw new B24ValidationError({
      method: descriptor.method,
      problems,
      note: `nothing was sent (validate: false skips this check)${docs}`,
    });
  }
}
