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
  type MethodRef,
} from './client.js';
export type { MethodCaller, CallOptions } from './method-caller.js';
export { withMembers } from './method-caller.js';
export { registry, methodIndex, findDescriptor, type MethodIndexEntry } from './generated/registry.js';
export { domains, createAllNamespaces, type AllNamespaces } from './generated/namespaces.js';
export type { YN, FileInput } from './generated/common.js';
export { createApp, type B24ClientApp, type TypedEventHandler } from './app.js';
// Every event's data type (OnCrmDealAddData, ...), the per-domain maps and EventMap / EventName.
export * from './generated/event-map.js';
export * from './builders/index.js';
