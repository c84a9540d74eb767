/** Parsing and checking of portal addresses shared by webhook and OAuth credentials. */
import { InvalidUrlError } from './errors.js';

/**
 * True for hosts that never leave the machine: 127.0.0.0/8, ::1, `localhost`. Names under
 * `.localhost` are not counted: whether they resolve to loopback is up to the resolver (and a
 * proxy or a hosts file may send them elsewhere), so plain http to them is refused.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
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
    throw new InvalidUrlError(
      `${what} is not a valid address: expected "example.bitrix24.com" or "https://example.bitrix24.com"`,
    );
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

/**
 * The domains of Bitrix24 cloud portals (`name.bitrix24.<zone>`). The docs describe cloud
 * addresses as `b24-xxx.bitrix24.yy` and say a renamed portal redirects from its old address
 * (https://apidocs.bitrix24.com/settings/how-to-call-rest-api/change-domen.html) but publish no
 * list of zones; this list is the zones Bitrix24 sells in, assumed here. A self-hosted (on-premise)
 * portal names its own domain through `portalDomains`.
 */
export const BITRIX24_CLOUD_DOMAINS: readonly string[] = Object.freeze([
  'bitrix24.com',
  'bitrix24.eu',
  'bitrix24.de',
  'bitrix24.es',
  'bitrix24.fr',
  'bitrix24.it',
  'bitrix24.pl',
  'bitrix24.uk',
  'bitrix24.in',
  'bitrix24.jp',
  'bitrix24.cn',
  'bitrix24.com.br',
  'bitrix24.com.tr',
  'bitrix24.id',
  'bitrix24.vn',
  'bitrix24.co',
  'bitrix24.mx',
  'bitrix24.ru',
  'bitrix24.by',
  'bitrix24.kz',
  'bitrix24.ua',
]);

/** Normalises a domain option (`Example.COM.` -> `example.com`); throws InvalidUrlError for junk. */
export function normalizeDomain(domain: string, what: string): string {
  const d = typeof domain === 'string' ? domain.trim().toLowerCase().replace(/\.$/, '') : '';
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d)) {
    throw new InvalidUrlError(`${what}: "${String(domain)}" is not a domain name like "portal.example.com"`);
  }
  return d;
}

/** The host is `domain` itself or a name under it (a whole label must match, not a suffix). */
export function hostOnDomain(hostname: string, domains: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => host.endsWith(`.${d}`) || host === d);
}
