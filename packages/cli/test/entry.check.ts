// The CLI's typed entry points: mistakes under @ts-expect-error, the correct forms beside them.
// Type-checked with this package (turbo typecheck); an expected error that stops being one fails
// tsc ("Unused '@ts-expect-error' directive"). Never run: the functions only have to compile.
//
// What the CLI calls goes through the typed client: a described method by name or by its
// descriptor (`call`), and a name the user typed through the documented escape hatch
// (`callUnknown`; `b24 call` first refuses a name the schema does not know unless
// --allow-unknown is given). A string from the command line cannot reach `call`.
import { findDescriptor } from '@b24kit/client';
import { main, type CliIO } from '../src/index.js';
import { connect } from '../src/connection.js';

export async function entryPoints(io: CliIO, typed: string): Promise<void> {
  // 1. main takes the argv words and the streams
  const code: number = await main(['call', 'crm.deal.list', '--params', '{}'], io);
  // @ts-expect-error argv is a list of words, not one command line
  await main('call crm.deal.list', io);
  // @ts-expect-error io needs stdout, stderr and env
  await main(['--version'], { stdout: process.stdout, stderr: process.stderr });

  const b24 = await connect({ webhook: 'https://example.bitrix24.com/rest/1/code/' }, io);
  // 2. a described method by name: typed params and result
  const id: number = await b24.call('crm.deal.add', { fields: { TITLE: 'x' } });
  // @ts-expect-error crm.deal.ad is not a method
  await b24.call('crm.deal.ad', { fields: { TITLE: 'x' } });
  // @ts-expect-error TITEL is not a deal field
  await b24.call('crm.deal.add', { fields: { TITEL: 'x' } });
  // 3. a name typed on the command line cannot go through call ...
  // @ts-expect-error a plain string is not a method name
  await b24.call(typed, {});
  // ... but through the escape hatch, or as the descriptor the catalog found for it
  await b24.callUnknown(typed, { id: 1 });
  const descriptor = findDescriptor(typed);
  if (descriptor) await b24.call(descriptor, {});
  // 4. paging a name from the command line likewise
  // @ts-expect-error a plain string is not a list method
  for await (const row of b24.paginate(typed, {})) void row;
  if (descriptor) for await (const row of b24.paginate(descriptor, {})) void row;
  await b24.close();
  void [code, id];
}
