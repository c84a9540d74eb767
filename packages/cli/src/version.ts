import { readFileSync } from 'node:fs';

/**
 * The package's own version, read from its package.json at run time (one small file) so it
 * never goes stale after a release bumps it. Works from src/ and from dist/esm/.
 */
export function cliVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@b24kit/cli' && pkg.version) return pkg.version;
    } catch {
      // not at this level; try the next one
    }
  }
  return 'unknown';
}
