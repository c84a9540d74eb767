// One sync: docs checkout -> facts -> merged schema files, SOURCE.yaml, report, changeset.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { discoverMethodPages } from './discover.mjs';
import { mergeMethod, mergeType } from './merge.mjs';
import { DOCS_SITE, defaultMetadata, fileOfDoc, methodEntry, TypeRegistry } from './model.mjs';
import { parseMethodPage, tableFields, slug } from './page.mjs';
import { scanPage, plain } from './markdown.mjs';
import { changesetOf, diffMethod, emptyReport, formatReport } from './report.mjs';
import { loadSchema, renderEntityFile, writeText } from './schema-io.mjs';

/**
 * @typedef {{ docs: string, schema: string, dryRun?: boolean, commit?: string, changesetDir?: string }} SyncOptions
 * @typedef {{ report: import('./report.mjs').Report, text: string, commit: string, written: string[], changeset: string | null, methods: number }} SyncResult
 */

/** The commit of the docs checkout (a git work tree), or the one given. @param {string} docs @param {string | undefined} given */
export function docsCommit(docs, given) {
  if (given) return given;
  const git = (/** @type {string[]} */ args) =>
    execFileSync('git', ['-C', docs, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let top;
  try {
    top = realpathSync(git(['rev-parse', '--show-toplevel']));
  } catch {
    top = null;
  }
  // A folder inside some other repository (a test fixture, say) must not pin that repository's commit.
  if (top !== realpathSync(docs)) throw new Error(`cannot tell the docs commit: ${docs} is not the root of a git work tree; pass --commit <sha>`);
  return git(['rev-parse', 'HEAD']);
}

/**
 * @param {SyncOptions} opts
 * @returns {SyncResult}
 */
export function sync(opts) {
  if (!existsSync(join(opts.docs, 'api-reference'))) {
    throw new Error(`${opts.docs} is not a checkout of bitrix24/b24restdocs (no api-reference/ folder)`);
  }
  const commit = docsCommit(opts.docs, opts.commit);
  const { files, source } = loadSchema(opts.schema);
  const report = emptyReport();

  // Where every method already lives, and its hand-written entry.
  /** @type {Map<string, string>} */ const placeOf = new Map();
  /** @type {Map<string, Set<string>>} */ const typeNames = new Map();
  /** @type {Map<string, string>} */ const typeFile = new Map();
  for (const [rel, f] of files) {
    const domain = /** @type {string} */ (rel.split('/')[0]);
    for (const m of Object.keys(f.data.methods ?? {})) placeOf.set(m, rel);
    for (const t of Object.keys(f.data.types ?? {})) {
      const set = typeNames.get(domain) ?? new Set();
      set.add(t);
      typeNames.set(domain, set);
      typeFile.set(`${domain}/${t}`, rel);
    }
  }
  const prefixHome = siblingHomes(placeOf);

  // Facts, one page per method name: a name documented twice keeps REST 2 unless the schema
  // already chose 3.
  /** @type {Map<string, import('./page.mjs').MethodFacts>} */ const facts = new Map();
  for (const page of discoverMethodPages(opts.docs)) {
    const f = parseMethodPage(page.source, page.doc, page.method);
    const prev = facts.get(f.method);
    if (!prev) {
      facts.set(f.method, f);
      continue;
    }
    report.duplicates.push(`${f.method}: ${prev.doc}, ${f.doc}`);
    const rel = placeOf.get(f.method);
    const wanted = rel ? (files.get(rel)?.data.methods?.[f.method]?.apiVersion === 3 ? 3 : 2) : 2;
    if (prev.apiVersion !== wanted && f.apiVersion === wanted) facts.set(f.method, f);
  }

  // Field tables of any page, read on demand (result types often live on another page).
  /** @type {Map<string, Record<string, import('./page.mjs').FieldTable>>} */ const tableCache = new Map();
  for (const f of facts.values()) tableCache.set(f.doc, f.tables);
  const tableAt = (/** @type {string} */ doc, /** @type {string} */ anchor) => {
    let t = tableCache.get(doc);
    if (!t) {
      t = {};
      const path = join(opts.docs, doc);
      if (existsSync(path) && statSync(path).isFile()) {
        for (const table of scanPage(readFileSync(path, 'utf8')).tables) {
          if (!table.heading) continue;
          const a = table.heading.anchor ?? slug(table.heading.text);
          const fields = tableFields(table);
          if (a && !t[a] && fields.length) t[a] = { heading: plain(table.heading.text), anchor: a, fields };
        }
      }
      tableCache.set(doc, t);
    }
    return t[anchor];
  };

  const types = new TypeRegistry(typeNames);
  /** @type {Map<string, Record<string, any>>} */ const out = new Map();
  for (const [rel, f] of files) out.set(rel, structuredClone(f.data));
  /** @type {Map<string, Record<string, any>>} */ const docsExtras = new Map();

  const domainOfRoot = rootDomains(placeOf, facts);
  for (const name of [...facts.keys()].sort()) {
    const f = /** @type {import('./page.mjs').MethodFacts} */ (facts.get(name));
    const rel = placeOf.get(name) ?? prefixHome(name) ?? `${domainOfRoot(name)}/${fileOfDoc(f.doc, name).split('/')[1]}`;
    const domain = /** @type {string} */ (rel.split('/')[0]);
    const fresh = methodEntry(f, { domain, file: rel, types, tableAt });
    const file = out.get(rel) ?? { methods: {} };
    file.methods = file.methods ?? {};
    out.set(rel, file);
    const old = files.get(rel)?.data.methods?.[name];
    const defaults = { ...defaultMetadata(name, f), ...(f.summary ? { description: f.summary } : {}) };
    const merged = mergeMethod(old, fresh, defaults);
    file.methods[name] = merged;
    if (!old) report.added.push(name);
    else diffMethod(report, name, old, merged);
    if (!placeOf.has(name)) placeOf.set(name, rel);
    const extras = docsExtras.get(rel) ?? {};
    /** @type {Record<string, any>} */ const e = {};
    if (f.errors.length) e.errors = f.errors;
    if (f.example !== undefined) e.example = f.example;
    else if (f.exampleText) e.exampleText = f.exampleText;
    if (Object.keys(e).length) extras[name] = e;
    docsExtras.set(rel, extras);
  }

  // Methods the docs no longer have: dropped when they came from the docs, kept otherwise.
  for (const [rel, f] of files) {
    for (const [name, m] of Object.entries(f.data.methods ?? {})) {
      if (facts.has(name)) continue;
      if (typeof m?.docUrl === 'string' && m.docUrl.startsWith(DOCS_SITE)) {
        delete out.get(rel)?.methods[name];
        report.removed.push(name);
      } else report.kept.push(name);
    }
  }

  // Entity types made from field tables: into the hand-written type of that name, or new.
  for (const [domain, made] of types.made) {
    for (const [name, { file, type }] of made) {
      const home = typeFile.get(`${domain}/${name}`) ?? file;
      const target = out.get(home) ?? { methods: {} };
      out.set(home, target);
      target.types = target.types ?? {};
      target.types[name] = mergeType(target.types[name], type);
    }
  }

  report.added.sort();
  report.removed.sort();
  report.kept.sort();
  const text = formatReport(report, { commit, previous: source?.commit ?? null });
  const changeset = changesetOf(report, commit);
  /** @type {string[]} */ const written = [];
  if (!opts.dryRun) {
    for (const rel of [...out.keys()].sort()) {
      const data = /** @type {Record<string, any>} */ (out.get(rel));
      /** @type {Record<string, any>} */ const content = {};
      if (data.types && Object.keys(data.types).length) content.types = data.types;
      for (const [k, v] of Object.entries(data)) if (k !== 'types') content[k] = v;
      // A file of events alone (schema/<domain>/events.yaml) needs no empty methods section.
      if (!content.methods && !content.events) content.methods = {};
      const rendered = renderEntityFile(files.get(rel)?.doc ?? null, content);
      if (writeText(join(opts.schema, `${rel}.yaml`), rendered)) written.push(`${rel}.yaml`);
      const extras = docsExtras.get(rel);
      const extrasPath = join(opts.schema, `${rel}.docs.json`);
      if (extras && Object.keys(extras).length) {
        const sorted = Object.fromEntries(Object.entries(extras).sort(([a], [b]) => a.localeCompare(b)));
        if (writeText(extrasPath, `${JSON.stringify({ commit, methods: sorted }, null, 2)}\n`)) written.push(`${rel}.docs.json`);
      }
    }
    const sourceYaml =
      '# Which docs commit the schema facts were taken from (written by scripts/restdocs).\n' +
      stringify({ ...(source ?? {}), repository: 'bitrix24/b24restdocs', commit, methods: countMethods(out) });
    if (writeText(join(opts.schema, 'SOURCE.yaml'), sourceYaml)) written.push('SOURCE.yaml');
    if (changeset) {
      const dir = opts.changesetDir ?? join(opts.schema, '..', '.changeset');
      const path = join(dir, `restdocs-sync-${commit.slice(0, 12)}.md`);
      if (writeText(path, changeset)) written.push(path);
    }
  }
  return { report, text, commit, written, changeset, methods: countMethods(out) };
}

/** @param {Map<string, Record<string, any>>} out */
function countMethods(out) {
  let n = 0;
  for (const f of out.values()) n += Object.keys(f.methods ?? {}).length;
  return n;
}

/**
 * The domain of a method's first name segment. The client merges domains shallowly, so all
 * `im.*` methods must share one: the domain the schema already gives that segment, else the one
 * most of its pages' paths point to.
 * @param {Map<string, string>} placeOf
 * @param {Map<string, import('./page.mjs').MethodFacts>} facts
 */
function rootDomains(placeOf, facts) {
  /** @type {Map<string, Map<string, number>>} */ const existing = new Map();
  /** @type {Map<string, Map<string, number>>} */ const fromDocs = new Map();
  const count = (/** @type {Map<string, Map<string, number>>} */ m, /** @type {string} */ root, /** @type {string} */ domain) => {
    const c = m.get(root) ?? new Map();
    c.set(domain, (c.get(domain) ?? 0) + 1);
    m.set(root, c);
  };
  for (const [name, rel] of placeOf) count(existing, /** @type {string} */ (name.split('.')[0]), /** @type {string} */ (rel.split('/')[0]));
  for (const [name, f] of facts) count(fromDocs, /** @type {string} */ (name.split('.')[0]), /** @type {string} */ (fileOfDoc(f.doc, name).split('/')[0]));
  const best = (/** @type {Map<string, number>} */ c) => /** @type {string} */ ([...c].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]);
  return (/** @type {string} */ name) => {
    const root = /** @type {string} */ (name.split('.')[0]);
    const c = existing.get(root) ?? fromDocs.get(root);
    return c ? best(c) : 'main';
  };
}

/**
 * A new method joins the file that already holds most of its siblings (same name minus the
 * last segment), so `im.chat.get` lands next to a hand-placed `im.chat.add`.
 * @param {Map<string, string>} placeOf
 */
function siblingHomes(placeOf) {
  /** @type {Map<string, Map<string, number>>} */ const byPrefix = new Map();
  for (const [m, rel] of placeOf) {
    const prefix = m.split('.').slice(0, -1).join('.');
    if (!prefix) continue;
    const counts = byPrefix.get(prefix) ?? new Map();
    counts.set(rel, (counts.get(rel) ?? 0) + 1);
    byPrefix.set(prefix, counts);
  }
  return (/** @type {string} */ name) => {
    const counts = byPrefix.get(name.split('.').slice(0, -1).join('.'));
    if (!counts) return undefined;
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  };
}
