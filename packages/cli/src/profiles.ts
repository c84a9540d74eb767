import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore } from '@b24kit/auth';
import { UsageError } from './io.js';

/**
 * Stored connections (`b24 auth login`), one JSON file per profile under the config directory
 * (mode 0700; files 0600). OAuth tokens live beside them in a FileTokenStore, so a refresh made
 * by any command is kept for the next one.
 */
export type Profile =
  | {
      readonly kind: 'oauth';
      readonly name: string;
      /** Portal origin, e.g. https://example.bitrix24.com */
      readonly portal: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly tokenUrl?: string;
    }
  | { readonly kind: 'webhook'; readonly name: string; readonly webhookUrl: string };

export const DEFAULT_PROFILE = 'default';

export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.B24KIT_CONFIG_DIR) return env.B24KIT_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'b24kit');
}

function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(`profile name "${name}" must be letters, digits, dot, dash or underscore (at most 64)`);
  }
  return name;
}

function profilePath(env: NodeJS.ProcessEnv, name: string): string {
  return join(configDir(env), 'profiles', `${checkName(name)}.json`);
}

export function tokenStore(env: NodeJS.ProcessEnv): FileTokenStore {
  return new FileTokenStore({ dir: join(configDir(env), 'tokens') });
}

export function readProfile(env: NodeJS.ProcessEnv, name: string): Profile | undefined {
  const path = profilePath(env, name);
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(
      `profile "${name}" is damaged (${path} is not JSON); run "b24 auth logout --profile ${name}" and log in again`,
    );
  }
  return data as Profile;
}

/** Writes a profile atomically with mode 0600 in a 0700 directory. */
export function writeProfile(env: NodeJS.ProcessEnv, profile: Profile): string {
  const dir = join(configDir(env), 'profiles');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(configDir(env), 0o700);
  chmodSync(dir, 0o700);
  const path = profilePath(env, profile.name);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
  return path;
}

export function deleteProfile(env: NodeJS.ProcessEnv, name: string): boolean {
  const path = profilePath(env, name);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  return existed;
}

export function listProfiles(env: NodeJS.ProcessEnv): string[] {
  const dir = join(configDir(env), 'profiles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}
