export {
  createClient,
  clientOnCaller,
  descriptorOf,
  type B24Client,
  type ClientOptions,
  type ClientMembers,
  type ClientBatchCommand,
  type ClientBatchCommands,
  type ClientBatchResults,
  type CheckedCommands,
  type CheckedParams,
  type UntypedMethod,
  type ListMethodName,
  type SelectListName,
  type MethodOf,
  type MethodRef,
  type WithRefs,
} from './client.js';
export {
  withMembers,
  type AbortSignalLike,
  type AnyMethod,
  type ArgsOf,
  type CallOptions,
  type Method,
  type MethodCaller,
  type MethodIndexEntry,
  type MethodInfo,
  type MethodsOf,
  type ParamsOf,
  type ResultOf,
  type RowOf,
  type FieldName,
  type Filter,
  type AlsoOf,
  type CheckedFilter,
  type FilterExtra,
  type FilterFields,
  type FilterOp,
  type FilterFieldValue,
  type FilterRowKey,
  type FilterValueOf,
  type ListName,
  type NameCase,
  type NameCaseOf,
  type UpperName,
  type SelectField,
  type Selected,
  type SelectedResult,
  type SelectKeyOf,
} from './method.js';
export { registry, methodIndex, findDescriptor } from './generated/registry.js';
export { domains, type AllNamespaces, type MethodMap, type MethodName } from './generated/namespaces.js';
export type { YN, FileInput } from './generated/common.js';
export { createApp, type B24ClientApp, type TypedEventHandler } from './app.js';
// Every event's data type (OnCrmDealAddData, ...), the per-domain maps and EventMap / EventName.
export type * from './generated/event-map.js';
export * from './builders/index.js';
