export * from './descriptor.js';
export * from './credentials.js';
export type { Envelope, TimeInfo } from './envelope.js';
export { decodeResponse, decodeErrorBody, decodeTime, type Decoded } from './envelope.js';
export * from './errors.js';
export { createCaller, call, type Caller, type CallerOptions, type CallOptions } from './caller.js';
export {
  CORE_STEPS,
  type CoreStepName,
  type Exchange,
  type Next,
  type OutgoingRequest,
  type RequestContext,
  type Step,
  type StepSpec,
} from './pipeline.js';
export { callIdempotent, rawBatchIdempotent, readsByName } from './idempotency.js';
export { encodeQuery, QueryEncodingError } from './encode-query.js';
export { ref, BatchRef } from './ref.js';
export {
  BATCH_LIMIT,
  encodeBatch,
  type BatchCommand,
  type BatchCommands,
  type BatchItem,
  type BatchOptions,
  type BatchResults,
} from './batch.js';
export type { BulkFailure, BulkOptions, BulkReport, BulkResult, BulkSuccess } from './bulk.js';
export { PAGE_SIZE, type PaginateOptions, type ParallelOptions } from './paginate.js';
export { decideRetry, backoffDelay, type RetryOptions, type RetryDecision, type RetryInput } from './retry.js';
export {
  LIMITER_PRESETS,
  OperatingBudget,
  RateLimiter,
  resolveLimiter,
  type LimiterOption,
  type LimiterPreset,
  type OperatingBudgetOptions,
  type OperatingHold,
} from './limiter.js';
export {
  MemoryLimiterStore,
  sharedMemoryStore,
  capacityOf,
  mergeOperating,
  operatingWait,
  COST_DECAY,
  type BucketConfig,
  type LimiterStore,
  type OperatingAsk,
  type OperatingFigure,
  type OperatingState,
} from './limiter-store.js';
export type {
  Hooks,
  Logger,
  CallerStats,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  LimitEvent,
  RedirectEvent,
} from './hooks.js';
export { systemClock, type Clock } from './clock.js';
export { paramProblems, validateParams } from './validate.js';
