/**
 * Feed posts (scope `log`): log.blogpost.add/update/delete/get/share/getusers.important and
 * log.blogcomment.add. A post has recipients (`DEST`, access codes such as `UA` = all
 * employees, `U1`, `SG5`); log.blogpost.get filters by `LOG_RIGHTS` against them.
 */
import { isoDateTime } from '../clock.js';
import { RestError } from '../errors.js';
import { param } from '../params.js';
import { PAGE_SIZE } from '../paging.js';
import type { CallContext, Domain } from './types.js';
import { offsetAnswer, readStart } from '../paging.js';

type Row = Record<string, unknown>;

/** Recipient codes the portal understands: all employees, a user, a group, a department. */
const DEST_CODE = /^(UA|G2|U\d+|SG\d+|DR?\d+)$/;

const add = (text: string) => new RestError('SONET_CONTROLLER_LIVEFEED_BLOGPOST_ADD_ERROR', text, 400);
const upd = (text: string) => new RestError('SONET_CONTROLLER_LIVEFEED_BLOGPOST_UPDATE_ERROR', text, 400);

export const feedDomain: Domain = (api) => {
  const { portal } = api;
  const db = portal.db;
  db.exec(`
    CREATE TABLE IF NOT EXISTS feed_post (ID INTEGER PRIMARY KEY AUTOINCREMENT, AUTHOR_ID INTEGER, TITLE TEXT, DETAIL_TEXT TEXT, DATE_PUBLISH TEXT,
      DEST TEXT, IMPORTANT TEXT, IMPORTANT_DATE_END TEXT, FILES TEXT, TAGS TEXT);
    CREATE TABLE IF NOT EXISTS feed_comment (ID INTEGER PRIMARY KEY AUTOINCREMENT, POST_ID INTEGER, AUTHOR_ID INTEGER, TEXT TEXT, DATE_CREATE TEXT);
    CREATE TABLE IF NOT EXISTS feed_important_read (POST_ID INTEGER, USER_ID INTEGER, PRIMARY KEY (POST_ID, USER_ID));`);
  api.event('ONLIVEFEEDPOSTADD');

  const now = () => isoDateTime(portal.clock.now());
  const postId = (ctx: CallContext, err: (t: string) => RestError): number => {
    const n = Number(param(ctx.params, 'POST_ID'));
    if (!Number.isSafeInteger(n) || n <= 0) throw err('Wrong post ID');
    return n;
  };
  const load = (id: number) => db.prepare(`SELECT * FROM feed_post WHERE ID = ?`).get(id) as Row | undefined;
  const destOf = (raw: unknown, err: (t: string) => RestError): string[] => {
    const list = Array.isArray(raw)
      ? raw
      : typeof raw === 'string' && raw !== ''
        ? [raw]
        : raw && typeof raw === 'object'
          ? Object.values(raw)
          : [];
    const codes = list.map((c) => String(c).toUpperCase());
    for (const c of codes) if (!DEST_CODE.test(c)) throw err('Wrong destinations');
    return [...new Set(codes)];
  };
  const files = (raw: unknown) => (Array.isArray(raw) ? raw : []);
  const important = (ctx: CallContext, fallback: string) => {
    const v = param(ctx.params, 'IMPORTANT') ?? param(ctx.params, 'UF_BLOG_POST_IMPRTNT');
    if (v === undefined) return fallback;
    return v === true || v === 1 || String(v).toUpperCase() === 'Y' || v === '1' ? 'Y' : 'N';
  };
  /** The author sees their own post; the author of an important post has read it. */
  const authorOf = (ctx: CallContext) => {
    const u = Number(param(ctx.params, 'USER_ID'));
    return Number.isSafeInteger(u) && u > 0 ? u : ctx.auth.userId;
  };

  api.method({
    name: 'log.blogpost.add',
    scope: 'log',
    handler: (ctx) => {
      const text = param(ctx.params, 'POST_MESSAGE');
      if (text === undefined || text === null || String(text).trim() === '')
        throw add("Blog post hasn't been added: POST_MESSAGE is empty");
      const destRaw = param(ctx.params, 'DEST') ?? param(ctx.params, 'SPERM');
      const dest = destRaw === undefined ? ['UA'] : destOf(destRaw, add);
      if (!dest.length) throw add('No destination specified');
      const author = authorOf(ctx);
      const id = Number(
        db
          .prepare(
            `INSERT INTO feed_post (AUTHOR_ID, TITLE, DETAIL_TEXT, DATE_PUBLISH, DEST, IMPORTANT, IMPORTANT_DATE_END, FILES, TAGS) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            author,
            String(param(ctx.params, 'POST_TITLE') ?? ''),
            String(text),
            now(),
            JSON.stringify(dest),
            important(ctx, 'N'),
            (param(ctx.params, 'IMPORTANT_DATE_END') as string | undefined) ?? null,
            JSON.stringify(files(param(ctx.params, 'FILES'))),
            String(param(ctx.params, 'TAGS') ?? ''),
          ).lastInsertRowid,
      );
      if (important(ctx, 'N') === 'Y')
        db.prepare(`INSERT OR IGNORE INTO feed_important_read (POST_ID, USER_ID) VALUES (?, ?)`).run(id, author);
      portal.raiseEvent('ONLIVEFEEDPOSTADD', { FIELDS: { ID: id, POST_ID: id } }, ctx.auth);
      return { result: id };
    },
  });

  api.method({
    name: 'log.blogpost.update',
    scope: 'log',
    handler: (ctx) => {
      const id = postId(ctx, upd);
      const row = load(id);
      if (!row) throw upd('No post found');
      if (Number(row['AUTHOR_ID']) !== ctx.auth.userId && ctx.auth.userId !== 1) throw upd('No write perms');
      const text = param(ctx.params, 'POST_MESSAGE');
      if (text !== undefined && String(text).trim() === '')
        throw new RestError('EMPTY_TITLE', 'Message text is not specified.', 400);
      const destRaw = param(ctx.params, 'DEST') ?? param(ctx.params, 'SPERM');
      const title = param(ctx.params, 'POST_TITLE');
      const filesRaw = param(ctx.params, 'FILES');
      db.prepare(
        `UPDATE feed_post SET TITLE = ?, DETAIL_TEXT = ?, DEST = ?, IMPORTANT = ?, FILES = ? WHERE ID = ?`,
      ).run(
        title === undefined ? row['TITLE'] : String(title),
        text === undefined ? row['DETAIL_TEXT'] : String(text),
        destRaw === undefined ? row['DEST'] : JSON.stringify(destOf(destRaw, upd)),
        important(ctx, String(row['IMPORTANT'])),
        filesRaw === undefined ? row['FILES'] : JSON.stringify(files(filesRaw)),
        id,
      );
      return { result: id };
    },
  });

  api.method({
    name: 'log.blogpost.delete',
    scope: 'log',
    handler: (ctx) => {
      const id = postId(ctx, (t) => new RestError('100', t, 400));
      const row = load(id);
      if (!row) throw new RestError('100', 'Wrong post ID', 400);
      if (Number(row['AUTHOR_ID']) !== ctx.auth.userId && ctx.auth.userId !== 1)
        throw new RestError('403', 'You do not have permission to delete this message', 400);
      db.prepare(`DELETE FROM feed_post WHERE ID = ?`).run(id);
      db.prepare(`DELETE FROM feed_comment WHERE POST_ID = ?`).run(id);
      db.prepare(`DELETE FROM feed_important_read WHERE POST_ID = ?`).run(id);
      return { result: true };
    },
  });

  api.method({
    name: 'log.blogpost.share',
    scope: 'log',
    handler: (ctx) => {
      const err = (t: string) => new RestError('', t, 400);
      const id = postId(ctx, err);
      const row = load(id);
      if (!row) throw err('Wrong post ID');
      const dest = destOf(param(ctx.params, 'DEST'), err);
      if (!dest.length) throw err('Wrong destinations');
      const merged = [...new Set([...(JSON.parse(String(row['DEST'])) as string[]), ...dest])];
      db.prepare(`UPDATE feed_post SET DEST = ? WHERE ID = ?`).run(JSON.stringify(merged), id);
      return { result: true };
    },
  });

  api.method({
    name: 'log.blogpost.getusers.important',
    scope: 'log',
    handler: (ctx) => {
      const err = (t: string) => new RestError('', t, 400);
      const id = postId(ctx, err);
      if (!load(id)) throw err('Wrong post ID');
      const rows = db.prepare(`SELECT USER_ID FROM feed_important_read WHERE POST_ID = ? ORDER BY USER_ID`).all(id) as {
        USER_ID: number;
      }[];
      return { result: rows.map((r) => String(r.USER_ID)) };
    },
  });

  api.method({
    name: 'log.blogpost.get',
    scope: 'log',
    handler: (ctx) => {
      const where: string[] = ['1'];
      const args: unknown[] = [];
      const id = param(ctx.params, 'POST_ID');
      if (id !== undefined && id !== null && id !== '') {
        where.push('ID = ?');
        args.push(Number(id));
      }
      const rights = param(ctx.params, 'LOG_RIGHTS');
      if (rights !== undefined && rights !== null && rights !== '') {
        const codes = (Array.isArray(rights) ? rights : [rights]).map((c) => String(c).toUpperCase());
        where.push(`EXISTS (SELECT 1 FROM json_each(DEST) WHERE value IN (${codes.map(() => '?').join(',')}))`);
        args.push(...codes);
      }
      const from = param(ctx.params, 'LOG_DATE_FROM');
      const to = param(ctx.params, 'LOG_DATE_TO');
      if (typeof from === 'string' && from) {
        where.push('DATE_PUBLISH >= ?');
        args.push(isoDateTime(Date.parse(from)));
      }
      if (typeof to === 'string' && to) {
        where.push('DATE_PUBLISH <= ?');
        args.push(isoDateTime(Date.parse(to)));
      }
      const first = Number(param(ctx.params, 'FIRST_ID'));
      if (Number.isSafeInteger(first) && first > 0) {
        where.push('ID > ?');
        args.push(first);
      }
      const last = Number(param(ctx.params, 'LAST_ID'));
      if (Number.isSafeInteger(last) && last > 0) {
        where.push('ID < ?');
        args.push(last);
      }
      const limitRaw = Number(param(ctx.params, 'LIMIT'));
      const limit = Number.isSafeInteger(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, PAGE_SIZE) : PAGE_SIZE;
      const page = readStart(ctx, 'start', limit);
      const sql = where.join(' AND ');
      const rows = db
        .prepare(`SELECT * FROM feed_post WHERE ${sql} ORDER BY ID DESC LIMIT ${page.limit} OFFSET ${page.offset}`)
        .all(...args) as Row[];
      const count = () =>
        (db.prepare(`SELECT COUNT(*) AS c FROM feed_post WHERE ${sql}`).get(...args) as { c: number }).c;
      const result = rows.map((r) =>
        postWire(
          r,
          (db.prepare(`SELECT COUNT(*) AS c FROM feed_comment WHERE POST_ID = ?`).get(r['ID']) as { c: number }).c,
        ),
      );
      return offsetAnswer(ctx, page, result, count);
    },
  });

  api.method({
    name: 'log.blogcomment.add',
    scope: 'log',
    handler: (ctx) => {
      const err = (t: string) => new RestError('', t, 400);
      const id = postId(ctx, err);
      if (!load(id)) throw err('No post found');
      const text = param(ctx.params, 'TEXT');
      if (text === undefined || text === null || String(text).trim() === '')
        throw err("Blog comment hasn't been added");
      const author = authorOf(ctx);
      // The portal refuses the same text twice in a row from the same author.
      const lastOne = db
        .prepare(`SELECT TEXT, AUTHOR_ID FROM feed_comment WHERE POST_ID = ? ORDER BY ID DESC LIMIT 1`)
        .get(id) as Row | undefined;
      if (lastOne && lastOne['TEXT'] === String(text) && Number(lastOne['AUTHOR_ID']) === author)
        throw err('Duplicate comment');
      const cid = db
        .prepare(`INSERT INTO feed_comment (POST_ID, AUTHOR_ID, TEXT, DATE_CREATE) VALUES (?, ?, ?, ?)`)
        .run(id, author, String(text), now()).lastInsertRowid;
      return { result: Number(cid) };
    },
  });
};

function postWire(r: Row, comments: number): Row {
  const dest = JSON.parse(String(r['DEST'] ?? '[]')) as string[];
  const title = String(r['TITLE'] ?? '');
  const files = JSON.parse(String(r['FILES'] ?? '[]')) as unknown[];
  return {
    ID: String(r['ID']),
    BLOG_ID: '1',
    PUBLISH_STATUS: 'P',
    TITLE: title || String(r['DETAIL_TEXT']).slice(0, 50),
    AUTHOR_ID: String(r['AUTHOR_ID']),
    ENABLE_COMMENTS: 'Y',
    NUM_COMMENTS: String(comments),
    CODE: null,
    MICRO: title ? 'N' : 'Y',
    DETAIL_TEXT: r['DETAIL_TEXT'],
    DATE_PUBLISH: r['DATE_PUBLISH'],
    CATEGORY_ID: r['TAGS'] ? String(r['TAGS']) : null,
    HAS_SOCNET_ALL: dest.includes('UA') ? 'Y' : 'N',
    HAS_TAGS: r['TAGS'] ? 'Y' : 'N',
    HAS_IMAGES: 'N',
    HAS_PROPS: 'Y',
    HAS_COMMENT_IMAGES: 'N',
    UF_BLOG_POST_IMPRTNT: r['IMPORTANT'] === 'Y' ? '1' : '0',
    UF_IMPRTANT_DATE_END: r['IMPORTANT_DATE_END'] ?? null,
    UF_BLOG_POST_FILE: false,
    FILES: files,
  };
}
