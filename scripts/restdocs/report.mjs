// @ts-check
// What a sync changed, and the semver bump that follows from it. Every list is printed in full.
//
// The bump follows the TypeScript surface of the client:
//   major  a method or event removed, a param removed, a param newly required, a param type
//          narrowed, a result type (or an entity type field) changed or removed
//   minor  a method, param, event or entity field added, a param type widened, a method renamed
//          (the old name stays as a deprecated alias)
//   patch  anything else: docs text, URLs, scopes, deprecation marks, a param made optional

/** @typedef {Record<string, any>} Obj */
/**
 * @typedef {{
 *   added: string[], removed: string[], renamed: string[], deprecated: string[], kept: string[],
 *   changed: { method: string, what: string[] }[],
 *   paramsAdded: string[], paramsRemoved: string[], madeRequired: string[], madeOptional: string[],
 *   typeWidened: string[], typeNarrowed: string[], resultChanged: string[],
 *   typesChanged: string[], fieldsAdded: string[],
 *   eventsAdded: string[], eventsRemoved: string[], eventsChanged: string[],
 *   conflicts: string[], duplicates: string[], notWorking: string[], notMethods: string[]
 * }} Report
 */

/** @returns {Report} */
export function emptyReport() {
  return {
    added: [],
    removed: [],
    renamed: [],
    deprecated: [],
    kept: [],
    changed: [],
    paramsAdded: [],
    paramsRemoved: [],
    madeRequired: [],
    madeOptional: [],
    typeWidened: [],
    typeNarrowed: [],
    resultChanged: [],
    typesChanged: [],
    fieldsAdded: [],
    eventsAdded: [],
    eventsRemoved: [],
    eventsChanged: [],
    conflicts: [],
    duplicates: [],
    notWorking: [],
    notMethods: [],
  };
}

/**
 * Records the difference between an entry before and after the sync.
 * @param {Report} report
 * @param {string} method
 * @param {Obj} before
 * @param {Obj} after
 */
export function diffMethod(report, method, before, after) {
  /** @type {string[]} */ const what = [];
  for (const k of [
    'scope',
    'docUrl',
    'description',
    'apiVersion',
    'deprecated',
    'openParams',
    'list',
    'idempotent',
    'batchable',
    'appOnly',
    'positional',
    'verb',
  ]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) what.push(k);
  }
  if (!before.deprecated && after.deprecated) report.deprecated.push(method);
  if (JSON.stringify(before.result) !== JSON.stringify(after.result)) {
    what.push(`result: ${before.result ?? '(none)'} -> ${after.result ?? '(none)'}`);
    report.resultChanged.push(`${method}: ${before.result ?? '(none)'} -> ${after.result ?? '(none)'}`);
  }
  diffParams(report, method, '', before.params ?? {}, after.params ?? {}, what);
  if (what.length) report.changed.push({ method, what });
}

/**
 * @param {Report} report
 * @param {string} method
 * @param {string} prefix
 * @param {Obj} before
 * @param {Obj} after
 * @param {string[]} what
 */
function diffParams(report, method, prefix, before, after, what) {
  for (const name of Object.keys(after)) {
    const path = `${method}(${prefix}${name})`;
    const a = after[name] ?? {};
    const b = before[name];
    if (!b) {
      report.paramsAdded.push(path);
      what.push(`+${prefix}${name}`);
      continue;
    }
    if (!b.required && a.required) {
      report.madeRequired.push(path);
      what.push(`${prefix}${name} required`);
    } else if (b.required && !a.required) {
      report.madeOptional.push(path);
      what.push(`${prefix}${name} optional`);
    }
    if (b.type !== a.type) {
      const w = widens(b.type, a.type);
      (w ? report.typeWidened : report.typeNarrowed).push(`${path}: ${b.type} -> ${a.type}`);
      what.push(`${prefix}${name}: ${b.type} -> ${a.type}`);
    }
    if (JSON.stringify(b.description) !== JSON.stringify(a.description)) what.push(`${prefix}${name} description`);
    if (Boolean(b.open) !== Boolean(a.open)) what.push(`${prefix}${name} ${a.open ? 'open' : 'closed'}`);
    if (a.fields || b.fields) diffParams(report, method, `${prefix}${name}.`, b.fields ?? {}, a.fields ?? {}, what);
  }
  for (const name of Object.keys(before)) {
    if (name in after) continue;
    report.paramsRemoved.push(`${method}(${prefix}${name})`);
    what.push(`-${prefix}${name}`);
  }
}

/** What a schema type expression accepts, roughly as TypeScript sees an input. @param {string} t */
function members(t) {
  return new Set(
    String(t ?? 'any')
      .split(/\s*\|\s*/)
      .map((x) => x.trim())
      .map((x) => (/^(integer|double)$/.test(x) ? 'number' : /^(date|datetime)$/.test(x) ? 'string' : x)),
  );
}

/**
 * Whether an input type change accepts everything the old type accepted (widened) rather than
 * less (narrowed). `any`, `object` for a named or object type, `any[]`/`object[]` for arrays,
 * `string` for `yn` and dates, and union supersets widen; everything else narrows.
 * @param {string | undefined} from
 * @param {string | undefined} to
 */
export function widens(from, to) {
  if (to === undefined || to === 'any') return true;
  if (from === undefined) return false;
  const a = members(from);
  const b = members(to);
  const covered = (/** @type {string} */ x) =>
    b.has(x) ||
    b.has('any') ||
    (x === 'yn' && b.has('string')) ||
    (b.has('object') && !x.endsWith('[]') && /^([A-Z]|object$|Record<)/.test(x)) ||
    (x.endsWith('[]') && (b.has('any[]') || (b.has('object[]') && /^[A-Z]|^object/.test(x))));
  return [...a].every(covered);
}

/**
 * Entity type changes: added fields are additions, removed or retyped fields change results.
 * @param {Report} report
 * @param {string} name `domain/Type`
 * @param {Obj | undefined} before
 * @param {Obj | undefined} after
 */
export function diffType(report, name, before, after) {
  if (!before && after) {
    report.fieldsAdded.push(`${name} (new type)`);
    return;
  }
  if (before && !after) {
    report.typesChanged.push(`${name} removed`);
    return;
  }
  const bf = before?.fields ?? {};
  const af = after?.fields ?? {};
  for (const k of Object.keys(af)) if (!(k in bf)) report.fieldsAdded.push(`${name}.${k}`);
  for (const k of Object.keys(bf)) {
    if (!(k in af)) report.typesChanged.push(`${name}.${k} removed`);
    else if (JSON.stringify(bf[k]) !== JSON.stringify(af[k])) {
      const t = bf[k]?.type !== af[k]?.type ? `: ${bf[k]?.type} -> ${af[k]?.type}` : '';
      report.typesChanged.push(`${name}.${k}${t || ' changed'}`);
    }
  }
}

/**
 * @param {Report} r
 * @returns {'major' | 'minor' | 'patch' | 'none'}
 */
export function bumpOf(r) {
  if (
    r.removed.length ||
    r.paramsRemoved.length ||
    r.madeRequired.length ||
    r.typeNarrowed.length ||
    r.resultChanged.length ||
    r.typesChanged.length ||
    r.eventsRemoved.length
  )
    return 'major';
  if (
    r.added.length ||
    r.paramsAdded.length ||
    r.typeWidened.length ||
    r.renamed.length ||
    r.fieldsAdded.length ||
    r.eventsAdded.length
  )
    return 'minor';
  if (r.changed.length || r.madeOptional.length || r.deprecated.length || r.eventsChanged.length) return 'patch';
  return 'none';
}

/** @param {Report} r @returns {[string, string[]][]} */
function sections(r) {
  return [
    ['methods added', r.added],
    ['methods removed', r.removed],
    ['methods renamed (old name kept as a deprecated alias)', r.renamed],
    ['methods deprecated', r.deprecated],
    ['params added', r.paramsAdded],
    ['params removed', r.paramsRemoved],
    ['params made required', r.madeRequired],
    ['params made optional', r.madeOptional],
    ['param types widened', r.typeWidened],
    ['param types narrowed', r.typeNarrowed],
    ['result types changed', r.resultChanged],
    ['entity type fields added', r.fieldsAdded],
    ['entity type fields changed or removed', r.typesChanged],
    ['events added', r.eventsAdded],
    ['events removed', r.eventsRemoved],
    ['events changed', r.eventsChanged],
    ['methods changed', r.changed.map((c) => `${c.method}: ${c.what.join(', ')}`)],
    ['conflicts (edited by hand and changed in the docs; the hand value is kept)', r.conflicts],
  ];
}

/**
 * @param {Report} r
 * @param {{ commit: string, previous: string | null }} meta
 */
export function formatReport(r, meta) {
  const list = (/** @type {string[]} */ xs) => (xs.length ? `\n${xs.map((x) => `    ${x}`).join('\n')}` : '');
  const lines = [
    `docs commit: ${meta.commit}${meta.previous && meta.previous !== meta.commit ? ` (was ${meta.previous})` : ''}`,
  ];
  for (const [title, xs] of sections(r)) lines.push(`${title}: ${xs.length}${list(xs)}`);
  if (r.kept.length) lines.push(`not in the docs, kept (written by hand): ${r.kept.length}${list(r.kept)}`);
  if (r.notWorking.length)
    lines.push(`pages saying the method does not work yet (left out): ${r.notWorking.length}${list(r.notWorking)}`);
  if (r.notMethods.length)
    lines.push(
      `names on method-like pages that are not REST methods (left out): ${r.notMethods.length}${list(r.notMethods)}`,
    );
  if (r.duplicates.length)
    lines.push(`documented on two pages (one kept): ${r.duplicates.length}${list(r.duplicates)}`);
  lines.push(`bump: ${bumpOf(r)}`);
  return lines.join('\n');
}

/**
 * The changeset file for the sync, or null when nothing changed. Names every change.
 * @param {Report} r
 * @param {string} commit
 */
export function changesetOf(r, commit) {
  const bump = bumpOf(r);
  if (bump === 'none') return null;
  const counts = sections(r)
    .filter(([, xs]) => xs.length)
    .map(([title, xs]) => `${title.replace(/ \(.*\)$/, '')}: ${xs.length}`);
  const body = [`Schema synced with the Bitrix24 REST docs at ${commit.slice(0, 12)} (${counts.join('; ')}).`];
  for (const [title, xs] of sections(r)) {
    if (!xs.length) continue;
    body.push('', `${title[0]?.toUpperCase()}${title.slice(1)}:`, ...xs.map((x) => `- ${x}`));
  }
  return `---\n"@b24kit/client": ${bump}\n---\n\n${body.join('\n')}\n`;
}
