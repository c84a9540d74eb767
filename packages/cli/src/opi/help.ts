import { opiFunctions } from './functions.js';
import type { OpiFunction } from './types.js';

/** `b24 opi --help`: every function, grouped by OPI region, with what it calls. */
export function opiListHelp(): string {
  const lines = [
    'Usage: b24 opi FUNCTION [--flag value ...]',
    '',
    'The functions and flags of the OPI (Open Integrations Package) Bitrix24 CLI, for moving',
    'scripts over unchanged. --url is the webhook URL (default B24_WEBHOOK_URL), or the portal',
    'address with --token ACCESS_TOKEN. Results are printed as JSON.',
    '',
  ];
  const width = Math.max(...opiFunctions.map((f) => f.name.length));
  let region = '';
  for (const fn of opiFunctions) {
    if (fn.region !== region) {
      region = fn.region;
      lines.push(`${region}:`);
    }
    lines.push(`  ${fn.name.padEnd(width)}  ${target(fn)}`);
  }
  lines.push('', `${opiFunctions.length} functions. Run "b24 opi FUNCTION --help" for its flags.`);
  return `${lines.join('\n')}\n`;
}

function target(fn: OpiFunction): string {
  if (fn.kind === 'remote') return fn.method ?? fn.rest;
  if (fn.kind === 'auth') return `OAuth: ${fn.auth} (@b24kit/auth)`;
  return 'local: prints a template';
}

/** `b24 opi GetDeal --help`: the function's flags, their OPI types and REST targets. */
export function opiFunctionHelp(fn: OpiFunction): string {
  const usage = fn.flags.map((f) => (f.required ? `--${f.flag} VALUE` : `[--${f.flag} VALUE]`)).join(' ');
  const lines = [`${fn.name} (${fn.region})`, '', `Usage: b24 opi ${fn.name} ${usage}`.trimEnd(), ''];
  if (fn.kind === 'remote')
    lines.push(`Calls ${fn.method}${fn.rest !== fn.method ? `  (parity list: ${fn.rest})` : ''}`);
  if (fn.kind === 'auth')
    lines.push(`OAuth helper: ${fn.auth} from @b24kit/auth; tokens and secrets are never printed`);
  if (fn.kind === 'local-helper') lines.push('Local helper: prints the structure it builds; nothing is sent');
  if (fn.note) lines.push(`Note: ${fn.note}`);
  lines.push('', 'Flags:');
  const width = Math.max(...fn.flags.map((f) => f.flag.length), 4) + 2;
  const typeWidth = Math.max(...fn.flags.map((f) => f.type.length), 4);
  for (const f of fn.flags) {
    const state = f.required
      ? 'required'
      : f.default !== undefined
        ? `default ${JSON.stringify(f.default)}`
        : 'optional';
    lines.push(
      `  --${f.flag.padEnd(width)}${f.type.padEnd(typeWidth)}  ${state.padEnd(16)}  ${f.name} -> ${describeTarget(fn, f.to, f.how)}`,
    );
  }
  if (fn.fixed) lines.push(`  (always sends ${JSON.stringify(fn.fixed)})`);
  if (fn.auth === 'authorizeUrl') {
    lines.push("  --redirect-uri URL   where the portal sends the code (default: the app card's)");
    lines.push('  --state S            CSRF state (default: a random one)');
  }
  if (fn.kind === 'auth' && fn.auth !== 'authorizeUrl') {
    lines.push('  --token-url URL      token endpoint (default https://oauth.bitrix.info/oauth/token/)');
    lines.push('  --out FILE           write the full token set to FILE (mode 0600)');
  }
  return `${lines.join('\n')}\n`;
}

function describeTarget(fn: OpiFunction, to: string, how: string | undefined): string {
  if (how === 'url') return 'webhook URL, or portal address with --token';
  if (how === 'token') return 'OAuth access token (Authorization: Bearer)';
  if (how === 'ignore') return '(accepted, not sent)';
  if (fn.kind !== 'remote') return to;
  if (how === 'spread') return 'top-level params (JSON object)';
  return how && how !== 'string' && how !== 'number' ? `${to} (${how})` : to;
}
