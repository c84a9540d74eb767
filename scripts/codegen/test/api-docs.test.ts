import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('API reference (typedoc)', () => {
  it('documents every generated method on its tree member with a link to its docs page', () => {
    const out = mkdtempSync(join(tmpdir(), 'b24kit-api-'));
    try {
      const run = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', 'typedoc.json', '--out', out], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(run.stderr + run.stdout).not.toMatch(/\[error\]/);
      expect(run.status).toBe(0);
      // Each method's JSDoc is written once, on its member of the `b24.*` tree (api.ts interfaces).
      const pages = readdirSync(join(out, 'interfaces')).filter((name) => name.startsWith('generated_') && name.endsWith('Api.html'));
      const links = new Set<string>();
      for (const name of pages) {
        for (const m of readFileSync(join(out, 'interfaces', name), 'utf8').matchAll(/href="(https:\/\/apidocs\.bitrix24\.com\/api-reference\/[^"]+\.html)"/g)) links.add(m[1]!);
      }
      expect(links.size).toBeGreaterThanOrEqual(1500);
      const deal = readFileSync(join(out, 'interfaces', 'generated_crm.CrmDealApi.html'), 'utf8');
      expect(deal).toContain('https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html');
      // The method values (free functions) are documented too.
      expect(readdirSync(join(out, 'variables'))).toContain('generated_crm.crmDealList.html');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
