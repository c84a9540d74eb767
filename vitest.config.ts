import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// Tests import the workspace packages from their sources, so `npm test` needs no build
// of the package under test; tests that spawn the CLI use the built output instead.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@b24kit\/client\/(.+)$/, replacement: pkg('client/src/generated/$1/index.ts') },
      { find: /^@b24kit\/(core|auth|client|emulator|cli|redis)$/, replacement: pkg('$1/src/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'scripts/**/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test-projects/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
