/**
 * The messenger (scope `im`). The store (im/store.ts) keeps the tables, their SQL and wire
 * shapes; im/methods.ts registers the methods over it.
 */
import { registerImMethods } from './im/methods.js';
import { createImStore } from './im/store.js';
import type { Domain } from './types.js';

export const imDomain: Domain = (api) => registerImMethods(api, createImStore(api.portal));
