// The round trip of the three-way merge over a fixture docs pair (fixtures/pair/v1 and v2):
// sync v2, edit by hand, sync down to v1, sync back up to v2: the schema comes back byte for
// byte, and every step is a valid schema the generator accepts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { generate } from '../../codegen/generate.mjs';
import { bumpOf } from '../report.mjs';
import { sync } from '../sync.mjs';

const pair = fileURLToPath(new URL('./fixtures/pair', import.meta.url));
const jsonSchema = fileURLToPath(new URL('../../../schema/schema.json', import.meta.url));
const V1 = '1111111111111111111111111111111111111111';
const V2 = '2222222222222222222222222222222222222222';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'restdocs-rt-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('round trip over a docs pair', () => {
  it('keeps every kind of hand edit, follows the docs both ways, and comes back byte-identical', () => {
    const schema = join(tmp, 'schema');
    const changesetDir = join(tmp, '.changeset');
    const run = (ver: 'v1' | 'v2') =>
      sync({ docs: join(pair, ver), schema, commit: ver === 'v1' ? V1 : V2, changesetDir });
    const first = run('v2');
    expect(first.report.added).toEqual([
      'shop.box.add',
      'shop.box.getChildren',
      'shop.box.list',
      'shop.box.mute',
      'shop.box.new',
    ]);
    expect(first.report.eventsAdded).toEqual(['onShopBoxAdd']);

    // Hand edits of each kind.
    const file = join(schema, 'shop/box.yaml');
    const y = parse(readFileSync(file, 'utf8'));
    const m = y.methods;
    m['shop.box.getChildren'].description = 'Children of a box (by hand).';
    m['shop.box.getChildren'].list = { rows: '', idField: 'ID', keyset: true };
    m['shop.box.mute'].params.HIDE = { type: 'yn' }; // a param the docs do not list
    m['shop.box.list'].params.order.type = 'Record<string>'; // a hand type
    m['shop.box.list'].params.start.type = 'integer | string'; // will conflict: the docs change it too
    m['shop.box.list'].result = 'Box[]';
    m['shop.box.add'].params.fields.fields.EXTRA = { type: 'string' }; // a nested field by hand
    m['shop.box.add'].params.MODE.type = 'yn'; // a lower-case hand type
    // A hand type, in a types section kept sorted (the sync's order).
    y.types = Object.fromEntries(
      Object.entries({ ...y.types, Box: { fields: { ID: { type: 'string' } } } }).sort(([a], [b]) =>
        a.localeCompare(b),
      ),
    );
    writeFileSync(file, stringify(y));
    const edited = snapshot(schema);
    generate({ schemaDir: schema, outDir: join(tmp, 'gen-v2'), jsonSchema });

    // Down to v1.
    const down = run('v1');
    const d = parse(readFileSync(file, 'utf8'));
    expect(d.methods['shop.box.getChildren']).toBeUndefined();
    expect(d.methods['shop.box.getchildren']).toMatchObject({
      description: 'Children of a box (by hand).',
      list: { rows: '', idField: 'ID', keyset: true },
      formerNames: ['shop.box.getChildren'],
    });
    expect(down.report.renamed).toEqual(['shop.box.getChildren -> shop.box.getchildren']);
    expect(d.methods['shop.box.mute'].params).toEqual({
      CHAT_ID: { type: 'integer', required: true },
      DIALOG_ID: { type: 'string' },
      HIDE: { type: 'yn' },
    });
    expect(d.methods['shop.box.list'].params).toEqual({
      filter: { type: 'double' },
      order: { type: 'Record<string>' },
      start: { type: 'integer | string' },
    });
    expect(d.methods['shop.box.list'].result).toBe('Box[]');
    expect(down.report.conflicts).toEqual([
      'shop.box.list.params.start.type: ours "integer | string", was "integer", docs now "string"',
    ]);
    expect(Object.keys(d.methods['shop.box.add'].params)).toEqual(['fields', 'MODE']);
    expect(d.methods['shop.box.add'].params.fields.fields).toEqual({
      TITLE: { type: 'string', required: true },
      EXTRA: { type: 'string' },
    });
    expect(d.methods['shop.box.add'].params.MODE).toEqual({ type: 'yn' });
    expect(d.methods['shop.box.new']).toBeUndefined();
    expect(d.methods['shop.box.old']).toMatchObject({ params: { ID: { type: 'integer', required: true } } });
    expect(down.report.removed).toEqual(['shop.box.new']);
    expect(down.report.added).toEqual(['shop.box.old']);
    expect(down.report.madeRequired).toEqual(['shop.box.mute(CHAT_ID)']);
    expect(down.report.paramsRemoved).toEqual(['shop.box.add(COLOR)']);
    expect(down.report.typeNarrowed).toEqual(['shop.box.list(filter): object -> double']);
    expect(bumpOf(down.report)).toBe('major');
    // Events follow their pages both ways.
    const ev = parse(readFileSync(join(schema, 'shop/events.yaml'), 'utf8')).events;
    expect(Object.keys(ev.onShopBoxAdd.data.FIELDS.fields)).toEqual(['ID']);
    expect(ev.onShopBoxOld).toMatchObject({ data: { ID: { type: 'string', required: true } } });
    expect(down.report.eventsAdded).toEqual(['onShopBoxOld']);
    expect(down.report.eventsChanged).toEqual(['onShopBoxAdd']);
    const cs = readFileSync(join(changesetDir, `restdocs-sync-${V1.slice(0, 12)}.md`), 'utf8');
    for (const line of [
      '- shop.box.new',
      '- shop.box.old',
      '- shop.box.getChildren -> shop.box.getchildren',
      '- shop.box.mute(CHAT_ID)',
      '- shop.box.add(COLOR)',
    ])
      expect(cs).toContain(line);
    // The renamed method keeps its old TypeScript name as a deprecated alias.
    generate({ schemaDir: schema, outDir: join(tmp, 'gen-v1'), jsonSchema });
    const ns = readFileSync(join(tmp, 'gen-v1/shop/api.ts'), 'utf8');
    expect(ns).toMatch(/@deprecated Use `shop\.box\.getchildren` instead\.[\s\S]*getChildren\(/);
    expect(ns).toMatch(/getchildren\(/);

    // Back up to v2.
    const up = run('v2');
    expect(up.report.renamed).toEqual(['shop.box.getchildren -> shop.box.getChildren']);
    expect(up.report.madeOptional).toEqual(['shop.box.mute(CHAT_ID)']);
    expect(up.report.eventsRemoved).toEqual(['onShopBoxOld']);
    expect(snapshot(schema)).toEqual(edited);
    expect(existsSync(join(schema, 'shop/box.docs.json'))).toBe(true);
  });

  it('a second sync at the same commit changes nothing', () => {
    const schema = join(tmp, 'schema');
    const opts = { docs: join(pair, 'v1'), schema, commit: V1, changesetDir: join(tmp, '.changeset') };
    sync(opts);
    const before = snapshot(schema);
    const again = sync(opts);
    expect(again.written).toEqual([]);
    expect(bumpOf(again.report)).toBe('none');
    expect(snapshot(schema)).toEqual(before);
  });
});
