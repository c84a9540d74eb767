import { describe, expect, it } from 'vitest';
import { parseEventPage } from '../event-page.mjs';

// A page in the docs' layout (title, tip note, scope quote, summary, payload, tables), own words.
const page = `# Widget Added onCrmWidgetAdd

{% note tip "" %}

A note about tooling that is not the summary.

{% endnote %}

> Scope: [\`crm\`](../../scopes/permissions.md)
>
> Who can subscribe: any user

The event \`ONCRMWIDGETADD\` fires after a widget is stored. More words follow here.

\`\`\`json
{ "event": "ONCRMWIDGETADD", "data": { "FIELDS": { "ID": "1" } } }
\`\`\`

#|
|| **Parameter**
\`type\` | **Description** ||
|| **event**
[\`string\`](../data-types.md) | Event code ||
|| **data.FIELDS**
[\`object\`](../data-types.md) | The stored widget. Structure below ||
|| **auth**
[\`object\`](../data-types.md) | Authorization ||
|#

### Parameter FIELDS {#fields}

#|
|| **Parameter**
\`type\` | **Description** ||
|| **ID**
[\`integer\`](../data-types.md) | Widget identifier ||
|#

### Parameter STATE {#state}

#|
|| **Parameter**
\`type\` | **Description** ||
|| **STATE**
[\`string\`](../data-types.md) | Y when on, N when off ||
|#

### Parameter auth {#auth}

#|
|| **Parameter**
\`type\` | **Description** ||
|| **domain**
[\`string\`](../data-types.md) | Portal address ||
|#
`;

describe('parseEventPage', () => {
  const facts = parseEventPage(page);

  it('reads the scope and the first sentence after the title, skipping notes', () => {
    expect(facts.scopes).toEqual(['crm']);
    expect(facts.summary).toBe('The event ONCRMWIDGETADD fires after a widget is stored.');
  });

  it('keys data field descriptions by their path inside data, leaving auth and envelope rows out', () => {
    expect(Object.fromEntries(facts.descriptions)).toEqual({
      FIELDS: 'The stored widget.',
      'FIELDS.ID': 'Widget identifier',
      STATE: 'Y when on, N when off',
    });
  });

  it('gives empty facts for a page without them', () => {
    expect(parseEventPage('# Title\n')).toEqual({ scopes: [], summary: '', descriptions: new Map() });
  });
});
