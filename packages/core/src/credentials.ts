import type { MethodDescriptor } from './descriptor.js';

/** Where and how one request is sent: produced by credentials for each attempt. */
export interface PreparedRequest {
  /** Absolute URL of the method endpoint (already including `.json` where used). */
  readonly url: string;
  /** Extra headers, e.g. `Authorization: Bearer ...`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Credentials turn a method into a request target. Implemented by @b24kit/auth
 * (webhook and OAuth); core only talks to this interface.
 */
export interface Credentials {
  /** Origin of the portal, e.g. `https://example.bitrix24.com`; keys per-portal state (limiter, pool). */
  readonly portal: string;
  /** `webhook` or `oauth`. */
  readonly kind: 'webhook' | 'oauth';
  prepare(descriptor: MethodDescriptor, signal?: AbortSignal): Promise<PreparedRequest>;
  /**
   * Called when a call failed with an authentication error (`expired_token`, `invalid_token`).
   * `usedUrl`/headers identify which token the failed request carried, so that many calls
   * failing on the same expired token cause one refresh. Returns true when the call should be
   * repeated with freshly prepared credentials.
   */
  recover?(code: string, failed: PreparedRequest, signal?: AbortSignal): Promise<boolean>;
  /** Removes every secret these credentials know from a text (URLs, messages, logs). */
  redact(text: string): string;
  /**
   * A portal answered with a redirect to another origin (a renamed portal, PROTOCOL.md §1.7).
   * Resolve true only when `targetOrigin` is the same portal moved; then core re-sends there and
   * calls `moved`. Without this method no move is followed (a B24PortalMovedError is thrown),
   * and core never follows https to http whatever it answers.
   */
  acceptMove?(targetOrigin: string, signal?: AbortSignal): boolean | Promise<boolean>;
  /** Called by core after it accepted a move to a new origin; later requests go there. */
  moved?(newOrigin: string): void;
}
