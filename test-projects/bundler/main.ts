// A bundled consumer: only the free functions it calls, from the per-domain subpaths, so the
// bundler can drop the other domains (the test checks that it did). Prints one JSON line.
import { webhook } from '@b24kit/auth';
import { crmDealAdd, crmDealList } from '@b24kit/client/crm';
import { serverTime } from '@b24kit/client/app';
import { createCaller } from '@b24kit/core';
import { startEmulator } from '@b24kit/emulator';

const portal = await startEmulator();
const caller = createCaller({ credentials: webhook(portal.webhookUrl) });
try {
  const time: string = await serverTime(caller);
  const id: number = await crmDealAdd(caller, { fields: { TITLE: 'bundled consumer' } });
  const rows = await crmDealList(caller, { filter: { ID: id }, select: ['ID', 'TITLE'] });
  // @ts-expect-error -- fails the type-check if the subpath's types resolved to `any`
  await crmDealAdd(caller, { fields: { TITLE: 42 } });
  console.log(JSON.stringify({ format: 'bundle', time, id, titles: rows.map((r) => r.TITLE) }));
} finally {
  await caller.close();
  await portal.close();
}
