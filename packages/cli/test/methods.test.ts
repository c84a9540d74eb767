import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('b24 methods', () => {
  it('--json lists every schema method with domain, scope and docs link', async () => {
    const run = await runCli(['methods', '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{ method: string; domain: string; scope: string; docUrl: string }>;
    const names = rows.map((row) => row.method);
    for (const method of ['crm.deal.list', 'server.time', 'tasks.task.add', 'user.current', 'im.message.add']) {
      expect(names).toContain(method);
    }
    expect(new Set(names).size).toBe(names.length);
    const deal = rows.find((row) => row.method === 'crm.deal.add')!;
    expect(deal).toMatchObject({ domain: 'crm', scope: 'crm' });
    expect(deal.docUrl).toMatch(/^https:\/\/apidocs\.bitrix24\.com\/.+crm-deal-add\.html$/);
  });

  it('--search narrows the list', async () => {
    const run = await runCli(['methods', '--search', 'deal.', '--json']);
    const rows = JSON.parse(run.stdout) as Array<{ method: string }>;
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((row) => row.method.includes('deal.'))).toBe(true);
  });
});
