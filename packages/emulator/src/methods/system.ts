/** System methods of scope `basic` (PROTOCOL.md §10). */
import { isoDateTime } from '../clock.js';
import { RestError, errors } from '../errors.js';
import { param } from '../params.js';
import type { App } from '../oauth.js';
import type { Domain } from './types.js';

export interface SystemDeps {
  app(clientId: string): App | undefined;
  methodExists(name: string): boolean;
  methodNames(): string[];
  features: Readonly<Record<string, boolean>>;
}

export function systemDomain(deps: SystemDeps): Domain {
  return (api) => {
    const { portal } = api;
    api.method({ name: 'server.time', scope: 'basic', handler: () => ({ result: isoDateTime(portal.clock.now()) }) });
    api.method({
      name: 'profile',
      scope: 'basic',
      handler: (ctx) => ({
        result: {
          ID: String(ctx.auth.userId),
          ADMIN: ctx.auth.userId === 1,
          NAME: ctx.auth.userId === 1 ? 'Admin' : `User${ctx.auth.userId}`,
          LAST_NAME: 'Emulator',
          PERSONAL_GENDER: '',
          TIME_ZONE: '',
        },
      }),
    });
    api.method({ name: 'scope', scope: 'basic', handler: (ctx) => ({ result: [...ctx.auth.scopes] }) });
    api.method({
      name: 'methods',
      scope: 'basic',
      handler: () => ({ result: deps.methodNames().map((m) => m.toLowerCase()) }),
    });
    api.method({
      name: 'method.get',
      scope: 'basic',
      handler: (ctx) => {
        const name = param(ctx.params, 'name');
        const exists = typeof name === 'string' && deps.methodExists(name);
        return { result: { isExisting: exists, isAvailable: exists } };
      },
    });
    api.method({ name: 'user.admin', scope: 'basic', handler: (ctx) => ({ result: ctx.auth.userId === 1 }) });
    api.method({
      name: 'feature.get',
      scope: 'basic',
      handler: (ctx) => {
        const code = param(ctx.params, 'CODE');
        if (typeof code !== 'string' || code === '') throw new RestError('CODE_EMPTY', "CODE can't be empty", 400);
        return { result: { value: deps.features[code] === false ? 'N' : 'Y' } };
      },
    });
    api.method({
      name: 'app.info',
      scope: 'basic',
      handler: (ctx) => {
        const app = ctx.auth.clientId ? deps.app(ctx.auth.clientId) : undefined;
        // The docs show the error under a webhook ([src] would answer with SCOPE/LICENSE instead).
        if (!app) throw errors.accessDenied('Application context required');
        return {
          result: {
            ID: app.id,
            CODE: app.clientId,
            VERSION: app.version,
            STATUS: app.status,
            INSTALLED: app.installed,
            PAYMENT_EXPIRED: 'N',
            DAYS: null,
            LANGUAGE_ID: 'en',
            LICENSE: 'en_ent250',
            LICENSE_TYPE: 'ent250',
            LICENSE_FAMILY: 'ent',
          },
        };
      },
    });
  };
}
