/**
 * A reference from one batch command to the result of an earlier one (PROTOCOL.md §5.2).
 * `ref('a', 'ID')` is sent as `$result[a][ID]` and resolved by the server.
 */
import { B24ArgumentError } from './errors.js';

const BRAND = Symbol.for('b24kit.batchRef');

export class BatchRef {
  readonly command: string;
  readonly path: readonly (string | number)[];
  declare readonly [BRAND]: true;

  constructor(command: string | number, path: readonly (string | number)[]) {
    if (String(command) === '') throw new B24ArgumentError('ref(): the command key must not be empty');
    for (const segment of path) {
      if (String(segment) === '' || /[[\]\s]/.test(String(segment))) {
        throw new B24ArgumentError(
          `ref(): path segment '${String(segment)}' must be non-empty and contain no brackets or spaces`,
        );
      }
    }
    this.command = String(command);
    this.path = [...path];
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The wire form, `$result[cmd][seg]...`. */
  toString(): string {
    return `$result[${this.command}]` + this.path.map((s) => `[${String(s)}]`).join('');
  }

  toJSON(): string {
    return this.toString();
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** `ref('a', 'ID')` → `$result[a][ID]`; `ref('list', 0, 'ID')` → `$result[list][0][ID]`. */
export function ref(command: string | number, ...path: (string | number)[]): BatchRef {
  return new BatchRef(command, path);
}
