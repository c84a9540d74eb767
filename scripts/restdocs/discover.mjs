// @ts-check
// Finds the method pages of a docs checkout and the method name each documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const METHOD_TOKEN = /(?<![\w.])[a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?![\w])/g;

/** All Markdown files under `api-reference/`, as sorted repository-relative paths. @param {string} root */
export function listPages(root) {
  /** @type {string[]} */ const out = [];
  const walk = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, 'api-reference'));
  return out.sort();
}

/**
 * The method a page documents, or null for overviews, events, guides and JS SDK functions.
 * The title names it (`# Get Deal by Id crm.deal.get`); the spelling used most often on the
 * page wins, because titles sometimes camel-case what the examples call in lower case.
 * @param {string} source
 * @param {string} doc
 * @returns {string | { notMethod: string } | null}
 */
export function methodOfPage(source, doc) {
  if (/(^|\/)index\.md$/.test(doc)) return null;
  const title = /^#\s+(.+)$/m.exec(source)?.[1] ?? '';
  if (!/^>\s*(Scope|Who can execute)/im.test(source)) return null;
  // Functions of the BX24 JS library are not REST methods.
  if (/\bBX24\.[\w.]+/.test(title)) return null;
  const titleTokens = [...title.matchAll(METHOD_TOKEN)]
    .map((m) => m[0])
    .filter((t) => !/^(v\d|im\.v2|imbot\.v2)$/i.test(t));
  const counts = countTokens(source);
  let candidate = titleTokens[titleTokens.length - 1];
  if (!candidate) {
    // Single-word methods (`methods`, `profile`, `scope`) are named in the first sentence, and
    // called over REST in the examples; a JS command of a placement (`disableAutoClose`, called
    // with BX24.placement.call) is not a REST method.
    const m = /The\s+`([a-z][\w.]*)`\s+method|The method\s+`([a-z][\w.]*)`/.exec(source);
    const name = m ? /** @type {string} */ (m[1] ?? m[2]) : null;
    if (name) return isRestCall(source, name) ? name : { notMethod: name };
    // A title in words only (`# Retrieve Fields of CRM Item`): the page's file name spells the
    // method (`crm-item-fields.md` → crm.item.fields) when the page calls it over REST, in the
    // spelling the page uses most (`crm-item-productrow-getavailableforpayment.md`).
    const fromFile = methodOfFileName(doc, counts);
    return fromFile && isRestCall(source, fromFile) ? fromFile : null;
  }
  // Same name, other spelling, more often on the page: take the page's spelling.
  const lower = candidate.toLowerCase();
  let best = candidate;
  let bestCount = counts.get(candidate) ?? 0;
  for (const [tok, n] of counts) {
    if (tok.toLowerCase() === lower && n > bestCount) {
      best = tok;
      bestCount = n;
    }
  }
  // A title with a doubled prefix (`department.department.delete`) names a method the page
  // itself only ever calls by the shorter name.
  if (bestCount <= 1) {
    const parts = best.split('.');
    for (let i = 1; i < parts.length - 1; i++) {
      const tail = parts.slice(i).join('.');
      if ((counts.get(tail) ?? 0) > 0) return tail;
    }
  }
  return best;
}

/**
 * Whether the page calls `name` as a REST method: `callMethod('name'`, or a REST URL ending in it.
 * @param {string} source
 * @param {string} name
 */
export function isRestCall(source, name) {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `callMethod\\(\\s*['"]${n}['"]|/rest/\\S*/${n}(\\.json)?(?![\\w.])|\\$b24->call\\(\\s*['"]${n}['"]|CRest::call\\(\\s*['"]${n}['"]`,
    'i',
  ).test(source);
}

/**
 * `a/b/crm-item-fields.md` → the page's most used spelling of `crm.item.fields`, or null when the
 * file name has no dot-separated shape (`quick-start.md` is `quick.start`, which no page calls).
 * @param {string} doc
 * @param {Map<string, number>} counts
 */
function methodOfFileName(doc, counts) {
  const base = /([^/]+)\.md$/.exec(doc)?.[1];
  if (!base || !/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/i.test(base)) return null;
  const lower = base.replace(/-/g, '.').toLowerCase();
  let best = lower;
  let bestCount = 0;
  for (const [tok, n] of counts) {
    if (tok.toLowerCase() === lower && n > bestCount) {
      best = tok;
      bestCount = n;
    }
  }
  return best;
}

/** @param {string} source */
function countTokens(source) {
  /** @type {Map<string, number>} */ const counts = new Map();
  for (const m of source.matchAll(METHOD_TOKEN)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  return counts;
}

/**
 * @param {string} root docs checkout
 * @param {string[]} [notMethods] receives the names of pages that look like methods but are not REST methods
 * @returns {{ doc: string, method: string, source: string }[]}
 */
export function discoverMethodPages(root, notMethods = /** @type {string[]} */ ([])) {
  const out = [];
  for (const doc of listPages(root)) {
    const source = readFileSync(join(root, doc), 'utf8');
    const method = methodOfPage(source, doc);
    if (typeof method === 'string') out.push({ doc, method, source });
    else if (method)
      notMethods.push(`${method.notMethod}: ${doc} (the page never calls it over REST: a JS command or a placement)`);
  }
  return out;
}
