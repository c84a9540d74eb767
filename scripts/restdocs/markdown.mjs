// @ts-check
// Low-level reading of the docs' Markdown dialect (Yandex Flavored Markdown): headings with
// `{#anchor}` ids, `#| || a | b || |#` tables (nested tables and code allowed inside cells),
// plain pipe tables, fenced code blocks and `[text](link)` references.

/**
 * @typedef {{ level: number, text: string, anchor: string | null, line: number }} Heading
 * @typedef {{ cells: string[] }} Row
 * @typedef {{ rows: Row[], line: number, heading: Heading | null }} Table
 * @typedef {{ lang: string, text: string, line: number, heading: Heading | null }} CodeBlock
 */

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const ANCHOR = /\s*\{#([^}]+)\}\s*$/;
const FENCE = /^\s*(```+|~~~+)\s*([\w+-]*)/;

/** @param {string} line @param {string} marker */
function closesFence(line, marker) {
  const t = line.trim();
  return t.length >= marker.length && t === (marker[0] ?? '`').repeat(t.length);
}

/** Removes `{% note %}`-style directives but keeps their content. @param {string} s */
export function stripDirectives(s) {
  return s.replace(/\{%[^%]*%\}/g, '');
}

/**
 * Splits a page into headings, YFM/pipe tables and fenced code blocks, each tagged with the
 * nearest heading above it. Code inside tables stays part of the table cell.
 * @param {string} source
 */
export function scanPage(source) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  /** @type {Heading[]} */ const headings = [];
  /** @type {Table[]} */ const tables = [];
  /** @type {CodeBlock[]} */ const code = [];
  /** @type {Heading | null} */ let current = null;
  let i = 0;
  while (i < lines.length) {
    const line = /** @type {string} */ (lines[i]);
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = /** @type {string} */ (fence[1]);
      const start = i;
      const body = [];
      i++;
      // CommonMark: a closing fence is a run of the same character, at least as long, and
      // nothing else; "```bash" opens no block inside a block and closes none either. The docs
      // have pages with an unclosed fence before such a line (task.commentitem.update).
      while (i < lines.length && !closesFence(/** @type {string} */ (lines[i]), marker)) {
        body.push(lines[i]);
        i++;
      }
      code.push({
        lang: (fence[2] ?? '').toLowerCase(),
        text: dedent(body).join('\n'),
        line: start + 1,
        heading: current,
      });
      i++;
      continue;
    }
    if (line.trim() === '#|' || line.trim().startsWith('#|')) {
      const start = i;
      const { text, end } = collectYfmTable(lines, i);
      tables.push({ rows: parseYfmTable(text), line: start + 1, heading: current });
      i = end + 1;
      continue;
    }
    if (
      /^\s*\|.*\|\s*$/.test(line) &&
      i + 1 < lines.length &&
      /^\s*\|?\s*:?-{2,}/.test(/** @type {string} */ (lines[i + 1]))
    ) {
      const start = i;
      const rows = [];
      while (i < lines.length && /^\s*\|/.test(/** @type {string} */ (lines[i]))) {
        if (i !== start + 1) rows.push({ cells: splitPipeRow(/** @type {string} */ (lines[i])) });
        i++;
      }
      tables.push({ rows, line: start + 1, heading: current });
      continue;
    }
    const h = HEADING.exec(line);
    if (h && !line.startsWith('#|')) {
      let text = /** @type {string} */ (h[2]);
      const a = ANCHOR.exec(text);
      const anchor = a ? /** @type {string} */ (a[1]).trim() : null;
      if (a) text = text.slice(0, a.index).trim();
      current = { level: /** @type {string} */ (h[1]).length, text, anchor, line: i + 1 };
      headings.push(current);
    }
    i++;
  }
  return { lines, headings, tables, code };
}

/** @param {(string | undefined)[]} body */
function dedent(body) {
  const strings = body.map((l) => l ?? '');
  const indents = strings.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const min = indents.length ? Math.min(...indents) : 0;
  return strings.map((l) => l.slice(min));
}

/**
 * From the `#|` line, finds the matching `|#` (nested tables count) and returns the inner text.
 * @param {string[]} lines
 * @param {number} from
 */
function collectYfmTable(lines, from) {
  let depth = 0;
  let inFence = false;
  const out = [];
  for (let i = from; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence) {
      const opens = (line.match(/#\|/g) ?? []).length;
      const closes = (line.match(/\|#/g) ?? []).length;
      depth += opens - closes;
    }
    out.push(line);
    if (depth <= 0 && i > from) return { text: out.join('\n'), end: i };
    if (depth <= 0 && i === from && /\|#\s*$/.test(line.trim().slice(2))) return { text: out.join('\n'), end: i };
  }
  return { text: out.join('\n'), end: lines.length - 1 };
}

/**
 * Parses the text of one YFM table (`#|` ... `|#`) into rows of raw cell Markdown.
 * Cell and row separators are only honoured outside inline code, fenced code and nested tables.
 * @param {string} text
 * @returns {Row[]}
 */
export function parseYfmTable(text) {
  const body = text.trim().replace(/^#\|/, '').replace(/\|#$/, '');
  /** @type {Row[]} */ const rows = [];
  /** @type {string[] | null} */ let row = null;
  let cell = '';
  let depth = 0;
  let inFence = false;
  let inTick = false;
  let lineStart = true;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    const fence = lineStart ? /^[ \t]*(```+|~~~+)/.exec(body.slice(i, i + 40)) : null;
    lineStart = ch === '\n';
    if (fence) {
      // The fence marker itself is never inline code; text after a closing fence is table text.
      inFence = !inFence;
      inTick = false;
      if (row) cell += fence[0];
      i += fence[0].length - 1;
      continue;
    }
    if (inFence || ch === undefined) {
      if (row) cell += ch ?? '';
      continue;
    }
    if (ch === '\\' && body[i + 1] === '|') {
      if (row) cell += '|';
      i++;
      continue;
    }
    if (ch === '`' && depth === 0) {
      inTick = !inTick;
      if (row) cell += ch;
      continue;
    }
    if (ch === '\n' && inTick) inTick = false; // a stray backtick never spans lines
    if (!inTick && ch === '#' && body[i + 1] === '|') {
      depth++;
      if (row) cell += '#|';
      i++;
      continue;
    }
    if (!inTick && depth > 0 && ch === '|' && body[i + 1] === '#') {
      depth--;
      if (row) cell += '|#';
      i++;
      continue;
    }
    if (!inTick && depth === 0 && ch === '|') {
      if (body[i + 1] === '|') {
        i++;
        if (row) {
          row.push(cell.trim());
          rows.push({ cells: row });
          row = null;
        } else {
          row = [];
        }
        cell = '';
        continue;
      }
      if (row) {
        row.push(cell.trim());
        cell = '';
      }
      continue;
    }
    if (row) cell += ch;
  }
  // The docs sometimes forget the closing `||` of the last row; keep that row.
  if (row && (row.length || cell.trim())) {
    row.push(cell.trim());
    rows.push({ cells: row });
  }
  return rows;
}

/** @param {string} line */
function splitPipeRow(line) {
  const cells = [];
  let cell = '';
  let inTick = false;
  const s = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inTick = !inTick;
      cell += ch;
    } else if (ch === '|' && !inTick) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** Plain text of a cell: links to their text, emphasis and code marks dropped. @param {string} md */
export function plain(md) {
  return stripDirectives(md)
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
