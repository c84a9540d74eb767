import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverMethodPages, methodOfPage } from '../discover.mjs';
import { parseLooseJson, parseMethodPage } from '../page.mjs';
import { mapDocType } from '../types.mjs';

const docs = fileURLToPath(new URL('./fixtures/docs', import.meta.url));
const page = (doc: string) => readFileSync(`${docs}/${doc}`, 'utf8');
const facts = (doc: string, method: string) => parseMethodPage(page(doc), doc, method);

describe('methodOfPage', () => {
  it('finds method pages and their names, skipping overviews, events and BX24 functions', () => {
    const found = discoverMethodPages(docs).map((p: { doc: string; method: string }) => `${p.method} <- ${p.doc}`);
    expect(found).toEqual([
      'profile <- api-reference/common/profile.md',
      'crm.widget.add <- api-reference/crm/widgets/crm-widget-add.md',
      'crm.widget.get <- api-reference/crm/widgets/crm-widget-get.md',
      'crm.widget.list <- api-reference/crm/widgets/crm-widget-list.md',
      'crm.widget.productrows.get <- api-reference/crm/widgets/crm-widget-productrows-get.md',
      'tasks.gizmo.add <- api-reference/tasks/tasks-gizmo-add-rest-v3.md',
      'tasks.gizmo.add <- api-reference/tasks/tasks-gizmo-add.md',
      'tasks.gizmo.ping <- api-reference/tasks/tasks-gizmo-ping.md',
    ]);
  });

  it('prefers the spelling the page uses most over the title', () => {
    expect(methodOfPage(page('api-reference/crm/widgets/crm-widget-list.md'), 'x.md')).toBe('crm.widget.list');
  });

  it('names a page whose title is in words only by its file name, when the page calls it over REST', () => {
    // The shape of the docs' crm-item-fields.md: no method name in the title, none in a sentence.
    const src =
      '# Retrieve Fields of CRM Item\n\n> Scope: [`crm`](x)\n\nThis method retrieves a list of fields.\n\n' +
      "```js\nBX24.callMethod('crm.item.fields', { entityTypeId: 2 });\n```\n\n" +
      '```bash\ncurl -X POST https://example.bitrix24.com/rest/1/code/crm.item.fields\n```\n';
    expect(methodOfPage(src, 'api-reference/crm/universal/crm-item-fields.md')).toBe('crm.item.fields');
    // The page's own spelling wins over the lower-case file name.
    const camel = src.replaceAll('crm.item.fields', 'crm.item.getFields');
    expect(methodOfPage(camel, 'api-reference/crm/universal/crm-item-getfields.md')).toBe('crm.item.getFields');
    // A guide named like a method that no example calls is not a method.
    const guide = '# Chatbots 2.0: Quick Start\n\n> Scope: [`imbot`](x)\n\nFirst steps.\n';
    expect(methodOfPage(guide, 'api-reference/chat-bots/chat-bots-v2/quick-start.md')).toBeNull();
  });

  it('drops a doubled prefix the page never calls', () => {
    const src =
      '# Delete department.department.delete\n\n> Scope: [`department`](x)\n\nThe method `department.delete` removes.\n\n`department.delete`\n';
    expect(methodOfPage(src, 'x.md')).toBe('department.delete');
  });
});

describe('parseMethodPage', () => {
  it('reads params, required marks, groups and types', () => {
    const f = facts('api-reference/crm/widgets/crm-widget-add.md', 'crm.widget.add');
    expect(f.params.map((p: any) => [p.name, p.type, p.required])).toEqual([
      ['fields', 'object', true],
      ['params', 'object', false],
      ['mode', 'string | integer', true],
    ]);
    expect(f.groups.fields?.map((p: any) => p.name)).toEqual(['TITLE', 'IS_ACTIVE', 'OWNER_ID', 'TAGS', 'UF_CRM_*']);
    expect(f.groups.fields?.[0]?.required).toBe(true);
    expect(f.groups.params?.map((p: any) => p.name)).toEqual(['REGISTER_SONET_EVENT']);
    expect(f.scopes).toEqual(['crm']);
    expect(f.apiVersion).toBe(2);
    expect(f.deprecated).toBe(false);
  });

  it('reads the result, the response example and the error table', () => {
    const f = facts('api-reference/crm/widgets/crm-widget-add.md', 'crm.widget.add');
    expect(f.resultType).toBe('integer');
    expect(f.example).toEqual({ result: 7, time: { start: 1.5 } });
    expect(f.errors).toEqual([
      { status: 400, code: 'ERROR_WIDGET_TITLE', message: 'Title is empty' },
      { status: 403, code: '', message: 'Access denied' },
    ]);
  });

  it('marks `^*^` as required and reads result links and named tables', () => {
    const f = facts('api-reference/crm/widgets/crm-widget-get.md', 'crm.widget.get');
    expect(f.params).toMatchObject([{ name: 'id', required: true, type: 'integer' }]);
    expect(f.deprecated).toBe(true);
    expect([f.resultType, f.resultRef]).toEqual(['widget', '#widget']);
    expect(f.tables.widget?.fields.map((x: any) => [x.name, x.type, x.ref])).toEqual([
      ['ID', 'integer', '../../data-types.md'],
      ['TITLE', 'string', '../../data-types.md'],
      ['OWNER', 'owner', '#owner'],
    ]);
    expect(f.tables.owner?.heading).toBe('Owner');
  });

  it('reads a params table that sits right under the title, with `**id^*^**`', () => {
    const f = facts('api-reference/crm/widgets/crm-widget-productrows-get.md', 'crm.widget.productrows.get');
    expect(f.params.map((p: any) => [p.name, p.required])).toEqual([
      ['id', true],
      ['ownerType', false],
    ]);
  });

  it('knows REST 3.0 pages and several scopes', () => {
    expect(facts('api-reference/tasks/tasks-gizmo-add-rest-v3.md', 'tasks.gizmo.add').apiVersion).toBe(3);
    expect(facts('api-reference/tasks/tasks-gizmo-ping.md', 'tasks.gizmo.ping').scopes).toEqual(['task', 'user']);
  });
});

describe('parseLooseJson and mapDocType', () => {
  it('accepts comments and trailing commas, rejects garbage', () => {
    expect(parseLooseJson('{\n // c\n "a": [1, 2,],\n}')).toEqual({ a: [1, 2] });
    expect(parseLooseJson('{ a: nope ')).toBeUndefined();
  });
  it.each([
    ['integer', '', 'integer'],
    ['string[]', '', 'string[]'],
    ['char', 'Possible values: `Y`, `N`', 'yn'],
    ['char', 'one letter', 'string'],
    ['crm_status', '', 'string'],
    ['user', '', 'integer'],
    ['array', '', 'any[]'],
    ['string | integer', '', 'string | integer'],
    ['whatever_thing', '', 'any'],
  ])('%s (%s) -> %s', (word, description, expected) => {
    expect(mapDocType(word, description)).toBe(expected);
  });
});
