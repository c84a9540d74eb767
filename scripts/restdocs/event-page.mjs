// @ts-check
// Facts of one event page (api-reference/**/events/*.md): the scope, the one-line summary and
// the descriptions of the `data` fields its tables list. The payload's shape itself comes from
// the page's example (catalog.json `payloadExample`); this only adds the words.
import { plain, scanPage } from './markdown.mjs';
import { tableFields } from './page.mjs';

/**
 * @typedef {{ scopes: string[], summary: string, descriptions: Map<string, string> }} EventFacts
 * `descriptions` is keyed by the dotted path inside `data` (`FIELDS`, `FIELDS.ID`).
 */

/** @param {string} source page Markdown @returns {EventFacts} */
export function parseEventPage(source) {
  const page = scanPage(source);
  /** @type {string[]} */ const scopes = [];
  let summary = '';
  let inFence = false;
  let inNote = false;
  for (const line of page.lines) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    // Notes (tips, warnings) are boilerplate around the page, not its summary.
    if (/^\s*\{%\s*note\b/.test(line)) inNote = true;
    if (/^\s*\{%\s*endnote\s*%\}/.test(line)) {
      inNote = false;
      continue;
    }
    if (inNote) continue;
    const scope = /^>\s*Scope:\s*(.*)$/i.exec(line);
    if (scope) {
      for (const m of (scope[1] ?? '').matchAll(/`([^`]+)`/g))
        scopes.push(...(m[1] ?? '').split(/[,\s]+/).filter(Boolean));
      continue;
    }
    // The first plain paragraph line after the title: not a quote, heading, note, table or list.
    if (
      !summary &&
      line.trim() &&
      !/^\s*(>|#|\{%|\||-|\*|!\[)/.test(line) &&
      page.headings.length &&
      line !== page.lines[0]
    ) {
      summary = firstSentence(plain(line));
      if (summary) break;
    }
  }

  /** @type {Map<string, string>} */ const descriptions = new Map();
  for (const table of page.tables) {
    // "### Parameter FIELDS {#fields}": its rows are the fields of data.FIELDS.
    const group = /^(?:parameters?|fields?(?: of)?|structure of)\s+`?([A-Za-z_][A-Za-z0-9_]*)`?$/i.exec(
      plain(table.heading?.text ?? ''),
    )?.[1];
    for (const f of tableFields(table)) {
      const description = firstSentence(f.description);
      if (!description) continue;
      let path;
      if (f.name.startsWith('data.')) path = f.name.slice('data.'.length).replace(/\[\]/g, '');
      // A table of a single field's values ("Parameter IS_ACCESSIBLE_BEFORE" listing Y/N) names that field.
      else if (group && f.name === group) path = group;
      else if (group && group !== 'auth' && group !== 'data') path = `${group}.${f.name}`;
      else if (group === 'data') path = f.name;
      if (path && /^[A-Za-z_][\w.]*$/.test(path) && !descriptions.has(path)) descriptions.set(path, description);
    }
  }
  return { scopes: [...new Set(scopes)], summary, descriptions };
}

/** @param {string} text */
function firstSentence(text) {
  const t = text.trim();
  const end = /[.!?](\s|$)/.exec(t);
  return end ? t.slice(0, end.index + 1) : t;
}
