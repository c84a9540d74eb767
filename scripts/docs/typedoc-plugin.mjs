// @ts-check
// The typedoc plugin behind `npm run docs:api`: shapes the generated client into one page per
// REST method and names every module by its import path.
// - modules are named by what users import (`@b24kit/client/crm`, not `generated/crm`), and a
//   package's README is its module page;
// - each generated method value (`crmDealList`, a callable descriptor) becomes a function page
//   with the signature and JSDoc of its `b24.*` tree member (`b24.crm.deal.list`): summary,
//   docs link, deprecation, and its `...Params` and `...Result` types inlined; the tree
//   interfaces and the params and result types get no pages of their own: one page and one
//   sidebar entry per method;
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
  ParameterReflection,
  ReferenceType,
  ReflectionFlag,
  ReflectionKind,
  ReflectionType,
  SignatureReflection,
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
 * The example at the end of a method page: the facade call and the free function, with the
 * required params filled in with placeholders of their types.
 * @param {string} fnName e.g. `crmDealList`
 * @param {string} method e.g. `crm.deal.list`
 * @param {import('typedoc').SignatureReflection} signature
 * @param {string} moduleName e.g. `@b24kit/client/crm`
 */
function example(fnName, method, signature, moduleName) {
  const paramsParam = signature.parameters?.find((p) => p.name === 'params');
  /** @type {string[]} */
  const lines = [];
  if (paramsParam?.type instanceof ReflectionType) {
    for (const prop of paramsParam.type.declaration.children ?? []) {
      if (prop.flags.isOptional) continue;
      const key = /^[A-Za-z_$][\w$]*$/.test(prop.name) ? prop.name : JSON.stringify(prop.name);
      lines.push(`  ${key}: ${placeholder(prop.type)},`);
    }
  }
  const args = lines.length ? `{\n${lines.join('\n')}\n}` : paramsParam && !paramsParam.flags.isOptional ? '{}' : '';
  const facade = `b24${method.split('.').map(member).join('')}`;
  const code = [
    "import { createClient } from '@b24kit/client';",
    `import { ${fnName} } from '${moduleName}';`,
    '',
    'const b24 = createClient({ webhook: process.env.B24_WEBHOOK_URL! });',
    `const result = await ${facade}(${args});`,
    '// the same call as a tree-shakeable function',
    `const same = await ${fnName}(b24.caller${args ? `, ${args}` : ''});`,
  ].join('\n');
  return new CommentTag('@example', [{ kind: 'code', text: `\`\`\`ts\n${code}\n\`\`\`` }]);
}

/** The REST method a generated method value describes: `Method<'crm.deal.list', P, R>`. */
/** @param {DeclarationReflection} reflection */
function methodNameOf(reflection) {
  const type = reflection.type;
  if (type?.type !== 'reference' || type.name !== 'Method') return undefined;
  const first = type.typeArguments?.[0];
  return first?.type === 'literal' && typeof first.value === 'string' ? first.value : undefined;
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

  /** @type {Set<DeclarationReflection>} generated declarations that get no page */
  const hidden = new Set();
  /** @type {DeclarationReflection[]} generated method values (`crmDealList`) */
  const methodValues = [];
  /** @type {DeclarationReflection[]} generated `b24.*` tree interfaces (`CrmDealApi`) */
  const trees = [];
  /** @type {DeclarationReflection[]} maps over every method (`MethodMap`): a page, not 1,600 members */
  const maps = [];

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
    if (!GENERATED.test(file) || !(reflection.parent?.kindOf(ReflectionKind.Module) ?? false)) return;
    const name = reflection.name;
    if (reflection.kindOf(ReflectionKind.Interface) && /\/generated\/namespaces\.ts$/.test(file)) {
      maps.push(reflection);
    } else if (reflection.kindOf(ReflectionKind.Variable) && /\/methods\.ts$/.test(file)) {
      methodValues.push(reflection);
    } else if (reflection.kindOf(ReflectionKind.Interface) && /\/api\.ts$/.test(file)) {
      trees.push(reflection);
      hidden.add(reflection);
    } else if (
      reflection.kindOf(ReflectionKind.TypeAlias | ReflectionKind.Interface) &&
      (METHOD_TYPE.test(name) || /\/api\.ts$/.test(file))
    ) {
      hidden.add(reflection);
    }
  });

  // Before typedoc groups and links anything: each method value becomes a function page with
  // the signature and JSDoc of its `b24.*` tree member (params inlined, docs link, deprecation).
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      /** @type {Map<string, DeclarationReflection>} REST method -> tree member */
      const members = new Map();
      for (const tree of trees) {
        const prefix = /^`([\w.]+)\.\*`$/.exec(Comment.combineDisplayParts(tree.comment?.summary ?? []).trim())?.[1];
        if (!prefix) continue;
        // a method that is also a prefix of others (`im.dialog.read`, `methods`): a callable tree node
        if (tree.signatures?.length) members.set(prefix, tree);
        for (const child of tree.children ?? []) {
          if (child.kindOf(ReflectionKind.Method) && child.signatures?.length)
            members.set(`${prefix}.${child.name}`, child);
        }
      }
      const callerType = project.getChildByName(['@b24kit/client', 'MethodCaller']);
      for (const value of methodValues) {
        const method = methodNameOf(value);
        const tree = method ? members.get(method) : undefined;
        const source = tree?.signatures?.[0];
        if (!method || !source) continue;
        const signature = new SignatureReflection(value.name, ReflectionKind.CallSignature, value);
        project.registerReflection(signature, undefined, undefined);
        const caller = new ParameterReflection('caller', ReflectionKind.Parameter, signature);
        caller.type =
          callerType instanceof DeclarationReflection
            ? ReferenceType.createResolvedReference('MethodCaller', callerType, project)
            : ReferenceType.createBrokenReference('MethodCaller', project, '@b24kit/client');
        project.registerReflection(caller, undefined, undefined);
        // the tree member's own parameters and return type move over to the method value
        const parameters = source.parameters ?? [];
        for (const p of parameters) p.parent = signature;
        signature.parameters = [caller, ...parameters];
        signature.type = source.type;
        signature.comment = source.comment?.clone() ?? new Comment();
        const moduleName = value.parent?.name ?? '';
        const tag = example(value.name, method, signature, moduleName);
        signature.comment.blockTags.push(tag);
        source.parameters = [];
        project.removeTypeReflections(value.type);
        value.type = undefined;
        value.comment = undefined;
        value.kind = ReflectionKind.Function;
        value.setFlag(ReflectionFlag.Const, false);
        value.signatures = [signature];
      }
      for (const reflection of hidden) project.removeReflection(reflection);
      for (const map of maps) for (const child of [...(map.children ?? [])]) project.removeReflection(child);
    },
    200,
  );
}
