// What a sync changed, and the semver bump that follows from it.

/** @typedef {Record<string, any>} Obj */
/**
 * @typedef {{
 *   added: string[], removed: string[], kept: string[],
 *   changed: { method: string, what: string[] }[],
 *   paramsAdded: string[], paramsRemoved: string[], madeRequired: string[], madeOptional: string[],
 *   duplicates: string[]
 * }} Report
 */

/** @returns {Report} */
export function emptyReport() {
  return { added: [], removed: [], kept: [], changed: [], paramsAdded: [], paramsRemoved: [], madeRequired: [], madeOptional: [], duplicates: [] };
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
  for (const k of ['scope', 'docUrl', 'apiVersion', 'deprecated', 'openParams', 'result']) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) what.push(k);
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
    if (b.type !== a.type) what.push(`${prefix}${name}: ${b.type} -> ${a.type}`);
    if (a.fields || b.fields) diffParams(report, method, `${prefix}${name}.`, b.fields ?? {}, a.fields ?? {}, what);
  }
  for (const name of Object.keys(before)) {
    if (name in after) continue;
    report.paramsRemoved.push(`${method}(${prefix}${name})`);
    what.push(`-${prefix}${name}`);
  }
}

/**
 * removed (methods or params) or newly required params -> major; additions -> minor;
 * other changes -> patch; nothing -> none.
 * @param {Report} r
 * @returns {'major' | 'minor' | 'patch' | 'none'}
 */
export function bumpOf(r) {
  if (r.removed.length || r.paramsRemoved.length || r.madeRequired.length) return 'major';
  if (r.added.length || r.paramsAdded.length) return 'minor';
  if (r.changed.length || r.madeOptional.length) return 'patch';
  return 'none';
}

/**
 * @param {Report} r
 * @param {{ commit: string, previous: string | null, limit?: number }} meta
 */
export function formatReport(r, meta) {
  const limit = meta.limit ?? 20;
  const list = (/** @type {string[]} */ xs) =>
    xs.length ? `\n${xs.slice(0, limit).map((x) => `    ${x}`).join('\n')}${xs.length > limit ? `\n    ... and ${xs.length - limit} more` : ''}` : '';
  const lines = [
    `docs commit: ${meta.commit}${meta.previous && meta.previous !== meta.commit ? ` (was ${meta.previous})` : ''}`,
    `methods added: ${r.added.length}${list(r.added)}`,
    `methods removed: ${r.removed.length}${list(r.removed)}`,
    `methods changed: ${r.changed.length}${list(r.changed.map((c) => `${c.method}: ${c.what.join(', ')}`))}`,
    `params added: ${r.paramsAdded.length}${list(r.paramsAdded)}`,
    `params removed: ${r.paramsRemoved.length}${list(r.paramsRemoved)}`,
    `params made required: ${r.madeRequired.length}${list(r.madeRequired)}`,
    `params made optional: ${r.madeOptional.length}${list(r.madeOptional)}`,
  ];
  if (r.kept.length) lines.push(`not in the docs, kept (no docs URL): ${r.kept.length}${list(r.kept)}`);
  if (r.duplicates.length) lines.push(`documented on two pages (one kept): ${r.duplicates.length}${list(r.duplicates)}`);
  lines.push(`bump: ${bumpOf(r)}`);
  return lines.join('\n');
}

/**
 * The changeset file for the sync, or null when nothing changed.
 * @param {Report} r
 * @param {string} commit
 */
export function changesetOf(r, commit) {
  const bump = bumpOf(r);
  if (bump === 'none') return null;
  const parts = [];
  if (r.added.length) parts.push(`${r.added.length} method(s) added`);
  if (r.removed.length) parts.push(`${r.removed.length} removed`);
  if (r.changed.length) parts.push(`${r.changed.length} changed`);
  if (r.paramsAdded.length) parts.push(`${r.paramsAdded.length} param(s) added`);
  if (r.paramsRemoved.length) parts.push(`${r.paramsRemoved.length} param(s) removed`);
  if (r.madeRequired.length) parts.push(`${r.madeRequired.length} param(s) now required`);
  const body = [`Schema synced with the Bitrix24 REST docs at ${commit.slice(0, 12)}: ${parts.join(', ')}.`];
  const name = (/** @type {string[]} */ xs) => xs.slice(0, 30).map((x) => `- ${x}`);
  if (r.removed.length) body.push('', 'Removed:', ...name(r.removed));
  if (r.madeRequired.length) body.push('', 'Now required:', ...name(r.madeRequired));
  if (r.paramsRemoved.length) body.push('', 'Params removed:', ...name(r.paramsRemoved));
  if (r.added.length) body.push('', 'Added:', ...name(r.added));
  return `---\n"@b24kit/client": ${bump}\n---\n\n${body.join('\n')}\n`;
}
