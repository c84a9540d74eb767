// Merges facts fresh from the docs into schema entries written (partly) by hand.
//
// Facts the docs own are replaced: scope, docUrl, apiVersion, deprecated (unless a hand-written
// `{ replacement }`), openParams, the set of params and, per param, `type` (unless a hand-chosen
// type name), `required`, `open` and nested `fields`. Everything else is the hand's and is kept:
// description, result, list, idempotent, batchable, positional, appOnly, verb, param
// descriptions, type names, unknown keys. Types: a hand-written type gains the documented
// fields it lacks and loses nothing.

/** @typedef {Record<string, any>} Obj */

export const METHOD_KEY_ORDER = [
  'scope', 'docUrl', 'description', 'params', 'openParams', 'result', 'idempotent', 'batchable', 'appOnly',
  'apiVersion', 'positional', 'list', 'deprecated', 'verb',
];

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
  for (const k of ['scope', 'docUrl', 'apiVersion', 'openParams']) {
    if (fresh[k] === undefined) delete out[k];
    else out[k] = fresh[k];
  }
  if (!(old.deprecated && typeof old.deprecated === 'object')) {
    if (fresh.deprecated) out.deprecated = true;
    else delete out.deprecated;
  }
  out.params = mergeParams(old.params ?? {}, fresh.params ?? {});
  if (out.result === undefined) out.result = fresh.result;
  return ordered(out);
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
  const handNamed = isNamedType(old.type) && !isNamedType(fresh.type);
  if (!handNamed) out.type = fresh.type;
  if (fresh.required) out.required = true;
  else delete out.required;
  if (fresh.fields && !handNamed) out.fields = mergeParams(old.fields ?? {}, fresh.fields);
  if (fresh.open) out.open = true;
  // key order: type, required, description, fields, open, then anything else
  return orderKeys(out, ['type', 'required', 'description', 'fields', 'open']);
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
