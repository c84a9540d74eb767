import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { realisticTimeModel, type Emulator } from '../src/index.js';
import { call, start } from './helpers.js';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema');

/** `time.processing` of every documented response example (the committed .docs.json files). */
function documentedProcessing(): { all: number[]; lists: number[] } {
  const all: number[] = [];
  const lists: number[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.docs.json')) {
        const data = JSON.parse(readFileSync(full, 'utf8')) as {
          methods: Record<string, { example?: { time?: { processing?: unknown } } }>;
        };
        for (const [m, facts] of Object.entries(data.methods)) {
          const p = facts.example?.time?.processing;
          if (typeof p !== 'number') continue;
          all.push(p);
          if (m.endsWith('.list')) lists.push(p);
        }
      }
    }
  };
  walk(schemaDir);
  return { all, lists };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('realistic time model', () => {
  test('the per-call figure is the median processing of the documented examples', () => {
    const { all, lists } = documentedProcessing();
    expect(all.length).toBeGreaterThan(1000);
    expect(median(all) * 1000).toBeCloseTo(realisticTimeModel.perMethodMs['*']!, 0);
    expect(median(lists) * 1000).toBeLessThan(realisticTimeModel.perMethodMs['*']! * 1.5);
  });

  test("the count figure is the docs' huge-data measurement", () => {
    expect(realisticTimeModel.countRowUs).toBeCloseTo(((49.899916887283 - 0.068500995635986) / 2_387_743) * 1e6, 2);
  });

  let emu: Emulator;
  beforeAll(async () => {
    emu = await start({ timeModel: 'realistic' });
    emu.seed('crm.deal', 1000);
  });
  afterAll(() => emu.close());

  test('a counted page over 1,000 rows costs the call plus the count; start=-1 only the call', async () => {
    const counted = await call(emu.webhookUrl, 'crm.deal.list', { select: ['ID'] });
    const keyset = await call(emu.webhookUrl, 'crm.deal.list', {
      select: ['ID'],
      filter: { '>ID': 0 },
      order: { ID: 'ASC' },
      start: -1,
    });
    // time.processing is what the emulator slept plus its own work: at least the model's figure.
    expect(counted.body.time.processing * 1000).toBeGreaterThanOrEqual(16.5 + 20.87);
    expect(keyset.body.time.processing * 1000).toBeGreaterThanOrEqual(16.5);
  });
});
