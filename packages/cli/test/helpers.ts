import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/index.js';

/** Runs `b24 ...args` in-process and captures what it prints. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    // Never read or write the real ~/.config/b24kit from tests.
    env: { B24KIT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'b24-cli-config-')), ...env },
  });
  return { code, stdout, stderr };
}
