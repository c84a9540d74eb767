export {
  startEmulator,
  type Emulator,
  type EmulatorMethod,
  type EmulatorOptions,
  type OpenAppOptions,
  type OpenAppResult,
} from './emulator.js';
export type { Plan } from './limits.js';
export type { FaultKind, FaultOptions, FaultRule } from './faults.js';
export type { App, AppOptions, TokenPair } from './oauth.js';
export type { EmulatorStats } from './stats.js';
export type { Delivery } from './events.js';
export {
  unknownName,
  type EventName,
  type MethodName,
  type SchemaEntityFields,
  type SchemaEventName,
  type SchemaMethodName,
  type SeedEntities,
  type SeedEntity,
  type UnknownName,
} from './names.js';
export type {
  AuthContext,
  CallContext,
  Domain,
  DomainApi,
  MethodHandler,
  MethodResult,
  MethodSpec,
  Portal,
  Seeder,
  TimeModel,
} from './methods/types.js';
export { registerCrud, type CrudOptions, PAGE_SIZE } from './methods/crud.js';
export type { EntityDef, FieldDef, Storage } from './methods/entity.js';
export { RestError, errors } from './errors.js';
export { realisticTimeModel } from './timeModel.js';
export { parseStr, httpBuildQuery } from './params.js';
