import { createApp as createAuthApp, type B24App, type CreateAppOptions } from '@b24kit/auth';
import { clientOnCaller, type B24Client } from './client.js';

/** An application (see @b24kit/auth `createApp`) that also hands out typed clients per portal. */
export interface B24ClientApp extends B24App {
  /** A typed client for an installed portal, on the app's cached caller for that portal. */
  client(memberId: string): Promise<B24Client>;
}

/**
 * `createApp` of @b24kit/auth plus `app.client(memberId)`. It lives here because the client
 * package depends on auth, not the other way round.
 */
export function createApp(options: CreateAppOptions): B24ClientApp {
  const app = createAuthApp(options);
  return Object.assign(app, {
    async client(memberId: string): Promise<B24Client> {
      return clientOnCaller(await app.caller(memberId));
    },
  });
}
