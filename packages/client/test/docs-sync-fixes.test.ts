// Calls that the docs sync used to get wrong (issue 9): the params come from tables under
// numbered sub-headings (vote.AttachedVote.*), an unusual heading (rpa.stage.get "Stage
// Parameters"), and a param whose table of allowed values was once taken for nested fields
// (landing.site.add `scope`). Each must type-check and reach the portal: core's param check
// refuses unknown names before sending.
// https://apidocs.bitrix24.com/api-reference/vote/vote.attachedvote.recall.html
// https://apidocs.bitrix24.com/api-reference/outdated/rpa/stage/rpa-stage-get.html
// https://apidocs.bitrix24.com/api-reference/landing/site/landing-site-add.html
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type B24Client } from '@b24kit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seen: { method: string; body: Record<string, unknown> }[] = [];
let server: Server;
let b24: B24Client;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const method = /^\/rest\/1\/code\/(.+?)\.json$/.exec(req.url ?? '')?.[1] ?? '';
      seen.push({ method, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
      const result = method === 'landing.site.add' ? 17 : method === 'rpa.stage.get' ? { stage: { id: 1 } } : true;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result, time: { start: 0, finish: 0, duration: 0 } }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  b24 = createClient({ webhook: `http://127.0.0.1:${port}/rest/1/code/`, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await new Promise((ok) => server?.close(ok));
});

describe('methods whose params the docs sync now reads right', () => {
  it('vote.AttachedVote.recall({ attachId }) is sent', async () => {
    expect(await b24.vote.AttachedVote.recall({ attachId: 1 })).toBe(true);
    expect(seen.at(-1)).toEqual({ method: 'vote.AttachedVote.recall', body: { attachId: 1 } });
    // The other ways to call it are typed too; none of the three is required on its own.
    await b24.vote.AttachedVote.recall({
      moduleId: 'blog',
      entityType: 'Bitrix\\Vote\\Attachment\\BlogPostConnector',
      entityId: 5,
    });
    expect(seen.at(-1)?.body).toMatchObject({ moduleId: 'blog', entityId: 5 });
  });

  it('rpa.stage.get({ id }) is sent', async () => {
    expect(await b24.rpa.stage.get({ id: 1 })).toEqual({ stage: { id: 1 } });
    expect(seen.at(-1)).toEqual({ method: 'rpa.stage.get', body: { id: 1 } });
  });

  it("landing.site.add({ scope: 'KNOWLEDGE', fields }) is sent", async () => {
    const id = await b24.landing.site.add({
      scope: 'KNOWLEDGE',
      fields: { TITLE: 'Base', CODE: 'base', TYPE: 'KNOWLEDGE' },
    });
    expect(id).toBe(17);
    expect(seen.at(-1)).toEqual({
      method: 'landing.site.add',
      body: { scope: 'KNOWLEDGE', fields: { TITLE: 'Base', CODE: 'base', TYPE: 'KNOWLEDGE' } },
    });
  });

  it('still refuses what the docs do not allow, before sending', async () => {
    const before = seen.length;
    await expect(
      // @ts-expect-error scope is a string, not a group of fields
      b24.landing.site.add({ scope: { KNOWLEDGE: 1 }, fields: { TITLE: 'x', CODE: 'x' } }),
    ).rejects.toThrow();
    // @ts-expect-error no such param
    await expect(b24.rpa.stage.get({ id: 1, stageId: 2 })).rejects.toThrow(/stageId/);
    expect(seen.length).toBe(before);
  });
});
