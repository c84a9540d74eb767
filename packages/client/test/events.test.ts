// Typed event handlers against the emulator: install an app, raise ONCRMDEALADD with
// crm.deal.add, and receive it in a handler whose data type comes from the schema.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryTokenStore } from '@b24kit/auth';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createApp, type B24ClientApp, type OnCrmDealAddData } from '../src/index.js';

describe('createApp().on(name, handler) typed by EventMap', () => {
  let em: Emulator;
  let app: B24ClientApp;
  const errors: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => app.nodeHandler()(req, res));

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    em = await startEmulator({
      plan: 'unlimited',
      app: { installHandler: `${appUrl}/install`, eventHandler: `${appUrl}/events`, events: ['ONCRMDEALADD'] },
    });
    app = createApp({
      clientId: em.oauth.clientId,
      clientSecret: em.oauth.clientSecret,
      store: new MemoryTokenStore(),
      tokenUrl: em.oauth.tokenUrl,
      onError: (e) => void errors.push(e),
      caller: { limiter: false },
    });
  });
  afterAll(async () => {
    await app.close();
    await em.close();
    await new Promise((r) => server.close(r));
  });

  it('hands the ONCRMDEALADD body raised by crm.deal.add to the typed handler', async () => {
    const typed: OnCrmDealAddData[] = [];
    const anyCase: unknown[] = [];
    const installs: string[] = [];
    app.on('ONAPPINSTALL', (event) => void installs.push(event.data.VERSION));
    const off = app.on('ONCRMDEALADD', (event) => {
      expectTypeOf(event.data).toEqualTypeOf<OnCrmDealAddData>();
      expectTypeOf(event.data.FIELDS.ID).toEqualTypeOf<string>();
      typed.push(event.data);
    });
    // Names match case-insensitively at runtime; this spelling gets the untyped overload.
    app.on('onCrmDealAdd', (event) => void anyCase.push(event.data['FIELDS']));

    await em.install(em.oauth.app);
    await app.idle();
    expect(installs).toHaveLength(1);
    expect(typeof installs[0]).toBe('string');

    const b24 = await app.client(em.memberId);
    const id = await b24.crm.deal.add({ fields: { TITLE: 'Typed event' } });
    await em.eventsIdle();
    await app.idle();
    expect(typed).toHaveLength(1);
    expect(typed[0]?.FIELDS.ID).toBe(String(id));
    // A form body: the id arrives as a string, as the type says.
    expect(typeof typed[0]?.FIELDS.ID).toBe('string');
    expect(anyCase).toEqual([{ ID: String(id) }]);

    // Removing the typed handler stops it; the other spelling still receives.
    off();
    const second = await b24.crm.deal.add({ fields: { TITLE: 'After off' } });
    await em.eventsIdle();
    await app.idle();
    expect(typed).toHaveLength(1);
    expect(anyCase).toEqual([{ ID: String(id) }, { ID: String(second) }]);
    expect(errors).toEqual([]);
  });
});
