/** OPI region FeedPostsManagement: feed posts, their recipients and comments. */
import { createClient, type B24Client } from '@b24kit/client';
import { startEmulator, type Emulator } from '@b24kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let em: Emulator;
let b24: B24Client;
beforeAll(async () => {
  em = await startEmulator({ plan: 'unlimited' });
  b24 = createClient({ webhook: em.webhookUrl, retry: false });
});
afterAll(async () => {
  await b24?.close();
  await em?.close();
});

const post = async (text: string, extra: Record<string, unknown> = {}) =>
  b24.log.blogpost.add({ POST_MESSAGE: text, DEST: ['UA'], ...extra });
const byId = async (id: number) => (await b24.log.blogpost.get({ POST_ID: id }))[0];

describe('OPI FeedPostsManagement', () => {
  it('CreatePost → log.blogpost.add', async () => {
    // Important=false and an empty title are sent (OPI dropped such values).
    const id = await post('Quarterly results', { POST_TITLE: '', IMPORTANT: 'N' });
    expect(await byId(id)).toMatchObject({
      ID: String(id),
      DETAIL_TEXT: 'Quarterly results',
      UF_BLOG_POST_IMPRTNT: '0',
      MICRO: 'Y',
    });
  });

  it('UpdatePost → log.blogpost.update', async () => {
    const id = await post('Draft');
    expect(await b24.log.blogpost.update({ POST_ID: id, POST_MESSAGE: 'Final text', POST_TITLE: 'Title' })).toBe(id);
    expect(await byId(id)).toMatchObject({ DETAIL_TEXT: 'Final text', TITLE: 'Title' });
  });

  it('DeletePost → log.blogpost.delete', async () => {
    const id = await post('Oops');
    expect(await b24.log.blogpost.delete({ POST_ID: id })).toBe(true);
    expect(await b24.log.blogpost.get({ POST_ID: id })).toEqual([]);
  });

  it('GetImportantPostViewers → log.blogpost.getusers.important', async () => {
    const id = await post('Read this', { IMPORTANT: 'Y' });
    // The author has read their own important post.
    expect(await b24.log.blogpost.getusers.important({ POST_ID: id })).toEqual(['1']);
  });

  it('GetPosts → log.blogpost.get', async () => {
    const open = await post('For everyone');
    const closed = await b24.log.blogpost.add({ POST_MESSAGE: 'Only user 5', DEST: ['U5'] });
    const ids = (await b24.log.blogpost.get({ LOG_RIGHTS: ['UA'] })).map((p) => Number(p.ID));
    expect(ids).toContain(open);
    expect(ids).not.toContain(closed);
  });

  it('AddPostComment → log.blogcomment.add', async () => {
    const id = await post('Discuss');
    expect(await b24.log.blogcomment.add({ POST_ID: id, TEXT: 'Agreed' })).toBeGreaterThan(0);
    expect((await byId(id))?.NUM_COMMENTS).toBe('1');
  });

  it('AddPostRecipients → log.blogpost.share', async () => {
    const id = await b24.log.blogpost.add({ POST_MESSAGE: 'Small circle', DEST: ['U2'] });
    expect(await b24.log.blogpost.share({ POST_ID: id, DEST: ['UA'] })).toBe(true);
    expect((await b24.log.blogpost.get({ LOG_RIGHTS: ['UA'] })).map((p) => Number(p.ID))).toContain(id);
  });
});
