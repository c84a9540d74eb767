// Feed posts: documented shapes and effects of log.blogpost.* and log.blogcomment.add.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, start } from '../helpers.js';

let em: Emulator;
beforeAll(async () => {
  em = await start();
});
afterAll(async () => {
  await em.close();
});

async function ok(method: string, params: unknown = {}): Promise<any> {
  const r = await call(em.webhookUrl, method, params);
  expect(r.body.error, JSON.stringify(r.body)).toBeUndefined();
  const example = documented(method)?.responseExample;
  if (example) expect(shapeDifferences(r.body, example, { checkTime: false })).toEqual([]);
  return r.body;
}

describe('feed posts', () => {
  it('add, get, update, share, comment, delete', async () => {
    const id = (await ok('log.blogpost.add', { POST_TITLE: 'News', POST_MESSAGE: 'Hello all', IMPORTANT: 'Y' })).result;
    expect(typeof id).toBe('number');
    const got = (await ok('log.blogpost.get', { POST_ID: id })).result;
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      ID: String(id),
      TITLE: 'News',
      DETAIL_TEXT: 'Hello all',
      AUTHOR_ID: '1',
      HAS_SOCNET_ALL: 'Y',
      UF_BLOG_POST_IMPRTNT: '1',
    });
    expect((await ok('log.blogpost.update', { POST_ID: id, POST_MESSAGE: 'Hello again' })).result).toBe(id);
    expect((await ok('log.blogpost.get', { POST_ID: id })).result[0].DETAIL_TEXT).toBe('Hello again');
    expect((await ok('log.blogpost.getusers.important', { POST_ID: id })).result).toEqual(['1']);

    const private_ = (await ok('log.blogpost.add', { POST_MESSAGE: 'Only for 3', DEST: ['U3'] })).result;
    expect((await ok('log.blogpost.get', { LOG_RIGHTS: ['UA'] })).result.map((p: any) => Number(p.ID))).not.toContain(
      private_,
    );
    expect((await ok('log.blogpost.share', { POST_ID: private_, DEST: ['UA'] })).result).toBe(true);
    expect((await ok('log.blogpost.get', { LOG_RIGHTS: ['UA'] })).result.map((p: any) => Number(p.ID))).toContain(
      private_,
    );

    const c = (await ok('log.blogcomment.add', { POST_ID: id, TEXT: 'Nice' })).result;
    expect(typeof c).toBe('number');
    expect(
      (await call(em.webhookUrl, 'log.blogcomment.add', { POST_ID: id, TEXT: 'Nice' })).body.error_description,
    ).toBe('Duplicate comment');
    expect((await ok('log.blogpost.get', { POST_ID: id })).result[0].NUM_COMMENTS).toBe('1');

    expect((await ok('log.blogpost.delete', { POST_ID: id })).result).toBe(true);
    expect((await ok('log.blogpost.get', { POST_ID: id })).result).toEqual([]);
    expect((await call(em.webhookUrl, 'log.blogpost.delete', { POST_ID: id })).body.error).toBe('100');
    expect((await call(em.webhookUrl, 'log.blogcomment.add', { POST_ID: id, TEXT: 'x' })).body.error_description).toBe(
      'No post found',
    );
  });

  it('refuses an empty message and bad recipients', async () => {
    expect((await call(em.webhookUrl, 'log.blogpost.add', { POST_MESSAGE: '' })).body.error).toBe(
      'SONET_CONTROLLER_LIVEFEED_BLOGPOST_ADD_ERROR',
    );
    expect(
      (await call(em.webhookUrl, 'log.blogpost.add', { POST_MESSAGE: 'x', DEST: ['nobody'] })).body.error_description,
    ).toBe('Wrong destinations');
  });

  it('get pages by 50 with total and next', async () => {
    for (let i = 0; i < 55; i++) await call(em.webhookUrl, 'log.blogpost.add', { POST_MESSAGE: `p${i}` });
    const first = await ok('log.blogpost.get', {});
    expect(first.result).toHaveLength(50);
    expect(first.next).toBe(50);
    expect(first.total).toBeGreaterThanOrEqual(55);
  });
});
