import { randomBytes } from 'node:crypto';
import { authorizeUrl, exchangeCode, refreshTokens } from '@b24kit/auth';
import { createClient, findDescriptor } from '@b24kit/client';
import { UsageError, type CliIO } from '../io.js';
import { buildStructure } from './structures.js';
import { accessTokenCredentials } from './token-credentials.js';
import type { OpiFlag, OpiFunction } from './types.js';
import { opiValue, setPath } from './values.js';
import { tokenSummary } from '../tokens.js';
import { preparePrivateFile } from '../secure-file.js';

/** The text of each flag given, by OPI flag name; extra holds b24kit's own flags. */
export interface OpiArgs {
  readonly given: ReadonlyMap<OpiFlag, string>;
  readonly extra: ReadonlyMap<string, string>;
}

/** Environment variables that stand in for a flag left out (keeps secrets out of shell history). */
const ENV_FALLBACK: Readonly<Record<string, string>> = {
  url: 'B24_WEBHOOK_URL',
  clientid: 'B24_CLIENT_ID',
  clientsecret: 'B24_CLIENT_SECRET',
  refresh: 'B24_REFRESH_TOKEN',
};

/** Each flag's text: given, else from the environment, else OPI's default; missing required ones fail. */
export function flagTexts(fn: OpiFunction, args: OpiArgs, io: Pick<CliIO, 'env'>): Map<OpiFlag, string> {
  const out = new Map<OpiFlag, string>();
  const missing: string[] = [];
  for (const flag of fn.flags) {
    const envName = ENV_FALLBACK[flag.flag];
    const text =
      args.given.get(flag) ??
      (envName ? io.env[envName] : undefined) ??
      (flag.default === undefined ? undefined : String(flag.default));
    if (text !== undefined) out.set(flag, text);
    else if (flag.required) missing.push(`--${flag.flag} (${flag.name}: ${flag.type})`);
  }
  if (missing.length > 0) throw new UsageError(`${fn.name} needs ${missing.join(', ')}`);
  return out;
}

export async function runOpi(fn: OpiFunction, args: OpiArgs, io: CliIO): Promise<unknown> {
  const values = flagTexts(fn, args, io);
  if (fn.kind === 'local-helper') return buildStructure(fn, values);
  if (fn.kind === 'auth') return runAuth(fn, values, args.extra, io.stderr);
  return runRemote(fn, values);
}

/** The REST params of a remote function, without sending anything. */
export function remoteParams(fn: OpiFunction, values: ReadonlyMap<OpiFlag, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [flag, text] of values) {
    if (flag.how === 'url' || flag.how === 'token' || flag.how === 'ignore' || flag.how === 'local') continue;
    const value = opiValue(flag, text);
    if (flag.how === 'spread') Object.assign(params, value);
    else setPath(params, flag.to, value);
  }
  return { ...params, ...fn.fixed };
}

async function runRemote(fn: OpiFunction, values: Map<OpiFlag, string>): Promise<unknown> {
  let url: string | undefined;
  let token: string | undefined;
  for (const [flag, text] of values) {
    if (flag.how === 'url') url = text;
    if (flag.how === 'token' && text !== '') token = text;
  }
  if (!url) throw new UsageError(`${fn.name} needs --url (the webhook URL, or the portal address with --token)`);
  const params = remoteParams(fn, values);
  const method = findDescriptor(fn.method!)?.method ?? fn.method!;
  const b24 = token ? createClient({ oauth: accessTokenCredentials(url, token) }) : createClient({ webhook: url });
  try {
    const result = await b24.callUnknown(method, params);
    return fn.post === 'filter-fields' ? filterFields(result, values) : result;
  } finally {
    await b24.close();
  }
}

/** GetFolderFilterStructure: of the folder fields, the ones a filter can use; --empty blanks the values. */
function filterFields(result: unknown, values: Map<OpiFlag, string>): Record<string, unknown> {
  const clearFlag = [...values].find(([flag]) => flag.to === 'clear');
  const clear = clearFlag ? /^(true|y|yes|1)$/i.test(clearFlag[1]) : false;
  const out: Record<string, unknown> = {};
  for (const [name, info] of Object.entries(
    (result ?? {}) as Record<string, { TYPE?: unknown; USE_IN_FILTER?: unknown }>,
  )) {
    if (info?.USE_IN_FILTER !== true && info?.USE_IN_FILTER !== 'Y') continue;
    out[name] = clear ? '' : `<${String(info.TYPE ?? 'any')}>`;
  }
  return out;
}

async function runAuth(
  fn: OpiFunction,
  values: Map<OpiFlag, string>,
  extra: ReadonlyMap<string, string>,
  stderr: NodeJS.WritableStream,
): Promise<unknown> {
  const options: Record<string, string> = {};
  for (const [flag, text] of values) options[flag.to] = text;
  const tokenUrl = extra.get('token-url');
  const common = {
    clientId: options.clientId ?? '',
    clientSecret: options.clientSecret ?? '',
    ...(tokenUrl ? { tokenUrl } : {}),
  };
  if (fn.auth === 'authorizeUrl') {
    // A fresh state ties the redirect to this request (OPI sends none).
    const redirectUri = extra.get('redirect-uri');
    return authorizeUrl({
      portal: options.portal ?? '',
      clientId: options.clientId ?? '',
      state: extra.get('state') ?? randomBytes(12).toString('hex'),
      ...(redirectUri === undefined ? {} : { redirectUri }),
    });
  }
  const out = extra.get('out');
  // Checked before the code or refresh token is spent: private, no symbolic links followed.
  const file = out ? preparePrivateFile(out, stderr) : undefined;
  let set;
  try {
    set =
      fn.auth === 'exchangeCode'
        ? await exchangeCode({ ...common, code: options.code ?? '' })
        : await refreshTokens({ ...common, refreshToken: options.refreshToken ?? '' });
  } catch (error) {
    file?.discard();
    throw error;
  }
  file?.write(`${JSON.stringify(set, null, 2)}\n`);
  return tokenSummary(set, out);
}
