import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('API reference (typedoc)', () => {
  it('documents every generated method function with a link to its docs page', () => {
    const out = mkdtempSync(join(tmpdir(), 'b24kit-api-'));
    try {
      const run = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', 'typedoc.json', '--out', out], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(run.stderr + run.stdout).not.toMatch(/\[error\]/);
      expect(run.status).toBe(0);
      const pages = readdirSync(join(out, 'functions')).filter((name) => name.startsWith('generated_') && !/\.create\w+Namespace\.html$/.test(name));
      expect(pages.length).toBeGreaterThanOrEqual(1600);
      const withoutLink = pages.filter(
        (name) => !/href="https:\/\/apidocs\.bitrix24\.com\/api-reference\/[^"]+\.html"/.test(readFileSync(join(out, 'functions', name), 'utf8')),
      );
      expect(withoutLink).toEqual([]);
      const dealList = readFileSync(join(out, 'functions', 'generated_crm.crmDealList.html'), 'utf8');
      expect(dealList).toContain('https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
