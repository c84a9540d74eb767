// Always-returned result fields: derived from the get examples (required-fields.mjs), run by the
// docs sync, and kept by its three-way merge (fixtures/required: v2 adds WEIGHT to the example).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { markRequired, runOnSchema } from '../required-fields.mjs';
import { sync } from '../sync.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/required', import.meta.url));
const V1 = '1111111111111111111111111111111111111111';
const V2 = '2222222222222222222222222222222222222222';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'restdocs-req-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

type Obj = Record<string, any>;
const one = (data: Obj, examples: Obj) =>
  markRequired(new Map([['shop/box', data]]), new Map([['shop/box', examples]]));

describe('markRequired', () => {
  it('marks the fields a get example shows, through wrappers and rows, with | null where it shows null', () => {
    const data: Obj = {
      methods: {
        'shop.box.get': { result: 'BoxReply' },
        'shop.box.list': { result: 'Box[]' },
      },
      types: {
        BoxReply: { fields: { box: { type: 'Box' }, extra: { type: 'string' } } },
        Box: {
          fields: {
            ID: { type: 'integer', wire: 'string' },
            NOTE: { type: 'string' },
            CLOSED_AT: { type: 'datetime' },
            OWNER: { type: 'any' },
            HIDDEN: { type: 'string' },
            UF_CRM_COLOR: { type: 'string' },
            parentId1222: { type: 'integer' },
          },
        },
      },
    };
    const example = {
      result: {
        box: { ID: '1', NOTE: 'x', CLOSED_AT: null, OWNER: null, UF_CRM_COLOR: 'red', parentId1222: 5 },
      },
    };
    // A list example says nothing: only get-like methods do.
    const listExample = { result: [{ ID: '1', HIDDEN: 'y' }] };
    const changes = one(data, { 'shop.box.get': { example }, 'shop.box.list': { example: listExample } });
    const f = data.types.Box.fields;
    expect(data.types.BoxReply.fields.box.required).toBe(true);
    expect(data.types.BoxReply.fields.extra.required).toBeUndefined();
    expect(f.ID).toEqual({ type: 'integer', wire: 'string', required: true });
    expect(f.NOTE.required).toBe(true);
    expect(f.CLOSED_AT).toEqual({ type: 'datetime | null', required: true });
    // `any` already takes null.
    expect(f.OWNER).toEqual({ type: 'any', required: true });
    expect(f.HIDDEN.required).toBeUndefined();
    // A portal's own fields (user fields, smart-process links) stay optional.
    expect(f.UF_CRM_COLOR.required).toBeUndefined();
    expect(f.parentId1222.required).toBeUndefined();
    expect(changes).toContainEqual({ type: 'shop/Box', field: 'CLOSED_AT', change: 'null' });
    // Idempotent: a second run adds nothing.
    expect(one(data, { 'shop.box.get': { example } })).toEqual([]);
  });

  it('requires only what every row and every example shows', () => {
    const data: Obj = {
      methods: { 'shop.box.get': { result: 'Box[]' }, 'shop.box.current': { result: 'Box' } },
      types: { Box: { fields: { ID: { type: 'string' }, A: { type: 'string' }, B: { type: 'string' } } } },
    };
    one(data, {
      'shop.box.get': {
        example: {
          result: [
            { ID: '1', A: 'a', B: 'b' },
            { ID: '2', A: 'a' },
          ],
        },
      },
      'shop.box.current': { example: { result: { ID: '3', A: 'a', B: 'b' } } },
    });
    expect(data.types.Box.fields).toEqual({
      ID: { type: 'string', required: true },
      A: { type: 'string', required: true },
      B: { type: 'string' },
    });
  });

  it('respects optionalReason on a field and on a type, and alwaysReturned', () => {
    const data: Obj = {
      methods: { 'shop.box.get': { result: 'Box' }, 'shop.item.get': { result: 'Item' } },
      types: {
        Box: {
          fields: { ID: { type: 'string' }, NOTE: { type: 'string', optionalReason: 'only when set' } },
        },
        Item: {
          optionalReason: 'fields depend on the item type',
          alwaysReturned: ['id'],
          fields: { id: { type: 'integer' }, title: { type: 'string' } },
        },
      },
    };
    one(data, {
      'shop.box.get': { example: { result: { ID: '1', NOTE: 'n' } } },
      'shop.item.get': { example: { result: { id: 1, title: 't' } } },
    });
    expect(data.types.Box.fields.ID.required).toBe(true);
    expect(data.types.Box.fields.NOTE.required).toBeUndefined();
    expect(data.types.Item.fields.id.required).toBe(true);
    expect(data.types.Item.fields.title.required).toBeUndefined();
    // optionalReason without alwaysReturned leaves the whole type alone.
    delete data.types.Item.alwaysReturned;
    data.types.Item.fields.id = { type: 'integer' };
    one(data, { 'shop.item.get': { example: { result: { id: 1, title: 't' } } } });
    expect(data.types.Item.fields.id.required).toBeUndefined();
  });
});

describe('the docs sync', () => {
  const run = (schema: string, ver: 'v1' | 'v2') =>
    sync({ docs: join(fixtures, ver), schema, commit: ver === 'v1' ? V1 : V2, changesetDir: join(tmp, '.cs') });

  it('marks new types, keeps the marks and the hand edits through the three-way merge, and marks fields the docs add', () => {
    const schema = join(tmp, 'schema');
    run(schema, 'v1');
    const file = join(schema, 'shop/box.yaml');
    const y = parse(readFileSync(file, 'utf8'));
    expect(y.types.ShopBoxGetReplyBox.fields).toEqual({
      ID: { type: 'string', required: true },
      TITLE: { type: 'string', required: true },
      NOTE: { type: 'string', required: true },
      CLOSED_AT: { type: 'any', required: true },
      UF_SHOP_COLOR: { type: 'string' },
    });
    // The docs facts (the merge base) carry no marks: they live in the YAML alone.
    const base = JSON.parse(readFileSync(join(schema, 'shop/box.docs.json'), 'utf8')).base.types.ShopBoxGetReplyBox;
    expect(JSON.stringify(base)).not.toContain('required');

    // By hand: NOTE is left out when empty, CLOSED_AT typed.
    y.types.ShopBoxGetReplyBox.fields.NOTE = { type: 'string', optionalReason: 'left out when empty' };
    y.types.ShopBoxGetReplyBox.fields.CLOSED_AT = { type: 'datetime | null', required: true };
    writeFileSync(file, stringify(y));
    const edited = readFileSync(file, 'utf8');
    expect(run(schema, 'v1').written).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(edited);

    const up = run(schema, 'v2');
    const z = parse(readFileSync(file, 'utf8'));
    expect(z.types.ShopBoxGetReplyBox.fields).toEqual({
      ID: { type: 'string', required: true },
      TITLE: { type: 'string', required: true },
      NOTE: { type: 'string', optionalReason: 'left out when empty' },
      CLOSED_AT: { type: 'datetime | null', required: true },
      UF_SHOP_COLOR: { type: 'string' },
      WEIGHT: { type: 'integer', required: true },
    });
    expect(up.report.fieldsAdded).toEqual(['shop/ShopBoxGetReplyBox.WEIGHT']);
    expect(up.report.conflicts).toEqual([]);
  });

  it('the committed schema has every mark the script would add', () => {
    const root = fileURLToPath(new URL('../../../schema', import.meta.url));
    const { changes } = runOnSchema(root, { check: true });
    expect(changes).toEqual([]);
  });
});
