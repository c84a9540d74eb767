import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../io.js';
import type { ValueKind } from './params.js';

/** What a flag was given: its text, or `true` when it stood alone (`--important`). */
export type FlagText = string | true;

const TRUE = new Set(['true', 'y', 'yes', '1']);
const FALSE = new Set(['false', 'n', 'no', '0']);

/**
 * Turns one flag's text into the value sent for a param of `kind`. Empty values are kept
 * (`--start 0`, `--title ""`, `--active N`): dropping them is the OPI defect not to repeat.
 */
export function parseFlagValue(flag: string, kind: ValueKind, text: FlagText, element?: ValueKind): unknown {
  if (text === true) {
    if (kind === 'boolean' || kind === 'any') return true;
    if (kind === 'yn') return 'Y';
    throw new UsageError(`--${flag} needs a value`);
  }
  switch (kind) {
    case 'string':
      return text;
    case 'number':
      return parseNumber(flag, text);
    case 'boolean': {
      // The wire forms Y/N are passed on as written; true/false become JSON booleans.
      if (text === 'Y' || text === 'N') return text;
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      throw new UsageError(`--${flag} expects true/false or Y/N, got "${text}"`);
    }
    case 'yn': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return 'Y';
      if (FALSE.has(lower)) return 'N';
      throw new UsageError(`--${flag} expects Y/N or true/false, got "${text}"`);
    }
    case 'object': {
      const value = parseJsonText(flag, text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new UsageError(`--${flag} must be a JSON object, e.g. --${flag} '{"ID": 1}'`);
      }
      return value;
    }
    case 'array':
      return parseArray(flag, text, element ?? 'any');
    case 'file':
      return readFileParam(flag, text);
    case 'any':
      return looksLikeJson(text) ? parseJsonText(flag, text) : text;
  }
}

export function parseNumber(flag: string, text: string): number | string {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) throw new UsageError(`--${flag} expects a number, got "${text}"`);
  const value = Number(trimmed);
  // Ids beyond 2^53 stay strings so no digit is lost.
  return Number.isSafeInteger(value) || trimmed.includes('.') ? value : trimmed;
}

function parseArray(flag: string, text: string, element: ValueKind): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('@')) {
    const value = parseJsonText(flag, text);
    if (!Array.isArray(value)) throw new UsageError(`--${flag} must be a JSON array or a comma list`);
    return value;
  }
  if (element === 'object')
    throw new UsageError(`--${flag} must be a JSON array of objects, e.g. --${flag} '[{"ID": 1}]'`);
  if (trimmed === '') return [];
  const items = trimmed.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`--${flag} has an empty item in its comma list`);
  return element === 'number' ? items.map((item) => parseNumber(flag, item)) : items;
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  return t.startsWith('{') || t.startsWith('[');
}

/** JSON text, or `@FILE` to read the JSON from a file. */
export function parseJsonText(flag: string, text: string): unknown {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--${flag}: cannot read ${text.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--${flag} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A file param is sent the way Bitrix24 takes uploads: `[file name, base64 content]`. */
export function readFileParam(flag: string, text: string): [string, string] {
  const path = text.startsWith('@') ? text.slice(1) : text;
  try {
    return [basename(path), readFileSync(path).toString('base64')];
  } catch (error) {
    throw new UsageError(`--${flag}: cannot read file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
