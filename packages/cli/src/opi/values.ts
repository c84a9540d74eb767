import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../io.js';
import { parseFlagValue, parseJsonText, readFileParam } from '../method-args/values.js';
import type { OpiFlag } from './types.js';

/** Sets `a.b.c` in `target`, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** OPI passes JSON as text or as the path of a .json file; `@FILE` works too. */
function jsonOf(flag: string, text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[') && !trimmed.startsWith('@') && isFile(trimmed)) {
    return parseJsonText(flag, `@${trimmed}`);
  }
  return parseJsonText(flag, text);
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

function objectOf(flag: string, text: string): Record<string, unknown> {
  const value = jsonOf(flag, text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--${flag} must be a JSON object (or the path of a .json file)`);
  }
  return value as Record<string, unknown>;
}

/** Ids: numeric text becomes a number, anything else (e.g. `chat5`) stays text. */
function idOf(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : text;
}

/**
 * The value one OPI flag contributes. Empty values are sent as given (`--offset 0`,
 * `--important false`, `--title ""`): OPI drops them, which is a defect not repeated here.
 */
export function opiValue(flag: OpiFlag, text: string): unknown {
  const name = flag.flag;
  switch (flag.how) {
    case 'number':
      return idOf(text);
    case 'bool':
      return parseFlagValue(name, 'boolean', text) === true || text === 'Y';
    case 'yn':
      return parseFlagValue(name, 'yn', text);
    case 'yn-not':
      return parseFlagValue(name, 'yn', text) === 'Y' ? 'N' : 'Y';
    case 'object':
    case 'spread':
      return objectOf(name, text);
    case 'list': {
      const trimmed = text.trim();
      if (trimmed.startsWith('[')) {
        const value = jsonOf(name, text);
        if (!Array.isArray(value)) throw new UsageError(`--${name} must be a JSON array or a comma list`);
        return value;
      }
      return trimmed === '' ? [] : trimmed.split(',').map((item) => idOf(item.trim()));
    }
    case 'blocks': {
      const value = jsonOf(name, text);
      if (Array.isArray(value)) return value;
      if (value !== null && typeof value === 'object') return [value];
      throw new UsageError(`--${name} must be a JSON array of blocks (or one block object)`);
    }
    case 'dialog':
      // A chat's dialog id is `chat<ID>`; OPI takes the chat id.
      return /^\d+$/.test(text.trim()) ? `chat${text.trim()}` : text;
    case 'base64':
      return readFileParam(name, text)[1];
    case 'file':
      return readFileParam(name, text);
    case 'files': {
      const map = objectOf(name, text);
      return Object.entries(map).map(([fileName, source]) => {
        if (typeof source !== 'string')
          throw new UsageError(`--${name}: the value for ${fileName} must be a path or base64 text`);
        return [fileName, isFile(source) ? readFileSync(source).toString('base64') : source];
      });
    }
    case 'string':
    case undefined:
    default:
      return text;
  }
}
