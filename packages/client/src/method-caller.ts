// Kept for existing imports: everything here now lives in method.ts.
export type { CallOptions, MethodCaller } from './method.js';
export { withMembers } from './method.js';
