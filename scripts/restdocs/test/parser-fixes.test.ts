// Parser fixes, each on a fixture page (fixtures/pages) shaped like the docs page that broke.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { methodOfPage } from '../discover.mjs';
import { plain, scanPage } from '../markdown.mjs';
import { methodEntry, TypeRegistry } from '../model.mjs';
import { parseMethodPage, slug, tableFields } from '../page.mjs';
import { mapDocType } from '../types.mjs';

const root = fileURLToPath(new URL('./fixtures/pages', import.meta.url));
const read = (name: string) => readFileSync(join(root, name), 'utf8');
const facts = (name: string, method: string, doc = `a/b/${name}`) => parseMethodPage(read(name), doc, method);

// The sync's reading of a field table on another page, over the fixture folder.
const tableAt = (doc: string, anchor: string) => {
  const path = join(root, doc);
  if (!existsSync(path)) return undefined;
  for (const t of scanPage(readFileSync(path, 'utf8')).tables) {
    if (t.heading && (t.heading.anchor ?? slug(t.heading.text)) === anchor)
      return { heading: plain(t.heading.text), anchor, fields: tableFields(t) };
  }
  return undefined;
};
const entry = (name: string, method: string) =>
  methodEntry(facts(name, method), { domain: 'x', file: 'x/y', types: new TypeRegistry(new Map()), tableAt });

describe('parser fixes', () => {
  it('tables under numbered sub-headings are the ways to call a method: union of params, required only if every way requires it', () => {
    const f = facts('variants.md', 'vote.AttachedVote.recall');
    expect(f.params.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([
      ['attachId', false],
      ['moduleId', false],
      ['entityId', false],
      ['data', false],
    ]);
    // A table that describes a param of a way stays a group of that param.
    expect(entry('variants.md', 'vote.AttachedVote.recall').params.data).toEqual({
      type: 'object',
      fields: { NOTE: { type: 'string' } },
    });
  });

  it('reads a params section with an unusual heading ("Stage Parameters")', () => {
    expect(entry('stage-parameters.md', 'rpa.stage.get').params).toEqual({ id: { type: 'integer', required: true } });
  });

  it('reads a params table with no heading of its own', () => {
    expect(entry('no-heading.md', 'voximplant.user.deactivatePhone').params).toEqual({
      USER_ID: { type: 'integer', required: true },
    });
  });

  it('never takes a table of allowed values for nested fields, and keeps real groups', () => {
    const e = entry('value-tables.md', 'landing.site.add');
    expect(e.params.scope).toEqual({ type: 'string' });
    expect(e.params.reaction).toEqual({ type: 'string' });
    expect(e.params.CODE).toEqual({ type: 'string', required: true });
    expect(e.params.fields).toEqual({ type: 'object', required: true, fields: { TYPE: { type: 'string' } } });
    expect(e.params.SETTINGS).toEqual({ type: 'object', fields: { PRINT_URL: { type: 'string', required: true } } });
  });

  it('types a reference to another entity: an id is an integer id, another field takes its type from that entity table', () => {
    const e = entry('value-tables.md', 'landing.site.add');
    expect(e.params.productId).toEqual({ type: 'integer' });
    expect(e.params.measureCode).toEqual({ type: 'integer' }); // catalog_measure.code is an integer in its table
    expect(e.params.langId).toEqual({ type: 'string' }); // no table to look at: a code
    expect(mapDocType('sale_order.ID')).toBe('integer');
    expect(mapDocType('catalog_product.id')).toBe('integer');
    expect(mapDocType('user.id')).toBe('integer');
  });

  it('leaves out JS commands that are not REST methods', () => {
    expect(methodOfPage(read('js-command.md'), 'a/b/js-command.md')).toEqual({ notMethod: 'disableAutoClose' });
    const rest = `${read('js-command.md')}\n\`\`\`js\nBX24.callMethod('disableAutoClose', {});\n\`\`\`\n`;
    expect(methodOfPage(rest, 'a/b/js-command.md')).toBe('disableAutoClose');
  });

  it('marks pages that say the method does not work, but not a method that fails in one case', () => {
    expect(facts('not-working.md', 'user.userfield.file.get').notWorking).toBe(true);
    expect(facts('no-heading.md', 'voximplant.user.deactivatePhone').notWorking).toBe(false);
    expect(facts('conditional-not-working.md', 'tasks.task.result.addFromComment').notWorking).toBe(false);
  });
});
