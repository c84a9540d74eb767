// @ts-check
// One sync: docs checkout -> facts -> merged schema files, SOURCE.yaml, report, changeset.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { discoverMethodPages } from './discover.mjs';
import { discoverEvents } from './events.mjs';
import { METHOD_KEY_ORDER, merge3, mergeMethod, mergeType, orderKeys, same } from './merge.mjs';
import { DOCS_SITE, defaultMetadata, docUrl, fileOfDoc, methodEntry, TypeRegistry } from './model.mjs';
import { parseMethodPage, tableFields, slug } from './page.mjs';
import { scanPage, plain } from './markdown.mjs';
import { changesetOf, diffMethod, diffType, emptyReport, formatReport } from './report.mjs';
import { markRequired } from './required-fields.mjs';
import { loadSchema, renderEntityFile, writeText } from './schema-io.mjs';

/**
 * @typedef {{ docs: string, schema: string, dryRun?: boolean, commit?: string, changesetDir?: string, bootstrap?: boolean }} SyncOptions
 * `bootstrap`: take the docs facts of this run as the base of every entry (the YAML is not changed).
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
  if (top !== realpathSync(docs))
    throw new Error(`cannot tell the docs commit: ${docs} is not the root of a git work tree; pass --commit <sha>`);
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
  for (const page of discoverMethodPages(opts.docs, report.notMethods)) {
    const f = parseMethodPage(page.source, page.doc, page.method);
    if (f.notWorking) {
      report.notWorking.push(`${f.method}: ${f.doc}`);
      continue;
    }
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
  const base = loadBase(opts.schema, files);
  /** @type {Map<string, Map<string, string>>} file -> old name -> new name */ const renames = new Map();
  /** @type {import('./merge.mjs').Conflict[]} */ const conflicts = [];
  /** @type {Map<string, Record<string, any>>} rel -> base facts to write */ const nextBase = new Map();
  const baseOf = (/** @type {string} */ rel) => {
    const b = nextBase.get(rel) ?? { methods: {}, types: {}, events: {}, renamed: {} };
    nextBase.set(rel, b);
    return b;
  };
  const pending = pendingChangesets(opts.changesetDir ?? join(opts.schema, '..', '.changeset'));

  // Identity: a docs name matches our entry of the same name, else one that differs only in
  // case (Bitrix24 matches names case-insensitively), else one documented on the same page.
  /** @type {Map<string, string>} docs name -> our name */ const ourName = new Map();
  /** @type {Set<string>} */ const claimed = new Set();
  for (const name of facts.keys())
    if (placeOf.has(name)) {
      ourName.set(name, name);
      claimed.add(name);
    }
  const unclaimed = (/** @type {string} */ n) => !claimed.has(n) && !facts.has(n);
  for (const [name, f] of [...facts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (ourName.has(name)) continue;
    const lower = name.toLowerCase();
    let hit = [...placeOf.keys()].filter((n) => n.toLowerCase() === lower && unclaimed(n));
    if (hit.length !== 1) {
      const url = docUrl(f.doc);
      hit = [...placeOf.keys()].filter((n) => unclaimed(n) && oursEntry(n)?.docUrl === url);
    }
    if (hit.length === 1) {
      const old = /** @type {string} */ (hit[0]);
      ourName.set(name, old);
      claimed.add(old);
    }
  }
  function oursEntry(/** @type {string} */ n) {
    const rel = placeOf.get(n);
    return rel ? files.get(rel)?.data.methods?.[n] : undefined;
  }

  const domainOfRoot = rootDomains(placeOf, facts);
  for (const name of [...facts.keys()].sort()) {
    const f = /** @type {import('./page.mjs').MethodFacts} */ (facts.get(name));
    const was = ourName.get(name);
    const rel =
      (was && placeOf.get(was)) ?? prefixHome(name) ?? `${domainOfRoot(name)}/${fileOfDoc(f.doc, name).split('/')[1]}`;
    const domain = /** @type {string} */ (rel.split('/')[0]);
    const fresh = methodEntry(f, { domain, file: rel, types, tableAt });
    const theirs = orderKeys(
      { ...defaultMetadata(name, f), ...(f.summary ? { description: f.summary } : {}), ...fresh },
      METHOD_KEY_ORDER,
    );
    const file = out.get(rel) ?? { methods: {} };
    file.methods = file.methods ?? {};
    out.set(rel, file);
    const old = was ? files.get(rel)?.data.methods?.[was] : undefined;
    const b = opts.bootstrap ? { facts: theirs, renamed: undefined } : was ? base.methods.get(was) : undefined;
    const merged = mergeMethod(b?.facts, old, theirs, { path: name, conflicts });
    const nb = baseOf(rel);
    nb.methods[name] = theirs;
    if (was && was !== name) {
      // A rename keeps the entry (and its hand parts) under the new name; the generator keeps the
      // old TypeScript name as a deprecated alias. Going back to a former name drops the name in
      // between when the changeset that introduced it is still unreleased.
      delete file.methods[was];
      const fileRenames = renames.get(rel) ?? new Map();
      fileRenames.set(was, name);
      renames.set(rel, fileRenames);
      const former = /** @type {string[]} */ (Array.isArray(merged.formerNames) ? merged.formerNames : []);
      const back = former.includes(name);
      const since = b?.renamed;
      const unreleased = back && since && pending.has(String(since).slice(0, 12));
      const next = [...former.filter((x) => x !== name), ...(unreleased ? [] : [was])];
      if (next.length) merged.formerNames = [...new Set(next)];
      else delete merged.formerNames;
      if (!back) nb.renamed[name] = commit;
      report.renamed.push(`${was} -> ${name}`);
    } else if (b?.renamed) nb.renamed[name] = b.renamed;
    file.methods[name] = orderKeys(merged, [...Object.keys(old ?? {}), ...METHOD_KEY_ORDER]);
    if (!old) report.added.push(name);
    else diffMethod(report, name, old, file.methods[name]);
    if (!placeOf.has(name)) placeOf.set(name, rel);
    const extras = docsExtras.get(rel) ?? {};
    /** @type {Record<string, any>} */ const e = {};
    if (f.errors.length) e.errors = f.errors;
    if (f.example !== undefined) e.example = f.example;
    else if (f.exampleText) e.exampleText = f.exampleText;
    if (Object.keys(e).length) extras[name] = e;
    docsExtras.set(rel, extras);
  }

  // Methods the docs no longer have. With a base: dropped unless edited by hand since the last
  // sync (then kept and reported as a conflict, with the old base kept); a method with no base
  // was written by hand and stays. Before any base existed, the docs URL tells (docs site: drop).
  for (const [rel, f] of files) {
    for (const [name, m] of Object.entries(f.data.methods ?? {})) {
      if (claimed.has(name)) continue;
      const b = base.methods.get(name);
      if (opts.bootstrap) report.kept.push(name);
      else if (b) {
        if (same(stripFormer(m), b.facts)) {
          delete out.get(rel)?.methods[name];
          report.removed.push(name);
        } else {
          conflicts.push({ path: name, ours: 'edited by hand', base: 'documented', theirs: 'page gone from the docs' });
          baseOf(rel).methods[name] = b.facts;
          if (b.renamed) baseOf(rel).renamed[name] = b.renamed;
          report.kept.push(name);
        }
      } else if (!base.any && typeof m?.docUrl === 'string' && m.docUrl.startsWith(DOCS_SITE)) {
        delete out.get(rel)?.methods[name];
        report.removed.push(name);
      } else report.kept.push(name);
    }
  }

  // Events, from the event pages, merged like methods. Names match whatever their case (the
  // wire sends them in upper case); a new event goes to <domain>/events.yaml.
  /** @type {Map<string, { name: string, rel: string, entry: Record<string, any> }>} */ const oursEvents = new Map();
  for (const [rel, f] of files)
    for (const [n, e] of Object.entries(f.data.events ?? {}))
      oursEvents.set(n.toUpperCase(), { name: n, rel, entry: e });
  /** @type {Map<string, { facts: Record<string, any>, file: string }>} */ const baseEvents = new Map();
  for (const [n, b] of base.events) baseEvents.set(n.toUpperCase(), b);
  const docEvents = discoverEvents(opts.docs);
  /** @type {Set<string>} */ const eventFiles = new Set();
  for (const wire of [...docEvents.keys()].sort()) {
    const f = /** @type {import('./events.mjs').EventFacts} */ (docEvents.get(wire));
    const o = oursEvents.get(wire);
    if (!o && opts.bootstrap) continue;
    const rel = o?.rel ?? `${fileOfDoc(f.doc, '').split('/')[0]}/events`;
    const name = o?.name ?? f.spelling;
    const b = opts.bootstrap ? { facts: f.entry } : baseEvents.get(wire);
    const file = out.get(rel) ?? {};
    out.set(rel, file);
    file.events = file.events ?? {};
    let merged = f.entry;
    if (o) {
      merged = /** @type {Record<string, any>} */ (
        merge3(b?.facts, o.entry, f.entry, { path: `event ${name}`, conflicts, noBase: !b }) ?? {}
      );
      merged = orderKeys(merged, [
        ...Object.keys(o.entry),
        'scope',
        'docUrl',
        'description',
        'data',
        'dataOpen',
        'deprecated',
      ]);
      if (!same(o.entry, merged)) report.eventsChanged.push(name);
    } else {
      report.eventsAdded.push(name);
      eventFiles.add(rel);
    }
    file.events[name] = merged;
    baseOf(rel).events[name] = f.entry;
  }
  for (const [wire, o] of oursEvents) {
    if (docEvents.has(wire)) continue;
    const b = baseEvents.get(wire);
    if (!b || opts.bootstrap) continue;
    if (same(o.entry, b.facts)) {
      delete out.get(o.rel)?.events?.[o.name];
      report.eventsRemoved.push(o.name);
    } else {
      conflicts.push({
        path: `event ${o.name}`,
        ours: 'edited by hand',
        base: 'documented',
        theirs: 'page gone from the docs',
      });
      baseOf(o.rel).events[o.name] = b.facts;
    }
  }
  // Files that gained events keep them sorted by name, whatever the case.
  for (const rel of eventFiles) {
    const file = /** @type {Record<string, any>} */ (out.get(rel));
    file.events = Object.fromEntries(
      Object.entries(file.events).sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)),
    );
  }

  // Entity types made from field tables, merged like methods; a type the docs no longer make
  // goes when nobody edited it.
  /** @type {Map<string, { file: string, type: Record<string, any> }>} `domain/Name` -> theirs */ const madeTypes =
    new Map();
  for (const [domain, made] of types.made) for (const [name, m] of made) madeTypes.set(`${domain}/${name}`, m);
  const typeKeys = new Set([...madeTypes.keys(), ...base.types.keys()]);
  for (const key of [...typeKeys].sort()) {
    const [domain, name] = /** @type {[string, string]} */ (key.split('/'));
    const theirs = madeTypes.get(key);
    const b = opts.bootstrap ? (theirs ? { facts: theirs.type, file: theirs.file } : undefined) : base.types.get(key);
    const home = typeFile.get(key) ?? theirs?.file ?? b?.file;
    if (!home) continue;
    const target = out.get(home) ?? { methods: {} };
    out.set(home, target);
    target.types = target.types ?? {};
    const ours = target.types[name];
    const merged = mergeType(b?.facts, ours, theirs?.type, { path: `${domain}/${name}`, conflicts });
    if (merged) target.types[name] = merged;
    else delete target.types[name];
    if (!same(ours, merged)) diffType(report, key, ours, merged);
    // A copy: the merged type may be the same object, and the required marks below are not docs facts.
    if (theirs) baseOf(home).types[name] = structuredClone(theirs.type);
    else if (merged && b) baseOf(home).types[name] = b.facts;
  }

  // Result fields a get example shows are always returned: marked required (| null where it
  // shows null), on new types and fields too; marks already there stay (required-fields.mjs).
  // A mark on a type or field this sync adds is part of that addition; on an existing one it is a change.
  const isNew = new Set(report.fieldsAdded.map((x) => x.replace(/ \(new type\)$/, '')));
  for (const c of markRequired(out, docsExtras)) {
    if (isNew.has(c.type) || isNew.has(`${c.type}.${c.field}`)) continue;
    const what = c.change === 'required' ? 'always returned (required)' : 'null in the example (| null)';
    report.typesChanged.push(`${c.type}.${c.field}: ${what}`);
  }

  for (const c of conflicts)
    report.conflicts.push(`${c.path}: ours ${brief(c.ours)}, was ${brief(c.base)}, docs now ${brief(c.theirs)}`);
  report.added.sort();
  report.eventsAdded.sort();
  report.eventsRemoved.sort();
  report.removed.sort();
  report.kept.sort();
  const text = formatReport(report, { commit, previous: source?.commit ?? null });
  const changeset = changesetOf(report, commit);
  /** @type {string[]} */ const written = [];
  if (!opts.dryRun) {
    for (const rel of [...new Set([...out.keys(), ...nextBase.keys()])].sort()) {
      const data = out.get(rel) ?? { methods: {} };
      /** @type {Record<string, any>} */ let content = {};
      for (const [k, v] of Object.entries(data)) if (k !== 'types') content[k] = v;
      if (data.types && Object.keys(data.types).length) content.types = data.types;
      // An existing file keeps the order of its sections; new ones follow: methods, types, events
      // (the layout of most files, so a file that loses all its methods and gets them back is
      // byte-identical).
      const had = files.get(rel)?.data;
      content = orderKeys(content, [...Object.keys(had ?? {}), 'methods', 'types', 'events']);
      // A file of events alone (schema/<domain>/events.yaml) needs no empty methods section.
      if (!content.methods && !content.events) content.methods = {};
      const empty = (/** @type {unknown} */ x) => !x || !Object.keys(x).length;
      if (
        empty(content.methods) &&
        empty(content.types) &&
        empty(content.events) &&
        Object.keys(content).every((k) => ['methods', 'types', 'events'].includes(k))
      ) {
        // Every method of the file is gone from the docs: so is the file.
        for (const ext of ['.yaml', '.docs.json']) {
          const p = join(opts.schema, `${rel}${ext}`);
          if (existsSync(p)) {
            rmSync(p);
            written.push(`${rel}${ext}`);
          }
        }
        continue;
      }
      const rendered = renderEntityFile(files.get(rel)?.doc ?? null, content, renames.get(rel));
      if (writeText(join(opts.schema, `${rel}.yaml`), rendered)) written.push(`${rel}.yaml`);
      const extras = docsExtras.get(rel) ?? {};
      const nb = nextBase.get(rel);
      const extrasPath = join(opts.schema, `${rel}.docs.json`);
      const hasBase =
        nb && (Object.keys(nb.methods).length || Object.keys(nb.types).length || Object.keys(nb.events).length);
      if (Object.keys(extras).length || hasBase) {
        if (writeText(extrasPath, docsJson(commit, extras, nb))) written.push(`${rel}.docs.json`);
      } else if (existsSync(extrasPath)) {
        rmSync(extrasPath);
        written.push(`${rel}.docs.json`);
      }
    }
    const sourceYaml =
      '# Which docs commit the schema facts were taken from (written by scripts/restdocs).\n' +
      stringify({ ...(source ?? {}), repository: 'bitrix24/b24restdocs', commit, methods: countMethods(out) });
    if (writeText(join(opts.schema, 'SOURCE.yaml'), sourceYaml)) written.push('SOURCE.yaml');
    if (changeset) {
      const dir = opts.changesetDir ?? join(opts.schema, '..', '.changeset');
      // A second sync at one docs commit (after a parser fix) adds a changeset; it never
      // overwrites an unreleased one.
      let path = join(dir, `restdocs-sync-${commit.slice(0, 12)}.md`);
      for (let n = 2; existsSync(path) && readFileSync(path, 'utf8') !== changeset; n++)
        path = join(dir, `restdocs-sync-${commit.slice(0, 12)}-${n}.md`);
      if (writeText(path, changeset)) written.push(path);
    }
  }
  return { report, text, commit, written, changeset, methods: countMethods(out) };
}

/** @param {unknown} v */
function brief(v) {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s;
}

/** @param {Record<string, any>} m */
function stripFormer(m) {
  const { formerNames: _f, ...rest } = m ?? {};
  return rest;
}

/**
 * The base of the three-way merge: the docs facts the last sync wrote beside each entity file
 * (`<entity>.docs.json`, key `base`).
 * @param {string} dir
 * @param {Map<string, import('./schema-io.mjs').EntityFile>} files
 */
function loadBase(dir, files) {
  /** @type {Map<string, { facts: Record<string, any>, renamed?: string }>} */ const methods = new Map();
  /** @type {Map<string, { facts: Record<string, any>, file: string }>} */ const types = new Map();
  /** @type {Map<string, { facts: Record<string, any>, file: string }>} */ const events = new Map();
  let any = false;
  const rels = new Set(files.keys());
  if (existsSync(dir)) {
    for (const domain of readdirSync(dir)) {
      const d = join(dir, domain);
      if (!statSync(d).isDirectory()) continue;
      for (const name of readdirSync(d))
        if (name.endsWith('.docs.json')) rels.add(`${domain}/${name.replace(/\.docs\.json$/, '')}`);
    }
  }
  for (const rel of [...rels].sort()) {
    const path = join(dir, `${rel}.docs.json`);
    if (!existsSync(path)) continue;
    let json;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: not JSON (${/** @type {Error} */ (e).message}); restore it from git`);
    }
    const b = json?.base;
    if (!b || typeof b !== 'object') continue;
    any = true;
    const domain = /** @type {string} */ (rel.split('/')[0]);
    for (const [n, facts] of Object.entries(b.methods ?? {}))
      methods.set(n, { facts: /** @type {any} */ (facts), ...(b.renamed?.[n] ? { renamed: b.renamed[n] } : {}) });
    for (const [n, facts] of Object.entries(b.types ?? {}))
      types.set(`${domain}/${n}`, { facts: /** @type {any} */ (facts), file: rel });
    for (const [n, facts] of Object.entries(b.events ?? {}))
      events.set(n, { facts: /** @type {any} */ (facts), file: rel });
  }
  return { methods, types, events, any };
}

/** Commits (first 12 hex digits) whose sync changeset is still waiting for a release. @param {string} dir */
function pendingChangesets(dir) {
  /** @type {Set<string>} */ const out = new Set();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const m = /^restdocs-sync-([0-9a-f]{12})(-\d+)?\.md$/.exec(name);
    if (m) out.add(/** @type {string} */ (m[1]));
  }
  return out;
}

/**
 * `<entity>.docs.json`: the documented examples and errors per method (pretty JSON), then the
 * base facts (one line per param, field or small value: compact and diff-friendly).
 * @param {string} commit
 * @param {Record<string, any>} extras
 * @param {Record<string, any> | undefined} nb
 */
export function docsJson(commit, extras, nb) {
  const sorted = (/** @type {Record<string, any>} */ o) =>
    Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const parts = [`  "commit": ${JSON.stringify(commit)}`];
  const methods = JSON.stringify(sorted(extras), null, 2).replace(/\n/g, '\n  ');
  parts.push(`  "methods": ${methods}`);
  if (nb) {
    /** @type {Record<string, any>} */ const b = {};
    for (const k of ['methods', 'types', 'events', 'renamed'])
      if (nb[k] && Object.keys(nb[k]).length) b[k] = sorted(nb[k]);
    if (Object.keys(b).length) parts.push(`  "base": ${compactJson(b, 2)}`);
  }
  return `{\n${parts.join(',\n')}\n}\n`;
}

/**
 * JSON with small values on one line and larger objects one key a line.
 * @param {unknown} v
 * @param {number} indent
 * @returns {string}
 */
export function compactJson(v, indent) {
  const flat = JSON.stringify(v);
  if (flat === undefined) return 'null';
  if (v === null || typeof v !== 'object' || flat.length + indent <= 110) return flat;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v))
    return `[\n${v.map((x) => pad + compactJson(x, indent + 2)).join(',\n')}\n${' '.repeat(indent)}]`;
  const entries = Object.entries(/** @type {Record<string, unknown>} */ (v)).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${compactJson(x, indent + 2)}`).join(',\n')}\n${' '.repeat(indent)}}`;
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
  const count = (
    /** @type {Map<string, Map<string, number>>} */ m,
    /** @type {string} */ root,
    /** @type {string} */ domain,
  ) => {
    const c = m.get(root) ?? new Map();
    c.set(domain, (c.get(domain) ?? 0) + 1);
    m.set(root, c);
  };
  for (const [name, rel] of placeOf)
    count(existing, /** @type {string} */ (name.split('.')[0]), /** @type {string} */ (rel.split('/')[0]));
  for (const [name, f] of facts)
    count(
      fromDocs,
      /** @type {string} */ (name.split('.')[0]),
      /** @type {string} */ (fileOfDoc(f.doc, name).split('/')[0]),
    );
  const best = (/** @type {Map<string, number>} */ c) =>
    /** @type {string} */ ([...c].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]);
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
