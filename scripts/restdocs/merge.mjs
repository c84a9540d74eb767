// Merges facts fresh from the docs into schema entries written (partly) by hand.
//
// Facts the docs own are replaced: scope, docUrl, apiVersion, deprecated (unless a hand-written
// `{ replacement }`), the set of params and, per param, `type` (unless the hand-written one says
// more: a type name, or a precise type where the docs say `object`/`array`), `open` and nested
// `fields`; `required` can only be added (the docs leave many mandatory params unmarked).
// Everything else is the hand's and is kept: description, result, list, idempotent, batchable,
// positional, appOnly, openParams, verb, param descriptions, type names, unknown keys.
// Types: a hand-written type gains the documented fields it lacks and loses nothing.

/** @typedef {Record<string, any>} Obj */

export const METHOD_KEY_ORDER = [
  'scope', 'docUrl', 'description', 'params', 'openParams', 'result', 'idempotent', 'batchable', 'appOnly',
  'apiVersion', 'positional', 'list', 'deprecated', 'verb',
];

const GENERIC = new Set(['any', 'any[]', 'object', 'object[]']);

/** A type expression naming an entity type (chosen by hand, never replaced by a docs word). @param {unknown} t */
export function isNamedType(t) {
  return typeof t === 'string' && /(^|[^A-Za-z_])[A-Z]/.test(t);
}

/**
 * @param {Obj | undefined} old the entry in the schema (undefined for a new method)
 * @param {Obj} fresh the entry built from the docs
 * @param {Obj} defaults metadata for a new method (idempotent, list, description)
 * @returns {Obj}
 */
export function mergeMethod(old, fresh, defaults) {
  if (!old) return ordered({ ...defaults, ...fresh, ...pick(defaults, ['description']) });
  /** @type {Obj} */ const out = { ...old };
  // openParams is a hand decision too (core stops checking names); the docs can only add it.
  if (fresh.openParams) out.openParams = true;
  for (const k of ['scope', 'docUrl', 'apiVersion']) {
    if (fresh[k] === undefined) delete out[k];
    else out[k] = fresh[k];
  }
  if (!(old.deprecated && typeof old.deprecated === 'object')) {
    if (fresh.deprecated) out.deprecated = true;
    else delete out.deprecated;
  }
  out.params = mergeParams(old.params ?? {}, fresh.params ?? {});
  if (out.result === undefined) out.result = fresh.result;
  // Hand-written entries keep their key order; new keys follow in the usual order.
  return orderKeys(out, [...Object.keys(old), ...METHOD_KEY_ORDER]);
}

/**
 * @param {Obj} old
 * @param {Obj} fresh
 */
export function mergeParams(old, fresh) {
  /** @type {Obj} */ const out = {};
  for (const name of Object.keys(old)) if (name in fresh) out[name] = mergeParam(old[name], fresh[name]);
  for (const name of Object.keys(fresh)) if (!(name in out)) out[name] = fresh[name];
  return out;
}

/**
 * @param {Obj} old
 * @param {Obj} fresh
 */
function mergeParam(old, fresh) {
  /** @type {Obj} */ const out = { ...old };
  // A hand-chosen type name, or any type where the docs only say `object`/`array`/nothing, stays.
  const handNamed = (isNamedType(old.type) && !isNamedType(fresh.type)) || refines(old, fresh);
  if (!handNamed) out.type = fresh.type;
  // The docs leave many mandatory params unmarked; a hand-written `required: true` stays.
  // A hand-written `required: false` stays too: the docs star "one of A or B" params as required.
  if (fresh.required && old.required !== false) out.required = true;
  if (fresh.fields && !handNamed) out.fields = mergeParams(old.fields ?? {}, fresh.fields);
  if (fresh.open) out.open = true;
  // key order: type, required, description, fields, open, then anything else
  return orderKeys(out, [...Object.keys(old), 'type', 'required', 'description', 'fields', 'open']);
}

/**
 * Whether the hand-written type says more than the docs' word for it: the docs' `object`,
 * `array` or nothing, `string` for a Y/N flag or a date, `double` for an integer.
 * @param {Obj} old
 * @param {Obj} fresh
 */
function refines(old, fresh) {
  const o = old.type;
  const f = fresh.type;
  if (o === undefined || o === f) return false;
  if (GENERIC.has(f)) return o !== 'any' && !(fresh.fields && !old.fields);
  if (f === 'string') return ['yn', 'date', 'datetime'].includes(o);
  if (f === 'double') return o === 'integer';
  if (f === 'any[]' || f === 'object[]') return typeof o === 'string' && o.endsWith('[]');
  return false;
}

/**
 * Adds documented fields a type lacks; keeps every field and attribute already there.
 * @param {Obj | undefined} old
 * @param {Obj} fresh
 */
export function mergeType(old, fresh) {
  if (!old) return fresh;
  /** @type {Obj} */ const out = { ...old, fields: { ...(old.fields ?? {}) } };
  for (const [name, f] of Object.entries(fresh.fields ?? {})) if (!(name in out.fields)) out.fields[name] = f;
  if (fresh.open && out.open === undefined) out.open = true;
  return out;
}

/** @param {Obj} o @param {string[]} keys */
function pick(o, keys) {
  /** @type {Obj} */ const out = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** @param {Obj} o */
function ordered(o) {
  return orderKeys(o, METHOD_KEY_ORDER);
}

/** @param {Obj} o @param {string[]} first */
function orderKeys(o, first) {
  /** @type {Obj} */ const out = {};
  for (const k of first) if (o[k] !== undefined) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out) && o[k] !== undefined) out[k] = o[k];
  return out;
}
