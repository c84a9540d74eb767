/** Parsing and checking of portal addresses shared by webhook and OAuth credentials. */
import { InvalidUrlError } from './errors.js';

/** True for hosts that never leave the machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}

// A scheme is "letters then ://", not "starts with http": a portal named
// `httpbin.bitrix24.com` is a bare domain (a known defect of the OPI authorize link).
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Turns `portal.bitrix24.com`, `https://portal.bitrix24.com/` or `http://127.0.0.1:8080`
 * into an origin (`https://portal.bitrix24.com`). Plain http is refused except on loopback.
 * `what` names the argument in error messages.
 */
export function portalOrigin(input: string, what = 'portal'): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InvalidUrlError(`${what} is empty: expected a portal address like "example.bitrix24.com"`);
  }
  const text = input.trim();
  const withScheme = SCHEME.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidUrlError(`${what} is not a valid address: expected "example.bitrix24.com" or "https://example.bitrix24.com"`);
  }
  checkScheme(url, what);
  if (url.username || url.password) throw new InvalidUrlError(`${what} must not contain a user name or password`);
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new InvalidUrlError(`${what} must be a bare portal address without a path (got path "${url.pathname}")`);
  }
  if (url.search || url.hash) throw new InvalidUrlError(`${what} must not contain a query string or fragment`);
  return url.origin;
}

/** Refuses anything but https, and http on loopback (local tests, the emulator). */
export function checkScheme(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return;
    throw new InvalidUrlError(
      `${what} uses plain http: Bitrix24 requires https (http is allowed only for loopback hosts such as 127.0.0.1 and localhost)`,
    );
  }
  throw new InvalidUrlError(`${what} has unsupported scheme "${url.protocol.replace(/:$/, '')}": expected https`);
}
