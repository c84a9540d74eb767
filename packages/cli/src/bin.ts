#!/usr/bin/env node
// `b24 --version` is answered before anything else loads (it is what scripts and installers
// run to check the tool, and it must start within 2x of a bare `node -e 1`); every other
// invocation goes through main(), which loads the command tree and then only the command used.
import { cliVersion } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${cliVersion()}\n`);
} else {
  // `b24 ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const { main } = await import('./index.js');
  main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`b24: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
