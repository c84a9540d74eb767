#!/usr/bin/env node
// @ts-check
// b24kit in two minutes: a local Bitrix24 portal, a typed client, paging and errors.
// Run it with `npm run demo`; it starts and stops everything it needs.
import { createClient } from '@b24kit/client';
import { B24Error } from '@b24kit/core';
import { startEmulator } from '@b24kit/emulator';

/** @param {string} text */
const say = (text) => console.log(`\n${text}`);
const DEAL = 2; // entityTypeId of deals in the universal crm.item.* methods

// 1. A portal to talk to. The emulator is a real HTTP server on loopback with its own
//    incoming webhook, so nothing here touches a real Bitrix24 account.
const portal = await startEmulator();
say(`Started a local portal at ${portal.baseUrl}`);

// 2. A client. With a real portal you would pass the webhook URL from its settings.
const b24 = createClient({ webhook: portal.webhookUrl });

try {
  // 3. Typed calls, named exactly like the REST methods. crm.item.* is what the docs recommend
  //    for deals, leads, contacts, companies, quotes, invoices and smart processes.
  const time = await b24.server.time();
  say(`server.time says ${time}`);

  // One deal at a time ...
  const added = await b24.crm.item.add({
    entityTypeId: DEAL,
    fields: { title: 'Deal #1', opportunity: 1010, stageId: 'PREPARATION', currencyId: 'EUR' },
  });
  // The emulator always returns the item it created.
  const first = /** @type {NonNullable<typeof added.item>} */ (added.item);
  say(`crm.item.add created deal ${first.id} (camelCase fields, real numbers: opportunity ${first.opportunity})`);

  // ... or many at once: bulk() packs 50 commands into each batch request.
  const stages = ['NEW', 'PREPARATION', 'WON'];
  const rows = [];
  for (let i = 2; i <= 120; i++) {
    rows.push({
      entityTypeId: DEAL,
      fields: { title: `Deal #${i}`, opportunity: 1000 + i * 10, stageId: stages[i % 3], currencyId: 'EUR' },
    });
  }
  const report = await b24.bulk('crm.item.add', rows);
  say(`bulk() created ${report.succeeded} more deals in ${Math.ceil(rows.length / 50)} requests`);

  // 4. One page: the portal returns 50 items at most, plus `next` and `total`.
  const page = await b24.callEnvelope('crm.item.list', {
    entityTypeId: DEAL,
    filter: { '>opportunity': 1500 },
    order: { id: 'ASC' },
    select: ['id', 'title', 'opportunity'],
  });
  say(
    `First page of deals over 1,500: ${/** @type {NonNullable<typeof page.result.items>} */ (page.result.items).length} items, next=${page.next}, total=${page.total}`,
  );

  // 5. Every item, page after page, with constant memory.
  let count = 0;
  let sum = 0;
  for await (const deal of b24.paginate('crm.item.list', {
    entityTypeId: DEAL,
    filter: { stageId: 'WON' },
    select: ['id', 'opportunity'],
  })) {
    count += 1;
    sum += /** @type {number} */ (deal.opportunity);
  }
  say(`All WON deals through paginate(): ${count} deals worth ${sum.toFixed(2)} EUR`);

  // 6. A typed result: crm.item.get returns the item.
  const got = await b24.crm.item.get({ entityTypeId: DEAL, id: 1 });
  const item = /** @type {NonNullable<typeof got.item>} */ (got.item);
  say(`crm.item.get({ entityTypeId: 2, id: 1 }) -> ${item.title} (stage ${item.stageId}, created ${item.createdTime})`);

  // The deprecated crm.deal.* methods (kept for OPI parity) read the same rows, legacy-style.
  const legacy = await b24.crm.deal.get({ id: 1 });
  say(`crm.deal.get({ id: 1 }) -> ${legacy.TITLE}, OPPORTUNITY "${legacy.OPPORTUNITY}" (a string on the legacy wire)`);

  // 7. Errors are B24Error instances with the portal's code, and never contain the webhook code.
  try {
    await b24.crm.item.get({ entityTypeId: DEAL, id: 999_999 });
  } catch (error) {
    if (!(error instanceof B24Error)) throw error;
    say(`A bad call fails clearly: [${error.code}] ${error.message}`);
  }
} finally {
  await b24.close();
  await portal.close();
  say('Stopped the local portal. Done.');
}
