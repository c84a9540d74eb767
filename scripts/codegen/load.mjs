// @ts-check
// Stage 1: schema/ YAML -> validated raw schema. Every problem is reported with its file and
// line, all at once, so a schema edit is fixed in one pass.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import AjvModule from 'ajv';
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { parseTypeExpr, refsOf } from './type-expr.mjs';

/** @typedef {{ file: string, line: number, col: number, message: string }} SchemaProblem */
/**
 * @typedef {{ path: string, domain: string, entity: string, shared: boolean, data: any,
 *   lineOf: (path: (string|number)[], key?: boolean) => { line: number, col: number } }} SchemaFile
 */

export class SchemaError extends Error {
  /** @param {SchemaProblem[]} problems */
  constructor(problems) {
    super(
      `schema has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'),
    );
    this.name = 'SchemaError';
    this.problems = problems;
  }
}

const Ajv = /** @type {any} */ (AjvModule).default ?? AjvModule;

/** @param {string} schemaDir */
function listYaml(schemaDir) {
  /** @type {string[]} */
  const out = [];
  const walk = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.yaml') && full !== join(schemaDir, 'SOURCE.yaml')) out.push(full);
    }
  };
  walk(schemaDir);
  return out;
}

/** Decodes one JSON-pointer segment (`~1` = `/`, `~0` = `~`). @param {string} s */
const unescapePointer = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Loads and validates every entity file under `schemaDir`.
 * @param {string} schemaDir
 * @param {{ displayRoot?: string, jsonSchema?: string }} [opts] `displayRoot`: paths in messages are
 *   relative to it; `jsonSchema`: the JSON Schema file (default `<schemaDir>/schema.json`)
 * @returns {{ files: SchemaFile[] }}
 */
export function loadSchema(schemaDir, opts = {}) {
  const displayRoot = opts.displayRoot ?? join(schemaDir, '..');
  const jsonSchema = JSON.parse(readFileSync(opts.jsonSchema ?? join(schemaDir, 'schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(jsonSchema);
  /** @type {SchemaProblem[]} */
  const problems = [];
  /** @type {SchemaFile[]} */
  const files = [];

  for (const full of listYaml(schemaDir)) {
    const display = relative(displayRoot, full).split(sep).join('/');
    const rel = relative(schemaDir, full).split(sep);
    const lineCounter = new LineCounter();
    const text = readFileSync(full, 'utf8');
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    /** @param {number} offset */
    const at = (offset) => lineCounter.linePos(offset);
    if (doc.errors.length) {
      // Only the first syntax error: the ones after it are usually its echoes.
      const e = /** @type {import('yaml').YAMLError} */ (doc.errors[0]);
      const { line, col } = at(e.pos[0]);
      problems.push({ file: display, line, col, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` });
      continue;
    }
    /** @type {SchemaFile['lineOf']} */
    const lineOf = (path, key = false) => {
      // Walk down to the deepest node that exists; point at the key when asked (unknown names).
      /** @type {any} */
      let node = doc.contents;
      /** @type {any} */
      let best = node;
      for (const seg of path) {
        if (!isMap(node)) break;
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        best = key && seg === path[path.length - 1] ? pair.key : (pair.value ?? pair.key);
        node = pair.value;
      }
      const offset = best?.range?.[0] ?? 0;
      return at(offset);
    };
    const data = doc.toJS();
    if (rel.length !== 2) {
      problems.push({ file: display, line: 1, col: 1, message: 'entity files live at schema/<domain>/<entity>.yaml' });
      continue;
    }
    const [domain, fileName] = /** @type {[string, string]} */ (rel);
    if (!/^(_shared|[a-z][a-z0-9]*)$/.test(domain)) {
      problems.push({
        file: display,
        line: 1,
        col: 1,
        message: `domain folder "${domain}" must be lower-case letters and digits`,
      });
      continue;
    }
    const shared = domain === '_shared';
    if (!validate(shared ? { methods: {}, ...data } : data)) {
      for (const err of validate.errors ?? []) {
        const path = err.instancePath.split('/').slice(1).map(unescapePointer);
        let message = `${err.instancePath ? err.instancePath.split('/').slice(1).map(unescapePointer).join('.') + ': ' : ''}${err.message}`;
        let pos = lineOf(path);
        if (err.keyword === 'additionalProperties') {
          const extra = err.params.additionalProperty;
          message = `${path.length ? path.join('.') + ': ' : ''}unknown property "${extra}"`;
          pos = lineOf([...path, extra], true);
        } else if (err.keyword === 'propertyNames') {
          pos = lineOf([...path, err.params.propertyName], true);
          message = `${path.join('.')}: invalid name "${err.params.propertyName}"`;
        } else if (err.keyword === 'enum') {
          message += ` (${err.params.allowedValues.join(', ')})`;
        }
        // oneOf repeats its branches' errors; the branch errors already say what is wrong.
        if (err.keyword === 'oneOf') continue;
        problems.push({ file: display, ...pos, message });
      }
      continue;
    }
    if (shared && data.methods && Object.keys(data.methods).length) {
      problems.push({ file: display, ...lineOf(['methods'], true), message: '_shared files hold types only' });
    }
    if (shared && data.events && Object.keys(data.events).length) {
      problems.push({ file: display, ...lineOf(['events'], true), message: '_shared files hold types only' });
    }
    files.push({ path: display, domain, entity: fileName.replace(/\.yaml$/, ''), shared, data, lineOf });
  }
  if (problems.length === 0) checkReferences(files, problems);
  if (problems.length) throw new SchemaError(problems);
  return { files };
}

/**
 * Cross-file checks: unique type and method names, type expressions parse and name known types,
 * positional names are params.
 * @param {SchemaFile[]} files
 * @param {SchemaProblem[]} problems
 */
function checkReferences(files, problems) {
  /** @type {Map<string, Map<string, string>>} domain -> type name -> file */
  const typesByDomain = new Map();
  /** @type {Map<string, string>} */
  const methods = new Map();
  /** @type {Map<string, string>} upper-case event name -> file */
  const events = new Map();
  for (const f of files) {
    const key = f.shared ? '_shared' : f.domain;
    if (!typesByDomain.has(key)) typesByDomain.set(key, new Map());
    const names = /** @type {Map<string, string>} */ (typesByDomain.get(key));
    for (const name of Object.keys(f.data.types ?? {})) {
      if (names.has(name)) {
        problems.push({
          file: f.path,
          ...f.lineOf(['types', name], true),
          message: `type ${name} is also defined in ${names.get(name)}`,
        });
      }
      names.set(name, f.path);
    }
    for (const name of Object.keys(f.data.methods ?? {})) {
      const lower = name.toLowerCase();
      if (methods.has(lower)) {
        problems.push({
          file: f.path,
          ...f.lineOf(['methods', name], true),
          message: `method ${name} is also defined in ${methods.get(lower)}`,
        });
      }
      methods.set(lower, f.path);
    }
    // Event names are case-insensitive on the wire; the typed map is keyed by the upper-case form.
    for (const name of Object.keys(f.data.events ?? {})) {
      const upper = name.toUpperCase();
      if (events.has(upper)) {
        problems.push({
          file: f.path,
          ...f.lineOf(['events', name], true),
          message: `event ${upper} is also defined in ${events.get(upper)}`,
        });
      }
      events.set(upper, f.path);
    }
  }
  const sharedTypes = typesByDomain.get('_shared') ?? new Map();
  for (const f of files) {
    const local = typesByDomain.get(f.shared ? '_shared' : f.domain) ?? new Map();
    /** @param {string} expr @param {(string|number)[]} path */
    const check = (expr, path) => {
      try {
        for (const ref of refsOf(parseTypeExpr(expr))) {
          if (!local.has(ref) && !sharedTypes.has(ref)) {
            problems.push({
              file: f.path,
              ...f.lineOf(path),
              message: `unknown type ${ref} (not in domain ${f.domain} or _shared)`,
            });
          }
        }
      } catch (e) {
        problems.push({ file: f.path, ...f.lineOf(path), message: /** @type {Error} */ (e).message });
      }
    };
    /** @param {Record<string, any>} params @param {(string|number)[]} base */
    const checkParams = (params, base) => {
      for (const [name, p] of Object.entries(params ?? {})) {
        check(p.type, [...base, name, 'type']);
        if (p.fields) {
          if (!/^object(\[\])?$/.test(p.type)) {
            problems.push({
              file: f.path,
              ...f.lineOf([...base, name, 'type']),
              message: `param ${name} has fields, so its type must be object or object[]`,
            });
          }
          checkParams(p.fields, [...base, name, 'fields']);
        }
      }
    };
    for (const [name, t] of Object.entries(f.data.types ?? {})) {
      for (const [field, def] of Object.entries(t.fields ?? {}))
        check(def.type, ['types', name, 'fields', field, 'type']);
    }
    for (const [name, e] of Object.entries(f.data.events ?? {})) {
      if (typeof e.data === 'string') check(e.data, ['events', name, 'data']);
      else checkParams(e.data, ['events', name, 'data']);
    }
    for (const [name, m] of Object.entries(f.data.methods ?? {})) {
      check(m.result, ['methods', name, 'result']);
      checkParams(m.params, ['methods', name, 'params']);
      for (const p of m.positional ?? []) {
        if (!(p in (m.params ?? {}))) {
          problems.push({
            file: f.path,
            ...f.lineOf(['methods', name, 'positional']),
            message: `positional name ${p} is not a param of ${name}`,
          });
        }
      }
    }
  }
}
