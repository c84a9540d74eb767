/**
 * The one rule of what may be repeated after a request may have reached the server. Every part
 * of core asks here: the retry step, batch (a batch is idempotent only when all its commands
 * are), and the ad-hoc descriptor of a method nothing is known about.
 *
 * Assumed where the docs are silent: a method whose last name segment is a read verb (`get`,
 * `list`, `fields`, ...) reads; anything else may write. `batch` itself is neither: it is what
 * its commands are (its `cmd` values are `method?query` strings, PROTOCOL.md §5).
 */

/** The part of a method descriptor this rule reads (no import, so descriptor.ts can use it). */
interface MethodFacts {
  readonly method: string;
  readonly idempotent: boolean;
  readonly apiVersion: number;
}

const READ_NAME = /\.(get|list|fields|getlist|getfields|status|current)$/i;
/** Methods whose repeat after a lost answer may find the entity already gone. */
const REMOVE_NAME = /\.(delete|remove)$/i;

/**
 * True when the method name alone says it only reads: a read verb last, or a bare name such as
 * `profile`, `scope`, `methods` (the documented dotless methods read), except `batch`.
 */
export function readsByName(method: string): boolean {
  if (!method.includes('.')) return method.toLowerCase() !== 'batch';
  return READ_NAME.test(method);
}

/** The method removes something, so a repeated call may answer NotFound for its own success. */
export function removesByName(method: string): boolean {
  return REMOVE_NAME.test(method);
}

/** The method name inside one `cmd` value of a raw batch (`crm.deal.add?fields[TITLE]=x`). */
function commandMethod(command: unknown): string | undefined {
  if (typeof command !== 'string') return undefined;
  const q = command.indexOf('?');
  const name = (q < 0 ? command : command.slice(0, q)).trim();
  return name === '' ? undefined : name;
}

/**
 * A raw `batch` call (`call('batch', { cmd })`) is idempotent only when every command reads by
 * name; a command that cannot be read counts as a write.
 */
export function rawBatchIdempotent(params: unknown): boolean {
  const cmd = params && typeof params === 'object' ? (params as Record<string, unknown>).cmd : undefined;
  if (!cmd || typeof cmd !== 'object') return false;
  const values = Object.values(cmd as Record<string, unknown>);
  if (values.length === 0) return false;
  return values.every((c) => {
    const name = commandMethod(c);
    return name !== undefined && name.toLowerCase() !== 'batch' && readsByName(name);
  });
}

/** Whether a call of `descriptor` with `params` may be repeated after an unknown outcome. */
export function callIdempotent(descriptor: MethodFacts, params: unknown): boolean {
  if (descriptor.method.toLowerCase() === 'batch') return rawBatchIdempotent(params);
  return descriptor.idempotent;
}

/** A batch request of typed commands: idempotent only when all of them are. */
export function commandsIdempotent(descriptors: readonly MethodFacts[]): boolean {
  return descriptors.length > 0 && descriptors.every((d) => d.idempotent && d.method.toLowerCase() !== 'batch');
}

/**
 * REST 3.0 accepts an `Idempotency-Key` header, so a write carrying one may be repeated: the
 * portal answers a repeat with the stored result instead of running it again (docs: REST 3.0
 * overview, https://apidocs.bitrix24.com/api-reference/rest-v3.html).
 */
export function usesIdempotencyKey(descriptor: MethodFacts): boolean {
  return descriptor.apiVersion === 3 && !descriptor.idempotent;
}
