#!/usr/bin/env node
// b24kit in two minutes: a local Bitrix24 portal, a typed client, paging and errors.
// Run it with `npm run demo`; it starts and stops everything it needs.
import { createClient } from '@b24kit/client';
import { B24Error } from '@b24kit/core';
import { startEmulator } from '@b24kit/emulator';

const say = (text) => console.log(`\n${text}`);

// 1. A portal to talk to. The emulator is a real HTTP server on loopback with its own
//    incoming webhook, so nothing here touches a real Bitrix24 account.
const portal = await startEmulator();
say(`Started a local portal at ${portal.baseUrl}`);

// 2. A client. With a real portal you would pass the webhook URL from its settings.
const b24 = createClient({ webhook: portal.webhookUrl });

try {
  // 3. Typed calls, named exactly like the REST methods.
  const time = await b24.server.time();
  say(`server.time says ${time}`);

  // One deal at a time ...
  const firstId = await b24.crm.deal.add({ fields: { TITLE: 'Deal #1', OPPORTUNITY: 1010, STAGE_ID: 'PREPARATION', CURRENCY_ID: 'EUR' } });
  say(`crm.deal.add created deal ${firstId}`);

  // ... or many at once: bulk() packs 50 commands into each batch request.
  const stages = ['NEW', 'PREPARATION', 'WON'];
  const rows = [];
  for (let i = 2; i <= 120; i++) {
    rows.push({ fields: { TITLE: `Deal #${i}`, OPPORTUNITY: 1000 + i * 10, STAGE_ID: stages[i % 3], CURRENCY_ID: 'EUR' } });
  }
  const report = await b24.bulk('crm.deal.add', rows);
  say(`bulk() created ${report.succeeded} more deals in ${Math.ceil(rows.length / 50)} requests`);

  // 4. One page: the portal returns 50 rows at most, plus `next` and `total`.
  const page = await b24.callEnvelope('crm.deal.list', {
    filter: { '>OPPORTUNITY': 1500 },
    order: { ID: 'ASC' },
    select: ['ID', 'TITLE', 'OPPORTUNITY'],
  });
  say(`First page of deals over 1,500: ${page.result.length} rows, next=${page.next}, total=${page.total}`);

  // 5. Every row, page after page, with constant memory.
  let count = 0;
  let sum = 0;
  for await (const deal of b24.paginate('crm.deal.list', { filter: { STAGE_ID: 'WON' }, select: ['ID', 'OPPORTUNITY'] })) {
    count += 1;
    sum += Number(deal.OPPORTUNITY); // the wire sends legacy numbers as strings
  }
  say(`All WON deals through paginate(): ${count} deals worth ${sum.toFixed(2)} EUR`);

  // 6. A typed result: crm.deal.get returns a Deal.
  const deal = await b24.crm.deal.get({ id: 1 });
  say(`crm.deal.get({ id: 1 }) -> ${deal.TITLE} (stage ${deal.STAGE_ID}, created ${deal.DATE_CREATE})`);

  // 7. Errors are B24Error instances with the portal's code, and never contain the webhook code.
  try {
    await b24.crm.deal.get({ id: 999_999 });
  } catch (error) {
    if (!(error instanceof B24Error)) throw error;
    say(`A bad call fails clearly: [${error.code}] ${error.message}`);
  }
} finally {
  await b24.close();
  await portal.close();
  say('Stopped the local portal. Done.');
}
