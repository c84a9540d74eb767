/**
 * Secrets that travel inside URLs, found by shape so that text from anywhere (argv echoes,
 * error messages, REST results such as a file's DOWNLOAD_URL) can be cleaned before it is
 * printed or written to an export file:
 * - the code of an incoming webhook, `/rest/<user id>/<code>/`;
 * - OAuth tokens in a query string: `auth=`, `auth[auth]=` (disk attachment links),
 *   `access_token=`, `refresh_token=`, `client_secret=`.
 * Links to files are documented to carry the caller's token in the query (the docs'
 * "Files" page, https://apidocs.bitrix24.com/api-reference/files/how-to-download-files.html).
 * The value is replaced, the rest of the URL is kept so the user still sees what it points to.
 */
const WEBHOOK_CODE = /(\/rest\/\d+\/)([^/?#\s"'<>]{4,})(?=\/|$|[\s"'<>?#])/g;
const QUERY_SECRET =
  /([?&](?:auth|auth%5Bauth%5D|auth\[auth\]|access_token|refresh_token|client_secret)=)([^&#\s"'<>]+)/gi;

export const REDACTED = '[redacted]';

/** One string with every secret-shaped part replaced. Cheap when nothing matches. */
export function redactText(text: string): string {
  if (!text.includes('/rest/') && !text.includes('=')) return text;
  return text.replace(WEBHOOK_CODE, `$1${REDACTED}`).replace(QUERY_SECRET, `$1${REDACTED}`);
}

/**
 * A JSON value with every string redacted (keys too, rarely needed but cheap). Returns the
 * same object when nothing changed, so rows without URLs cost one scan of their strings.
 */
export function redactValue<T>(value: T): T {
  return redactAny(value, 0) as T;
}

function redactAny(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const next = redactAny(value[i], depth + 1);
      if (next !== value[i]) (out ??= value.slice())[i] = next;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = redactAny(item, depth + 1);
    if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return out ?? value;
}
