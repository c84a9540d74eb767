import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain .mjs without declarations
import { buildEvents, writeEvents } from '../events.mjs';
// @ts-expect-error plain .mjs without declarations
import * as eventOverrides from '../event-overrides.mjs';
import { sharedRestDir } from '../../shared-ref.mjs';

type Entry = Record<string, any>;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'b24-events-'));
  dirs.push(d);
  return d;
};
const ev = (event: string, doc: string, payloadExample?: unknown) => ({ event, doc, docUrl: `https://apidocs.bitrix24.com/${doc.replace(/\.md$/, '.html')}`, payloadExample });
const body = (event: string, data: unknown) => ({ event, event_handler_id: '1', data, ts: '1', auth: { member_id: 'm' } });

describe('buildEvents', () => {
  it('types every leaf as a form string and keys events by the docs spelling, per docs domain', () => {
    const out: Map<string, Record<string, Entry>> = buildEvents({
      events: [ev('onCrmDealAdd', 'api-reference/crm/deals/events/on-crm-deal-add.md', body('ONCRMDEALADD', { FIELDS: { ID: 6641 } }))],
    });
    expect([...out.keys()]).toEqual(['crm']);
    expect(out.get('crm')?.onCrmDealAdd).toEqual({
      docUrl: 'https://apidocs.bitrix24.com/api-reference/crm/deals/events/on-crm-deal-add.html',
      description: 'Sent as ONCRMDEALADD.',
      data: { FIELDS: { type: 'object', required: true, fields: { ID: { type: 'string', required: true } } } },
    });
  });

  it('infers arrays, empty values, big objects, scalar and missing data', () => {
    const many = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`F${i}`, 'x']));
    const out: Map<string, Record<string, Entry>> = buildEvents({
      events: [
        ev('OnThingAdd', 'api-reference/sale/events/on-thing-add.md', body('ONTHINGADD', {
          ROWS: [{ id: 1, a: 'x' }, { id: 2 }],
          IDS: [1, 2],
          FILES: [],
          NOTHING: null,
          BIG: many,
          'bad-key': 1,
        })),
        ev('OnLineGone', 'api-reference/imopenlines/events/on-line-gone.md', body('ONLINEGONE', 107)),
        ev('onOldThing', 'api-reference/crm/outdated/thing/events/on-old-thing.md', null),
      ],
    });
    const add = out.get('sale')?.OnThingAdd as Entry;
    expect(add.dataOpen).toBe(true); // 'bad-key' is not an identifier
    expect(add.data.ROWS).toEqual({ type: 'object[]', required: true, fields: { id: { type: 'string', required: true }, a: { type: 'string' } } });
    expect(add.data.IDS).toEqual({ type: 'string[]', required: true });
    expect(add.data.FILES).toEqual({ type: 'any' }); // an empty array is not sent in a form body
    expect(add.data.NOTHING).toEqual({ type: 'any' });
    // More than six fields: one example does not prove every body carries all of them.
    expect(add.data.BIG.fields.F0).toEqual({ type: 'string' });
    expect(out.get('imopenlines')?.OnLineGone?.data).toBe('string');
    expect(out.get('crm')?.onOldThing).toMatchObject({ data: {}, dataOpen: true, deprecated: true });
  });

  it('takes the wire name from the page payload and needs a spelling when the title misnames the event', () => {
    const misnamed = { events: [ev('onDeleting', 'api-reference/booking/resource/events/on-booking-resource-delete.md', body('ONBOOKINGRESOURCEDELETE', { ID: '1' }))] };
    expect(() => buildEvents(misnamed)).toThrow(/onDeleting .*ONBOOKINGRESOURCEDELETE; add its spelling/);
    const out: Map<string, Record<string, Entry>> = buildEvents(misnamed, { overrides: { spellings: { ONBOOKINGRESOURCEDELETE: 'onBookingResourceDelete' } } });
    expect(Object.keys(out.get('booking') ?? {})).toEqual(['onBookingResourceDelete']);
    const twice = { events: [ev('onA', 'api-reference/crm/a.md', body('ONA', {})), ev('ONA', 'api-reference/crm/b.md', body('ONA', {}))] };
    expect(() => buildEvents(twice)).toThrow(/ONA is documented twice/);
  });

  it('takes scope, summary and field descriptions from the event page, and data from the overrides', () => {
    const docs = tmp();
    const doc = 'api-reference/crm/deals/events/on-crm-deal-add.md';
    mkdirSync(join(docs, 'api-reference/crm/deals/events'), { recursive: true });
    writeFileSync(
      join(docs, doc),
      '# Deal added onCrmDealAdd\n\n> Scope: [`crm`](x.md)\n\nThe event fires when a deal is stored. Then more.\n\n### Parameter FIELDS {#fields}\n\n#|\n|| **Parameter**\n`type` | **Description** ||\n|| **ID**\n[`integer`](t.md) | Deal identifier ||\n|#\n',
    );
    const catalog = { events: [ev('onCrmDealAdd', doc, body('ONCRMDEALADD', { FIELDS: { ID: '1' } })), ev('onCrmDealUpdate', 'api-reference/crm/deals/events/none.md', body('ONCRMDEALUPDATE', { FIELDS: { ID: '1' } }))] };
    const out: Map<string, Record<string, Entry>> = buildEvents(catalog, { docsDir: docs, overrides: { data: { ONCRMDEALUPDATE: { FIELDS: { type: 'object' } } } } });
    const add = out.get('crm')?.onCrmDealAdd as Entry;
    expect(add.scope).toBe('crm');
    expect(add.description).toBe('The event fires when a deal is stored.');
    expect(add.data.FIELDS.fields.ID).toEqual({ type: 'string', required: true, description: 'Deal identifier' });
    expect(out.get('crm')?.onCrmDealUpdate?.data).toEqual({ FIELDS: { type: 'object' } });
  });

  it('covers the whole catalog: 162 events, unique upper-case names, ONCRMDEALADD with FIELDS.ID', () => {
    const catalog = JSON.parse(readFileSync(join(sharedRestDir(), 'catalog.json'), 'utf8'));
    const out: Map<string, Record<string, Entry>> = buildEvents(catalog, { overrides: eventOverrides });
    const names = [...out.values()].flatMap((e) => Object.keys(e));
    expect(names).toHaveLength(catalog.events.length);
    expect(new Set(names.map((n) => n.toUpperCase())).size).toBe(names.length);
    expect(out.get('crm')?.onCrmDealAdd?.data.FIELDS.fields.ID.type).toBe('string');
    expect(out.get('booking')?.onBookingResourceTypeDelete).toBeDefined();
  });
});

describe('writeEvents', () => {
  it('writes <domain>/events.yaml, joins a file of that name that holds methods, and drops stale sections', () => {
    const schema = tmp();
    mkdirSync(join(schema, 'events'));
    mkdirSync(join(schema, 'crm'));
    const methods = '# hand\nmethods:\n  events:\n    scope: ""\n    result: object\n';
    writeFileSync(join(schema, 'events/events.yaml'), methods);
    writeFileSync(join(schema, 'crm/old.yaml'), 'events:\n  onGone:\n    data: {}\n');
    writeFileSync(join(schema, 'crm/deal.yaml'), 'methods:\n  crm.deal.get:\n    scope: crm\n    result: object\nevents:\n  onMoved:\n    data: {}\n');
    const byDomain = new Map([
      ['events', { onOfflineEvent: { data: {} } }],
      ['crm', { onMoved: { data: { FIELDS: { type: 'object', required: true, fields: { ID: { type: 'string', required: true } } } } }, onAdd: { data: 'string' } }],
    ]);
    writeEvents(schema, byDomain);
    expect(existsSync(join(schema, 'crm/old.yaml'))).toBe(false);
    expect(parse(readFileSync(join(schema, 'crm/deal.yaml'), 'utf8'))).toEqual({ methods: { 'crm.deal.get': { scope: 'crm', result: 'object' } } });
    const joined = readFileSync(join(schema, 'events/events.yaml'), 'utf8');
    expect(joined.startsWith('# hand\nmethods:')).toBe(true);
    expect(parse(joined).events).toEqual({ onOfflineEvent: { data: {} } });
    const crm = readFileSync(join(schema, 'crm/events.yaml'), 'utf8');
    expect(Object.keys(parse(crm).events)).toEqual(['onAdd', 'onMoved']);
    expect(crm).toContain('ID: { type: string, required: true }');
    // A second run with the same input changes nothing.
    expect(writeEvents(schema, byDomain)).toEqual([]);
  });
});
