import { UsageError, type CliIO } from '../io.js';

export async function opiCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('b24 opi: not built yet');
}
