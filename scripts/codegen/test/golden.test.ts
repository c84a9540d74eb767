// Golden scenarios: small schemas in fixtures/<name>/schema -> TypeScript compared with the
// committed fixtures/<name>/expected. `UPDATE_GOLDENS=1 npx vitest run scripts/codegen` rewrites them.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { emit, HEADER } from '../emit.mjs';
// @ts-expect-error plain .mjs without declarations
import { loadSchema } from '../load.mjs';
// @ts-expect-error plain .mjs without declarations
import { buildModel } from '../model.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const jsonSchema = join(here, '..', '..', '..', 'schema', 'schema.json');
const update = process.env.UPDATE_GOLDENS === '1';

function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, base, out);
    else
      out.set(
        full
          .slice(base.length + 1)
          .split('\\')
          .join('/'),
        readFileSync(full, 'utf8'),
      );
  }
  return out;
}

const scenarios = readdirSync(join(here, 'fixtures'));

describe.each(scenarios)('golden scenario %s', (name) => {
  const dir = join(here, 'fixtures', name);
  const generated: Map<string, string> = emit(buildModel(loadSchema(join(dir, 'schema'), { jsonSchema })));

  it('matches the committed expected output file by file', () => {
    const expectedDir = join(dir, 'expected');
    if (update) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [path, text] of generated) {
        mkdirSync(dirname(join(expectedDir, path)), { recursive: true });
        writeFileSync(join(expectedDir, path), text);
      }
    }
    const expected = readTree(expectedDir);
    expect([...generated.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of generated) expect(text, path).toBe(expected.get(path));
  });

  it('starts every TypeScript file with the DO-NOT-EDIT header', () => {
    for (const [path, text] of generated) {
      if (path.endsWith('.ts')) expect(text.split('\n')[0], path).toBe(HEADER);
    }
    expect(generated.get('README.md')).toMatch(/DO NOT EDIT/);
  });

  it('is deterministic', () => {
    const again: Map<string, string> = emit(buildModel(loadSchema(join(dir, 'schema'), { jsonSchema })));
    expect([...again]).toEqual([...generated]);
  });
});

describe('basic scenario specifics', () => {
  const generated: Map<string, string> = emit(
    buildModel(loadSchema(join(here, 'fixtures', 'basic', 'schema'), { jsonSchema })),
  );
  const types = generated.get('shop/types.ts') ?? '';
  const methods = generated.get('shop/methods.ts') ?? '';
  const ns = generated.get('shop/api.ts') ?? '';

  it('types results as the wire sends them and inputs as callers may send them', () => {
    expect(types).toMatch(/readonly ID: string;/); // integer with wire: string
    expect(types).toMatch(/ACTIVE\?: YN;/);
    expect(types).toMatch(/PUBLISHED\?: YN;/); // boolean with wire: yn
    expect(types).toMatch(/export interface ShopItemGetParams \{\s+id: number \| string;/);
    // open families are template-literal keys; a catch-all only where the schema gives a reason
    expect(types).toMatch(/\[key: `UF_\$\{string\}`\]: unknown;/);
    expect(types).toMatch(/\[key: `UF_SHOP_\$\{string\}`\]: unknown;/);
    expect(types).toMatch(
      /Open: The docs list no params[\s\S]*?\*\/\nexport interface ShopItemStatsParams \{\n  \[key: string\]: unknown;/,
    );
    expect(types).toMatch(/PRICE\?: MoneyInput;/);
    expect(types).toMatch(/export type ShopItemGetNearestParams = Record<string, never>;/);
    expect(types).toMatch(/export type ShopItemGetNearestResult = Item \| null;/);
  });

  it('writes one method value per method with the schema metadata', () => {
    expect(methods).toMatch(/positional: \['id'\]/);
    expect(methods).toMatch(/list: \{ rows: '', idField: 'ID', keyset: true, filterParam: 'filter' \}/);
    // kinds: o object, f file, s string; `!` required; a nested group with its open marker
    expect(methods).toMatch(/\{ fields: \['o!', \{ TITLE: 's!', PRICE: 'o' \}, 'UF_SHOP_'\], photo: 'f' \}/);
    // openParams: true (with a reason): core lets any name through
    expect(methods).toMatch(/def\('shop\.item\.stats', 'shop', 'n', '', \{\}, \{ open: '\*' \}\)/);
    expect(generated.get('app/methods.ts')).toMatch(/def\('app\.info', 'app', 'a'/);
    expect(methods).toMatch(
      /export const shopItemList: Method<'shop\.item\.list', T\.ShopItemListParams, T\.ShopItemListResult, \{ row: T\.Item \}>/,
    );
  });

  it('writes each JSDoc once, on the tree member; marks required params and deprecations', () => {
    expect(ns).toMatch(/add\(params: T\.ShopItemAddParams, options\?: CallOptions\): Promise<T\.ShopItemAddResult>;/);
    expect(ns).toMatch(/list\(params\?: T\.ShopItemListParams,/);
    expect(ns).toMatch(/@deprecated Use `shop\.product\.list` instead\./);
    expect(ns.match(/@see https:\/\/example\.test\/shop-item-add\.html/g)).toHaveLength(1);
    expect(methods).not.toMatch(/@see/);
    expect(methods).toMatch(/\/\*\* @deprecated Use `shop\.product\.list` instead\. \*\/\nexport const shopItemList/);
  });

  it('types a method that is also a namespace prefix as a callable interface with members', () => {
    expect(ns).toMatch(
      /export interface ShopItemGetApi \{[\s\S]*\(params: T\.ShopItemGetParams, options\?: CallOptions\): Promise<T\.ShopItemGetResult>;[\s\S]*nearest\(/,
    );
    expect(ns).toMatch(/readonly get: ShopItemGetApi;/);
  });

  it('indexes every domain module in the registry and joins the maps', () => {
    const registry = generated.get('registry.ts') ?? '';
    expect(registry).toContain("import * as shopMethods from './shop/methods.js';");
    expect(registry).toMatch(/indexMethods\(\{\n  app: appMethods,\n  shop: shopMethods,\n\}\)/);
    expect(generated.get('namespaces.ts')).toMatch(/export interface MethodMap extends AppMethods, ShopMethods \{\}/);
  });

  it('keeps every domain free of package imports (a domain type-checks without core, undici or @types/node)', () => {
    for (const [path, text] of generated) {
      if (!path.endsWith('.ts')) continue;
      for (const m of text.matchAll(/from '([^']+)'/g)) expect(m[1], path).toMatch(/^\.\.?\//);
    }
    expect(generated.get('shop/index.ts')).toContain(
      "export type { CallOptions, MethodCaller } from '../../method.js';",
    );
  });

  it('types list filters and select over the row entity, rows under a key, names in the list case', () => {
    // a number the rows show as text: the filter takes a number or a numeric string for it
    // and keys the docs accept beyond the row (filterExtra): a name, and a family for `PROP_`
    expect(types).toMatch(/export interface ShopItemListParams \{\n  filter\?: Filter<Item, 'ID', '', 'SEARCH' \| `PROP_\$\{string\}`>;/);
    // rows under `tickets`, asked in upper case (nameCase: upper), answered in camelCase, with
    // `owner` whatever the select names (alsoReturned)
    expect(types).toMatch(/filter\?: Filter<Ticket, 'id', 'U'>;\n  select\?: readonly SelectField<Ticket, 'U'>\[\];/);
    expect(methods).toMatch(/\{ row: T\.Ticket; select: 'select'; case: 'U'; also: 'owner' \}/);
    // the schema-only nameCase is not part of the runtime list spec
    expect(methods).toMatch(
      /list: \{ rows: 'tickets', idField: 'id', keyset: false, filterParam: 'filter', selectParam: 'select' \}/,
    );
    expect(ns).toMatch(
      /list<const S extends SelectField<T\.Ticket, 'U'> = never>\([\s\S]*?Promise<SelectedResult<T\.ShopTicketListResult, T\.Ticket, S, 'tickets', 'U', 'owner'>>;/,
    );
  });

  it('writes no line over 200 characters', () => {
    for (const [path, text] of generated)
      for (const line of text.split('\n')) expect(line.length, path).toBeLessThanOrEqual(200);
  });
});

describe('events scenario specifics', () => {
  const generated: Map<string, string> = emit(
    buildModel(loadSchema(join(here, 'fixtures', 'events', 'schema'), { jsonSchema })),
  );
  const shop = generated.get('shop/events.ts') ?? '';
  const root = generated.get('event-map.ts') ?? '';

  it('types event data as PHP form strings, whatever the docs call a leaf', () => {
    // integer in the schema, a string in the body
    expect(shop).toMatch(
      /export interface OnShopItemAddData \{\s+\/\*\* The new item\. \*\/\s+FIELDS: \{\s+\/\*\* Identifier of the item\. \*\/\s+ID: string;/,
    );
    expect(shop).toMatch(/LINES\?: Array<\{\s+line: \{\s+id: string;/);
    expect(shop).toMatch(/ACTIVE\?: YN;/);
    expect(shop).toMatch(/export type OnShopLineDeleteData = string;/);
  });

  it('keys the domain map by the upper-case wire name', () => {
    expect(shop).toMatch(
      /export interface ShopEvents \{[\s\S]*ONSHOPITEMADD: OnShopItemAddData;[\s\S]*ONSHOPITEMUPDATE: OnShopItemUpdateData;/,
    );
    expect(shop).not.toMatch(/onShopItemAdd:/);
  });

  it('imports referenced local and shared types', () => {
    expect(shop).toContain("import type { ItemRef } from './types.js';");
    expect(shop).toContain("import type { Money } from '../_shared/types.js';");
  });

  it('joins the domain maps into EventMap and re-exports every payload type', () => {
    expect(root).toMatch(/export interface EventMap extends NotifyEvents, ShopEvents \{/);
    expect(root).toContain('export type EventName = keyof EventMap;');
    expect(root).toContain("export type * from './shop/events.js';");
  });

  it('gives an events-only domain an index and events but no methods or tree', () => {
    expect(generated.has('notify/events.ts')).toBe(true);
    expect(generated.has('notify/methods.ts')).toBe(false);
    expect(generated.has('notify/api.ts')).toBe(false);
    expect(generated.get('notify/index.ts')).toContain("export type * from './events.js';");
    expect(generated.get('namespaces.ts')).not.toMatch(/Notify/);
    expect(generated.get('registry.ts')).not.toMatch(/notify/);
  });
});

describe('a shape written once', () => {
  const dir = join(here, 'fixtures', 'basic');
  const types = emit(buildModel(loadSchema(join(dir, 'schema'), { jsonSchema }))).get('shop/types.ts') ?? '';

  it('makes a later type with the same members an alias of the first, keeping its own doc', () => {
    expect(types).toMatch(
      /\/\*\* The same shape as TicketPage[^\n]*\*\/\nexport type TicketPageArchived = TicketPage;/,
    );
    expect(types).toMatch(/export interface TicketPage \{/);
    expect(types).not.toMatch(/export interface TicketPageArchived/);
  });
});
