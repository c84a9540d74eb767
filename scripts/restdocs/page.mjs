// @ts-check
// Facts of one method page: name, scopes, params (with nested groups), result, returned keys,
// the documented response example, error codes and the named field tables of the page.
import { plain, scanPage } from './markdown.mjs';

/**
 * @typedef {{ name: string, type: string, required: boolean, readOnly?: boolean, ref: string | null, description: string }} Field
 * @typedef {{ heading: string, anchor: string, fields: Field[] }} FieldTable
 * @typedef {{ status?: number, code: string, message: string }} DocError
 * @typedef {{
 *   method: string, doc: string, scopes: string[], apiVersion: 2 | 3, deprecated: boolean,
 *   params: Field[], groups: Record<string, Field[]>, resultType: string | null,
 *   resultRef: string | null, returned: Field[], example: unknown, exampleText: string | null,
 *   errors: DocError[], tables: Record<string, FieldTable>, summary: string, notWorking: boolean
 * }} MethodFacts
 */

const HEADER_WORDS =
  /^(name|parameter|parameters|field|fields|param|key|status|code|property|attribute|element|value|название|параметр)\b/i;
const REQUIRED_COLUMN = /^(required|mandatory|обяз)/i;
const READONLY_COLUMN = /^(read[- ]?only|только)/i;
const TYPE_COLUMN = /^(type|тип)$/i;

/** @param {import('./markdown.mjs').Row} row */
function isHeaderRow(row) {
  const first = plain(row.cells[0] ?? '');
  if (/^\*\*/.test(row.cells[0] ?? '') && HEADER_WORDS.test(first) && !/\*\*\s*\*/.test(row.cells[0] ?? ''))
    return true;
  return row.cells.slice(1).some((c) => /^\*\*(description|value|type|описание)\*\*/i.test(c.trim()));
}

/**
 * Reads the rows of a name/type/description table into fields. The first cell is
 * `**name**` (followed by `*` or `^*^` when required) and then the type, usually a link.
 * Separate Type / Required / Read-only columns are honoured when the header names them.
 * @param {import('./markdown.mjs').Table} table
 * @returns {Field[]}
 */
export function tableFields(table) {
  const rows = table.rows;
  if (!rows.length) return [];
  const header = rows[0] && isHeaderRow(rows[0]) ? rows[0].cells.map((c) => plain(c)) : null;
  const col = (/** @type {RegExp} */ re) => (header ? header.findIndex((h, i) => i > 0 && re.test(h)) : -1);
  const typeCol = col(TYPE_COLUMN);
  const reqCol = col(REQUIRED_COLUMN);
  const roCol = col(READONLY_COLUMN);
  /** @type {Field[]} */ const out = [];
  for (const row of header ? rows.slice(1) : rows) {
    const first = row.cells[0] ?? '';
    const m = /^\s*\*\*((?:\\\*|\^\*\^|[^*])+?)\*\*(\s*(?:\\?\*|\^\\?\*\^)+)?/s.exec(first);
    let name;
    let required = false;
    let rest;
    if (m) {
      name = /** @type {string} */ (m[1]);
      required = Boolean(m[2]);
      rest = first.slice(m[0].length);
    } else {
      const code = /^\s*`([^`]+)`(\s*(?:\\?\*|\^\\?\*\^)+)?/.exec(first);
      if (!code) continue;
      name = /** @type {string} */ (code[1]);
      required = Boolean(code[2]);
      rest = first.slice(code[0].length);
    }
    // A required mark may also sit inside the bold (`**id^*^**`, `**id\***` is an escaped star).
    if (/\^\*\^\s*$/.test(name) || /(^|[^\\])\*$/.test(name)) {
      name = name.replace(/\^\*\^\s*$/, '').replace(/\*+$/, '');
      required = true;
    }
    name = name
      .replace(/\\([_*|\\[\]<>])/g, '$1')
      .replace(/`/g, '')
      .trim();
    if (!name || /\s{2,}/.test(name)) continue;
    let typeMd = rest;
    if (typeCol > 0) typeMd = row.cells[typeCol] ?? '';
    const { type, ref } = readType(typeMd);
    if (reqCol > 0) required = /^(yes|y|да|true|\+|required)/i.test(plain(row.cells[reqCol] ?? ''));
    /** @type {Field} */
    const field = {
      name,
      type,
      required,
      ref,
      description: plain(row.cells[row.cells.length > 1 ? row.cells.length - 1 : 0] ?? ''),
    };
    if (roCol > 0) field.readOnly = /^(yes|y|да|true|\+)/i.test(plain(row.cells[roCol] ?? ''));
    out.push(field);
  }
  return out;
}

/**
 * The documented type of a cell: the first backticked word (usually a link) and the link target.
 * @param {string} md
 */
function readType(md) {
  // `[`string` \| `integer`](...)`: the whole link text, marks dropped, is the type.
  const link = /\[\s*(`(?:[^\[\]]|\[\])*`)\s*\]\(([^)\s]*)[^)]*\)/.exec(md);
  if (link)
    return {
      type: /** @type {string} */ (link[1]).replace(/[`\\]/g, '').replace(/\s+/g, ' ').trim(),
      ref: /** @type {string} */ (link[2]),
    };
  const tick = /`([^`]+)`/.exec(md);
  if (tick) return { type: /** @type {string} */ (tick[1]).trim(), ref: null };
  const bare = /\[([^\]]+)\]\(([^)\s]*)[^)]*\)/.exec(md);
  if (bare) return { type: /** @type {string} */ (bare[1]).trim(), ref: /** @type {string} */ (bare[2]) };
  return { type: plain(md).split(/\s/)[0] ?? '', ref: null };
}

/** GitHub-style slug of a heading, the anchor YFM gives a heading without an explicit `{#id}`. @param {string} text */
export function slug(text) {
  return plain(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

const PARAMS_HEADING =
  /^(method\s+)?(input\s+)?parameters?(\s+of\s+the\s+method)?$|^method\s+parameters\b|^request\s+parameters|^parameters$/i;
const RESPONSE_HEADING = /^(response|returned|result|successful response|response on success)/i;
const ERROR_HEADING = /error/i;

// Said of the method itself, not of a case ("When working with the new form, the method does not work").
const NOT_WORKING =
  /page is hidden from the menu|(?:^|[.!]\s+)the method (?:does not work|is not (?:operational|working))\b|\b(?:method|it) does not work yet\b|\bnot yet (?:working|operational)\b/i;

/**
 * A table of allowed values ("Available Reaction Codes": `like` | Like), not of fields: no row
 * names a type.
 * @param {import('./markdown.mjs').Table} table
 */
export function isValueTable(table) {
  const fields = tableFields(table);
  if (!fields.length) return true;
  return fields.every(
    (f) => !f.ref && (!f.type || !/^[a-z][\w\[\]. |/-]*$/i.test(f.type) || !KNOWN_TYPE_WORD.test(f.type)),
  );
}
const KNOWN_TYPE_WORD =
  /\b(string|integer|int|number|double|float|boolean|bool|object|array|date|datetime|time|file|any|mixed|list|map|char|text|url|id|enum|null|\w+_\w+|\w+\.\w+|\w+\[\])\b/i;

/**
 * Whether a sub-heading names a param as its subject: "Parameter fields", "fields Parameter",
 * "Fields of the filter", "SETTINGS[CONFIG] Parameter" (for SETTINGS), or just the name.
 * @param {string} heading
 * @param {string} name
 */
export function headingNames(heading, name) {
  const lower = name.toLowerCase();
  const rest = plain(heading)
    .replace(/[`*]/g, '')
    .split(/\s+/)
    .filter((w) => w.toLowerCase() === lower || !HEADING_STOP.has(w.toLowerCase()));
  return rest.join(' ').toLowerCase() === lower;
}
const HEADING_STOP = new Set(
  'the a an of for in parameter parameters field fields structure object array type format description element elements properties key keys'.split(
    ' ',
  ),
);

/**
 * @param {string} source page Markdown
 * @param {string} doc path of the page inside the docs repository
 * @param {string} method the method name (decided by the caller from the title)
 * @returns {MethodFacts}
 */
export function parseMethodPage(source, doc, method) {
  const page = scanPage(source);
  const { headings, tables, code } = page;

  // Sections: the params section runs from its heading to the next heading of the same or higher level.
  const sectionOf = (/** @type {import('./markdown.mjs').Heading | null} */ h, /** @type {RegExp} */ re) => {
    /** @type {import('./markdown.mjs').Heading | null} */ let top = null;
    for (const x of headings) {
      if (h && x.line > h.line) break;
      if (x.level <= 2) top = x;
    }
    return top ? re.test(top.text) : false;
  };
  // A page may document variants, each in its own params section ("Method Parameters for
  // JS Command", "... for IFRAME Application"): the params are their union.
  let paramsHeads = headings.filter((h) => h.level <= 3 && PARAMS_HEADING.test(plain(h.text)));
  // Unusual wording ("## Stage Parameters"): a top section named "... Parameters" that is not
  // about the response or errors.
  if (!paramsHeads.length) {
    paramsHeads = headings.filter(
      (h) =>
        h.level === 2 &&
        /\bparameters?$/i.test(plain(h.text)) &&
        !/respon|return|result|error|event|how to|types of|verif/i.test(plain(h.text)),
    );
  }
  const sectionEnd = (/** @type {import('./markdown.mjs').Heading} */ h) =>
    headings.find((x) => x.line > h.line && x.level <= h.level)?.line ?? Number.POSITIVE_INFINITY;
  const inParams = (/** @type {{line: number}} */ t) =>
    paramsHeads.some((h) => t.line > h.line && t.line < sectionEnd(h));

  /** @type {Field[]} */ const params = [];
  /** @type {Record<string, Field[]>} */ const groups = {};
  const paramTables = tables.filter(inParams);
  /** @type {Set<import('./markdown.mjs').Table>} */ const direct = new Set();
  for (const h of paramsHeads) {
    const t = paramTables.find((x) => x.heading === h);
    if (t) {
      direct.add(t);
      for (const f of tableFields(t)) if (!params.some((p) => p.name === f.name)) params.push(f);
      continue;
    }
    // No table right under the heading: the tables under its sub-headings are the ways to call
    // the method ("### 1. By the attached poll ID", "### 2. By the poll element"), unless they
    // describe a param already listed (a group). A param is required only when every way
    // requires it.
    const variants = paramTables.filter(
      (x) => x.heading && x.heading.line > h.line && x.line < sectionEnd(h) && !isValueTable(x),
    );
    /** @type {Field[][]} */ const ways = [];
    for (const v of variants) {
      const head = /** @type {import('./markdown.mjs').Heading} */ (v.heading);
      const anchor = head.anchor ?? slug(head.text);
      const known = ways.flat();
      if (known.some((p) => (p.ref ?? '').endsWith(`#${anchor}`) || headingNames(head.text, p.name))) continue;
      const fields = tableFields(v);
      if (!fields.length) continue;
      direct.add(v);
      ways.push(fields);
    }
    for (const way of ways) {
      for (const f of way) {
        if (params.some((p) => p.name === f.name)) continue;
        params.push({ ...f, required: ways.every((w) => w.some((x) => x.name === f.name && x.required)) });
      }
    }
  }
  if (!paramsHeads.length) {
    // Some pages put the params table straight under the title, with no heading of its own.
    const first = tables[0];
    if (
      first &&
      (!first.heading || first.heading.level === 1) &&
      /\*\*(name|parameters?)\*\*/i.test(first.rows[0]?.cells[0] ?? '')
    ) {
      direct.add(first);
      params.push(...tableFields(first));
    }
  }

  // Named field tables anywhere on the page, by anchor (explicit or slugged heading).
  /** @type {Record<string, FieldTable>} */ const named = {};
  for (const t of tables) {
    if (!t.heading || direct.has(t) || isValueTable(t)) continue;
    const anchor = t.heading.anchor ?? slug(t.heading.text);
    if (!anchor || named[anchor]) continue;
    if (sectionOf(t.heading, ERROR_HEADING) && !inParams(t)) continue;
    const fields = tableFields(t);
    if (fields.length) named[anchor] = { heading: plain(t.heading.text), anchor, fields };
  }

  // Groups: tables under sub-headings of the params section, attached to the param that links
  // to their anchor, or whose name the heading mentions.
  for (const t of paramTables) {
    if (direct.has(t) || !t.heading || isValueTable(t)) continue;
    const anchor = t.heading.anchor ?? slug(t.heading.text);
    const fields = tableFields(t);
    if (!fields.length) continue;
    const key = anchor || plain(t.heading.text);
    if (!groups[key]) groups[key] = fields;
  }

  // Response: the example is the first JSON code block of the response section.
  const respExample = code.find(
    (c) =>
      c.heading &&
      (RESPONSE_HEADING.test(plain(c.heading.text)) || sectionOf(c.heading, RESPONSE_HEADING)) &&
      /^\s*[[{]/.test(c.text),
  );
  let example;
  let exampleText = null;
  if (respExample) {
    exampleText = respExample.text;
    example = parseLooseJson(respExample.text);
  }
  const returnedTable =
    tables.find(
      (t) =>
        t.heading &&
        /^(returned|response fields|result)/i.test(plain(t.heading.text)) &&
        !inParams(t) &&
        tableFields(t).some((f) => f.name === 'result'),
    ) ??
    tables.find(
      (t) => t.heading && sectionOf(t.heading, RESPONSE_HEADING) && tableFields(t).some((f) => f.name === 'result'),
    );
  const returned = returnedTable ? tableFields(returnedTable) : [];
  const resultRow = returned.find((f) => f.name === 'result');

  /** @type {DocError[]} */ const errors = [];
  for (const t of tables) {
    if (!t.heading || !sectionOf(t.heading, ERROR_HEADING) || !/error/i.test(plain(t.heading.text))) continue;
    const header = t.rows[0]?.cells.map((c) => plain(c).toLowerCase()) ?? [];
    const ci = header.indexOf('code');
    if (ci < 0) continue;
    const si = header.findIndex((h) => /status|http/.test(h));
    const mi = ci + 1;
    for (const row of t.rows.slice(1)) {
      const rawCode = plain(row.cells[ci] ?? '');
      /** @type {DocError} */ const e = {
        code: /^(empty|пуст)/i.test(rawCode) ? '' : rawCode,
        message: plain(row.cells[mi] ?? ''),
      };
      if (si >= 0) {
        const st = Number.parseInt(plain(row.cells[si] ?? ''), 10);
        if (Number.isFinite(st)) e.status = st;
      }
      if (e.code || e.message) errors.push(e);
    }
  }

  const text = source;
  const scopeLine = /^>\s*Scope[^:]*:(.*)$/im.exec(text);
  const scopes = scopeLine
    ? [
        ...new Set(
          [.../** @type {string} */ (scopeLine[1]).matchAll(/`([^`]+)`/g)]
            .flatMap((m) => /** @type {string} */ (m[1]).split(/[,\s]+/))
            .filter((s) => /^[\w.-]+$/.test(s)),
        ),
      ]
    : [];
  const apiVersion =
    /belongs to REST 3\.0|-rest-v3\.md$/i.test(text.slice(0, 4000)) || doc.endsWith('-rest-v3.md') ? 3 : 2;
  const deprecated =
    /\{%\s*note\s+\w+\s+"\s*deprecated(\s+method)?\s*"/i.test(text) ||
    /development of this method has been (halted|stopped|discontinued)|this method is deprecated|method is outdated/i.test(
      text,
    );
  // The page title without the method name: a short description for a new method.
  const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? '';
  const summaryText = plain(
    title.replace(new RegExp(method.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'ig'), ' ').replace(/\bBX24\.\s*/, ''),
  )
    .replace(/\s*\(\s*\)\s*/g, ' ')
    .replace(/\s+(for|of|the|in|to|a|an|by|v ?\d(\.\d)?)\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  // "The page is hidden from the menu, the method does not work.": not a callable method.
  const notWorking = NOT_WORKING.test(text.slice(0, 3000));
  return {
    method,
    doc,
    notWorking,
    scopes,
    apiVersion,
    deprecated,
    params,
    groups,
    resultType: resultRow ? resultRow.type : null,
    resultRef: resultRow ? resultRow.ref : null,
    returned,
    example,
    exampleText,
    errors,
    tables: named,
    summary: summaryText ? `${summaryText}.` : '',
  };
}

/**
 * JSON as the docs write it: sometimes with comments, trailing commas or `...` elisions.
 * Returns undefined when it still is not JSON.
 * @param {string} text
 */
export function parseLooseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    /* fall through to the lenient pass */
  }
  const cleaned = text
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/,\s*\.\.\.\s*(?=[\]}])/g, '')
    .replace(/^\s*\.\.\.,?\s*$/gm, '')
    .replace(/,(\s*[\]}])/g, '$1');
  try {
    return JSON.parse(cleaned);
  } catch {
    return undefined;
  }
}
