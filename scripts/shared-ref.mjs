// Where the read-only reference data lives (catalog.json, opi-parity.tsv, PROTOCOL.md):
// $B24_REST_REF, else shared/bitrix24-rest beside this checkout (as CI lays it out), else the
// workplace's /work/shared. Scripts and tests that read it all ask here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {string} */
export function sharedRestDir() {
  const candidates = [process.env.B24_REST_REF, join(repo, '..', 'shared', 'bitrix24-rest'), '/work/shared/bitrix24-rest'];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'catalog.json'))) return dir;
  throw new Error(`no reference data (catalog.json) found; set B24_REST_REF (looked in ${candidates.filter(Boolean).join(', ')})`);
}
