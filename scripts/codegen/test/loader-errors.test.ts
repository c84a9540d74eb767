// Loader errors name the file and the line of the problem, and report every problem at once.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { loadSchema, SchemaError } from '../load.mjs';

const jsonSchema = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema', 'schema.json');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function schemaWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'b24-schema-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'schema', path)), { recursive: true });
    writeFileSync(join(root, 'schema', path), text);
  }
  return join(root, 'schema');
}

function errorOf(files: Record<string, string>): {
  message: string;
  problems: Array<{ file: string; line: number; message: string }>;
} {
  try {
    loadSchema(schemaWith(files), { jsonSchema });
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return e as never;
  }
  throw new Error('expected a SchemaError');
}

const ok = `methods:
  shop.item.get:
    scope: shop
    result: integer
`;

describe('loadSchema errors', () => {
  it('accepts a valid file', () => {
    const { files } = loadSchema(schemaWith({ 'shop/item.yaml': ok }), { jsonSchema });
    expect(files).toHaveLength(1);
  });

  it('points at the line of a missing required property', () => {
    const e = errorOf({ 'shop/item.yaml': 'methods:\n  shop.item.get:\n    result: integer\n' });
    expect(e.message).toMatch(
      /schema\/shop\/item\.yaml:3:\d+ methods\.shop\.item\.get: must have required property 'scope'/,
    );
  });

  it('points at the key of an unknown property', () => {
    const e = errorOf({ 'shop/item.yaml': ok + '    idempotnet: true\n' });
    expect(e.message).toMatch(/schema\/shop\/item\.yaml:5:5 methods\.shop\.item\.get: unknown property "idempotnet"/);
  });

  it('points at a wrongly typed value', () => {
    const e = errorOf({ 'shop/item.yaml': ok.replace('result: integer', 'result: integer\n    batchable: sometimes') });
    expect(e.message).toMatch(/schema\/shop\/item\.yaml:5:16 methods\.shop\.item\.get\.batchable: must be boolean/);
  });

  it('reports YAML syntax errors with their line', () => {
    const e = errorOf({ 'shop/item.yaml': 'methods:\n  shop.item.get:\n    scope: [shop\n    result: integer\n' });
    expect(e.problems[0]?.file).toBe('schema/shop/item.yaml');
    expect(e.problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/YAML:/);
  });

  it('reports unknown type names at the line that uses them', () => {
    const e = errorOf({ 'shop/item.yaml': ok.replace('result: integer', 'result: Widget[]') });
    expect(e.message).toMatch(/schema\/shop\/item\.yaml:4:13 unknown type Widget \(not in domain shop or _shared\)/);
  });

  it('reports bad type expressions and positional names that are not params', () => {
    const e = errorOf({
      'shop/item.yaml': `methods:
  shop.item.get:
    scope: shop
    params:
      id: { type: "Record<integer" }
    result: integer
    positional: [ID]
`,
    });
    expect(e.message).toMatch(/item\.yaml:5:\d+ bad type expression "Record<integer": missing ">"/);
    expect(e.message).toMatch(/item\.yaml:7:\d+ positional name ID is not a param of shop\.item\.get/);
  });

  it('reports every problem across files, including duplicates', () => {
    const e = errorOf({
      'shop/item.yaml': ok,
      'shop/other.yaml': ok.replace('shop.item.get', 'shop.item.GET'),
      'zoo/bad.yaml': 'methods:\n  zoo.x:\n    scope: 1\n    result: integer\n',
    });
    expect(e.message).toMatch(/zoo\/bad\.yaml:3:\d+ methods\.zoo\.x\.scope: must be string/);
    // Duplicates are cross-file checks, run once every file is individually valid.
    const dup = errorOf({ 'shop/item.yaml': ok, 'shop/other.yaml': ok.replace('shop.item.get', 'shop.item.GET') });
    expect(dup.message).toMatch(
      /shop\/other\.yaml:2:3 method shop\.item\.GET is also defined in schema\/shop\/item\.yaml/,
    );
  });

  it('checks events: one name per event whatever its case, known types in data, valid names', () => {
    const ev = (name: string, data: string) => `events:\n  ${name}:\n    data: ${data}\n`;
    expect(
      loadSchema(
        schemaWith({
          'shop/events.yaml': ev('onShopItemAdd', '{ FIELDS: { type: object, fields: { ID: { type: string } } } }'),
        }),
        { jsonSchema },
      ).files,
    ).toHaveLength(1);
    const dup = errorOf({
      'shop/events.yaml': ev('onShopItemAdd', '{}'),
      'zoo/events.yaml': ev('ONSHOPITEMADD', '{}'),
    });
    expect(dup.message).toMatch(
      /zoo\/events\.yaml:2:3 event ONSHOPITEMADD is also defined in schema\/shop\/events\.yaml/,
    );
    const unknown = errorOf({ 'shop/events.yaml': ev('onShopItemAdd', '{ ITEM: { type: Widget } }') });
    expect(unknown.message).toMatch(/shop\/events\.yaml:3:\d+ unknown type Widget \(not in domain shop or _shared\)/);
    const scalar = errorOf({ 'shop/events.yaml': ev('onShopLineDelete', 'Widget[]') });
    expect(scalar.message).toMatch(/shop\/events\.yaml:3:\d+ unknown type Widget/);
    const badName = errorOf({ 'shop/events.yaml': ev('shopItemAdd', '{}') });
    expect(badName.message).toMatch(/events: invalid name "shopItemAdd"/);
    const fieldsOnString = errorOf({
      'shop/events.yaml': ev('onShopItemAdd', '{ FIELDS: { type: string, fields: { ID: { type: string } } } }'),
    });
    expect(fieldsOnString.message).toMatch(/param FIELDS has fields, so its type must be object or object\[\]/);
  });

  it('the real schema loads without problems', () => {
    const real = join(dirname(jsonSchema));
    const { files } = loadSchema(real);
    expect(files.length).toBeGreaterThan(20);
  });
});
