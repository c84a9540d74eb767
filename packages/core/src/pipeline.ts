/**
 * The request path as a stack of named steps (the shape of smithy's middleware stack): each step
 * gets the request context and `next`, may change the context before calling `next`, and sees
 * the result (or the thrown B24Error) after it. Core's own steps, outermost first:
 *
 *   validate     params against the descriptor; nothing is sent when they do not fit
 *   idempotency  decides once whether the call may be repeated; REST 3.0 writes get a key
 *   retry        repeats what is safe; one credentials recovery (expired_token)
 *   limits       operating-time budget and the portal's request bucket (waits, 503/429)
 *   credentials  where and with which auth this attempt goes (`ctx.request`)
 *   decode       the answer as an envelope, or a B24Error thrown
 *   send         one HTTP attempt: timeout, abort, redirects between hosts (never leaking)
 *
 * A step added by the user names its neighbour (`before` or `after` a core step); by default it
 * goes right before `send`, so it runs once per attempt with `ctx.request` ready to change.
 */
import { B24ArgumentError, B24Error } from './errors.js';
import type { Envelope } from './envelope.js';
import type { MethodDescriptor } from './descriptor.js';
import type { PreparedRequest } from './credentials.js';
import type { TransportResponse } from './transport.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds for one HTTP attempt (headers and body); overrides the caller's default. */
  timeout?: number;
  /** Check params against the descriptor before sending (default: the caller's `validate`). */
  validate?: boolean;
}

/** What one HTTP exchange is about: the method the server runs and those counted for operating time. */
export interface Exchange {
  descriptor: MethodDescriptor;
  /** Methods whose operating budget must allow this request (a batch lists each command, repeats included). */
  budgetMethods: readonly string[];
  /** Whether the whole exchange may be repeated after it may have reached the server. */
  idempotent: boolean;
  body: unknown;
  /** Params to check against `descriptor` in the validate step (absent: checked by the builder). */
  params?: unknown;
}

/** The request of one attempt, as it will go on the wire. Steps before `send` may change it. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

export interface RequestContext {
  readonly exchange: Exchange;
  /** The method the server runs (`batch` for a batch request). */
  readonly method: string;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  /** The call's options as given. */
  readonly options: CallOptions;
  /** 1-based attempt number (a credentials recovery does not count). */
  attempt: number;
  /** Decided by the idempotency step: may this exchange be repeated after an unknown outcome? */
  idempotent: boolean;
  /** An earlier attempt of this call may have run on the server. */
  uncertain: boolean;
  /** Headers added to every attempt (e.g. `Idempotency-Key`). */
  readonly headers: Record<string, string>;
  /** Set by `credentials` for the current attempt. */
  prepared?: PreparedRequest;
  request?: OutgoingRequest;
  /** Set by `send`. */
  response?: TransportResponse;
  /** Set by `decode` on success. */
  envelope?: Envelope<unknown>;
  /** Set by `limits` after a 503/429: how long the server or the limiter says to wait. */
  limitWaitMs?: number;
  /** Free room for user steps (e.g. a tracing span). */
  readonly state: Map<string | symbol, unknown>;
}

export type Next = (ctx: RequestContext) => Promise<void>;

export interface Step {
  /** A unique name; core's are listed in CORE_STEPS. */
  readonly name: string;
  handle(ctx: RequestContext, next: Next): Promise<void>;
}

/** A user step and where it goes: `before` or `after` a named step (default: before `send`). */
export interface StepSpec extends Step {
  readonly before?: string;
  readonly after?: string;
}

export const CORE_STEPS = ['validate', 'idempotency', 'retry', 'limits', 'credentials', 'decode', 'send'] as const;
export type CoreStepName = (typeof CORE_STEPS)[number];

/** Puts user steps into the core stack; throws TypeError naming the problem. */
export function arrangeSteps(core: readonly Step[], extra: readonly StepSpec[] = []): Step[] {
  const stack = [...core];
  for (const step of extra) {
    if (!step || typeof step.name !== 'string' || step.name === '' || typeof step.handle !== 'function') {
      throw new B24ArgumentError('steps: each step needs a non-empty name and a handle(ctx, next) function');
    }
    if (stack.some((s) => s.name === step.name))
      throw new B24ArgumentError(`steps: a step named '${step.name}' is already in the stack`);
    if (step.before !== undefined && step.after !== undefined)
      throw new B24ArgumentError(`steps: '${step.name}' names both before and after`);
    const anchor = step.after ?? step.before ?? 'send';
    const at = stack.findIndex((s) => s.name === anchor);
    if (at < 0)
      throw new B24ArgumentError(
        `steps: '${step.name}' refers to '${anchor}', which is not in the stack (${stack.map((s) => s.name).join(', ')})`,
      );
    stack.splice(step.after !== undefined ? at + 1 : at, 0, step);
  }
  return stack;
}

/** Binds the stack once into one function; nothing is allocated per call for the chain. */
export function compose(stack: readonly Step[]): Next {
  let next: Next = async (ctx) => {
    throw new B24Error({
      method: ctx.method,
      code: 'NO_SEND_STEP',
      description: 'the request pipeline ended without a send step',
    });
  };
  for (let i = stack.length - 1; i >= 0; i--) {
    const step = stack[i]!;
    const inner = next;
    next = (ctx) => step.handle(ctx, inner);
  }
  return next;
}
