import { startEmulator } from '@b24kit/emulator';
import { parse, UsageError, type CliIO } from '../io.js';

export async function emulatorCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got "${values.port}"`);
  const emulator = await startEmulator({ port });
  io.stdout.write(
    `${JSON.stringify({
      webhookUrl: emulator.webhookUrl,
      port: emulator.port,
      baseUrl: emulator.baseUrl,
      oauth: emulator.oauth,
    })}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  return 0;
}
