/**
 * Turns anything thrown into one line for stderr, with what to do next where b24 knows it.
 * B24 errors already carry a redacted message; for anything else, only the message is used
 * (never a stack with arguments).
 */
import { session } from './session.js';

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  if (isSpentRefreshToken(error)) {
    const profile = session.profile;
    return `${text}\nLog in again: b24 auth login${profile && profile !== 'default' ? ` --profile ${profile}` : ''} (with the same --portal and --client-id).`;
  }
  return text;
}

/** invalid_grant from the token endpoint: the stored refresh token is used up or expired. */
function isSpentRefreshToken(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e instanceof Error && depth < 5;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    if ((e as { code?: unknown }).code === 'invalid_grant' || e.name === 'ReauthorizationRequiredError') return true;
  }
  return false;
}
