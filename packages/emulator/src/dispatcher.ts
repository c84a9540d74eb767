/**
 * One method call, from name to envelope: lookup, auth-type and scope checks, the operating
 * budget (checked before, charged after), the handler, and the `time` block. Used for top-level
 * calls and for each batch command alike.
 */
import { performance } from 'node:perf_hooks';
import { timeBlock, type TimeBlock } from './envelope.js';
import { RestError, errors } from './errors.js';
import type { OperatingMeter } from './limits.js';
import type { AuthContext, CallContext, MethodResult, Portal } from './methods/types.js';
import { checkParams, type Params } from './params.js';
import type { MethodRegistry } from './registry.js';
import { bump, type EmulatorStats } from './stats.js';

export interface CallOutcome extends MethodResult {
  readonly time: TimeBlock;
}

export interface InvokeOptions {
  readonly apiVersion?: 2 | 3;
  readonly inBatch?: boolean;
}

/** Methods whose own time is not charged: the outer batch (each command is charged instead, §4.2). */
const UNCOUNTED = new Set(['batch']);

/**
 * `basic` (and an empty scope) needs no grant (§10). A few methods name several scopes
 * ("telephony, call"); one of them is enough (the docs list them as alternatives).
 */
export function scopeGranted(scope: string, granted: readonly string[]): boolean {
  const wanted = scope
    .split(/\s*,\s*/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (wanted.length === 0 || wanted.includes('basic')) return true;
  return wanted.some((s) => granted.includes(s));
}

export class Dispatcher {
  constructor(
    private readonly registry: MethodRegistry,
    private readonly portal: Portal,
    private readonly meter: OperatingMeter,
    private readonly stats: EmulatorStats,
  ) {}

  async invoke(name: string, params: Params, auth: AuthContext, opts: InvokeOptions = {}): Promise<CallOutcome> {
    const spec = this.registry.get(name, opts.apiVersion ?? 2);
    if (!spec) throw errors.methodNotFound();
    checkParams(params);
    const method = spec.name.toLowerCase();
    if (opts.inBatch && spec.batchable === false) throw errors.batchMethodNotAllowed();
    if (spec.appOnly && auth.type !== 'oauth') throw errors.wrongAuthType();
    if (!scopeGranted(spec.scope, auth.scopes)) {
      if (opts.apiVersion === 3)
        throw new RestError(
          'BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION',
          'The request requires higher privileges than provided',
          403,
        );
      throw errors.insufficientScope(auth.type === 'webhook');
    }
    const counted = !UNCOUNTED.has(method);
    if (counted && this.meter.blocked(auth.principal, method)) {
      this.stats.operatingLimited++;
      throw errors.operationTimeLimit(spec.name);
    }
    const startMs = this.portal.clock.now();
    const t0 = performance.now();
    let spent = this.portal.timeModel.perMethodMs[method] ?? this.portal.timeModel.perMethodMs['*'] ?? 0;
    const ctx: CallContext = {
      method,
      params,
      auth,
      portal: this.portal,
      spend: (ms) => {
        if (ms > 0) spent += ms;
      },
    };
    this.stats.calls++;
    bump(this.stats.callsByMethod, method);
    let out: MethodResult;
    try {
      out = await spec.handler(ctx);
    } catch (err) {
      if (err instanceof RestError) throw err;
      // SQL failures are ERROR_CORE "SQL query error!" 500, other exceptions ERROR_CORE 400 ([src] §3.2).
      if (err instanceof Error && err.name === 'SqliteError')
        throw new RestError('ERROR_CORE', 'SQL query error!', 500);
      throw new RestError('ERROR_CORE', err instanceof Error ? err.message : String(err), 400);
    } finally {
      await this.portal.clock.spend(spent);
    }
    const processingMs = performance.now() - t0;
    if (counted) {
      this.meter.record(auth.principal, method, processingMs);
      bump(this.stats.operatingMsByMethod, method, processingMs);
    }
    const op = this.meter.state(auth.principal, method);
    const finishMs = Math.max(startMs + processingMs, this.portal.clock.now());
    return { ...out, time: timeBlock(startMs, finishMs, processingMs, counted ? op.operatingMs : 0, op.resetAt) };
  }
}
