// @ts-check
// Parser for schema type expressions: primitives, type names, `T[]`, `Record<T>`, `A | B`.

/** @typedef {{ kind: 'prim', name: string } | { kind: 'ref', name: string } | { kind: 'array', of: TypeNode } | { kind: 'record', of: TypeNode } | { kind: 'union', of: TypeNode[] }} TypeNode */

export const PRIMITIVES = new Set([
  'string',
  'integer',
  'double',
  'boolean',
  'date',
  'datetime',
  'object',
  'any',
  'file',
  'yn',
  'null',
]);

/**
 * @param {string} text
 * @returns {TypeNode}
 */
export function parseTypeExpr(text) {
  let pos = 0;
  const src = text.trim();
  /** @param {string} why @returns {never} */
  const fail = (why) => {
    throw new Error(`bad type expression "${text}": ${why}`);
  };
  const skip = () => {
    while (src[pos] === ' ') pos++;
  };
  /** @returns {TypeNode} */
  const union = () => {
    const parts = [term()];
    skip();
    while (src[pos] === '|') {
      pos++;
      parts.push(term());
      skip();
    }
    return parts.length === 1 ? /** @type {TypeNode} */ (parts[0]) : { kind: 'union', of: parts };
  };
  /** @returns {TypeNode} */
  const term = () => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    if (!m) fail(`expected a type name at position ${pos}`);
    const name = /** @type {RegExpExecArray} */ (m)[0];
    pos += name.length;
    /** @type {TypeNode} */
    let node;
    if (name === 'Record' && src[pos] === '<') {
      pos++;
      const inner = union();
      skip();
      if (src[pos] !== '>') fail('missing ">"');
      pos++;
      node = { kind: 'record', of: inner };
    } else {
      node = PRIMITIVES.has(name) ? { kind: 'prim', name } : { kind: 'ref', name };
    }
    while (src.startsWith('[]', pos)) {
      pos += 2;
      node = { kind: 'array', of: node };
    }
    return node;
  };
  const node = union();
  skip();
  if (pos !== src.length) fail(`unexpected "${src.slice(pos)}"`);
  return node;
}

/**
 * Names of the types an expression refers to.
 * @param {TypeNode} node
 * @param {Set<string>} [out]
 */
export function refsOf(node, out = new Set()) {
  if (node.kind === 'ref') out.add(node.name);
  else if (node.kind === 'array' || node.kind === 'record') refsOf(node.of, out);
  else if (node.kind === 'union') for (const n of node.of) refsOf(n, out);
  return out;
}
