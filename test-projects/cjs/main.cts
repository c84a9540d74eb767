// A CommonJS consumer of the built packages: `require('@b24kit/client')` and
// `require('@b24kit/client/crm')` (TypeScript's `import x = require()` compiles to exactly that).
// The emulator is ESM-only, so it comes in through a dynamic import, as CommonJS code would do.
import client = require('@b24kit/client');
import crm = require('@b24kit/client/crm');

async function main(): Promise<void> {
  const { startEmulator } = await import('@b24kit/emulator');
  const portal = await startEmulator();
  const b24 = client.createClient({ webhook: portal.webhookUrl });
  try {
    const time: string = await b24.server.time();
    const id: number = await b24.crm.deal.add({ fields: { TITLE: 'CJS consumer' } });
    const rows: crm.Deal[] = await crm.crmDealList(b24.caller, { filter: { ID: id }, select: ['ID', 'TITLE'] });
    // @ts-expect-error -- fails the type-check if the subpath's types resolved to `any`
    void crm.crmDealNoSuchMethod;
    const resolved = { client: require.resolve('@b24kit/client'), crm: require.resolve('@b24kit/client/crm') };
    console.log(JSON.stringify({ format: 'cjs', time, id, titles: rows.map((r) => r.TITLE), resolved }));
  } finally {
    await b24.close();
    await portal.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
