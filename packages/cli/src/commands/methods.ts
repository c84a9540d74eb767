import { methodIndex } from '@b24kit/client';
import { printJson, type CliIO } from '../io.js';

export async function methodsCommand(
  opts: { search?: string | undefined; json?: boolean | undefined },
  io: CliIO,
): Promise<number> {
  const needle = opts.search?.toLowerCase();
  const rows = methodIndex
    .filter((row) => !needle || row.method.toLowerCase().includes(needle) || row.domain.toLowerCase() === needle)
    .map(({ method, domain, scope, docUrl }) => ({ method, domain, scope, docUrl }));
  if (opts.json) {
    printJson(io, rows);
    return 0;
  }
  const width = Math.max(6, ...rows.map((row) => row.method.length));
  for (const row of rows)
    io.stdout.write(`${row.method.padEnd(width)}  ${row.scope.padEnd(10)}  ${row.docUrl ?? ''}\n`);
  io.stderr.write(`${rows.length} method${rows.length === 1 ? '' : 's'}\n`);
  return 0;
}
