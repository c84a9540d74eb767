import type { CallOptions, MethodDescriptor } from '@b24kit/core';

export type { CallOptions };

/**
 * What the generated free functions need: anything that can call a described method.
 * A core `Caller` (createCaller) is one; tests and wrappers can pass their own.
 */
export interface MethodCaller {
  call<R = unknown>(descriptor: MethodDescriptor, params?: object, options?: CallOptions): Promise<R>;
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
