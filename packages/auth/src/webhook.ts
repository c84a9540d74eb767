/** Incoming-webhook credentials: `https://PORTAL/rest/USER_ID/CODE/`. */
import type { Credentials, MethodDescriptor, PreparedRequest } from '@b24kit/core';
import { InvalidUrlError } from './errors.js';
import { BITRIX24_CLOUD_DOMAINS, checkScheme, hostOnDomain, normalizeDomain } from './portal.js';
import { inspectSymbol, REDACTED, redactSecrets } from './redact.js';

export interface WebhookCredentials extends Credentials {
  readonly kind: 'webhook';
  /** ID of the user who created the webhook; calls run with that user's rights. */
  readonly userId: number;
  /** The webhook URL with the code replaced by `***`, safe to print. */
  readonly redactedUrl: string;
  toJSON(): { kind: 'webhook'; portal: string; userId: number; url: string };
}

const EXPECTED = 'expected https://PORTAL/rest/USER_ID/CODE/';

export interface WebhookOptions {
  /**
   * Follow a portal that answers with a redirect to its new address (a renamed portal). Even
   * then the webhook code goes only to an https host on the Bitrix24 cloud domains
   * (BITRIX24_CLOUD_DOMAINS) or on `portalDomains`. Default: on for a portal on one of those
   * domains, off for any other (a self-hosted portal, a local emulator).
   */
  readonly followPortalMoves?: boolean;
  /** Domains of your own (a self-hosted Bitrix24) whose https hosts a move may go to. */
  readonly portalDomains?: readonly string[];
}

/**
 * Parses a webhook URL. Errors say which part is wrong and never repeat the code.
 */
export function webhook(url: string, options: WebhookOptions = {}): WebhookCredentials {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidUrlError(`Webhook URL is empty: ${EXPECTED}`);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // The URL constructor's own error carries the input, so it is not passed on as cause.
    throw new InvalidUrlError(`Webhook URL is not an absolute URL: ${EXPECTED}`);
  }
  checkScheme(parsed, 'Webhook URL');
  if (parsed.username || parsed.password)
    throw new InvalidUrlError(`Webhook URL must not contain a user name or password: ${EXPECTED}`);
  if (parsed.search || parsed.hash)
    throw new InvalidUrlError(`Webhook URL must not contain a query string or fragment: ${EXPECTED}`);

  const segments = parsed.pathname.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  if (segments[0] !== 'rest') {
    throw new InvalidUrlError(`Webhook URL path must start with /rest/: ${EXPECTED}`);
  }
  if (segments.length < 3) {
    throw new InvalidUrlError(
      `Webhook URL path is missing ${segments.length < 2 ? 'the user ID and the code' : 'the code'}: ${EXPECTED}`,
    );
  }
  if (segments.length > 3) {
    throw new InvalidUrlError(
      `Webhook URL has ${segments.length - 3} extra path segment(s) after the code (a method name?): ${EXPECTED}; ` +
        'pass the base URL and name the method in the call',
    );
  }
  const [, userSegment = '', code = ''] = segments;
  if (!/^[1-9]\d{0,9}$/.test(userSegment)) {
    throw new InvalidUrlError(`Webhook URL user ID must be a positive integer (the second path segment): ${EXPECTED}`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(code)) {
    throw new InvalidUrlError(
      `Webhook URL code (the third path segment) must contain only letters, digits, "_" and "-": ${EXPECTED}`,
    );
  }
  if (options === null || typeof options !== 'object') throw new InvalidUrlError('webhook options must be an object');
  const domains = [
    ...BITRIX24_CLOUD_DOMAINS,
    ...(options.portalDomains ?? []).map((d) => normalizeDomain(d, 'webhook portalDomains')),
  ];
  const follow = options.followPortalMoves ?? hostOnDomain(parsed.hostname, domains);
  return new Webhook(parsed.origin, Number(userSegment), code, follow ? domains : []);
}

class Webhook implements WebhookCredentials {
  readonly kind = 'webhook' as const;
  #portal: string;
  readonly #code: string;
  readonly userId: number;
  /** Domains a move may go to; empty when moves are not followed. */
  readonly #moveDomains: readonly string[];

  constructor(portal: string, userId: number, code: string, moveDomains: readonly string[]) {
    this.#portal = portal;
    this.userId = userId;
    this.#code = code;
    this.#moveDomains = moveDomains;
  }

  get portal(): string {
    return this.#portal;
  }

  get redactedUrl(): string {
    return `${this.#portal}/rest/${this.userId}/${REDACTED}/`;
  }

  async prepare(descriptor: MethodDescriptor): Promise<PreparedRequest> {
    const base = descriptor.apiVersion === 3 ? `${this.#portal}/rest/api/` : `${this.#portal}/rest/`;
    const suffix = descriptor.apiVersion === 3 ? '' : '.json';
    return { url: `${base}${this.userId}/${this.#code}/${descriptor.method}${suffix}` };
  }

  redact(text: string): string {
    return redactSecrets(String(text), [this.#code]);
  }

  /** The same portal moved: an https host on a Bitrix24 cloud domain (or a configured one). */
  acceptMove(targetOrigin: string): boolean {
    let target: URL;
    try {
      target = new URL(targetOrigin);
    } catch {
      return false;
    }
    return (
      target.protocol === 'https:' &&
      this.#moveDomains.length > 0 &&
      hostOnDomain(target.hostname, this.#moveDomains) &&
      !target.username &&
      !target.password
    );
  }

  moved(newOrigin: string): void {
    // Core calls this only after acceptMove; checked again so a direct call cannot re-point the code.
    if (!this.acceptMove(newOrigin))
      throw new InvalidUrlError(
        `webhook: refusing to move to ${safeHost(newOrigin)}: not an https host on an accepted portal domain`,
      );
    this.#portal = new URL(newOrigin).origin;
  }

  toString(): string {
    return `WebhookCredentials(${this.redactedUrl})`;
  }

  toJSON(): { kind: 'webhook'; portal: string; userId: number; url: string } {
    return { kind: 'webhook', portal: this.#portal, userId: this.userId, url: this.redactedUrl };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '(unreadable address)';
  }
}
