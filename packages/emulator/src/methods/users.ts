/**
 * The company structure (scopes `user`, `department`): users and departments. The store
 * (users/store.ts) keeps the tables, their SQL and wire shapes; users/methods.ts registers the
 * methods over it.
 */
import type { Domain } from './types.js';
import { registerDepartmentMethods, registerUserMethods } from './users/methods.js';
import { UserStore } from './users/store.js';

export const usersDomain: Domain = (api) => {
  const store = new UserStore(api.portal);
  registerUserMethods(api, store);
  registerDepartmentMethods(api, store);
};
