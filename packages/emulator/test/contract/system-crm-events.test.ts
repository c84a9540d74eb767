import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { documented, shapeDifferences, type ShapeOptions } from './shape.js';

/**
 * Contract: the methods the emulator's core implements (system, CRM deal/contact/company,
 * events) answer a documented-shape call with the keys and JSON kinds of the docs' example.
 */
let em: Emulator;
let token: string;

beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  token = em.issueTokens(em.oauth.app, 1).access_token;
});
afterAll(() => em.close());

async function viaWebhook(method: string, params: object = {}): Promise<any> {
  const res = await fetch(`${em.webhookUrl}${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return res.json();
}

async function viaApp(method: string, params: object = {}): Promise<any> {
  const res = await fetch(`${em.baseUrl}/rest/${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(params),
  });
  return res.json();
}

function expectDocumentedShape(method: string, actual: unknown, options: ShapeOptions = {}) {
  const example = documented(method)?.responseExample;
  expect(example, `${method} has a documented example`).toBeDefined();
  expect(actual).not.toHaveProperty('error');
  expect(shapeDifferences(actual, example, options)).toEqual([]);
}

/** Keys the example rows select, so a list answers with the columns the docs show. */
function exampleKeys(method: string): string[] {
  const example = documented(method)?.responseExample as { result: Record<string, unknown>[] };
  return Object.keys(example.result[0]!);
}

// Multifields (PHONE, EMAIL, ...) are stored as given: the per-value ID and TYPE_ID a portal
// adds are not generated, so those nested keys are not compared.
const multifieldPaths = (root: string) =>
  ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'].flatMap((f) => [
    `${root}.${f}.0.ID`,
    `${root}.${f}.0.TYPE_ID`,
    `${root}.${f}.0.VALUE_TYPE`,
  ]);

describe('system methods', () => {
  for (const method of ['server.time', 'profile', 'scope', 'methods', 'user.current']) {
    it(`${method} answers in the documented shape`, async () => {
      expectDocumentedShape(method, await viaWebhook(method));
    });
  }

  it('method.get answers in the documented shape', async () => {
    expectDocumentedShape('method.get', await viaWebhook('method.get', { name: 'crm.deal.add' }));
  });

  it('app.info answers an application in the documented shape', async () => {
    expectDocumentedShape('app.info', await viaApp('app.info'));
  });
});

describe('CRM deals, contacts and companies', () => {
  const entities = [
    { entity: 'deal', fields: { TITLE: 'Contract deal', OPPORTUNITY: 1000, CURRENCY_ID: 'EUR' } },
    {
      entity: 'contact',
      fields: { NAME: 'Ada', LAST_NAME: 'Lovelace', PHONE: [{ VALUE: '+100', VALUE_TYPE: 'WORK' }] },
    },
    { entity: 'company', fields: { TITLE: 'Analytical Engines', PHONE: [{ VALUE: '+200', VALUE_TYPE: 'WORK' }] } },
  ];
  for (const { entity, fields } of entities) {
    it(`crm.${entity}.add|get|list|update|delete|fields answer in the documented shapes`, async () => {
      const added = await viaWebhook(`crm.${entity}.add`, { fields });
      expectDocumentedShape(`crm.${entity}.add`, added);
      const id = added.result as number;
      expectDocumentedShape(`crm.${entity}.get`, await viaWebhook(`crm.${entity}.get`, { id }), {
        optional: multifieldPaths('result'),
      });
      const list = await viaWebhook(`crm.${entity}.list`, {
        select: exampleKeys(`crm.${entity}.list`),
        order: { ID: 'DESC' },
      });
      expectDocumentedShape(`crm.${entity}.list`, list, { optional: multifieldPaths('result.0') });
      if (documented(`crm.${entity}.update`)?.responseExample) {
        expectDocumentedShape(
          `crm.${entity}.update`,
          await viaWebhook(`crm.${entity}.update`, { id, fields: { COMMENTS: 'updated' } }),
        );
      }
      // fields: every field description carries the documented attribute keys (settings are
      // per field type and not emulated).
      const described = (await viaWebhook(`crm.${entity}.fields`)) as {
        result: Record<string, Record<string, unknown>>;
      };
      const example = documented(`crm.${entity}.fields`)!.responseExample as {
        result: Record<string, Record<string, unknown>>;
      };
      const attributes = Object.keys(example.result['ID']!).filter((k) => k !== 'settings' && k !== 'isDeprecated');
      for (const [name, field] of Object.entries(described.result)) {
        for (const key of attributes) expect(field, `${entity} field ${name}`).toHaveProperty(key);
      }
      expect(Object.keys(described.result)).toContain('ID');
      expectDocumentedShape(`crm.${entity}.delete`, await viaWebhook(`crm.${entity}.delete`, { id }));
    });
  }
});

describe('events (application auth)', () => {
  it('event.bind, event.get and event.unbind answer in the documented shapes', async () => {
    const handler = 'http://127.0.0.1:9/handler/';
    expectDocumentedShape('event.bind', await viaApp('event.bind', { event: 'ONCRMLEADADD', handler }));
    expectDocumentedShape('event.get', await viaApp('event.get'));
    expectDocumentedShape('event.unbind', await viaApp('event.unbind', { event: 'ONCRMLEADADD', handler }));
  });

  it('the offline queue answers in the documented shapes', async () => {
    expect((await viaApp('event.bind', { event: 'ONCRMCOMPANYADD', event_type: 'offline' })).result).toBe(true);
    await viaWebhook('crm.company.add', { fields: { TITLE: 'queued' } });
    // The docs' samples show EVENT_DATA: false; the emulator keeps the event's data
    // ({FIELDS: {ID}}) so a consumer can tell which object changed.
    expectDocumentedShape('event.offline.list', await viaApp('event.offline.list'), {
      anyKind: ['result.0.EVENT_DATA'],
    });
    const got = await viaApp('event.offline.get', { clear: 0 });
    expectDocumentedShape('event.offline.get', got, { anyKind: ['result.events.0.EVENT_DATA'] });
    expect(got.result.process_id, JSON.stringify(got)).toBeTruthy();
    const events = got.result.events as { ID: string; MESSAGE_ID: string }[];
    expect(events.length).toBeGreaterThan(0);
    const ids = events.map((e) => e.ID);
    expectDocumentedShape(
      'event.offline.error',
      await viaApp('event.offline.error', {
        process_id: got.result.process_id,
        message_id: events.map((e) => e.MESSAGE_ID),
      }),
    );
    expectDocumentedShape(
      'event.offline.clear',
      await viaApp('event.offline.clear', { process_id: got.result.process_id, id: ids }),
    );
  });
});
