// No catch-all index signature without a reason: every `[key: string]` the generator writes sits in a
// declaration whose JSDoc says why (`Open: ...`, from the schema's openReason), in the committed
// client and in what the generator makes of an open param list or an open event payload.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { generate } from '../generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const jsonSchema = join(root, 'schema', 'schema.json');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * Every `[name: string]` index signature of a file, with the JSDoc of the top-level declaration
 * it belongs to (the nearest `export ...` above it and the comment right before that).
 */
export function unexplainedIndexSignatures(text: string, file: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/\[\w+: string\]:/.test(lines[i] ?? '')) continue;
    let decl = i;
    while (decl > 0 && !/^export /.test(lines[decl] ?? '')) decl--;
    let doc = '';
    if ((lines[decl - 1] ?? '').trim().endsWith('*/')) {
      let start = decl - 1;
      while (start > 0 && !(lines[start] ?? '').trim().startsWith('/**')) start--;
      doc = lines.slice(start, decl).join(' ');
    }
    if (!/ Open: \S/.test(doc)) out.push(`${file}:${i + 1} ${(lines[decl] ?? '').trim()}`);
  }
  return out;
}

function generateFrom(files: Record<string, string>): string {
  const tmp = mkdtempSync(join(tmpdir(), 'b24-open-'));
  dirs.push(tmp);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, 'schema', path)), { recursive: true });
    writeFileSync(join(tmp, 'schema', path), text);
  }
  generate({ schemaDir: join(tmp, 'schema'), outDir: join(tmp, 'out'), jsonSchema });
  return join(tmp, 'out');
}

const openEvent = (extra: string) => `methods:
  shop.item.get:
    scope: shop
    params:
      id: { type: integer, required: true }
    result: integer
events:
  onShopItemAdd:
    scope: shop
    data: {}
    dataOpen: true
${extra}`;

describe('index signatures', () => {
  it('the committed client has none without a reason', () => {
    const dir = join(root, 'packages', 'client', 'src', 'generated');
    const bad = tsFiles(dir).flatMap((f) =>
      unexplainedIndexSignatures(readFileSync(f, 'utf8'), f.slice(root.length + 1)),
    );
    expect(bad).toEqual([]);
  });

  it('an open event payload carries its reason into the JSDoc', () => {
    const out = generateFrom({ 'shop/item.yaml': openEvent('    openReason: the page shows no payload\n') });
    const events = readFileSync(join(out, 'shop', 'events.ts'), 'utf8');
    expect(events).toMatch(/\[key: string\]: unknown;/);
    expect(events).toMatch(/Open: the page shows no payload/);
    expect(unexplainedIndexSignatures(events, 'events.ts')).toEqual([]);
  });

  it('the check finds an index signature without a reason', () => {
    const text = '/**\n * `data` of `X`.\n */\nexport interface XData {\n  [key: string]: unknown;\n}\n';
    expect(unexplainedIndexSignatures(text, 'x.ts')).toEqual(['x.ts:5 export interface XData {']);
  });

  it('the generator refuses an open payload or param list without a reason', () => {
    expect(() => generateFrom({ 'shop/item.yaml': openEvent('') })).toThrow(
      /onShopItemAdd has dataOpen: true without an openReason/,
    );
    expect(() =>
      generateFrom({
        'shop/item.yaml': 'methods:\n  shop.item.get:\n    scope: shop\n    openParams: true\n    result: integer\n',
      }),
    ).toThrow(/shop\.item\.get has openParams: true without an openReason/);
  });
});
