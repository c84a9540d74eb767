/**
 * Drive (scope `disk`): storages, folders and files. The store (disk/store.ts) keeps the tables,
 * their SQL and wire shapes; disk/methods.ts registers the methods over it.
 */
import { registerDiskMethods } from './disk/methods.js';
import { createDiskStore } from './disk/store.js';
import type { Domain } from './types.js';

export const diskDomain: Domain = (api) => registerDiskMethods(api, createDiskStore(api.portal));
