// @ts-check
// Turns the facts of method pages into schema entries: params with nested groups, result types,
// and the entity types (field tables) they refer to, named per domain.
import { posix } from 'node:path';
import { headingNames } from './page.mjs';
import { mapDocType, pascal } from './types.mjs';

/** @typedef {import('./page.mjs').MethodFacts} MethodFacts */
/** @typedef {import('./page.mjs').Field} Field */
/** @typedef {import('./page.mjs').FieldTable} FieldTable */
/** @typedef {{ type: string, required?: boolean, fields?: Record<string, any>, open?: boolean }} Param */
/** @typedef {{ fields: Record<string, { type: string, readOnly?: boolean, wire?: string }>, open?: boolean }} EntityType */

export const DOCS_SITE = 'https://apidocs.bitrix24.com/';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 4;

/** @param {string} doc */
export function docUrl(doc) {
  return DOCS_SITE + doc.replace(/\.md$/, '.html');
}

/**
 * The schema file a method without a place yet goes to, from its page's path:
 * `api-reference/crm/deals/recurring-deals/x.md` -> `crm/recurringdeal`. Pages directly in a
 * domain folder take the second segment of the method name as the entity.
 * @param {string} doc
 * @param {string} method
 */
export function fileOfDoc(doc, method) {
  const parts = doc.split('/').slice(1, -1);
  // `api-reference/outdated/rpa/...`: the folder after `outdated` names the domain.
  if (parts[0] === 'outdated' && parts.length > 1) parts.shift();
  const clean = (/** @type {string} */ s) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const domain = clean(parts[0] ?? 'main') || 'main';
  let entity;
  const dirs = parts.slice(1).filter((d) => !/^(outdated|deprecated|methods|old)$/.test(d));
  if (dirs.length) entity = singular(clean(/** @type {string} */ (dirs[dirs.length - 1])));
  else {
    const seg = method.split('.');
    entity = clean(seg.length > 2 ? /** @type {string} */ (seg[1]) : /** @type {string} */ (seg[0]));
  }
  if (!entity || !/^[a-z]/.test(entity)) entity = domain;
  return `${domain}/${entity}`;
}

/** @param {string} s */
function singular(s) {
  if (/ies$/.test(s)) return s.replace(/ies$/, 'y');
  if (/sses$/.test(s)) return s.replace(/es$/, '');
  if (/(ss|us|is)$/.test(s)) return s;
  if (/(ch|sh|x)es$/.test(s)) return s.replace(/es$/, '');
  return s.replace(/s$/, '');
}

/**
 * Per-domain registry of entity type names: existing (hand-written) names are reserved, names
 * made here are keyed by the field table they come from, so one table gets one name.
 */
export class TypeRegistry {
  /** @param {Map<string, Set<string>>} existing domain -> type names already in the schema */
  constructor(existing) {
    this.existing = existing;
    /** @type {Map<string, Map<string, string>>} domain -> table key -> name */
    this.byKey = new Map();
    /** @type {Map<string, Map<string, { file: string, type: EntityType }>>} domain -> name -> made type */
    this.made = new Map();
  }

  /**
   * @param {string} domain
   * @param {string} key `doc#anchor` of the field table
   * @param {string} wanted preferred name
   * @param {string} file the file that will hold it if it is new
   * @param {() => EntityType} build
   * @param {string[]} [names] field names of the table (to tell the same entity from a homonym)
   */
  nameFor(domain, key, wanted, file, build, names = []) {
    const keys = this.byKey.get(domain) ?? new Map();
    this.byKey.set(domain, keys);
    const known = keys.get(key);
    if (known) return known;
    const made = this.made.get(domain) ?? new Map();
    this.made.set(domain, made);
    const taken = (/** @type {string} */ n) => made.has(n);
    const base = wanted || 'Item';
    // A hand-written type of the wanted name is the same thing by definition: reuse it.
    if (this.existing.get(domain)?.has(base) && !taken(base)) {
      keys.set(key, base);
      made.set(base, { file, type: build() });
      return base;
    }
    // The same entity described on two pages (a get page and a list page each with a "Lead"
    // table): one name, the union of the fields.
    const same = made.get(base);
    if (same && names.length) {
      const have = Object.keys(same.type.fields);
      const common = names.filter((n) => have.includes(n)).length;
      if (common >= 0.8 * Math.min(names.length, have.length || Infinity)) {
        keys.set(key, base);
        const extra = build();
        for (const [n, f] of Object.entries(extra.fields)) if (!(n in same.type.fields)) same.type.fields[n] = f;
        if (extra.open) same.type.open = true;
        return base;
      }
    }
    let name = base;
    const entity = pascal(file.split('/')[1] ?? '');
    if (taken(name) && entity && !base.startsWith(entity)) name = entity + base;
    for (let i = 2; taken(name); i++) name = `${base}${i}`;
    keys.set(key, name);
    made.set(name, { file, type: { fields: {} } });
    // Build after reserving the name so self-references terminate.
    const t = build();
    made.set(name, { file, type: t });
    return name;
  }
}

/**
 * @param {MethodFacts} facts
 * @param {{ domain: string, file: string, types: TypeRegistry, tableAt: (doc: string, anchor: string) => FieldTable | undefined }} ctx
 */
export function methodEntry(facts, ctx) {
  /** @type {Record<string, any>} */
  const params = {};
  let openParams = false;
  const groupOf = (/** @type {string} */ name) => {
    const lower = name.toLowerCase();
    for (const [key, fields] of Object.entries(facts.groups)) {
      const heading = facts.tables[key]?.heading ?? key;
      // The heading must be about this param ("Parameter fields", "fields"), not merely mention
      // it ("Available Reaction Codes" is a list of values for `reaction`).
      if (
        key.toLowerCase() === lower ||
        key.toLowerCase().replace(/^(parameter|parametr|param)-/, '') === lower ||
        headingNames(heading, name)
      )
        return fields;
    }
    return undefined;
  };
  for (const p of facts.params) {
    const nested = /^([A-Za-z_]\w*)\.(\w+)$/.exec(p.name) ?? swapParen(p.name);
    if (nested) {
      // `fields.CONTACT_ID` and `TITLE (LANG)` are members of a group.
      const [, parent, child] = /** @type {[string, string, string]} */ (/** @type {unknown} */ (nested));
      const group = params[parent] ?? { type: 'object' };
      group.fields = group.fields ?? {};
      group.fields[child] = paramOf({ ...p, name: child }, facts, ctx, undefined, 1);
      if (!/^object(\[\])?$/.test(group.type)) group.type = group.type.endsWith('[]') ? 'object[]' : 'object';
      params[parent] = group;
      continue;
    }
    if (!IDENT.test(p.name)) {
      if (/[*]|\.\.\.|…/.test(p.name)) openParams = true;
      continue;
    }
    if (params[p.name]) continue;
    params[p.name] = paramOf(p, facts, ctx, groupOf(p.name), 0);
  }
  /** @type {Record<string, any>} */
  const entry = { scope: facts.scopes.join(', '), docUrl: docUrl(facts.doc) };
  entry.params = params;
  if (openParams) entry.openParams = true;
  entry.result = resultOf(facts, ctx);
  if (facts.apiVersion === 3) entry.apiVersion = 3;
  if (facts.deprecated) entry.deprecated = true;
  return entry;
}

/** `TITLE (LANG)` -> ['', 'LANG', 'TITLE']. @param {string} name */
function swapParen(name) {
  const m = /^(\w+)\s*\((\w+)\)$/.exec(name);
  return m ? [name, m[2], m[1]] : null;
}

/**
 * @param {Field} f
 * @param {MethodFacts} facts
 * @param {{ domain: string, file: string, types: TypeRegistry, tableAt: (doc: string, anchor: string) => FieldTable | undefined }} ctx
 * @param {Field[] | undefined} group a group table of the page found by name
 * @param {number} depth
 * @returns {Param}
 */
function paramOf(f, facts, ctx, group, depth) {
  /** @type {Param} */
  const out = { type: refFieldType(f, facts.doc, ctx) ?? mapDocType(f.type, f.description) };
  const target = refTarget(facts.doc, f.ref);
  let members = group;
  if (target && target.doc === facts.doc && facts.groups[target.anchor]) members = facts.groups[target.anchor];
  else if (target && !members) {
    const named = namedType(f.type, target, ctx, depth);
    if (named) out.type = named;
  }
  if (members && depth < MAX_DEPTH) {
    /** @type {Record<string, Param>} */ const fields = {};
    let open = false;
    for (const m of members) {
      if (!IDENT.test(m.name)) {
        if (/[*]|\.\.\.|…/.test(m.name)) open = true;
        continue;
      }
      if (fields[m.name]) continue;
      fields[m.name] = paramOf(m, facts, ctx, undefined, depth + 1);
    }
    if (Object.keys(fields).length) {
      out.fields = fields;
      if (!/^object(\[\])?$/.test(out.type)) out.type = out.type.endsWith('[]') ? 'object[]' : 'object';
    }
    if (open) out.open = true;
  }
  if (f.required) out.required = true;
  const { type, required, fields, open, ...rest } = out;
  return { type, ...(required ? { required } : {}), ...(fields ? { fields } : {}), ...(open ? { open } : {}), ...rest };
}

/**
 * @param {MethodFacts} facts
 * @param {{ domain: string, file: string, types: TypeRegistry, tableAt: (doc: string, anchor: string) => FieldTable | undefined }} ctx
 */
function resultOf(facts, ctx) {
  const ex = /** @type {any} */ (facts.example);
  const hasExample = ex && typeof ex === 'object' && !Array.isArray(ex) && 'result' in ex;
  /** @type {string | null} */ let docs = null;
  if (facts.resultType !== null) {
    const target = refTarget(facts.doc, facts.resultRef);
    if (target) docs = namedType(facts.resultType, target, ctx, 0);
    if (!docs) {
      const t = mapDocType(facts.resultType);
      if (t !== 'any') docs = t;
    }
  }
  if (!hasExample) return docs ?? 'any';
  const result = ex.result;
  // A named type from the docs' tables: it must agree with the example (wire types, fields the
  // tables miss).
  if (docs && isTypeName(docs, ctx)) {
    if (fits(result, docs) && conforms(result, docs, ctx)) {
      agree(result, docs, ctx, 0);
      return docs;
    }
  } else if (docs && !LOOSE.has(docs) && fits(result, docs)) return docs;
  // Otherwise the example says what the result is: fields, nesting and wire types.
  return exampleType(result, `${pascal(facts.method)}Reply`, `example:${facts.method}`, ctx, 0);
}

const LOOSE = new Set(['object', 'any', 'object[]', 'any[]']);
const PORTAL_FIELD = /^(UF_[A-Z0-9_]*\d{3,}|UF_CRM_\d+|PARENT_ID_\d+)$/;

/** @param {string} t @param {{ domain: string, types: TypeRegistry }} ctx */
function isTypeName(t, ctx) {
  return Boolean(ctx.types.made.get(ctx.domain)?.has(t.replace(/\[\]$/, '')));
}

/** Whether a value's outer shape can be the type (an array for `T[]`, a scalar kind for a primitive). @param {unknown} v @param {string} t @returns {boolean} */
function fits(v, t) {
  if (v === null || v === undefined) return true;
  if (t.includes('|')) return t.split(/\s*\|\s*/).some((x) => fits(v, x));
  if (t.endsWith('[]'))
    return (
      (Array.isArray(v) && v.every((x) => fits(x, t.slice(0, -2)))) ||
      (isPlain(v) && Object.keys(/** @type {object} */ (v)).length === 0)
    );
  switch (t) {
    case 'integer':
    case 'double':
      return typeof v === 'number';
    case 'string':
    case 'date':
    case 'datetime':
    case 'yn':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'any':
      return true;
    default:
      return isPlain(v) || (Array.isArray(v) && v.length === 0);
  }
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isPlain(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The wire type of a scalar: a string ID is a string. @param {unknown} v */
function scalarType(v) {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'double';
  if (typeof v === 'string') return 'string';
  return 'any';
}

/**
 * A type expression for a value of a response example; objects become entity types named after
 * the method and the path (`CrmItemGetReply`, `CrmItemGetReplyItem`), maps `Record<T>`.
 * @param {unknown} v
 * @param {string} name
 * @param {string} key where in which example (keeps one name per place)
 * @param {{ domain: string, file: string, types: TypeRegistry }} ctx
 * @param {number} depth
 * @returns {string}
 */
function exampleType(v, name, key, ctx, depth) {
  return samplesType([v], name, key, ctx, depth);
}

/**
 * The type of several sample values of one place (the rows of a list, the values of a map):
 * objects merge their fields, scalars of different kinds make a union (`integer | string`).
 * @param {unknown[]} all
 * @param {string} name
 * @param {string} key
 * @param {{ domain: string, file: string, types: TypeRegistry }} ctx
 * @param {number} depth
 * @returns {string}
 */
function samplesType(all, name, key, ctx, depth) {
  const samples = all.filter((x) => x !== null && x !== undefined);
  if (!samples.length) return 'any';
  if (samples.every(Array.isArray)) {
    const items = /** @type {unknown[][]} */ (samples).flat();
    if (!items.length) return 'any[]';
    const inner = samplesType(items, name, key, ctx, depth);
    return inner === 'any' || inner.includes(' | ') ? 'any[]' : `${inner}[]`;
  }
  // PHP sends an empty list for an empty map: `[]` among objects is one of them.
  const objects = samples.filter((x) => isPlain(x) || (Array.isArray(x) && !x.length));
  if (objects.length === samples.length && samples.some(isPlain)) {
    const rows = /** @type {Record<string, unknown>[]} */ (samples.filter(isPlain));
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    if (!keys.length) return 'object';
    if (depth >= 6) return 'object';
    // Keyed by ids or codes with values of one shape ({"13": {...}}, {"TITLE": {"type": ...}}): a map.
    const values = rows.flatMap((r) => Object.values(r));
    const numericKeys = keys.every((k) => /^\d+$/.test(k));
    const sameRows =
      keys.length >= 4 && values.every(isPlain) && sameShape(/** @type {Record<string, unknown>[]} */ (values));
    if (numericKeys || sameRows) return `Record<${samplesType(values, `${name}Item`, `${key}.*`, ctx, depth + 1)}>`;
    return ctx.types.nameFor(
      ctx.domain,
      key,
      name,
      ctx.file,
      () => {
        /** @type {EntityType} */ const t = { fields: {} };
        for (const k of keys) {
          if (!IDENT.test(k) || PORTAL_FIELD.test(k)) {
            t.open = true;
            continue;
          }
          t.fields[k] = {
            type: samplesType(
              rows.map((r) => r[k]),
              `${name}${pascal(k) || 'Field'}`,
              `${key}.${k}`,
              ctx,
              depth + 1,
            ),
          };
        }
        return t;
      },
      [],
    );
  }
  if (samples.some((x) => isPlain(x) || Array.isArray(x))) return 'any';
  const kinds = [...new Set(samples.map(scalarType))];
  if (kinds.includes('double') && kinds.includes('integer')) kinds.splice(kinds.indexOf('integer'), 1);
  return kinds.sort().join(' | ');
}

/** Rows of one shape: the keys every row has are at least half of an average row. @param {Record<string, unknown>[]} rows */
function sameShape(rows) {
  const sets = rows.map((r) => new Set(Object.keys(r)));
  const common = [...(sets[0] ?? [])].filter((k) => sets.every((x) => x.has(k)));
  const avg = sets.reduce((n, x) => n + x.size, 0) / (sets.length || 1);
  return common.length > 0 && common.length >= 0.5 * avg;
}

/**
 * Whether an example value is an instance of a type made from the docs' tables (most of its keys
 * are fields of the type, with values of the field's kind), so the type, not the example, names it.
 * @param {unknown} v
 * @param {string} t
 * @param {{ domain: string, types: TypeRegistry }} ctx
 * @returns {boolean}
 */
function conforms(v, t, ctx) {
  if (t.endsWith('[]')) return !Array.isArray(v) || !v.length || conforms(v[0], t.slice(0, -2), ctx);
  const made = ctx.types.made.get(ctx.domain)?.get(t);
  if (!made || !isPlain(v)) return true;
  const keys = Object.keys(v);
  if (!keys.length) return true;
  const known = keys.filter((k) => made.type.fields[k]);
  const ok = known.filter((k) => {
    const x = v[k];
    const ft = /** @type {{ type: string }} */ (made.type.fields[k]).type;
    if (x === null) return true;
    if (isPlain(x) || Array.isArray(x)) return !/^(integer|double|string|boolean|date|datetime|yn)$/.test(ft);
    if (typeof x === 'string')
      return /^(string|date|datetime|yn|integer|double|boolean|any)$/.test(ft) || ft.includes('|');
    return fits(x, ft) || ft === 'any' || ft.includes('|');
  });
  return known.length >= 0.5 * keys.length && ok.length >= 0.8 * known.length;
}

/**
 * Makes a type built from the docs' tables agree with an example that uses it: a field the
 * example sends as a string where the table says integer gets `wire: string`, "Y"/"N" for a
 * boolean gets `wire: yn`, a field the table lacks is added as the example shows it.
 * @param {unknown} v
 * @param {string} t
 * @param {{ domain: string, file: string, types: TypeRegistry }} ctx
 * @param {number} depth
 */
function agree(v, t, ctx, depth) {
  if (depth > 8 || v === null || v === undefined) return;
  if (t.endsWith('[]')) {
    if (Array.isArray(v)) for (const x of v) agree(x, t.slice(0, -2), ctx, depth + 1);
    return;
  }
  const made = ctx.types.made.get(ctx.domain)?.get(t);
  if (!made || !isPlain(v)) return;
  const fields = made.type.fields;
  for (const [k, x] of Object.entries(v)) {
    if (!IDENT.test(k)) continue;
    const f = fields[k];
    // User fields of the portal that made the example (UF_CRM_1721244482250, PARENT_ID_1220) are
    // not fields of the type.
    if (!f && PORTAL_FIELD.test(k)) continue;
    if (!f) {
      fields[k] = { type: exampleType(x, `${t}${pascal(k) || 'Field'}`, `agree:${t}.${k}`, ctx, depth + 1) };
      continue;
    }
    if (x === null) continue;
    const ft = f.type;
    if ((ft === 'integer' || ft === 'double') && typeof x === 'string') f.wire = 'string';
    else if (ft === 'boolean' && (x === 'Y' || x === 'N')) f.wire = 'yn';
    else if (ctx.types.made.get(ctx.domain)?.has(ft.replace(/\[\]$/, ''))) agree(x, ft, ctx, depth + 1);
    else if (!fits(x, ft) && !f.wire && !isPlain(x) && !Array.isArray(x) && !/^[A-Z]/.test(ft))
      f.type = ft === 'string' || ft === 'any' ? scalarType(x) : `${ft} | ${scalarType(x)}`;
  }
}

/** @param {unknown} v */
function shapeOf(v) {
  if (Array.isArray(v))
    return v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x)) ? 'object[]' : 'any[]';
  if (v === null) return 'any';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'double';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/**
 * The type of a reference to a field of another entity (`catalog_measure.code` linked to
 * `data-types.md#catalog_measure`): that field's type in the entity's table, when the docs
 * have one.
 * @param {Field} f
 * @param {string} doc the page the field is on
 * @param {{ tableAt: (doc: string, anchor: string) => FieldTable | undefined }} ctx
 * @returns {string | null}
 */
function refFieldType(f, doc, ctx) {
  const m = /^\s*([a-z][a-z0-9_]*)\.([A-Za-z_]\w*)\s*$/.exec(f.type);
  if (!m || !f.ref || !f.ref.includes('#')) return null;
  const [path, anchor] = /** @type {[string, string]} */ (f.ref.split('#', 2));
  const table = ctx.tableAt(
    path ? posix.normalize(posix.join(posix.dirname(doc), path)) : doc,
    anchor || /** @type {string} */ (m[1]),
  );
  const field = table?.fields.find((x) => x.name.toLowerCase() === /** @type {string} */ (m[2]).toLowerCase());
  if (!field) return null;
  const t = mapDocType(field.type, field.description);
  return t === 'any' ? null : t;
}

/**
 * Where a type link points: `crm-deal-get.md#deal` relative to the page, or `#deal` on it.
 * Links to the shared data-types page are primitives, not field tables.
 * @param {string} doc
 * @param {string | null} ref
 */
export function refTarget(doc, ref) {
  if (!ref || !ref.includes('#')) return null;
  const [path, anchor] = /** @type {[string, string]} */ (ref.split('#', 2));
  if (!anchor || /data-types\.md$/.test(path)) return null;
  const target = path ? posix.normalize(posix.join(posix.dirname(doc), path)) : doc;
  return { doc: target, anchor };
}

/**
 * An entity type for a link to a field table, or null when the link is not one.
 * @param {string} word the docs type text (`deal`, `deal[]`, `object`)
 * @param {{ doc: string, anchor: string }} target
 * @param {{ domain: string, file: string, types: TypeRegistry, tableAt: (doc: string, anchor: string) => FieldTable | undefined }} ctx
 * @param {number} depth
 * @returns {string | null}
 */
function namedType(word, target, ctx, depth) {
  if (depth >= MAX_DEPTH) return null;
  const table = ctx.tableAt(target.doc, target.anchor);
  if (!table || !table.fields.length) return null;
  const isArray = /\[\]\s*$/.test(word.trim()) || /^array$/i.test(word.trim());
  const base = word.trim().replace(/\[\]\s*$/, '');
  const generic = /^(object|array|any|mixed|)$/i.test(base) || mapDocType(base) !== 'any';
  const wanted = pascal(generic ? target.anchor : base) || pascal(table.heading) || 'Item';
  const name = ctx.types.nameFor(
    ctx.domain,
    `${target.doc}#${target.anchor}`,
    wanted,
    ctx.file,
    () => {
      /** @type {EntityType} */ const t = { fields: {} };
      for (const f of table.fields) {
        if (!IDENT.test(f.name)) {
          if (/[*]|\.\.\.|…/.test(f.name)) t.open = true;
          continue;
        }
        if (t.fields[f.name]) continue;
        let type = refFieldType(f, target.doc, ctx) ?? mapDocType(f.type, f.description);
        const sub = refTarget(target.doc, f.ref);
        if (sub && !(sub.doc === target.doc && sub.anchor === target.anchor))
          type = namedType(f.type, sub, ctx, depth + 1) ?? type;
        /** @type {{ type: string, readOnly?: boolean }} */ const field = { type };
        if (f.readOnly) field.readOnly = true;
        t.fields[f.name] = field;
      }
      return t;
    },
    table.fields.map((f) => f.name),
  );
  return isArray ? `${name}[]` : name;
}

/**
 * Metadata a new method gets when nobody wrote it by hand.
 * @param {string} method
 * @param {MethodFacts} facts
 */
export function defaultMetadata(method, facts) {
  const last = (method.split('.').pop() ?? '').toLowerCase();
  /** @type {Record<string, any>} */ const meta = {};
  meta.idempotent =
    /^(get|list|fields|getfields|getlist|count|search|find|info|current|status|version|types|settings)$|^(get|list|fields|is|has|count|search|find)[a-z_]/.test(
      last,
    );
  const ex = /** @type {any} */ (facts.example);
  const result = ex && typeof ex === 'object' ? ex.result : undefined;
  /** @type {string | null} */ let rows = null;
  /** @type {any[]} */ let sample = [];
  if (Array.isArray(result)) {
    rows = '';
    sample = result;
  } else if (result && typeof result === 'object' && (/list|search|get/.test(last) || 'total' in ex)) {
    const arrays = Object.entries(result).filter(([, v]) => Array.isArray(v));
    if (arrays.length === 1) {
      rows = /** @type {[string, any[]]} */ (arrays[0])[0];
      sample = /** @type {[string, any[]]} */ (arrays[0])[1];
    }
  }
  if (rows !== null && ('total' in (ex ?? {}) || /list|search/.test(last))) {
    const first = sample.find((r) => r && typeof r === 'object');
    const idField = first ? ['ID', 'id', 'Id'].find((k) => k in first) : undefined;
    if (idField) meta.list = { rows, idField, keyset: false };
  }
  return meta;
}
