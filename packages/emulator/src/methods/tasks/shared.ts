/**
 * Helpers shared by the task methods: reading named-or-positional arguments (the legacy
 * `task.*` methods accept `{TASKID, ITEMID, FIELDS}` as well as `[taskId, itemId, fields]`),
 * the error shapes of the task pages, and the user summaries tasks embed.
 */
import { RestError } from '../../errors.js';
import { param } from '../../params.js';
import type { CallContext } from '../types.js';

/** A named argument, or the positional one at `index` (a JSON array body arrives as {0: .., 1: ..}). */
export function arg(ctx: CallContext, name: string, index?: number): unknown {
  const named = param(ctx.params, name);
  if (named !== undefined) return named;
  return index === undefined ? undefined : ctx.params[String(index)];
}

// The wire-value parsers live in ../../wire.ts; re-exported for the task files.
import { toPositiveInt } from '../../wire.js';
export { isObject, toInt, toPositiveInt, yn } from '../../wire.js';

/** tasks.task.* (REST 2 controllers): a missing parameter is code 100 (catalog errors). */
export const missingParam = (name: string) =>
  new RestError('100', `Could not find value for parameter {${name}} (internal error)`, 400);

/** tasks.task.*: unknown task id is code 0 "wrong task id" (catalog errors). */
export const wrongTaskId = () => new RestError('0', 'wrong task id', 400);

/** Legacy task.* item methods report everything as ERROR_CORE with a TASKS_ERROR_EXCEPTION text. */
export const legacyCore = (text: string) => new RestError('ERROR_CORE', text, 400);

/** Reads a required positive id of a tasks.task.* method. */
export function requiredId(ctx: CallContext, name: string, index?: number): number {
  const raw = arg(ctx, name, index);
  if (raw === undefined || raw === null || raw === '') throw missingParam(name);
  const id = toPositiveInt(raw);
  if (id === undefined)
    throw new RestError(
      '100',
      `Invalid value ${JSON.stringify(raw)} to match with parameter {${name}}. Should be value of type int.`,
      400,
    );
  return id;
}

/** Reads a required positive id of a legacy task.* method (`TASKID` is param #0, `ITEMID` #1). */
export function legacyId(ctx: CallContext, name: string, index: number, method: string): number {
  const id = toPositiveInt(arg(ctx, name, index));
  if (id === undefined) {
    throw legacyCore(
      `TASKS_ERROR_EXCEPTION_#256; Param #${index} (${name.toLowerCase() === 'taskid' ? 'taskId' : 'itemId'}) for method ${method} expected to be of type "integer", but given something else.; 256/TE/WRONG_ARGUMENTS`,
    );
  }
  return id;
}

export interface UserSummary {
  id: string;
  name: string;
  link: string;
  icon: string;
  workPosition: string;
}

/** How tasks embed a user (creator, responsible, auditorsData). The emulator has no user directory. */
export function userSummary(id: number): UserSummary {
  return {
    id: String(id),
    name: `User ${id}`,
    link: `/company/personal/user/${id}/`,
    icon: '/bitrix/images/tasks/default_avatar.png',
    workPosition: '',
  };
}

/** Parses a JSON column holding a list of ids. */
export function idList(raw: unknown): number[] {
  if (raw === null || raw === undefined || raw === '') return [];
  try {
    const v: unknown = JSON.parse(String(raw));
    return Array.isArray(v) ? v.map((x) => Number(x)).filter((n) => Number.isSafeInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
}

/** UPPER_SNAKE → camelCase (`RESPONSIBLE_ID` → `responsibleId`, `UF_CRM_TASK` → `ufCrmTask`). */
export function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase → UPPER_SNAKE; names already upper are kept (`responsibleId` → `RESPONSIBLE_ID`). */
export function upperSnake(name: string): string {
  if (!/[a-z]/.test(name)) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
