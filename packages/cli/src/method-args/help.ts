import type { MethodIndexEntry } from '@b24kit/client';
import type { MethodDescriptor } from '@b24kit/core';
import type { MethodInfo, MethodParam } from './params.js';
import { deprecationNote, methodInfo, replacementOf } from './params.js';

const HOW: Record<string, string> = {
  number: 'a number',
  boolean: 'true/false or Y/N',
  yn: 'Y/N or true/false',
  object: 'JSON object or @FILE',
  file: 'path of a file (sent as [name, base64])',
  any: 'text, or JSON',
  string: 'text',
};

function how(param: MethodParam): string {
  if (param.kind === 'array') {
    return param.element === 'object' ? 'JSON array or @FILE' : 'comma list or JSON array';
  }
  return HOW[param.kind] ?? 'text';
}

/** `b24 crm deal list --help`: name, description, scope, params, docs. */
export function methodHelp(descriptor: MethodDescriptor, info: MethodInfo | undefined): string {
  const words = descriptor.method.split('.').join(' ');
  const lines = [`${descriptor.method}${info?.description ? `: ${info.description}` : ''}`, ''];
  lines.push(
    `Usage: b24 ${words} [--PARAM VALUE ...] [--params JSON] [--webhook URL | --profile NAME]${descriptor.list ? ' [--all]' : ''}`,
  );
  lines.push('');
  lines.push(`Scope: ${descriptor.scope || '(none)'}`);
  if (descriptor.deprecated) lines.push(deprecationNote(descriptor.method));
  if (descriptor.appOnly) lines.push('Only an OAuth application may call it (not a webhook).');
  lines.push('');
  const params = info?.params ?? [];
  if (params.length === 0) {
    lines.push('Params: none described (pass any with --params JSON).');
  } else {
    lines.push('Params:');
    const width = Math.max(...params.map((p) => p.name.length)) + 2;
    const typeWidth = Math.max(...params.map((p) => p.type.length));
    for (const p of params) {
      const note = ['params', 'webhook', 'profile', 'all', 'help', 'timeout'].includes(p.name)
        ? '; set it inside --params JSON'
        : '';
      lines.push(
        `  --${p.name.padEnd(width)}${p.type.padEnd(typeWidth)}  ${p.required ? 'required' : 'optional'}  ${how(p)}${note}`,
      );
    }
  }
  lines.push('');
  lines.push('Also:');
  lines.push('  --params JSON   a base object of params; flags override its keys');
  lines.push('  --webhook URL   the incoming webhook (default: B24_WEBHOOK_URL)');
  lines.push('  --timeout MS    give up after this many milliseconds');
  if (descriptor.list) lines.push('  --all           every row of every page, one JSON object a line (ndjson)');
  if (descriptor.docUrl) lines.push('', `Docs: ${descriptor.docUrl}`);
  return `${lines.join('\n')}\n`;
}

/** `b24 crm deal --help`: the methods under a prefix, one a line with its description. */
export function groupHelp(prefix: string, methods: readonly MethodIndexEntry[]): string {
  const width = Math.max(...methods.map((m) => m.method.length));
  const lines = [`${methods.length} method${methods.length === 1 ? '' : 's'} under ${prefix}:`, ''];
  for (const m of methods) {
    const description = methodInfo(m.method)?.description ?? '';
    const instead = m.deprecated ? replacementOf(m.method) : undefined;
    lines.push(
      `  ${m.method.padEnd(width)}  ${description}${m.deprecated ? (instead ? ` (deprecated: use ${instead})` : ' (deprecated)') : ''}`,
    );
  }
  lines.push('', `Run "b24 ${prefix.split('.').join(' ')} METHOD --help" for one method's params.`);
  return `${lines.join('\n')}\n`;
}
