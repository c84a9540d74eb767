import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidUrlError, webhook } from '../src/index.js';

const CODE = '8g9l071eismy9q2l';
const d = (method: string, apiVersion: 2 | 3 = 2) => ({
  method,
  scope: '',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion,
});

describe('webhook(url)', () => {
  it.each([
    [`https://example.bitrix24.com/rest/1/${CODE}/`, 'https://example.bitrix24.com', 1],
    [`https://example.bitrix24.com/rest/1/${CODE}`, 'https://example.bitrix24.com', 1],
    [`https://Example.Bitrix24.com:8443/rest/42/${CODE}/`, 'https://example.bitrix24.com:8443', 42],
    [`http://127.0.0.1:8080/rest/7/${CODE}/`, 'http://127.0.0.1:8080', 7],
    [`http://127.10.0.3/rest/7/${CODE}`, 'http://127.10.0.3', 7],
    [`http://localhost:3000/rest/7/${CODE}/`, 'http://localhost:3000', 7],
    [`http://[::1]:3000/rest/7/${CODE}/`, 'http://[::1]:3000', 7],
  ])('accepts %s', async (url, portal, userId) => {
    const creds = webhook(url);
    expect(creds.portal).toBe(portal);
    expect(creds.userId).toBe(userId);
    expect(creds.kind).toBe('webhook');
    expect((await creds.prepare(d('crm.deal.list'))).url).toBe(`${portal}/rest/${userId}/${CODE}/crm.deal.list.json`);
    expect((await creds.prepare(d('tasks.task.get', 3))).url).toBe(
      `${portal}/rest/api/${userId}/${CODE}/tasks.task.get`,
    );
    expect((await creds.prepare(d('x'))).headers).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['not a url', /not an absolute URL/],
    [`http://example.bitrix24.com/rest/1/${CODE}/`, /plain http/],
    [`http://10.0.0.1/rest/1/${CODE}/`, /plain http/],
    [`http://128.0.0.1/rest/1/${CODE}/`, /plain http/],
    [`ftp://example.bitrix24.com/rest/1/${CODE}/`, /unsupported scheme "ftp"/],
    [`https://example.bitrix24.com/api/1/${CODE}/`, /must start with \/rest\//],
    ['https://example.bitrix24.com/rest/1/', /missing the code/],
    ['https://example.bitrix24.com/rest/', /missing the user ID and the code/],
    [`https://example.bitrix24.com/rest/abc/${CODE}/`, /user ID must be a positive integer/],
    [`https://example.bitrix24.com/rest/0/${CODE}/`, /user ID must be a positive integer/],
    [`https://example.bitrix24.com/rest/1/${CODE}/crm.deal.list.json`, /1 extra path segment/],
    [`https://example.bitrix24.com/rest/1/${CODE}.x/`, /code \(the third path segment\)/],
    [`https://example.bitrix24.com/rest/1/${CODE}/?a=1`, /query string/],
    [`https://u:p@example.bitrix24.com/rest/1/${CODE}/`, /user name or password/],
  ])('rejects %j clearly, without echoing the code', (url, message) => {
    let error: unknown;
    try {
      webhook(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidUrlError);
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect((error as Error).message).toMatch(message);
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(CODE.slice(0, 8));
  });

  it('never shows the code in redact, toString, toJSON or inspect', () => {
    const creds = webhook(`https://example.bitrix24.com/rest/1/${CODE}/`);
    const url = `https://example.bitrix24.com/rest/1/${CODE}/crm.deal.list.json`;
    expect(creds.redact(`failed: ${url}`)).toBe('failed: https://example.bitrix24.com/rest/1/***/crm.deal.list.json');
    expect(creds.redact(`encoded ${encodeURIComponent(url)}`)).not.toContain(CODE);
    for (const shown of [
      String(creds),
      `${creds}`,
      JSON.stringify(creds),
      inspect(creds),
      inspect({ nested: creds }, { depth: 5 }),
      creds.redactedUrl,
    ]) {
      expect(shown).not.toContain(CODE);
      expect(shown).toContain('example.bitrix24.com');
    }
    expect(JSON.parse(JSON.stringify(creds))).toEqual({
      kind: 'webhook',
      portal: 'https://example.bitrix24.com',
      userId: 1,
      url: 'https://example.bitrix24.com/rest/1/***/',
    });
    expect(Object.values(creds).join(' ')).not.toContain(CODE);
  });

  it('follows a domain change', async () => {
    const creds = webhook(`https://old.bitrix24.com/rest/1/${CODE}/`);
    creds.moved?.('https://new.bitrix24.com/');
    expect(creds.portal).toBe('https://new.bitrix24.com');
    expect((await creds.prepare(d('profile'))).url).toBe(`https://new.bitrix24.com/rest/1/${CODE}/profile.json`);
  });
});
