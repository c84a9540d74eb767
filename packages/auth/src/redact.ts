/**
 * Redaction of secrets (webhook codes, tokens, client secrets) from any text that may reach
 * a user: error messages, logs, `util.inspect` output.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = '***';

/** Symbol Node's `util.inspect` looks up; used without importing `node:util` types. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * Replaces every occurrence of each secret (and its URL-encoded form) in `text`.
 * Secrets shorter than 4 characters are ignored: replacing them would mangle ordinary text
 * and such values are not secrets worth the name.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  const list = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so a secret that contains another is replaced whole.
  list.sort((a, b) => b.length - a.length);
  for (const secret of list) {
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}
