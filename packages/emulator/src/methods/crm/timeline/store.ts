/**
 * The timeline store: timeline records (comments and log messages share one id sequence, as
 * timeline entries do on a portal), their bindings to CRM items (the first one is the record's
 * owner; more are added by crm.timeline.bindings.bind), pins per item timeline, notes, and the
 * content-block sets applications attach to records; the wire shapes of comments and log
 * messages; and every SQL statement of the timeline. Method handlers live in ./methods.ts.
 *
 * Entity types by name, as crm.timeline.comment.* and crm.timeline.bindings.* take them
 * (https://apidocs.bitrix24.com/api-reference/crm/timeline/comments/crm-timeline-comment-add.html):
 * lead, deal, contact, company, quote, order, smart_invoice and dynamic_<entityTypeId>.
 */
import { isoDateTime } from '../../../clock.js';
import type { SqlPart } from '../../listQuery.js';
import type { AuthContext, Portal } from '../../types.js';

export type Row = Record<string, unknown>;

const TYPE_IDS: Readonly<Record<string, number>> = {
  lead: 1,
  deal: 2,
  contact: 3,
  company: 4,
  quote: 7,
  order: 14,
  smart_invoice: 31,
};

/** `deal` → 2, `dynamic_1046` → 1046; undefined for a name that is no CRM type. */
export function entityTypeIdOf(name: unknown): number | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = name.trim().toLowerCase();
  const known = TYPE_IDS[lower];
  if (known !== undefined) return known;
  const dyn = /^dynamic_(\d{1,9})$/.exec(lower);
  return dyn ? Number(dyn[1]) : undefined;
}

/** 2 → `deal`, 1046 → `dynamic_1046`. */
export function entityTypeNameOf(id: number): string {
  return Object.entries(TYPE_IDS).find(([, v]) => v === id)?.[0] ?? `dynamic_${id}`;
}

export interface TimelineRecord {
  ID: number;
  KIND: 'comment' | 'logmessage';
  CREATED: string;
  AUTHOR_ID: number;
  TEXT: string;
  TITLE: string | null;
  ICON_CODE: string | null;
  /** Stored file ids (JSON list). */
  FILES: string;
  /** The application that made the record ('' for a webhook). */
  CLIENT_ID: string;
}

export interface Binding {
  RECORD_ID: number;
  ENTITY_TYPE_ID: number;
  ENTITY_ID: number;
  IS_FIXED: number;
  SORT: number;
}

export interface Note {
  TEXT: string;
  CREATED_BY: number;
  CREATED_TIME: string;
  UPDATED_BY: number;
  UPDATED_TIME: string;
}

export class TimelineStore {
  constructor(readonly portal: Portal) {
    portal.db.exec(`
      CREATE TABLE IF NOT EXISTS crm_timeline (ID INTEGER PRIMARY KEY AUTOINCREMENT, KIND TEXT NOT NULL, CREATED TEXT NOT NULL,
        AUTHOR_ID INTEGER NOT NULL, TEXT TEXT NOT NULL DEFAULT '', TITLE TEXT, ICON_CODE TEXT, FILES TEXT NOT NULL DEFAULT '[]',
        CLIENT_ID TEXT NOT NULL DEFAULT '');
      CREATE TABLE IF NOT EXISTS crm_timeline_binding (RECORD_ID INTEGER NOT NULL, ENTITY_TYPE_ID INTEGER NOT NULL, ENTITY_ID INTEGER NOT NULL,
        IS_FIXED INTEGER NOT NULL DEFAULT 0, SORT INTEGER NOT NULL, PRIMARY KEY (RECORD_ID, ENTITY_TYPE_ID, ENTITY_ID));
      CREATE INDEX IF NOT EXISTS crm_timeline_binding_owner ON crm_timeline_binding (ENTITY_TYPE_ID, ENTITY_ID);
      CREATE TABLE IF NOT EXISTS crm_timeline_note (ITEM_TYPE INTEGER NOT NULL, ITEM_ID INTEGER NOT NULL, TEXT TEXT NOT NULL,
        CREATED_BY INTEGER NOT NULL, CREATED_TIME TEXT NOT NULL, UPDATED_BY INTEGER NOT NULL, UPDATED_TIME TEXT NOT NULL,
        PRIMARY KEY (ITEM_TYPE, ITEM_ID));
      CREATE TABLE IF NOT EXISTS crm_timeline_layout (RECORD_ID INTEGER NOT NULL, APP TEXT NOT NULL, LAYOUT TEXT NOT NULL,
        PRIMARY KEY (RECORD_ID, APP));
    `);
  }

  private get db() {
    return this.portal.db;
  }

  now(): string {
    return isoDateTime(this.portal.clock.now());
  }

  // ---- records ----

  add(
    kind: TimelineRecord['KIND'],
    owner: { typeId: number; id: number },
    fields: { text: string; title?: string; iconCode?: string; files?: number[] },
    auth: AuthContext,
  ): number {
    const db = this.db;
    return db.transaction(() => {
      const id = Number(
        db
          .prepare(
            'INSERT INTO crm_timeline (KIND, CREATED, AUTHOR_ID, TEXT, TITLE, ICON_CODE, FILES, CLIENT_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            kind,
            this.now(),
            auth.userId,
            fields.text,
            fields.title ?? null,
            fields.iconCode ?? null,
            JSON.stringify(fields.files ?? []),
            auth.clientId ?? '',
          ).lastInsertRowid,
      );
      this.bind(id, owner.typeId, owner.id);
      return id;
    })();
  }

  get(id: number, kind?: TimelineRecord['KIND']): TimelineRecord | undefined {
    const row = this.db.prepare('SELECT * FROM crm_timeline WHERE ID = ?').get(id) as TimelineRecord | undefined;
    return row && (!kind || row.KIND === kind) ? row : undefined;
  }

  update(id: number, text: string, files: number[] | undefined): void {
    if (files === undefined) this.db.prepare('UPDATE crm_timeline SET TEXT = ? WHERE ID = ?').run(text, id);
    else
      this.db.prepare('UPDATE crm_timeline SET TEXT = ?, FILES = ? WHERE ID = ?').run(text, JSON.stringify(files), id);
  }

  /** A record goes with its bindings, notes and content blocks. */
  delete(id: number): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare('DELETE FROM crm_timeline WHERE ID = ?').run(id);
      db.prepare('DELETE FROM crm_timeline_binding WHERE RECORD_ID = ?').run(id);
      db.prepare('DELETE FROM crm_timeline_note WHERE ITEM_TYPE = 1 AND ITEM_ID = ?').run(id);
      db.prepare('DELETE FROM crm_timeline_layout WHERE RECORD_ID = ?').run(id);
    })();
  }

  /** Records of one kind bound to an item (optionally of one author), one page, ordered. */
  list(
    kind: TimelineRecord['KIND'],
    owner: { typeId: number; id: number },
    extra: SqlPart,
    order: string,
    limit: number,
    offset: number,
  ): TimelineRecord[] {
    return this.db
      .prepare(
        `SELECT t.* FROM crm_timeline t JOIN crm_timeline_binding b ON b.RECORD_ID = t.ID
         WHERE t.KIND = ? AND b.ENTITY_TYPE_ID = ? AND b.ENTITY_ID = ? AND (${extra.sql}) ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(kind, owner.typeId, owner.id, ...extra.args, limit, offset) as TimelineRecord[];
  }

  count(kind: TimelineRecord['KIND'], owner: { typeId: number; id: number }, extra: SqlPart): number {
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS c FROM crm_timeline t JOIN crm_timeline_binding b ON b.RECORD_ID = t.ID
           WHERE t.KIND = ? AND b.ENTITY_TYPE_ID = ? AND b.ENTITY_ID = ? AND (${extra.sql})`,
        )
        .get(kind, owner.typeId, owner.id, ...extra.args) as { c: number }
    ).c;
  }

  // ---- bindings ----

  bindings(recordId: number): Binding[] {
    return this.db
      .prepare('SELECT * FROM crm_timeline_binding WHERE RECORD_ID = ? ORDER BY SORT')
      .all(recordId) as Binding[];
  }

  binding(recordId: number, typeId: number, entityId: number): Binding | undefined {
    return this.db
      .prepare('SELECT * FROM crm_timeline_binding WHERE RECORD_ID = ? AND ENTITY_TYPE_ID = ? AND ENTITY_ID = ?')
      .get(recordId, typeId, entityId) as Binding | undefined;
  }

  /** Adds a binding (a second bind of the same pair changes nothing). */
  bind(recordId: number, typeId: number, entityId: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO crm_timeline_binding (RECORD_ID, ENTITY_TYPE_ID, ENTITY_ID, SORT)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(SORT), 0) + 1 FROM crm_timeline_binding WHERE RECORD_ID = ?))`,
      )
      .run(recordId, typeId, entityId, recordId);
  }

  unbind(recordId: number, typeId: number, entityId: number): boolean {
    return (
      this.db
        .prepare('DELETE FROM crm_timeline_binding WHERE RECORD_ID = ? AND ENTITY_TYPE_ID = ? AND ENTITY_ID = ?')
        .run(recordId, typeId, entityId).changes > 0
    );
  }

  /** Pinned records in an item's timeline. */
  pinnedCount(typeId: number, entityId: number): number {
    return (
      this.db
        .prepare(
          'SELECT COUNT(*) AS c FROM crm_timeline_binding WHERE ENTITY_TYPE_ID = ? AND ENTITY_ID = ? AND IS_FIXED = 1',
        )
        .get(typeId, entityId) as { c: number }
    ).c;
  }

  setPinned(recordId: number, typeId: number, entityId: number, pinned: boolean): void {
    this.db
      .prepare(
        'UPDATE crm_timeline_binding SET IS_FIXED = ? WHERE RECORD_ID = ? AND ENTITY_TYPE_ID = ? AND ENTITY_ID = ?',
      )
      .run(pinned ? 1 : 0, recordId, typeId, entityId);
  }

  // ---- notes ----

  note(itemType: number, itemId: number): Note | undefined {
    return this.db
      .prepare(
        'SELECT TEXT, CREATED_BY, CREATED_TIME, UPDATED_BY, UPDATED_TIME FROM crm_timeline_note WHERE ITEM_TYPE = ? AND ITEM_ID = ?',
      )
      .get(itemType, itemId) as Note | undefined;
  }

  saveNote(itemType: number, itemId: number, text: string, userId: number): void {
    const t = this.now();
    this.db
      .prepare(
        `INSERT INTO crm_timeline_note (ITEM_TYPE, ITEM_ID, TEXT, CREATED_BY, CREATED_TIME, UPDATED_BY, UPDATED_TIME) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ITEM_TYPE, ITEM_ID) DO UPDATE SET TEXT = excluded.TEXT, UPDATED_BY = excluded.UPDATED_BY, UPDATED_TIME = excluded.UPDATED_TIME`,
      )
      .run(itemType, itemId, text, userId, t, userId, t);
  }

  deleteNote(itemType: number, itemId: number): boolean {
    return (
      this.db.prepare('DELETE FROM crm_timeline_note WHERE ITEM_TYPE = ? AND ITEM_ID = ?').run(itemType, itemId)
        .changes > 0
    );
  }

  // ---- content blocks, one set per record and application ----

  layout(recordId: number, app: string): unknown {
    const row = this.db
      .prepare('SELECT LAYOUT FROM crm_timeline_layout WHERE RECORD_ID = ? AND APP = ?')
      .get(recordId, app) as { LAYOUT: string } | undefined;
    return row ? (JSON.parse(row.LAYOUT) as unknown) : undefined;
  }

  setLayout(recordId: number, app: string, layout: unknown): void {
    this.db
      .prepare(
        'INSERT INTO crm_timeline_layout (RECORD_ID, APP, LAYOUT) VALUES (?, ?, ?) ON CONFLICT (RECORD_ID, APP) DO UPDATE SET LAYOUT = excluded.LAYOUT',
      )
      .run(recordId, app, JSON.stringify(layout));
  }

  deleteLayout(recordId: number, app: string): boolean {
    return (
      this.db.prepare('DELETE FROM crm_timeline_layout WHERE RECORD_ID = ? AND APP = ?').run(recordId, app).changes > 0
    );
  }

  // ---- wire ----

  /** A comment as crm.timeline.comment.get shows it: its owner is its first binding. */
  commentWire(r: TimelineRecord, auth: AuthContext): Row {
    const owner = this.bindings(r.ID)[0];
    const files: Row = {};
    for (const fileId of JSON.parse(r.FILES) as number[]) {
      const f = this.portal.readFile(fileId);
      if (!f) continue;
      const url = this.portal.downloadUrl(fileId, auth);
      files[String(fileId)] = {
        id: fileId,
        date: r.CREATED,
        type: f.type.startsWith('image/') ? 'image' : 'file',
        name: f.name,
        size: f.bytes.length,
        authorId: r.AUTHOR_ID,
        authorName: '',
        urlPreview: url,
        urlShow: url,
        urlDownload: url,
      };
    }
    return {
      ID: String(r.ID),
      ENTITY_ID: String(owner?.ENTITY_ID ?? ''),
      ENTITY_TYPE: owner ? entityTypeNameOf(owner.ENTITY_TYPE_ID) : '',
      CREATED: r.CREATED,
      COMMENT: r.TEXT,
      AUTHOR_ID: String(r.AUTHOR_ID),
      FILES: files,
    };
  }

  logMessageWire(r: TimelineRecord): Row {
    return {
      id: r.ID,
      created: r.CREATED,
      authorId: r.AUTHOR_ID,
      title: r.TITLE ?? '',
      text: r.TEXT,
      iconCode: r.ICON_CODE ?? '',
    };
  }
}
