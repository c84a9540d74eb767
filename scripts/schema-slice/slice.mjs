#!/usr/bin/env node
// Writes the schema slice the foundation needs (the OPI parity methods plus a few system
// methods) from the docs catalog into schema/<domain>/<entity>.yaml. Facts (names, scopes,
// params, result tables, response examples) come from catalog.json; everything the catalog
// cannot say lives in overrides.mjs. The rest of the surface (every other documented method)
// is then merged on top by scripts/restdocs from a docs checkout, so one run rebuilds the
// whole schema. Usage:
//   node scripts/schema-slice/slice.mjs [path/to/bitrix24-rest]   (default: see scripts/shared-ref.mjs)
//   B24_DOCS=path/to/b24restdocs (default /tmp/b24restdocs): the docs checkout for the merge
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sync } from '../restdocs/sync.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isMap, isScalar, visit } from 'yaml';
import * as o from './overrides.mjs';
import * as eventOverrides from './event-overrides.mjs';
import { buildEvents, writeEvents } from './events.mjs';
import { sharedRestDir } from '../shared-ref.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const refDir = process.argv[2] ?? sharedRestDir();
const docsDir = process.env.B24_DOCS ?? '/tmp/b24restdocs';
if (!existsSync(join(docsDir, 'api-reference'))) {
  // Without the docs the slice would drop every method it does not carry itself.
  console.error(`slice: no docs checkout at ${docsDir} (set B24_DOCS); fetch bitrix24/b24restdocs first. Nothing written.`);
  process.exit(1);
}
const catalog = JSON.parse(readFileSync(join(refDir, 'catalog.json'), 'utf8'));
const parity = readFileSync(join(refDir, 'opi-parity.tsv'), 'utf8');

// --- which methods ---------------------------------------------------------------------------
const wanted = new Set(o.extraMethods.map((m) => m.toLowerCase()));
for (const line of parity.split('\n').slice(1)) {
  const cols = line.split('\t');
  if (cols[4] !== 'remote') continue;
  // "disk.folder.uploadFile (GET -> uploadUrl) + multipart POST ..." -> "disk.folder.uploadFile"
  wanted.add(cols[2].replace(/\s*[(+].*$/, '').trim().toLowerCase());
}
// Classic REST 2 pages only: OPI calls the classic methods, never their REST 3.0 namesakes.
const byLower = new Map();
for (const m of catalog.methods) if (!m.apiVersion) byLower.set(m.method.toLowerCase(), m);
const picked = [...wanted].map((name) => {
  const m = byLower.get(name);
  if (!m) throw new Error(`method ${name} is not in the catalog; describe it in overrides.mjs`);
  return m;
});
picked.sort((a, b) => (a.method < b.method ? -1 : 1));

// --- helpers -----------------------------------------------------------------------------------
const pascal = (s) => s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c) => c.toUpperCase());
const singular = (s) => (s.endsWith('ies') ? s.slice(0, -3) + 'y' : s.endsWith('s') && !s.endsWith('ss') ? s.slice(0, -1) : s);
const validName = (n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n);
const domainOfMethod = (name) => {
  const first = name.split('.')[0];
  const d = o.domainOf[first];
  if (!d) throw new Error(`no domain for ${name}`);
  return d;
};
const entityOfMethod = (name) => {
  for (const [prefix, e] of Object.entries(o.entityOf)) if (name.startsWith(prefix + '.')) return e;
  const parts = name.split('.');
  if (domainOfMethod(name) === 'main') return 'main';
  return parts.length >= 3 ? parts[1].toLowerCase() : parts[0];
};

/** Maps a docs type word to a schema type expression (input side). */
function docType(t) {
  if (!t) return 'any';
  if (t.endsWith('[]')) return docType(t.slice(0, -2)) + '[]';
  switch (t) {
    case 'integer': case 'double': case 'string': case 'boolean': case 'date': case 'datetime': case 'object': case 'file':
      return t;
    case 'text': return 'string';
    case 'char': return 'yn';
    case 'order': return 'object';
    case 'array': return 'any[]';
    case 'user': case 'crm_company': case 'crm_contact': case 'crm_lead': case 'crm_quote': case 'crm_entity':
    case 'crm_category':
      return 'integer';
    case 'crm_status': case 'crm_currency': case 'location':
      return 'string';
    default: return 'any';
  }
}

/** Schema type of a value as the wire sent it. */
function wireTypeOfScalar(v) {
  if (v === null || v === undefined) return 'any';
  if (typeof v === 'string') return v === 'Y' || v === 'N' ? 'yn' : 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'double';
  if (typeof v === 'boolean') return 'boolean';
  return 'any';
}

// --- types, per domain ---------------------------------------------------------------------
/** domain -> name -> { file, def } */
const types = new Map();
function putType(domain, file, name, def) {
  let d = types.get(domain);
  if (!d) types.set(domain, (d = new Map()));
  const old = d.get(name);
  if (!old) {
    d.set(name, { file, def });
    return;
  }
  // Same name seen again (several methods return the same object): merge the fields.
  const a = old.def.fields;
  const b = def.fields;
  for (const [k, f] of Object.entries(a)) if (!(k in b)) f.required = false;
  for (const [k, f] of Object.entries(b)) {
    if (!(k in a)) a[k] = { ...f, required: false };
    else a[k].type = unionType(a[k].type, f.type);
  }
  if (def.open) old.def.open = true;
}
function unionType(x, y) {
  if (x === y || y === 'any') return x;
  if (x === 'any') return y;
  const parts = new Set([...x.split(' | '), ...y.split(' | ')]);
  return [...parts].sort().join(' | ');
}
const isTimeEnvelope = (v) => v && typeof v === 'object' && 'start' in v && 'finish' in v && 'duration' in v;
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Infers a type expression for an example value, registering named object types. */
function infer(domain, file, value, name, nested = {}) {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'any[]';
    if (value.every(isPlainObject)) {
      for (const el of value) infer(domain, file, el, name, nested);
      return `${name}[]`;
    }
    return `${wireTypeOfScalar(value[0])}[]`;
  }
  if (!isPlainObject(value)) return wireTypeOfScalar(value);
  const keys = Object.keys(value).filter((k) => !(k === 'time' && isTimeEnvelope(value[k])));
  if (keys.length === 0) return 'object';
  // Objects keyed by ids ({"13": {...}, "103": {...}}) are maps, not records with fixed fields.
  if (keys.every((k) => /^\d+$/.test(k))) {
    const vals = keys.map((k) => value[k]);
    if (vals.every(isPlainObject)) {
      for (const v of vals) infer(domain, file, v, name, nested);
      return `Record<${name}>`;
    }
    return `Record<${wireTypeOfScalar(vals[0])}>`;
  }
  const fields = {};
  let open = false;
  for (const k of keys) {
    if (!validName(k)) { open = true; continue; }
    const childName = nested[k] ?? name + pascal(singular(k));
    // A nested name of 'object' keeps a shape that varies from row to row untyped.
    const t = childName === 'object' ? (isPlainObject(value[k]) ? 'object' : wireTypeOfScalar(value[k])) : infer(domain, file, value[k], childName, nested);
    fields[k] = { type: t, required: true };
  }
  putType(domain, file, name, { fields, ...(open ? { open: true } : {}) });
  return name;
}

/** An entity type from a docs field table, typed the way the wire sends it (per the example). */
function tableType(domain, file, name, ref, example, heading) {
  const table = catalog.types[ref] ?? catalog.types[ref.replace(/^.*?api-reference/, 'api-reference')];
  if (!table) throw new Error(`type table ${ref} not in catalog`);
  const fields = {};
  let open = false;
  const ex = Array.isArray(example) ? example[0] : example;
  for (const f of table.fields) {
    if (!validName(f.name)) { open = true; continue; }
    const t = docType(f.type);
    const field = { type: t };
    const v = isPlainObject(ex) ? ex[f.name] : undefined;
    // Legacy methods send numbers as strings; the example decides, strings by default.
    if ((t === 'integer' || t === 'double') && typeof v !== 'number') field.wire = 'string';
    if (f.readOnly) field.readOnly = true;
    fields[f.name] = field;
  }
  if (isPlainObject(ex)) {
    // Portal-specific user fields in the example (UF_CRM_17..., PARENT_ID_1220) are covered by open.
    for (const [k, v] of Object.entries(ex)) if (!(k in fields) && validName(k) && !/^(UF_|PARENT_ID_)/.test(k)) fields[k] = { type: wireTypeOfScalar(v) };
  }
  putType(domain, file, name, { description: `${heading ?? name} (fields optional: list methods return only what select asks for).`, fields, open: true });
}

// --- params ----------------------------------------------------------------------------------
const groupKey = (s) => s.toLowerCase().replace(/parameter/g, '').replace(/[^a-z0-9_]/g, '');
function buildParams(m) {
  const groups = new Map(Object.entries(m.paramGroups ?? {}).map(([k, v]) => [groupKey(k), v]));
  const params = {};
  let wildcard = false;
  const toParam = (p, depth) => {
    let type = docType(p.type);
    const out = { type };
    if (p.required) out.required = true;
    const g = depth < 2 ? groups.get(groupKey(p.name)) : undefined;
    if (g && (type === 'object' || type === 'any[]' || type === 'any')) {
      const fields = {};
      let open = false;
      for (const f of g) {
        if (!validName(f.name)) { open = true; continue; }
        fields[f.name] = toParam(f, depth + 1);
      }
      out.type = type === 'any[]' ? 'object[]' : 'object';
      out.fields = fields;
      if (open) out.open = true;
    }
    if (out.type === 'any[]' && /^(filter|order|data|fields|params)$/i.test(p.name)) out.type = 'object';
    return out;
  };
  for (const p of m.params ?? []) {
    if (!validName(p.name)) { wildcard = true; continue; }
    params[p.name] = toParam(p, 0);
  }
  const fixes = o.paramFixes[m.method] ?? {};
  for (const [k, fix] of Object.entries(fixes)) {
    const { first, ...rest } = fix;
    params[k] = { ...(params[k] ?? { type: 'any' }), ...rest };
    if (first) {
      const { [k]: moved, ...others } = params;
      Object.keys(params).forEach((x) => delete params[x]);
      Object.assign(params, { [k]: moved }, others);
    }
  }
  return { params, wildcard };
}

// --- methods -------------------------------------------------------------------------------
const files = new Map(); // "domain/entity" -> { methods: {} }
const readLike = /\.(get|getlist|list|fields|getfields|getbyid|status|settings|current|search|time|info|getchildren|getaccess|getexternallink|important)$|^(profile|scope|methods|server\.time)$/i;

for (const m of picked) {
  const name = m.method;
  const domain = domainOfMethod(name);
  const fileKey = `${domain}/${entityOfMethod(name)}`;
  if (!files.has(fileKey)) files.set(fileKey, { methods: {} });
  const { params, wildcard } = buildParams(m);
  const r = o.results[name];
  const example = isPlainObject(m.responseExample) ? m.responseExample.result : undefined;
  let result;
  if (r) {
    result = r.type;
    if (r.table) {
      const ref = m.resultTypeRef ?? '';
      tableType(domain, fileKey, r.table, ref, example, catalog.types[ref]?.heading);
    } else if (r.inferRecord && isPlainObject(example)) {
      const map = r.recordPath ? example[r.recordPath] : example;
      for (const v of Object.values(map ?? {})) infer(domain, fileKey, v, r.inferRecord, r.nested ?? {});
    } else if (r.infer !== false && example !== undefined) {
      const base = r.type.replace(/\[\]$/, '').split(' | ')[0];
      if (/^[A-Z]/.test(base)) infer(domain, fileKey, r.fromArray && Array.isArray(example) ? example[0] : example, base, r.nested ?? {});
    }
  } else {
    result = docType(m.resultType ?? 'any');
    if (m.resultType === 'array' && Array.isArray(example)) result = infer(domain, fileKey, example, pascal(name.split('.').slice(1).join('.')) + 'Row');
    if (result === 'object' && isPlainObject(example)) result = infer(domain, fileKey, example, pascal(name.split('.').slice(1).join('.')) + 'Result');
    if (result === 'any' && example !== undefined && example !== null && typeof example !== 'object') result = wireTypeOfScalar(example);
  }
  const last = name.split('.').pop().toLowerCase();
  const entityWord = name.split('.').slice(0, -1).join('.') || name;
  const description =
    o.descriptions[name] ??
    (o.verbDescriptions[last] ? o.verbDescriptions[last].replace('{e}', `\`${entityWord}\``) : `Calls \`${name}\`.`);
  const def = {
    scope: m.scopes?.[0] ?? domain,
    ...(m.docUrl ? { docUrl: m.docUrl } : {}),
    description,
    params,
    result,
  };
  const idem = (readLike.test(name) || o.idempotentExtra.includes(name)) && !o.notIdempotent.includes(name);
  def.idempotent = idem;
  if (o.appOnly.includes(name)) def.appOnly = true;
  if (o.positionalPrefixes.some((p) => name.startsWith(p))) def.positional = Object.keys(params);
  if (o.lists[name]) def.list = o.lists[name];
  if (wildcard || o.openParams.includes(name)) def.openParams = true;
  if (m.deprecated) def.deprecated = o.replacements[name] ? { replacement: o.replacements[name] } : true;
  files.get(fileKey).methods[name] = def;
}

// Hand-written types go into the first file of their domain.
for (const [domain, defs] of Object.entries(o.handTypes)) {
  const first = [...files.keys()].filter((k) => k.startsWith(domain + '/')).sort()[0];
  for (const [name, def] of Object.entries(defs)) putType(domain, first, name, structuredClone(def));
}

// --- write -----------------------------------------------------------------------------------
const sortObj = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
for (const dir of new Set([...files.keys()].map((k) => k.split('/')[0]))) rmSync(join(root, 'schema', dir), { recursive: true, force: true });
const header = '# Written by scripts/schema-slice/slice.mjs from the docs catalog + overrides.mjs.\n# Re-run the slice after changing overrides; hand edits here are kept only until then.\n';
for (const [key, f] of [...files].sort()) {
  const domain = key.split('/')[0];
  const fileTypes = {};
  for (const [name, t] of types.get(domain) ?? []) if (t.file === key) fileTypes[name] = clean(t.def);
  const doc = {};
  if (Object.keys(fileTypes).length) doc.types = sortObj(fileTypes);
  doc.methods = sortObj(f.methods);
  const path = join(root, 'schema', key + '.yaml');
  mkdirSync(dirname(path), { recursive: true });
  const yamlDoc = new Document(doc, { aliasDuplicateObjects: false });
  // Leaf maps ({ type: integer, required: true }) read best on one line.
  visit(yamlDoc, {
    Map(_, node) {
      if (node.items.every((p) => isScalar(p.value) || (isMap(p.value) === false && p.value?.flow))) node.flow = true;
    },
    Seq(_, node) {
      node.flow = true;
    },
  });
  writeFileSync(path, header + yamlDoc.toString({ lineWidth: 0 }));
}
function clean(def) {
  const fields = {};
  // Docs examples show one portal's answer: only small objects (<= 6 fields, such as
  // { dialogId, chatId, lastId, counter }) are trusted to always carry every field; rows of big
  // entities depend on select and on the portal, so their fields stay optional.
  const trustRequired = Object.keys(def.fields).length <= 6;
  for (const [k, f] of Object.entries(def.fields)) {
    const { required, ...rest } = f;
    fields[k] = required && trustRequired ? { ...rest, required: true } : rest;
  }
  return { ...(def.description ? { description: def.description } : {}), fields, ...(def.open ? { open: true } : {}) };
}
writeFileSync(
  join(root, 'schema', 'SOURCE.yaml'),
  `# Which docs commit the schema facts were taken from (scripts/schema-slice, scripts/restdocs).\nrepository: ${catalog.source ?? 'https://github.com/bitrix24/b24restdocs'}\ncommit: ${catalog.commit}\nmethods: ${picked.length}\n`,
);
console.log(`wrote ${files.size} files, ${picked.length} methods`);

// Every documented event, into schema/<domain>/events.yaml (the merge below keeps them).
const events = buildEvents(catalog, { docsDir, overrides: eventOverrides });
writeEvents(join(root, 'schema'), events);
console.log(`wrote ${[...events.values()].reduce((n, e) => n + Object.keys(e).length, 0)} events in ${events.size} domains`);

// The whole surface: every other documented method, merged around the hand-written slice.
const merged = sync({ docs: docsDir, schema: join(root, 'schema'), changesetDir: mkdtempSync(join(tmpdir(), 'b24-slice-')) });
console.log(`merged the docs at ${merged.commit.slice(0, 12)}: ${merged.methods} methods in the schema`);
