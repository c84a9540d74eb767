/**
 * crm.deal.contact.* over the deal rows: the contact list of a deal is its CONTACT_IDS column
 * (what crm.deal.get and crm.item.get show as CONTACT_IDS / contactIds); sort order and the
 * primary flag are kept beside it. https://apidocs.bitrix24.com/api-reference/crm/deals/contacts/index.html
 */
import { RestError } from '../../errors.js';
import { param } from '../../params.js';
import { isObject, toInt, toPositiveInt, yn } from '../../wire.js';
import type { EntityTable, Row } from '../table.js';
import type { CallContext, DomainApi } from '../types.js';

interface Link {
  CONTACT_ID: number;
  SORT: number;
  ROLE_ID: number;
  IS_PRIMARY: 'Y' | 'N';
}

const legacy = (text: string) => new RestError('', text, 400);

export function registerDealContacts(api: DomainApi, deals: EntityTable): void {
  const db = api.portal.db;
  db.exec(
    'CREATE TABLE IF NOT EXISTS crm_deal_contact (DEAL_ID INTEGER, CONTACT_ID INTEGER, SORT INTEGER, PRIMARY KEY (DEAL_ID, CONTACT_ID))',
  );

  const dealOf = (ctx: CallContext): { id: number; row: Row } => {
    const id = toPositiveInt(param(ctx.params, 'id'));
    if (id === undefined) throw legacy("The parameter 'ownerEntityID' is invalid or not defined.");
    const row = deals.get(id);
    if (!row) throw legacy('Not found.');
    return { id, row };
  };
  const read = (id: number, row: Row): Link[] => {
    let ids: unknown = [];
    try {
      ids = JSON.parse(String(row['CONTACT_IDS'] ?? '[]'));
    } catch {
      ids = [];
    }
    const sorts = new Map(
      (db.prepare('SELECT CONTACT_ID, SORT FROM crm_deal_contact WHERE DEAL_ID = ?').all(id) as Row[]).map((r) => [
        Number(r['CONTACT_ID']),
        Number(r['SORT']),
      ]),
    );
    const list = (Array.isArray(ids) ? ids : []).map((v) => Number(v)).filter((n) => n > 0);
    // The first id is the primary contact (CONTACT_ID of the deal); without a stored sort the order is 10, 20, ...
    return list.map((c, i) => ({
      CONTACT_ID: c,
      SORT: sorts.get(c) ?? (i + 1) * 10,
      ROLE_ID: 0,
      IS_PRIMARY: i === 0 ? 'Y' : 'N',
    }));
  };
  const write = (id: number, links: Link[]): void => {
    const primary = links.find((l) => l.IS_PRIMARY === 'Y');
    const ordered = [...links].sort((a, b) => a.SORT - b.SORT);
    if (primary) ordered.splice(ordered.indexOf(primary), 1), ordered.unshift(primary);
    db.transaction(() => {
      db.prepare('DELETE FROM crm_deal_contact WHERE DEAL_ID = ?').run(id);
      for (const l of ordered)
        db.prepare('INSERT INTO crm_deal_contact (DEAL_ID, CONTACT_ID, SORT) VALUES (?, ?, ?)').run(
          id,
          l.CONTACT_ID,
          l.SORT,
        );
      db.prepare('UPDATE crm_deal SET CONTACT_IDS = ?, CONTACT_ID = ? WHERE ID = ?').run(
        JSON.stringify(ordered.map((l) => l.CONTACT_ID)),
        ordered[0]?.CONTACT_ID ?? null,
        id,
      );
    })();
  };
  const linkOf = (raw: unknown, fallbackSort: number): Link => {
    if (!isObject(raw)) throw legacy("The parameter 'fields' is not valid.");
    const contact = toPositiveInt(raw['CONTACT_ID']);
    if (contact === undefined) throw legacy("The parameter 'fields' is not valid.");
    return {
      CONTACT_ID: contact,
      SORT: toInt(raw['SORT']) ?? fallbackSort,
      ROLE_ID: 0,
      IS_PRIMARY: yn(raw['IS_PRIMARY'], 'N'),
    };
  };
  const m = (name: string, handler: (ctx: CallContext) => unknown) =>
    api.method({ name, scope: 'crm', handler: (ctx) => ({ result: handler(ctx) }) });

  m('crm.deal.contact.fields', () => ({
    SORT: {
      type: 'integer',
      isRequired: false,
      isReadOnly: false,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title: 'Sorting',
    },
    ROLE_ID: {
      type: 'integer',
      isRequired: false,
      isReadOnly: true,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title: 'Role',
    },
    IS_PRIMARY: {
      type: 'char',
      isRequired: false,
      isReadOnly: false,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title: 'Primary',
    },
    CONTACT_ID: {
      type: 'integer',
      isRequired: true,
      isReadOnly: false,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title: 'Contact',
    },
  }));
  m('crm.deal.contact.items.get', (ctx) => {
    const { id, row } = dealOf(ctx);
    return read(id, row);
  });
  m('crm.deal.contact.items.set', (ctx) => {
    const { id } = dealOf(ctx);
    const items = param(ctx.params, 'items');
    if (!Array.isArray(items) && !isObject(items)) throw legacy("The parameter 'items' must be array.");
    const list = (Array.isArray(items) ? items : Object.values(items)).map((v, i) => linkOf(v, (i + 1) * 10));
    if (list.length && !list.some((l) => l.IS_PRIMARY === 'Y')) list[0]!.IS_PRIMARY = 'Y';
    write(id, list);
    return true;
  });
  m('crm.deal.contact.items.delete', (ctx) => {
    const { id } = dealOf(ctx);
    write(id, []);
    return true;
  });
  m('crm.deal.contact.add', (ctx) => {
    const { id, row } = dealOf(ctx);
    const fields = param(ctx.params, 'fields');
    if (!isObject(fields)) throw legacy("The parameter 'fields' must be array.");
    const current = read(id, row);
    const link = linkOf(fields, (current.length + 1) * 10);
    const rest = current.filter((l) => l.CONTACT_ID !== link.CONTACT_ID);
    if (link.IS_PRIMARY === 'Y') for (const l of rest) l.IS_PRIMARY = 'N';
    else if (!rest.length) link.IS_PRIMARY = 'Y';
    write(id, [...rest, link]);
    return true;
  });
  m('crm.deal.contact.delete', (ctx) => {
    const { id, row } = dealOf(ctx);
    const fields = param(ctx.params, 'fields');
    if (!isObject(fields)) throw legacy("The parameter 'fields' must be array.");
    const contact = toPositiveInt(fields['CONTACT_ID']);
    const current = read(id, row);
    if (contact === undefined || !current.some((l) => l.CONTACT_ID === contact)) throw legacy('Not found.');
    const rest = current.filter((l) => l.CONTACT_ID !== contact);
    if (rest.length && !rest.some((l) => l.IS_PRIMARY === 'Y')) rest[0]!.IS_PRIMARY = 'Y';
    write(id, rest);
    return true;
  });
}
