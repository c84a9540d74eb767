// Result types from the documented response examples, and the script that compares them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { methodEntry, TypeRegistry } from '../model.mjs';
import { parseMethodPage } from '../page.mjs';
import { checkResults } from '../result-check.mjs';

const root = fileURLToPath(new URL('./fixtures/pages', import.meta.url));
const build = (name: string, method: string) => {
  const types = new TypeRegistry(new Map());
  const f = parseMethodPage(readFileSync(join(root, name), 'utf8'), `a/b/${name}`, method);
  const tableAt = (doc: string, anchor: string) => (doc === `a/b/${name}` ? f.tables[anchor] : undefined);
  const e = methodEntry(f, { domain: 'x', file: 'x/y', types, tableAt });
  const made = Object.fromEntries([...(types.made.get('x') ?? new Map())].map(([n, m]) => [n, m.type]));
  return { e, made };
};

describe('result types from the response example', () => {
  it('names the shape: fields, nesting, wire types (a string ID is a string), unions of what rows send, maps', () => {
    const { e, made } = build('result-example.md', 'rpa.stage.list');
    expect(e.result).toBe('RpaStageListReply');
    expect(made.RpaStageListReply).toEqual({
      fields: { stages: { type: 'RpaStageListReplyStages[]' }, total: { type: 'integer' } },
    });
    expect(made.RpaStageListReplyStages).toEqual({
      fields: {
        id: { type: 'string' },
        name: { type: 'string' },
        sort: { type: 'integer' },
        chatId: { type: 'integer | string' },
        tasks: { type: 'Record<RpaStageListReplyStagesTasksItem>' },
        final: { type: 'boolean' },
      },
    });
    expect(made.RpaStageListReplyStagesTasksItem).toEqual({ fields: { title: { type: 'string' } } });
  });

  it('keeps the type the docs name, made to agree with the example (wire string, Y/N, fields the table lacks)', () => {
    const { e, made } = build('table-and-example.md', 'shop.item.get');
    expect(e.result).toBe('Item');
    expect(made.Item).toEqual({
      fields: {
        ID: { type: 'integer', wire: 'string' },
        ACTIVE: { type: 'boolean', wire: 'yn' },
        PRICE: { type: 'double' },
        NOTE: { type: 'string' },
      },
    });
  });
});

describe('result-check', () => {
  it('counts loose results and wire-type mismatches against the examples', () => {
    const dir = mkdtempSync(join(tmpdir(), 'result-check-'));
    try {
      mkdirSync(join(dir, 'x'));
      writeFileSync(
        join(dir, 'x/y.yaml'),
        'types:\n  Item:\n    fields:\n      ID: { type: integer }\n      CODE: { type: integer, wire: string }\nmethods:\n  x.a: { scope: x, params: {}, result: object }\n  x.b: { scope: x, params: {}, result: Item }\n  x.c: { scope: x, params: {}, result: "Item[]" }\n',
      );
      const ex = (result: unknown) => ({ example: { result } });
      writeFileSync(
        join(dir, 'x/y.docs.json'),
        JSON.stringify({
          commit: 'c',
          methods: { 'x.a': ex({ k: 1 }), 'x.b': ex({ ID: '5', CODE: '7' }), 'x.c': ex([{ ID: 5, CODE: '7' }]) },
        }),
      );
      const r = checkResults(dir);
      expect(r.withExample).toBe(3);
      expect(r.loose).toEqual(['x.a: object']);
      expect(r.mismatches).toEqual(['x.b result.ID: "5" is not integer']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
