import { findDescriptor, methodIndex, type MethodIndexEntry } from '@b24kit/client';
import type { MethodDescriptor } from '@b24kit/core';
import { suggest } from '../suggest.js';

let namespaces: Set<string> | undefined;

/** The first words of every described method: crm, tasks, user, ... (lower case, sorted). */
export function restNamespaces(): string[] {
  namespaces ??= new Set(methodIndex.map((row) => row.method.split('.')[0]!.toLowerCase()).sort());
  return [...namespaces];
}

/** True when `word` (or its first dotted segment) starts some REST method name: `crm`, `tasks`, `user`. */
export function isRestNamespace(word: string): boolean {
  restNamespaces();
  return namespaces!.has(word.split('.')[0]!.toLowerCase());
}

/**
 * Method names close to a name that matched nothing: by edit distance over the whole name, and
 * over the names under the longest prefix that exists (crm.deal.lst -> crm.deal.list).
 */
export function similarMethods(name: string): string[] {
  const all = methodIndex.map((row) => row.method);
  const near = suggest(name, all);
  if (near.length > 0) return near;
  const parts = name.split('.');
  for (let n = parts.length - 1; n > 0; n -= 1) {
    const under = methodsUnder(parts.slice(0, n).join('.')).map((row) => row.method);
    if (under.length > 0)
      return suggest(name, under, 3)
        .concat(under.length <= 3 ? under : [])
        .filter((m, i, a) => a.indexOf(m) === i)
        .slice(0, 3);
  }
  return [];
}

export type Route =
  | { readonly kind: 'method'; readonly descriptor: MethodDescriptor; readonly extra: readonly string[] }
  | { readonly kind: 'group'; readonly prefix: string; readonly methods: readonly MethodIndexEntry[] }
  | { readonly kind: 'none'; readonly name: string };

/**
 * Joins words with dots into a method name: the longest leading run of words that names a
 * method wins (case-insensitive), so `calendar event get nearest` is calendar.event.get.nearest
 * and not calendar.event.get. Words may also be dotted already (`crm.deal list`).
 */
export function resolveMethod(words: readonly string[]): Route {
  const parts = words.flatMap((word) => word.split('.')).filter((part) => part !== '');
  for (let n = parts.length; n > 0; n -= 1) {
    const descriptor = findDescriptor(parts.slice(0, n).join('.'));
    if (descriptor) return { kind: 'method', descriptor, extra: parts.slice(n) };
  }
  const name = parts.join('.');
  const methods = methodsUnder(name);
  return methods.length > 0 ? { kind: 'group', prefix: name, methods } : { kind: 'none', name };
}

/** Methods whose name starts with `prefix.` (case-insensitive), sorted. */
export function methodsUnder(prefix: string): MethodIndexEntry[] {
  const needle = `${prefix.toLowerCase()}.`;
  return methodIndex.filter((row) => row.method.toLowerCase().startsWith(needle));
}
