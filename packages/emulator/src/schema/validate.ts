/**
 * Checks a call's params against the schema (a required param missing, a value of the wrong
 * type) and raises the portal's error for it. Which error: the method's own documented error
 * when its docs list one that names the param (schema/<domain>/<entity>.docs.json); otherwise
 * the error the portal's call machinery raises, chosen by the kind of method:
 * - REST 3.0: `BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION` with a
 *   `validation` list (https://apidocs.bitrix24.com/api-reference/rest-v3.html);
 * - engine controllers (the docs list code 100 "Could not find value for parameter {…}" or
 *   "Invalid value {…} to match with parameter {…}" for some method of the family): code 100
 *   with those texts;
 * - anything else: `ERROR_ARGUMENT` with `argument`, the texts of the server's argument
 *   exceptions ("Argument '…' is null or empty", "The value of an argument '…' must be of type
 *   …", [src] PROTOCOL.md §3.2). The docs are silent here; this is the assumption.
 */
import { RestError } from '../errors.js';
import type { Params } from '../params.js';
import { param } from '../params.js';
import { v3Invalid } from '../methods/listQuery.js';
import type { ParamTable, SchemaMethod } from './table.js';

const MISSING_WORDS =
  /required|not specified|not set|empty|missing|not provided|not passed|could not find value|not defined|is not filled|no value|must be specified|not transmitted|not given/i;

function mentions(message: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}([^A-Za-z0-9_]|$)`, 'i').test(message);
}

/** The documented error for a missing `name`, if the docs have one. */
function documentedMissing(m: SchemaMethod, name: string): RestError | undefined {
  for (const [code, message, status] of m.errors) {
    if (mentions(message, name) && MISSING_WORDS.test(message) && !/invalid value/i.test(message)) {
      return new RestError(code, message, status && status >= 400 && status < 500 ? status : 400);
    }
  }
  return undefined;
}

function isController(m: SchemaMethod): boolean {
  return m.errors.some(
    ([code, message]) => code === '100' && /could not find value for parameter|to match with parameter/i.test(message),
  );
}

export function missingParamError(m: SchemaMethod, name: string): RestError {
  if (m.apiVersion === 3) {
    return v3Validation(`Required field \`${name}\` is not specified`, name);
  }
  const documented = documentedMissing(m, name);
  if (documented) return documented;
  if (isController(m)) return new RestError('100', `Could not find value for parameter {${name}}`, 400);
  return new RestError('ERROR_ARGUMENT', `Argument '${name}' is null or empty`, 400, { argument: name });
}

export function wrongTypeError(m: SchemaMethod, name: string, type: string, value: unknown): RestError {
  const shown = typeof value === 'string' ? value.slice(0, 40) : Array.isArray(value) ? 'array' : typeof value;
  if (m.apiVersion === 3)
    return v3Validation(`Field \`${name}\` requires data type \`${type}\` for this request`, name);
  if (isController(m)) {
    return new RestError(
      '100',
      `Invalid value {${shown}} to match with parameter {${name}}. Should be value of type ${type === 'integer' ? 'int' : type}.`,
      400,
    );
  }
  return new RestError('ERROR_ARGUMENT', `The value of an argument '${name}' must be of type ${type}`, 400, {
    argument: name,
  });
}

/** REST 3.0 validation failure: one code, the details in `validation` (rest-v3.md). */
export function v3Validation(message: string, field: string): RestError {
  return v3Invalid(message, field);
}

/** Does `value` have the wire kind a param of `type` takes? PHP-form values are strings. */
export function acceptsParam(type: string, value: unknown): boolean {
  const t = type.trim();
  if (t.includes('|')) return t.split('|').some((part) => acceptsParam(part, value));
  if (t.endsWith('[]')) return Array.isArray(value) || (value !== null && typeof value === 'object');
  switch (t) {
    case 'integer':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value))
      );
    case 'double':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      );
    case 'boolean':
    case 'yn':
      return (
        typeof value === 'boolean' ||
        value === 0 ||
        value === 1 ||
        (typeof value === 'string' && /^(y|n|0|1|true|false|)$/i.test(value.trim()))
      );
    case 'string':
    case 'date':
    case 'datetime':
      return typeof value === 'string' || typeof value === 'number';
    case 'any':
    case 'file':
      return true;
    case 'null':
      return value === null;
    default:
      // object, Record<…> and entity types: a JSON object, or a PHP array (JSON list).
      return value !== null && typeof value === 'object';
  }
}

/** Throws the portal's error for the first problem with `params`, checking nested groups too. */
export function checkParams(m: SchemaMethod, params: Params): void {
  walk(m, m.params, params, '');
}

function walk(m: SchemaMethod, table: ParamTable, params: Params, prefix: string): void {
  for (const [name, [type, required, nested]] of Object.entries(table)) {
    const value = param(params, name);
    const label = prefix ? `${prefix}.${name}` : name;
    if (value === undefined || value === null || value === '') {
      if (required) throw missingParamError(m, prefix ? name : label);
      continue;
    }
    if (!acceptsParam(type, value)) throw wrongTypeError(m, label, type.replace(/\[\]$/, ' array'), value);
    if (nested && value !== null && typeof value === 'object' && !Array.isArray(value))
      walk(m, nested, value as Params, label);
  }
}
