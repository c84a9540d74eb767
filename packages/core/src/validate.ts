/**
 * Client-side parameter checks, done before anything is sent. Only what the descriptor
 * knows is checked; messages name parameters, never their values (they may be secrets).
 */
import type { MethodDescriptor, ParamKind } from './descriptor.js';
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
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
    case 'boolean':
      return typeof value === 'boolean' || value === 'Y' || value === 'N' || value === 0 || value === 1 || value === '0' || value === '1';
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'array':
      return Array.isArray(value);
  }
}

/** Parameters core itself adds or that every method accepts. */
const ALWAYS_ALLOWED = new Set(['start', 'auth']);

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
  // Legacy methods read parameter names case-insensitively (the docs send FILTER, SELECT).
  const known = new Map(Object.keys(spec).map((name) => [name.toLowerCase(), name]));
  const given = new Map<string, unknown>();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const specName = known.get(name.toLowerCase());
    if (specName === undefined) {
      if (!ALWAYS_ALLOWED.has(name.toLowerCase())) problems.push(`unknown parameter '${name}'`);
      continue;
    }
    given.set(specName, value);
    const kind = spec[specName]?.type ?? 'any';
    if (!matches(kind, value)) problems.push(`parameter '${name}' must be ${kind}, got ${kindOf(value)}`);
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !given.has(name)) problems.push(`missing required parameter '${name}'`);
  }
  return problems;
}

/** Throws B24ValidationError when the params do not fit the descriptor. */
export function validateParams(descriptor: MethodDescriptor, params: unknown): void {
  const problems = paramProblems(descriptor, params);
  if (problems.length > 0) {
    throw new B24ValidationError({ method: descriptor.method, problems, note: 'nothing was sent' });
  }
}
