// @ts-check
// Stage 2: raw schema -> IR. Decides every name the emitter writes (TS identifiers, file
// groups), applies defaults, and sorts, so emit is a pure rendering of this model.
import { parseTypeExpr, refsOf } from './type-expr.mjs';

/** @typedef {import('./type-expr.mjs').TypeNode} TypeNode */
/** @typedef {{ name: string, typeText: string, type: TypeNode, required: boolean, description?: string, fields?: ParamIR[], open: false | string[] }} ParamIR */
/** @typedef {{ name: string, type: TypeNode, required: boolean, readOnly: boolean, wire?: 'string'|'yn', description?: string }} FieldIR */
/** @typedef {{ name: string, description?: string, fields: FieldIR[], open: false | string[], input: boolean }} TypeIR */
/**
 * @typedef {{ name: string, domain: string, scope: string, docUrl?: string, description?: string,
 *   params: ParamIR[], result: TypeNode, idempotent: boolean, batchable: boolean, appOnly: boolean,
 *   apiVersion: 2|3, positional?: string[], list?: Record<string, string|boolean>, openParams: false | true | string[], openReason?: string,
 *   deprecated: false | { replacement?: string },
 *   ids: { fn: string, params: string, result: string } }} MethodIR
 */
/**
 * @typedef {{ name: string, wireName: string, domain: string, scope?: string, docUrl?: string, description?: string,
 *   data: { fields: ParamIR[], open: boolean } | { type: TypeNode }, openReason?: string, deprecated: boolean, ids: { data: string } }} EventIR
 */
/**
 * @typedef {{ name: string, folder: string, types: TypeIR[], methods: MethodIR[], events: EventIR[],
 *   ids: { namespace: string, methods: string, events: string } }} DomainIR
 */
/** @typedef {{ domains: DomainIR[], shared: TypeIR[] }} Model */

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

const cmp = (/** @type {string} */ a, /** @type {string} */ b) => (a < b ? -1 : a > b ? 1 : 0);
/** `disk.folder.getExternalLink` -> `DiskFolderGetExternalLink` @param {string} name */
export const pascalOf = (name) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => /** @type {string} */ (s[0]).toUpperCase() + s.slice(1))
    .join('');
/** @param {string} name */
export const camelOf = (name) => {
  const p = pascalOf(name);
  return /** @type {string} */ (p[0]).toLowerCase() + p.slice(1);
};

/** Read-like names are safe to repeat when the schema does not say. */
const READ_LIKE = /\.(get|list|getlist|fields|getfields|status|current)$/i;

/**
 * @param {{ files: import('./load.mjs').SchemaFile[] }} raw
 * @returns {Model}
 */
export function buildModel(raw) {
  /** @type {Map<string, DomainIR>} */
  const domains = new Map();
  /** @type {TypeIR[]} */
  const shared = [];
  /** @type {Set<string>} */
  const taken = new Set();
  const claim = (/** @type {string} */ id, /** @type {string} */ what) => {
    if (taken.has(id)) throw new Error(`generated name ${id} (${what}) collides with another generated name`);
    taken.add(id);
  };

  for (const f of raw.files) {
    const target = f.shared ? null : (domains.get(f.domain) ?? makeDomain(f.domain, domains));
    for (const [name, t] of Object.entries(f.data.types ?? {})) {
      /** @type {TypeIR} */
      const ir = {
        name,
        ...(t.description ? { description: t.description } : {}),
        open: familyOf(t.open),
        input: false,
        fields: Object.entries(t.fields).map(([fname, fd]) => ({
          name: fname,
          type: parseTypeExpr(fd.type),
          required: !!fd.required,
          readOnly: !!fd.readOnly,
          ...(fd.wire ? { wire: fd.wire } : {}),
          ...(fd.description ? { description: fd.description } : {}),
        })),
      };
      (target ? target.types : shared).push(ir);
    }
    if (!target) continue;
    for (const [name, m] of Object.entries(f.data.methods ?? {})) {
      const pascal = pascalOf(name);
      const fn = camelOf(name);
      if (RESERVED.has(fn)) throw new Error(`${f.path}: method ${name} would be named ${fn}, a reserved word`);
      if (m.openParams === true && !m.openReason) {
        throw new Error(
          `${f.path}: method ${name} has openParams: true without an openReason (say why any name is accepted, or list the prefixes)`,
        );
      }
      /** @type {MethodIR} */
      const ir = {
        name,
        domain: f.domain,
        scope: m.scope,
        ...(m.docUrl ? { docUrl: m.docUrl } : {}),
        ...(m.description ? { description: m.description } : {}),
        params: toParams(m.params ?? {}),
        result: parseTypeExpr(m.result),
        idempotent: m.idempotent ?? READ_LIKE.test(name),
        batchable: m.batchable ?? true,
        appOnly: m.appOnly ?? false,
        apiVersion: m.apiVersion ?? 2,
        ...(m.positional ? { positional: m.positional } : {}),
        ...(m.list ? { list: m.list } : {}),
        openParams: Array.isArray(m.openParams) ? m.openParams : !!m.openParams,
        ...(m.openReason ? { openReason: m.openReason } : {}),
        deprecated: m.deprecated === true ? {} : m.deprecated ? { replacement: m.deprecated.replacement } : false,
        ids: { fn, params: `${pascal}Params`, result: `${pascal}Result` },
      };
      target.methods.push(ir);
      // A renamed or re-cased method keeps each former name as a deprecated alias (same params
      // and result; Bitrix24 matches names case-insensitively).
      for (const former of m.formerNames ?? []) {
        const aliasFn = camelOf(former);
        const aliasPascal = pascalOf(former);
        target.methods.push({
          ...ir,
          name: former,
          deprecated: { replacement: name },
          ids: { fn: aliasFn, params: `${aliasPascal}Params`, result: `${aliasPascal}Result` },
        });
      }
    }
    for (const [name, e] of Object.entries(f.data.events ?? {})) {
      if (e.dataOpen && !e.openReason) {
        throw new Error(
          `${f.path}: event ${name} has dataOpen: true without an openReason (say why its data is not typed, or type it from the event page)`,
        );
      }
      /** @type {EventIR} */
      const ir = {
        name,
        // Bitrix24 sends (and matches) event names in upper case: the typed map is keyed by it.
        wireName: name.toUpperCase(),
        domain: f.domain,
        ...(e.scope ? { scope: e.scope } : {}),
        ...(e.docUrl ? { docUrl: e.docUrl } : {}),
        ...(e.description ? { description: e.description } : {}),
        data:
          typeof e.data === 'string'
            ? { type: parseTypeExpr(e.data) }
            : { fields: toParams(e.data), open: !!e.dataOpen },
        ...(e.dataOpen ? { openReason: e.openReason } : {}),
        deprecated: !!e.deprecated,
        ids: { data: `${pascalOf(name)}Data` },
      };
      target.events.push(ir);
    }
  }

  for (const d of domains.values()) nameDomain(d);
  const subpaths = new Map();
  for (const d of domains.values()) {
    const other = subpaths.get(d.name);
    if (other)
      throw new Error(`schema folders ${other} and ${d.folder} would both be the subpath @b24kit/client/${d.name}`);
    subpaths.set(d.name, d.folder);
  }
  const sorted = [...domains.values()].sort((a, b) => cmp(a.name, b.name));
  for (const d of sorted) {
    d.types.sort((a, b) => cmp(a.name, b.name));
    d.methods.sort((a, b) => cmp(a.name, b.name));
    d.events.sort((a, b) => cmp(a.wireName, b.wireName));
    claim(d.ids.namespace, `namespace of ${d.name}`);
    claim(d.ids.methods, `method map of ${d.name}`);
    claim(d.ids.events, `event map of ${d.name}`);
    if (d.events.length && d.types.some((t) => t.name === d.ids.events))
      throw new Error(`type ${d.ids.events} in domain ${d.name} collides with its event map`);
    for (const e of d.events) {
      // Payload types are re-exported together from the package root, so they must be unique overall.
      claim(e.ids.data, `data of event ${e.wireName}`);
      if (d.types.some((t) => t.name === e.ids.data))
        throw new Error(`type ${e.ids.data} in domain ${d.name} collides with the data type of event ${e.wireName}`);
    }
    for (const t of d.types) claim(`${d.name}:${t.name}`, `type ${t.name}`);
    for (const m of d.methods) {
      claim(m.ids.fn, m.name);
      for (const id of [m.ids.params, m.ids.result]) {
        // Types live per domain: only a clash inside the domain matters.
        claim(`${d.name}:${id}`, m.name);
        if (d.types.some((t) => t.name === id))
          throw new Error(`type ${id} in domain ${d.name} collides with a method's ${id}`);
      }
    }
    markInputTypes(d, shared);
  }
  shared.sort((a, b) => cmp(a.name, b.name));
  return { domains: sorted, shared };
}

/** @param {string} folder @param {Map<string, DomainIR>} domains */
function makeDomain(folder, domains) {
  /** @type {DomainIR} */
  const d = {
    name: folder,
    folder,
    types: [],
    methods: [],
    events: [],
    ids: { namespace: '', methods: '', events: '' },
  };
  domains.set(folder, d);
  return d;
}

/**
 * The one naming rule for subpaths (`@b24kit/client/<name>`): a domain is named after a REST
 * root, the first segment of its method names. The folder's own name when some of its methods
 * start with it (`crm`, `tasks`), else the root most of its methods share, ties broken
 * alphabetically (schema/chatbots holds `imbot.*`: `@b24kit/client/imbot`). A folder with no
 * methods keeps its name.
 * @param {DomainIR} d
 */
function nameDomain(d) {
  /** @type {Map<string, number>} */
  const roots = new Map();
  for (const m of d.methods) {
    const root = /** @type {string} */ (m.name.split('.')[0]);
    roots.set(root, (roots.get(root) ?? 0) + 1);
  }
  if (roots.size && !roots.has(d.folder)) {
    d.name = /** @type {[string, number]} */ ([...roots].sort(([a, x], [b, y]) => y - x || cmp(a, b))[0])[0];
  }
  for (const m of d.methods) m.domain = d.name;
  for (const e of d.events) e.domain = d.name;
  const pascal = pascalOf(d.name);
  d.ids = { namespace: `${pascal}Namespace`, methods: `${pascal}Methods`, events: `${pascal}Events` };
}

/**
 * An open family of names: `true` is the user fields (`UF_*`), a list names the prefixes.
 * @param {boolean | string[] | undefined} open @returns {false | string[]}
 */
const familyOf = (open) => (Array.isArray(open) ? [...open] : open ? ['UF_'] : false);

/** @param {Record<string, any>} params @returns {ParamIR[]} */
function toParams(params) {
  return Object.entries(params).map(([name, p]) => ({
    name,
    typeText: String(p.type),
    type: parseTypeExpr(p.type),
    required: !!p.required,
    open: familyOf(p.open),
    ...(p.description ? { description: p.description } : {}),
    ...(p.fields ? { fields: toParams(p.fields) } : {}),
  }));
}

/**
 * Types used on the input side (as a param type) also get an `<Name>Input` variant.
 * @param {DomainIR} d
 * @param {TypeIR[]} shared
 */
function markInputTypes(d, shared) {
  const byName = new Map([...shared, ...d.types].map((t) => [t.name, t]));
  /** @type {string[]} */
  const queue = [];
  /** @param {ParamIR[]} params */
  const visitParams = (params) => {
    for (const p of params) {
      queue.push(...refsOf(p.type));
      if (p.fields) visitParams(p.fields);
    }
  };
  for (const m of d.methods) visitParams(m.params);
  while (queue.length) {
    const t = byName.get(/** @type {string} */ (queue.pop()));
    if (!t || t.input) continue;
    t.input = true;
    for (const f of t.fields) queue.push(...refsOf(f.type));
  }
}
