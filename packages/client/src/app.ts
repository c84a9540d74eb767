import {
  createApp as createAuthApp,
  type B24App,
  type B24Event,
  type CreateAppOptions,
  type EventHandler,
} from '@b24kit/auth';
import { clientOnCaller, type B24Client } from './client.js';
import type { EventMap } from './generated/event-map.js';

/** A handler of one described event: `event.data` has that event's documented shape. */
export type TypedEventHandler<E extends keyof EventMap> = (event: B24Event<EventMap[E]>) => unknown;

/** An application (see @b24kit/auth `createApp`) that also hands out typed clients per portal. */
export interface B24ClientApp extends B24App {
  /**
   * Handlers for a described event, by its upper-case name as the portal sends it
   * (`ONCRMDEALADD`): `event.data` is typed from the docs (`EventMap`), every value a string.
   * Returns a function that removes the handler.
   */
  on<E extends keyof EventMap>(event: E, handler: TypedEventHandler<E>): () => void;
  /** Handlers for any other name, matched case-insensitively; `event.data` is untyped. */
  on(event: string, handler: EventHandler): () => void;
  /** A typed client for an installed portal, on the app's cached caller for that portal. */
  client(memberId: string): Promise<B24Client>;
}

/**
 * `createApp` of @b24kit/auth plus `app.client(memberId)` and event handlers typed by name. It
 * lives here because the client package depends on auth, not the other way round.
 */
export function createApp(options: CreateAppOptions): B24ClientApp {
  const app = createAuthApp(options);
  // The typed `on` is the auth one: names are matched case-insensitively at runtime, and the
  // data is handed over as parsed; only its static type is narrowed by the name.
  return Object.assign(app, {
    async client(memberId: string): Promise<B24Client> {
      return clientOnCaller(await app.caller(memberId));
    },
  });
}
