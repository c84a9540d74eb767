// @ts-check
// Reading and writing the schema directory. Files are edited in place through the YAML document
// model, so untouched entries keep their comments, quoting and flow/block layout.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Document, isMap, isScalar, parseDocument, visit, YAMLMap } from 'yaml';

/** @typedef {{ rel: string, path: string, doc: Document, data: Record<string, any> }} EntityFile */

/**
 * @param {string} dir the schema directory (may not exist yet)
 * @returns {{ files: Map<string, EntityFile>, source: Record<string, any> | null }}
 */
export function loadSchema(dir) {
  /** @type {Map<string, EntityFile>} */ const files = new Map();
  if (!existsSync(dir)) return { files, source: null };
  for (const domain of readdirSync(dir).sort()) {
    const d = join(dir, domain);
    if (!statSync(d).isDirectory() || domain.startsWith('.')) continue;
    for (const name of readdirSync(d).sort()) {
      if (!name.endsWith('.yaml')) continue;
      const path = join(d, name);
      const doc = parseDocument(readFileSync(path, 'utf8'));
      if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]?.message}`);
      const data = /** @type {Record<string, any>} */ (doc.toJS() ?? {});
      files.set(`${domain}/${name.replace(/\.yaml$/, '')}`, {
        rel: `${domain}/${name.replace(/\.yaml$/, '')}`,
        path,
        doc,
        data,
      });
    }
  }
  const sourcePath = join(dir, 'SOURCE.yaml');
  /** @type {Record<string, any> | null} */ let source = null;
  if (existsSync(sourcePath)) {
    const text = readFileSync(sourcePath, 'utf8');
    source = parseDocument(text).toJS() ?? {};
    // An all-digit commit written without quotes must not turn into a number.
    const commit = parseDocument(text, { schema: 'failsafe' }).get('commit');
    if (commit !== undefined && source) source.commit = String(commit);
  }
  return { files, source };
}

/**
 * Serialises the new content of one entity file, reusing the nodes of `doc` where the value
 * did not change.
 * @param {Document | null} doc the file as it is (null for a new file)
 * @param {Record<string, any>} data the content it must have
 * @param {Map<string, string>} [renames] method names renamed by the sync, old -> new
 */
export function renderEntityFile(doc, data, renames = new Map()) {
  const d = doc ?? new Document({});
  if (!isMap(d.contents)) d.contents = /** @type {any} */ (d.createNode({}));
  // A renamed method keeps its node (comments, layout): only the key changes.
  const methodsNode = /** @type {YAMLMap} */ (d.contents).get('methods', true);
  if (isMap(methodsNode)) {
    for (const pair of methodsNode.items) {
      const to = renames.get(String(keyOf(pair)));
      if (to !== undefined) pair.key = isScalar(pair.key) ? Object.assign(pair.key, { value: to }) : d.createNode(to);
    }
  }
  // Methods and types are sorted by name; a hand-ordered file keeps its order and gets the new
  // names appended in sorted order.
  /** @type {Record<string, string[] | null>} */ const before = {};
  for (const key of ['types', 'methods']) {
    const node = /** @type {YAMLMap} */ (d.contents).get(key, true);
    const names = isMap(node) ? node.items.map((p) => String(keyOf(p))) : [];
    before[key] = names.every((n, i) => i === 0 || /** @type {string} */ (names[i - 1]).localeCompare(n) <= 0)
      ? null
      : names;
  }
  // A file written in block style only (no `{ ... }` maps) gets its new entries in block style too.
  let flowSeen = false;
  visit(d, {
    Map: (_k, n) => {
      if (n.flow && n.items.length) flowSeen = true;
    },
  });
  blockOnly = Boolean(doc) && !flowSeen;
  syncMap(d, /** @type {YAMLMap} */ (d.contents), data, 0);
  for (const key of ['types', 'methods']) {
    const node = /** @type {YAMLMap} */ (d.contents).get(key, true);
    if (!isMap(node)) continue;
    const kept = before[key];
    const rank = (/** @type {string} */ n) => (kept && kept.includes(n) ? kept.indexOf(n) : Number.MAX_SAFE_INTEGER);
    node.items.sort((a, b) => {
      const [x, y] = [String(keyOf(a)), String(keyOf(b))];
      return rank(x) - rank(y) || x.localeCompare(y);
    });
  }
  return d.toString({ lineWidth: 0, flowCollectionPadding: true });
}

let blockOnly = false;

/** @param {any} pair */
function keyOf(pair) {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/**
 * @param {Document} doc
 * @param {YAMLMap} node
 * @param {Record<string, any>} value
 * @param {number} depth
 */
function syncMap(doc, node, value, depth) {
  const keep = new Set(Object.keys(value));
  node.items = node.items.filter((p) => keep.has(String(keyOf(p))));
  for (const [k, v] of Object.entries(value)) {
    const pair = node.items.find((p) => String(keyOf(p)) === k);
    if (pair) {
      const current = /** @type {any} */ (pair.value);
      const plainNow = current && typeof current.toJSON === 'function' ? current.toJSON() : current;
      if (JSON.stringify(plainNow) === JSON.stringify(v)) continue;
      // An empty `{}` that gains entries is written afresh (block style where it belongs).
      if (
        isMap(current) &&
        v &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        !(current.items.length === 0 && Object.keys(v).length)
      ) {
        syncMap(doc, current, v, depth + 1);
        continue;
      }
      pair.value = styled(doc, v, depth + 1);
    } else {
      node.set(k, styled(doc, v, depth + 1));
    }
  }
  // Keep the order of `value` (the merge decides it) for the pairs it names.
  const order = Object.keys(value);
  node.items.sort((a, b) => order.indexOf(String(keyOf(a))) - order.indexOf(String(keyOf(b))));
}

/**
 * A new node: small leaf maps (a param, a field, a list shape) in flow style, the rest block.
 * @param {Document} doc
 * @param {unknown} value
 * @param {number} depth
 */
function styled(doc, value, depth) {
  const node = doc.createNode(value);
  const visit = (/** @type {any} */ n, /** @type {unknown} */ v, /** @type {number} */ level) => {
    if (!n || typeof n !== 'object' || !('items' in n)) return;
    const leaf =
      v &&
      typeof v === 'object' &&
      Object.values(v).every(
        (x) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => typeof y !== 'object')),
      );
    n.flow =
      Boolean(leaf && !blockOnly && level >= 3 && JSON.stringify(v).length <= 100) ||
      (v && typeof v === 'object' && Object.keys(v).length === 0);
    if (isMap(n)) for (const p of n.items) visit(p.value, /** @type {any} */ (v)[String(keyOf(p))], level + 1);
  };
  visit(node, value, depth);
  return node;
}

/**
 * @param {string} path
 * @param {string} text
 */
export function writeText(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}
