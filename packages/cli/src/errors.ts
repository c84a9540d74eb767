/**
 * Turns anything thrown into one line for stderr. B24 errors already carry a redacted
 * message; for anything else, only the message is used (never a stack with arguments).
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
