// @ts-check
// The typedoc plugin behind `npm run docs:api`: shapes the generated client into one page per
// REST method and names every module by its import path.
// - modules are named by what users import (`@b24kit/client/crm`, not `generated/crm`), and a
//   package's README is its module page;
// - a generated method's `...Params` and `...Result` types are inlined into its function page,
//   and the method's descriptor constant, its params and result types and the per-domain
//   namespace builders get no pages of their own: one page and one sidebar entry per method;
// - every method page ends with an example (facade call and free function, the required params
//   filled in), next to the link to its official docs page that the generator already writes.
import { readFileSync } from 'node:fs';
import {
  Comment,
  CommentTag,
  Context,
  Converter,
  DeclarationReflection,
  MinimalSourceFile,
  ReflectionKind,
  ReflectionType,
} from 'typedoc';

/** Set by scripts/docs/api.mjs before typedoc converts: entry file -> module name and README. */
/** @type {Map<string, { name: string, readme?: string }>} */
export const modules = new Map();

const GENERATED = /\/packages\/client\/src\/generated\//;
const METHOD_TYPE = /^[A-Z]\w*(Params|Result)$/;

/** @param {import('typescript').Symbol | undefined} symbol */
function fileOf(symbol) {
  return symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
}

/**
 * A placeholder value for a required param, by its type, for the examples.
 * @param {import('typedoc').SomeType | undefined} type
 * @returns {string}
 */
function placeholder(type) {
  if (!type) return "'...'";
  switch (type.type) {
    case 'intrinsic':
      return type.name === 'number' ? '1' : type.name === 'boolean' ? 'true' : type.name === 'string' ? "'...'" : '{}';
    case 'literal':
      return JSON.stringify(type.value);
    case 'array':
      return '[]';
    case 'union': {
      const number = type.types.find((t) => t.type === 'intrinsic' && t.name === 'number');
      return placeholder(number ?? type.types[0]);
    }
    case 'reflection':
      return '{}';
    case 'reference':
      return type.name === 'Record' ? '{}' : type.name === 'FileInput' ? "['name.txt', base64]" : '{}';
    default:
      return "'...'";
  }
}

/** @param {string} segment */
const member = (segment) => (/^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`);

/**
 * @param {DeclarationReflection} fn a generated method function
 * @param {string} moduleName e.g. `@b24kit/client/crm`
 */
function example(fn, moduleName) {
  const signature = fn.signatures?.[0];
  const method = /Method `([^`]+)`/.exec(Comment.combineDisplayParts(signature?.comment?.summary ?? []))?.[1];
  if (!signature || !method) return undefined;
  const paramsParam = signature.parameters?.find((p) => p.name === 'params');
  /** @type {string[]} */
  const lines = [];
  if (paramsParam?.type instanceof ReflectionType) {
    for (const prop of paramsParam.type.declaration.children ?? []) {
      if (!prop.flags.isOptional)
        lines.push(
          `  ${member(prop.name)
            .slice(1)
            .replace(/^\["(.*)"\]$/, "'$1'")}: ${placeholder(prop.type)},`,
        );
    }
  }
  const args = lines.length ? `{\n${lines.join('\n')}\n}` : paramsParam && !paramsParam.flags.isOptional ? '{}' : '';
  const facade = `b24${method.split('.').map(member).join('')}`;
  const code = [
    "import { createClient } from '@b24kit/client';",
    `import { ${fn.name} } from '${moduleName}';`,
    '',
    'const b24 = createClient({ webhook: process.env.B24_WEBHOOK_URL! });',
    `const result = await ${facade}(${args});`,
    '// the same call as a tree-shakeable function',
    `const same = await ${fn.name}(b24.caller${args ? `, ${args}` : ''});`,
  ].join('\n');
  return new CommentTag('@example', [{ kind: 'code', text: `\`\`\`ts\n${code}\n\`\`\`` }]);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Inline the params and result types of generated methods wherever they are referenced.
  // Context#shouldInline is what typedoc asks for an `@inline` tag; it is not in its public types.
  const proto = /** @type {any} */ (Context.prototype);
  const shouldInline = proto.shouldInline;
  /** @param {import('typescript').Symbol} symbol @param {string} name */
  proto.shouldInline = function (symbol, name) {
    if (METHOD_TYPE.test(name) && GENERATED.test(fileOf(symbol))) return true;
    return shouldInline.call(this, symbol, name);
  };

  /** @type {Set<DeclarationReflection>} */
  const hidden = new Set();
  /** @type {Map<DeclarationReflection, string>} generated method functions -> module name */
  const methods = new Map();

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const file = fileOf(context.getSymbolFromReflection(reflection));
    if (reflection.kindOf(ReflectionKind.Module)) {
      const info = modules.get(file);
      if (!info) return;
      reflection.name = info.name;
      if (info.readme) {
        const path = /** @type {import('typedoc').NormalizedPath} */ (info.readme);
        const source = new MinimalSourceFile(readFileSync(path, 'utf8'), path);
        reflection.readme = app.converter.parseRawComment(source, context.project.files).content;
      }
      return;
    }
    if (!GENERATED.test(file)) return;
    const name = reflection.name;
    if (
      (reflection.kindOf(ReflectionKind.Variable) && name.endsWith('Descriptor')) ||
      (reflection.kindOf(ReflectionKind.TypeAlias | ReflectionKind.Interface) &&
        (METHOD_TYPE.test(name) || name.endsWith('Namespace'))) ||
      (reflection.kindOf(ReflectionKind.Function) && /^create\w+Namespace$/.test(name))
    ) {
      hidden.add(reflection);
    } else if (reflection.kindOf(ReflectionKind.Function)) {
      const mod = /** @type {DeclarationReflection | undefined} */ (reflection.parent);
      if (mod) methods.set(reflection, mod.name);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of hidden) context.project.removeReflection(reflection);
    for (const [fn, moduleName] of methods) {
      const signature = fn.signatures?.[0];
      if (!signature?.comment) continue;
      const tag = example(fn, fn.parent?.name ?? moduleName);
      if (tag) signature.comment.blockTags.push(tag);
    }
  });
}
