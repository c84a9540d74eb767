// An ES-module consumer of the built packages: the facade from `@b24kit/client`, one free
// function from the `@b24kit/client/crm` subpath, against a local emulator. Prints one JSON line.
import { createClient } from '@b24kit/client';
import { crmDealList, type Deal } from '@b24kit/client/crm';
import { startEmulator } from '@b24kit/emulator';

const portal = await startEmulator();
const b24 = createClient({ webhook: portal.webhookUrl });
try {
  const time: string = await b24.server.time();
  const id: number = await b24.crm.deal.add({ fields: { TITLE: 'ESM consumer' } });
  const rows: Deal[] = await crmDealList(b24.caller, { filter: { ID: id }, select: ['ID', 'TITLE'] });
  // @ts-expect-error -- fails the type-check if the facade's types resolved to `any`
  void b24.crm.deal.noSuchMethod;
  const resolved = { client: import.meta.resolve('@b24kit/client'), crm: import.meta.resolve('@b24kit/client/crm') };
  console.log(JSON.stringify({ format: 'esm', time, id, titles: rows.map((r) => r.TITLE), resolved }));
} finally {
  await b24.close();
  await portal.close();
}
