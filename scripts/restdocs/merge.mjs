// @ts-check
// The three-way merge of one schema entry: the docs facts of the last sync are the base, the
// YAML is ours, the facts of the docs being synced are theirs. Per key (recursively through
// params, nested fields, list shapes and entity type fields):
//   ours == base (nobody edited it by hand)  -> theirs, in every direction (a type, `required`
//                                               removed, a result, a description, a removed key)
//   theirs == base (the docs did not change)  -> ours (the hand edit stays)
//   both changed, differently                 -> ours, and the path is reported as a conflict
// A key the base does not have was added by hand (or by the docs for the first time): with no
// base at all (an entry written before the base existed) the merge is a union, ours winning.

/** @typedef {Record<string, any>} Obj */
/** @typedef {{ path: string, ours: unknown, base: unknown, theirs: unknown }} Conflict */

export const METHOD_KEY_ORDER = [
  'scope',
  'docUrl',
  'description',
  'params',
  'openParams',
  'result',
  'idempotent',
  'batchable',
  'appOnly',
  'apiVersion',
  'positional',
  'list',
  'deprecated',
  'verb',
  'formerNames',
];

/** @param {unknown} v @returns {v is Obj} */
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep equality of JSON values; key order does not matter. @param {unknown} a @param {unknown} b @returns {boolean} */
export function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same(a[k], b[k]));
}

/**
 * @param {unknown} base the docs value at the last sync (undefined: absent, or no base known)
 * @param {unknown} ours the schema's value
 * @param {unknown} theirs the new docs value
 * @param {{ path: string, conflicts: Conflict[], noBase?: boolean }} ctx
 * @returns {unknown} the merged value (undefined: absent)
 */
export function merge3(base, ours, theirs, ctx) {
  if (same(ours, theirs)) return ours;
  if (!ctx.noBase && same(ours, base)) return aligned(theirs, ours);
  if (ctx.noBase && ours === undefined) return theirs;
  if (same(base, theirs)) return ours;
  if (isObj(ours) && isObj(theirs) && (base === undefined || isObj(base))) {
    const b = /** @type {Obj} */ (base ?? {});
    /** @type {Obj} */ const out = {};
    for (const k of unionOrder(Object.keys(ours), Object.keys(theirs))) {
      const v = merge3(b[k], ours[k], theirs[k], { ...ctx, path: `${ctx.path}.${k}` });
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (!ctx.noBase) ctx.conflicts.push({ path: ctx.path, ours, base, theirs });
  return ours;
}

/**
 * Their value with the keys in ours' order where both have them (a layout written by hand stays
 * when the content follows the docs).
 * @param {unknown} theirs
 * @param {unknown} ours
 * @returns {unknown}
 */
export function aligned(theirs, ours) {
  if (!isObj(theirs) || !isObj(ours)) return theirs;
  /** @type {Obj} */ const out = {};
  for (const k of unionOrder(
    Object.keys(ours).filter((k) => k in theirs),
    Object.keys(theirs),
  ))
    out[k] = aligned(theirs[k], ours[k]);
  return out;
}

/**
 * Ours' order, with keys only theirs has placed after their nearest predecessor in theirs
 * (so a param the docs drop and bring back returns to its place).
 * @param {string[]} ours
 * @param {string[]} theirs
 */
export function unionOrder(ours, theirs) {
  const out = [...ours];
  for (let i = 0; i < theirs.length; i++) {
    const k = /** @type {string} */ (theirs[i]);
    if (out.includes(k)) continue;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const p = out.indexOf(/** @type {string} */ (theirs[j]));
      if (p >= 0) {
        at = p + 1;
        break;
      }
    }
    out.splice(at, 0, k);
  }
  return out;
}

/**
 * One method: base facts, our entry, their facts.
 * @param {Obj | undefined} base
 * @param {Obj | undefined} ours
 * @param {Obj} theirs
 * @param {{ path: string, conflicts: Conflict[] }} ctx
 * @returns {Obj}
 */
export function mergeMethod(base, ours, theirs, ctx) {
  if (!ours) return orderKeys(theirs, METHOD_KEY_ORDER);
  const merged = /** @type {Obj} */ (merge3(base, ours, theirs, { ...ctx, noBase: base === undefined }) ?? {});
  return orderMethod(merged, ours);
}

/** Key order of a merged entry: ours' keys first (hand layouts stay), then the usual order. @param {Obj} m @param {Obj} ours */
export function orderMethod(m, ours) {
  return orderKeys(m, [...Object.keys(ours), ...METHOD_KEY_ORDER]);
}

/**
 * One entity type.
 * @param {Obj | undefined} base
 * @param {Obj | undefined} ours
 * @param {Obj | undefined} theirs
 * @param {{ path: string, conflicts: Conflict[] }} ctx
 * @returns {Obj | undefined}
 */
export function mergeType(base, ours, theirs, ctx) {
  if (!ours) return theirs;
  if (!theirs && base === undefined) return ours;
  return /** @type {Obj | undefined} */ (merge3(base, ours, theirs, { ...ctx, noBase: base === undefined }));
}

/** @param {Obj} o @param {string[]} first */
export function orderKeys(o, first) {
  /** @type {Obj} */ const out = {};
  for (const k of first) if (o[k] !== undefined && !(k in out)) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out) && o[k] !== undefined) out[k] = o[k];
  return out;
}
