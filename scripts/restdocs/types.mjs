// @ts-check
// Docs type words (`integer`, `crm_status`, `deal[]`, `string | object`) -> schema type expressions.

const PRIMITIVE = new Map(
  Object.entries({
    integer: 'integer',
    int: 'integer',
    long: 'integer',
    id: 'integer',
    unixtime: 'integer',
    timestamp: 'integer',
    number: 'double',
    double: 'double',
    float: 'double',
    decimal: 'double',
    numeric: 'double',
    money: 'string',
    string: 'string',
    text: 'string',
    str: 'string',
    url: 'string',
    email: 'string',
    phone: 'string',
    html: 'string',
    guid: 'string',
    uuid: 'string',
    json: 'string',
    base64: 'string',
    code: 'string',
    boolean: 'boolean',
    bool: 'boolean',
    date: 'date',
    datetime: 'datetime',
    'date-time': 'datetime',
    isodate: 'datetime',
    time: 'string',
    object: 'object',
    map: 'object',
    dict: 'object',
    struct: 'object',
    array: 'any[]',
    list: 'any[]',
    file: 'file',
    attached_diskfile: 'file',
    disk_file: 'file',
    diskfile: 'integer',
    'y/n': 'yn',
    'y|n': 'yn',
    yn: 'yn',
    any: 'any',
    mixed: 'any',
    null: 'null',
    // Bitrix24 reference types: identifiers of other records.
    user: 'integer',
    employee: 'integer',
    group: 'integer',
    department: 'integer',
    crm_company: 'integer',
    crm_contact: 'integer',
    crm_lead: 'integer',
    crm_deal: 'integer',
    crm_quote: 'integer',
    crm_invoice: 'integer',
    crm_smart_invoice: 'integer',
    crm_category: 'integer',
    crm_activity: 'integer',
    crm_product: 'integer',
    iblock_element: 'integer',
    iblock_section: 'integer',
    catalog_product: 'integer',
    sonet_group: 'integer',
    crm_status: 'string',
    crm_currency: 'string',
    crm_entity: 'string',
    crm: 'string',
    location: 'string',
    enumeration: 'string',
    crm_multifield: 'object',
    crm_status_extra: 'object',
    address: 'object',
  }),
);

/**
 * @param {string} word the docs' type text
 * @param {string} description the field's description (tells Y/N chars from other chars)
 * @returns {string} a schema type expression (primitives only; entity types are resolved by the caller)
 */
export function mapDocType(word, description = '') {
  const w = word.trim().replace(/\\/g, '').toLowerCase();
  if (!w) return 'any';
  if (w.includes('|') || /\bor\b/.test(w)) {
    const parts = [
      ...new Set(
        w
          .split(/\s*(?:\||\bor\b)\s*/)
          .filter(Boolean)
          .map((p) => mapDocType(p, description)),
      ),
    ];
    return parts.length === 1 ? /** @type {string} */ (parts[0]) : parts.includes('any') ? 'any' : parts.join(' | ');
  }
  const arr = /^(.*?)\s*\[\s*\]$/.exec(w) ?? /^array\s*(?:of|<)\s*([\w-]+)>?$/.exec(w);
  if (arr) {
    const inner = mapDocType(/** @type {string} */ (arr[1]), description);
    return inner.includes(' | ') ? `any[]` : inner.endsWith('[]') ? 'any[]' : `${inner}[]`;
  }
  if (w === 'char' || w === 'character') return /`?Y`?\b[^.]*`?N`?\b/.test(description) ? 'yn' : 'string';
  // `catalog_product.id`, `sale_order.ID`: the id of a record of another entity; other fields
  // of another entity (`catalog_measure.code`, `sale_lang.lid`) are codes, strings unless the
  // entity's table says otherwise (model.mjs looks it up).
  if (/^[a-z][a-z0-9_]*\.id$/.test(w)) return 'integer';
  if (/^[a-z][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(w)) return 'string';
  const hit = PRIMITIVE.get(w);
  if (hit) return hit;
  if (/^crm_/.test(w)) return 'string';
  if (/(^|_)(id|ids)$/.test(w)) return 'integer';
  return 'any';
}

/** `deal_item`, `crm-deal` or `task item` -> `DealItem`-style type names. @param {string} s */
export function pascal(s) {
  return s
    .replace(/\[\]$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => (p[0] ?? '').toUpperCase() + p.slice(1))
    .join('')
    .replace(/^[0-9]+/, '');
}
