/**
 * crm.timeline.*: comments, log messages, bindings of records to CRM items, pins, notes and
 * the content-block sets of applications, over the timeline store (./store.ts). Errors and
 * shapes follow the method pages under https://apidocs.bitrix24.com/api-reference/crm/timeline/.
 * Icons and logos (crm.timeline.icon.*, crm.timeline.logo.*) stay on the generic tables.
 *
 * Where the docs are silent, assumed here: a note can be read, saved and deleted on any record
 * the item's timeline shows (itemType 1) or on the item itself (itemType 2, the docs' "deal");
 * a second bind of the same pair answers true and changes nothing; the last binding of a record
 * can be removed (the record then shows in no timeline).
 */
import { RestError } from '../../../errors.js';
import { decodeInlineFile } from '../../../files.js';
import { offsetAnswer, readStart } from '../../../paging.js';
import { param, type Params } from '../../../params.js';
import { conform } from '../../../schema/conform.js';
import { schemaTable, type SchemaMethod } from '../../../schema/table.js';
import { missingParamError } from '../../../schema/validate.js';
import { isObject, toInt, toPositiveInt } from '../../../wire.js';
import type { SqlPart } from '../../listQuery.js';
import type { CallContext, DomainApi, MethodResult } from '../../types.js';
import { entityTypeIdOf, entityTypeNameOf, type Row, type TimelineRecord, type TimelineStore } from './store.js';

/** Does the CRM item exist? (entityTypeId, id) */
export type OwnerCheck = (entityTypeId: number, id: number) => boolean;

const empty = (text: string) => new RestError('', text, 400);
const notFound = (text = 'Element not found') => new RestError('NOT_FOUND', text, 400);
const ownerNotFound = () => new RestError('OWNER_NOT_FOUND', 'Owner of the item not found', 400);
/** Only three records can be pinned in one timeline (crm.timeline.item.pin, error 0). */
const MAX_PINNED = 3;
const NO_FILTER: SqlPart = { sql: '1 = 1', args: [] };

export function registerTimelineMethods(api: DomainApi, store: TimelineStore, ownerExists: OwnerCheck): void {
  const { portal } = api;
  const schema = new Map(schemaTable().methods.map((m) => [m.name.toLowerCase(), m]));
  const schemaOf = (name: string): SchemaMethod | undefined => schema.get(name.toLowerCase());
  /** `checksApp`: the handler refuses a webhook itself (with its page's error), so the
   * dispatcher's app-only refusal (WRONG_AUTH_TYPE) is not asked for. */
  const m = (name: string, handler: (ctx: CallContext) => MethodResult, checksApp = false) => {
    const s = schemaOf(name);
    api.method({
      name,
      scope: s?.scope ?? 'crm',
      handler,
      ...(s?.appOnly && !checksApp ? { appOnly: true } : {}),
      ...(s && !s.batchable ? { batchable: false } : {}),
    });
  };
  for (const ev of ['ONCRMTIMELINECOMMENTADD', 'ONCRMTIMELINECOMMENTUPDATE', 'ONCRMTIMELINECOMMENTDELETE'])
    api.event(ev);
  /** The comment events carry the id alone (on-crm-timeline-comment-add.html). */
  const raise = (ctx: CallContext, what: 'ADD' | 'UPDATE' | 'DELETE', id: number) =>
    portal.raiseEvent(`ONCRMTIMELINECOMMENT${what}`, { ID: String(id) }, ctx.auth);

  /** A required top-level param, with the error the schema layer gives for it. */
  const required = (ctx: CallContext, name: string): unknown => {
    const v = param(ctx.params, name);
    if (v === undefined || v === null || v === '') {
      const s = schemaOf(ctx.method);
      throw s ? missingParamError(s, name) : new RestError('100', `Could not find value for parameter {${name}}`, 400);
    }
    return v;
  };
  const requiredInt = (ctx: CallContext, name: string): number => {
    const n = toInt(required(ctx, name));
    if (n === undefined)
      throw new RestError(
        '100',
        `Invalid value {${String(param(ctx.params, name))}} to match with parameter {${name}}`,
        400,
      );
    return n;
  };
  const fieldsOf = (ctx: CallContext): Params => {
    const f = required(ctx, 'fields');
    if (!isObject(f)) throw new RestError('100', 'Invalid value to match with parameter {fields}', 400);
    return f;
  };
  /** The documented answer of a method that describes fields (crm.timeline.*.fields). */
  const documented = (name: string) => () => {
    const s = schemaOf(name);
    return {
      result: s && 'example' in s ? conform(s.example, s.result, (t) => schemaTable().resolve(s.domain, t)) : {},
    };
  };
  /** Files of a comment ([name, base64] or a list of them), stored; undefined when not given. */
  const filesOf = (raw: unknown): number[] | undefined => {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const list =
      Array.isArray(raw) && Array.isArray(raw[0]) ? raw : Array.isArray(raw) ? [raw] : Object.values(raw as Row);
    return list.map((item) => {
      const file = decodeInlineFile(item);
      if (!file) throw new RestError('INVALID_ARG_VALUE', 'FILES must be a list of [name, base64 content]', 400);
      return portal.saveFile(file.name, file.bytes, file.type);
    });
  };
  const ownerOf = (typeId: number, id: number) => {
    if (!ownerExists(typeId, id)) throw ownerNotFound();
    return { typeId, id };
  };

  // ---- comments (https://apidocs.bitrix24.com/api-reference/crm/timeline/comments/) ----
  const commentOf = (ctx: CallContext): TimelineRecord => {
    const id = toPositiveInt(param(ctx.params, 'id'));
    if (id === undefined) {
      required(ctx, 'id');
      throw empty('ID is not defined or invalid.');
    }
    const r = store.get(id, 'comment');
    if (!r) throw ctx.method.endsWith('.get') ? empty('Not found.') : notFound();
    return r;
  };
  const commentText = (raw: unknown): string => {
    if (raw === undefined || raw === null || String(raw).trim() === '')
      throw new RestError('INVALID_ARG_VALUE', 'Empty comment', 400);
    return String(raw);
  };
  m('crm.timeline.comment.fields', documented('crm.timeline.comment.fields'));
  m('crm.timeline.comment.add', (ctx) => {
    const f = fieldsOf(ctx);
    const entityId = toPositiveInt(param(f, 'ENTITY_ID'));
    const typeId = entityTypeIdOf(param(f, 'ENTITY_TYPE'));
    if (entityId === undefined || typeId === undefined) throw ownerNotFound();
    const owner = ownerOf(typeId, entityId);
    const text = commentText(param(f, 'COMMENT'));
    const files = filesOf(param(f, 'FILES'));
    const id = store.add('comment', owner, { text, ...(files ? { files } : {}) }, ctx.auth);
    raise(ctx, 'ADD', id);
    return { result: id };
  });
  m('crm.timeline.comment.get', (ctx) => ({ result: store.commentWire(commentOf(ctx), ctx.auth) }));
  m('crm.timeline.comment.update', (ctx) => {
    const f = fieldsOf(ctx);
    const r = commentOf(ctx);
    const text = param(f, 'COMMENT') === undefined ? r.TEXT : commentText(param(f, 'COMMENT'));
    store.update(r.ID, text, filesOf(param(f, 'FILES')));
    raise(ctx, 'UPDATE', r.ID);
    return { result: r.ID };
  });
  m('crm.timeline.comment.delete', (ctx) => {
    const r = commentOf(ctx);
    const bindings = store.bindings(r.ID);
    const ownerTypeId = toPositiveInt(param(ctx.params, 'ownerTypeId'));
    const ownerId = toPositiveInt(param(ctx.params, 'ownerId'));
    if (bindings.length > 1) {
      // Bound to several items: the comment leaves the named item's timeline only.
      if (ownerTypeId === undefined || ownerId === undefined)
        throw new RestError('MULTIPLE_BINDINGS', 'Element has bindings to multiple entities', 400);
      if (!store.unbind(r.ID, ownerTypeId, ownerId)) throw ownerNotFound();
      return { result: null };
    }
    store.delete(r.ID);
    raise(ctx, 'DELETE', r.ID);
    return { result: null };
  });
  m('crm.timeline.comment.list', (ctx) => {
    const filter = param(ctx.params, 'filter');
    const f = isObject(filter) ? filter : {};
    const entityId = toPositiveInt(param(f, 'ENTITY_ID'));
    const typeId = entityTypeIdOf(param(f, 'ENTITY_TYPE'));
    // The filter works on two mandatory fields (crm-timeline-comment-list.html).
    if (entityId === undefined || typeId === undefined) throw empty('Access denied');
    const parts: SqlPart[] = [];
    for (const [k, col] of [
      ['ID', 't.ID'],
      ['AUTHOR_ID', 't.AUTHOR_ID'],
    ] as const) {
      const v = toInt(param(f, k));
      if (v !== undefined) parts.push({ sql: `${col} = ?`, args: [v] });
    }
    const extra = parts.length
      ? { sql: parts.map((p) => p.sql).join(' AND '), args: parts.flatMap((p) => p.args) }
      : NO_FILTER;
    const order = orderOf(
      param(ctx.params, 'order'),
      { ID: 't.ID', CREATED: 't.CREATED', AUTHOR_ID: 't.AUTHOR_ID' },
      'ASC',
    );
    const select = param(ctx.params, 'select');
    const wanted =
      Array.isArray(select) && select.length && !select.includes('*')
        ? new Set(select.map((s) => String(s).toUpperCase()))
        : undefined;
    const page = readStart(ctx);
    const owner = { typeId, id: entityId };
    const rows = store.list('comment', owner, extra, order, page.limit, page.offset).map((r) => {
      const w = store.commentWire(r, ctx.auth);
      return wanted ? Object.fromEntries(Object.entries(w).filter(([k]) => k === 'ID' || wanted.has(k))) : w;
    });
    return offsetAnswer(ctx, page, rows, () => store.count('comment', owner, extra));
  });

  // ---- log messages (https://apidocs.bitrix24.com/api-reference/crm/timeline/logmessage/) ----
  const logMessageOf = (ctx: CallContext): TimelineRecord => {
    const r = store.get(requiredInt(ctx, 'id'), 'logmessage');
    if (!r) throw notFound('The timeline entry with the specified id does not exist');
    return r;
  };
  m('crm.timeline.logmessage.add', (ctx) => {
    const f = fieldsOf(ctx);
    const need = (name: string) => {
      const v = param(f, name);
      if (v === undefined || v === null || v === '')
        throw new RestError('100', 'Required fields are not provided', 400);
      return v;
    };
    const typeId = toPositiveInt(need('entityTypeId'));
    const entityId = toPositiveInt(need('entityId'));
    const title = String(need('title'));
    const text = String(need('text'));
    const iconCode = String(need('iconCode'));
    if (typeId === undefined || entityId === undefined || !ownerExists(typeId, entityId))
      throw new RestError(
        'OWNER_NOT_FOUND',
        'The CRM object with the specified entityTypeId and entityId does not exist',
        400,
      );
    const id = store.add('logmessage', { typeId, id: entityId }, { text, title, iconCode }, ctx.auth);
    return { result: { logMessage: store.logMessageWire(store.get(id)!) } };
  });
  m('crm.timeline.logmessage.get', (ctx) => ({ result: { logMessage: store.logMessageWire(logMessageOf(ctx)) } }));
  m('crm.timeline.logmessage.delete', (ctx) => {
    const r = logMessageOf(ctx);
    if (r.CLIENT_ID !== '' && r.CLIENT_ID !== (ctx.auth.clientId ?? ''))
      throw new RestError(
        'REMOVING_DISABLED',
        'Timeline entry with the specified id was created in the context of another REST application',
        400,
      );
    store.delete(r.ID);
    return { result: true };
  });
  m('crm.timeline.logmessage.list', (ctx) => {
    const owner = { typeId: requiredInt(ctx, 'entityTypeId'), id: requiredInt(ctx, 'entityId') };
    // Ten entries a page, newest first unless `order` says otherwise (crm-timeline-logmessage-list.html).
    const page = readStart(ctx, 'start', 10);
    const order = orderOf(param(ctx.params, 'order'), { ID: 't.ID', CREATED: 't.CREATED' }, 'DESC');
    const rows = store.list('logmessage', owner, NO_FILTER, order, page.limit, page.offset);
    return offsetAnswer(
      ctx,
      page,
      rows.map((r) => store.logMessageWire(r)),
      () => store.count('logmessage', owner, NO_FILTER),
    );
  });

  // ---- bindings (https://apidocs.bitrix24.com/api-reference/crm/timeline/bindings/) ----
  const bindingFields = (ctx: CallContext) => {
    const f = fieldsOf(ctx);
    const recordId = toPositiveInt(param(f, 'OWNER_ID'));
    if (recordId === undefined || !store.get(recordId)) throw empty('OWNER_ID is not defined or invalid.');
    const entityId = toPositiveInt(param(f, 'ENTITY_ID'));
    if (entityId === undefined) throw empty('ENTITY_ID is not defined or invalid.');
    const typeId = entityTypeIdOf(param(f, 'ENTITY_TYPE'));
    if (typeId === undefined) throw empty('ENTITY_TYPE is not defined or invalid.');
    return { recordId, typeId, entityId };
  };
  m('crm.timeline.bindings.fields', documented('crm.timeline.bindings.fields'));
  m('crm.timeline.bindings.bind', (ctx) => {
    const b = bindingFields(ctx);
    if (!ownerExists(b.typeId, b.entityId)) throw empty('ENTITY_ID is not defined or invalid.');
    store.bind(b.recordId, b.typeId, b.entityId);
    return { result: true };
  });
  m('crm.timeline.bindings.unbind', (ctx) => {
    const b = bindingFields(ctx);
    if (!store.unbind(b.recordId, b.typeId, b.entityId)) throw empty('Not found.');
    return { result: true };
  });
  m('crm.timeline.bindings.list', (ctx) => {
    const filter = param(ctx.params, 'filter');
    const recordId = toPositiveInt(isObject(filter) ? param(filter, 'OWNER_ID') : undefined);
    if (recordId === undefined) throw empty('OWNER_ID is not defined or invalid.');
    const all = store.bindings(recordId).map((b) => ({
      OWNER_ID: String(b.RECORD_ID),
      ENTITY_ID: String(b.ENTITY_ID),
      ENTITY_TYPE: entityTypeNameOf(b.ENTITY_TYPE_ID),
    }));
    const page = readStart(ctx);
    return offsetAnswer(ctx, page, all.slice(page.offset, page.offset + page.limit), () => all.length);
  });

  // ---- pins (https://apidocs.bitrix24.com/api-reference/crm/timeline/actions/) ----
  const pinTarget = (ctx: CallContext) => {
    const id = requiredInt(ctx, 'id');
    const owner = { typeId: requiredInt(ctx, 'ownerTypeId'), id: requiredInt(ctx, 'ownerId') };
    if (!ownerExists(owner.typeId, owner.id)) throw ownerNotFound();
    const binding = store.get(id) ? store.binding(id, owner.typeId, owner.id) : undefined;
    if (!binding) throw new RestError('NOT_FOUND', 'Not found.', 400);
    return { id, owner, binding };
  };
  m('crm.timeline.item.pin', (ctx) => {
    const { id, owner, binding } = pinTarget(ctx);
    if (!binding.IS_FIXED) {
      if (store.pinnedCount(owner.typeId, owner.id) >= MAX_PINNED)
        throw new RestError('0', 'Only three events can be added to favorites', 400);
      store.setPinned(id, owner.typeId, owner.id, true);
    }
    return { result: null };
  });
  m('crm.timeline.item.unpin', (ctx) => {
    const { id, owner } = pinTarget(ctx);
    store.setPinned(id, owner.typeId, owner.id, false);
    return { result: null };
  });

  // ---- notes (https://apidocs.bitrix24.com/api-reference/crm/timeline/note/) ----
  /** itemType 1: a timeline record of the item; itemType 2: the item itself (the docs' "deal"). */
  const noteTarget = (ctx: CallContext) => {
    const ownerTypeId = requiredInt(ctx, 'ownerTypeId');
    const ownerId = requiredInt(ctx, 'ownerId');
    const itemType = requiredInt(ctx, 'itemType');
    const itemId = requiredInt(ctx, 'itemId');
    if (!ownerExists(ownerTypeId, ownerId)) throw notFound();
    const ok =
      itemType === 1
        ? !!store.binding(itemId, ownerTypeId, ownerId)
        : itemType === 2 && itemId === ownerId && ownerExists(ownerTypeId, itemId);
    if (!ok) throw notFound();
    return { itemType, itemId };
  };
  m('crm.timeline.note.save', (ctx) => {
    const { itemType, itemId } = noteTarget(ctx);
    store.saveNote(itemType, itemId, String(required(ctx, 'text')), ctx.auth.userId);
    return { result: true };
  });
  m('crm.timeline.note.get', (ctx) => {
    const { itemType, itemId } = noteTarget(ctx);
    const n = store.note(itemType, itemId);
    if (!n) throw notFound();
    return {
      result: {
        text: n.TEXT,
        createdById: n.CREATED_BY,
        createdTime: n.CREATED_TIME,
        updatedById: n.UPDATED_BY,
        updatedTime: n.UPDATED_TIME,
      },
    };
  });
  m('crm.timeline.note.delete', (ctx) => {
    const { itemType, itemId } = noteTarget(ctx);
    if (!store.deleteNote(itemType, itemId)) throw notFound();
    return { result: true };
  });

  // ---- content blocks (https://apidocs.bitrix24.com/api-reference/crm/timeline/layout-blocks/) ----
  // They refuse a webhook themselves with the pages' ERROR_WRONG_CONTEXT (layoutTarget).
  /** The record and the calling application: the methods work only in an application's context. */
  const layoutTarget = (ctx: CallContext) => {
    const app = ctx.auth.type === 'oauth' ? ctx.auth.clientId : undefined;
    if (!app)
      throw new RestError(
        'ERROR_WRONG_CONTEXT',
        'Method call is only possible in the context of a REST application',
        400,
      );
    const typeId = requiredInt(ctx, 'entityTypeId');
    const entityId = requiredInt(ctx, 'entityId');
    const recordId = requiredInt(ctx, 'timelineId');
    if (!ownerExists(typeId, entityId))
      throw new RestError('OWNER_NOT_FOUND', 'The element to which the timeline record is linked was not found', 400);
    if (!store.binding(recordId, typeId, entityId)) throw notFound('Timeline record not found');
    return { app, recordId };
  };
  m(
    'crm.timeline.layout.blocks.set',
    (ctx) => {
      const { app, recordId } = layoutTarget(ctx);
      const layout = required(ctx, 'layout');
      const blocks = isObject(layout) ? param(layout, 'blocks') : undefined;
      if (!isObject(blocks) || Object.keys(blocks).length === 0)
        throw new RestError('FIELD_IS_REQUIRED', 'The `blocks` field in RestAppLayoutDto must be filled.', 400);
      store.setLayout(recordId, app, layout);
      return { result: { success: true } };
    },
    true,
  );
  m(
    'crm.timeline.layout.blocks.get',
    (ctx) => {
      const { app, recordId } = layoutTarget(ctx);
      // No set yet: null, as set and delete answer when there is no set (the get page is silent).
      const layout = store.layout(recordId, app);
      return { result: layout === undefined ? null : { layout } };
    },
    true,
  );
  m(
    'crm.timeline.layout.blocks.delete',
    (ctx) => {
      const { app, recordId } = layoutTarget(ctx);
      if (!store.deleteLayout(recordId, app))
        throw notFound('The timeline record or the set of additional content blocks was not found');
      return { result: { success: true } };
    },
    true,
  );
}

/** ORDER BY from `{field: 'asc'|'desc'}` over the allowed fields; ID breaks ties. */
function orderOf(raw: unknown, columns: Readonly<Record<string, string>>, dflt: 'ASC' | 'DESC'): string {
  const parts: string[] = [];
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const col = columns[k.toUpperCase()];
      if (col) parts.push(`${col} ${String(v).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
    }
  }
  if (!parts.some((p) => p.startsWith(columns['ID']!))) parts.push(`${columns['ID']} ${parts.length ? 'ASC' : dflt}`);
  return parts.join(', ');
}
