/** The FILTER of user.get (OPI GetUserFilterStructure). */
import type { FilterValue } from './crm.js';
import type { CheckedFilter } from '../method.js';
import { defineStructure, type FilterKey } from './structure.js';

const userFilterFields = {
  ID: 'User id',
  ACTIVE: 'Active: true or false',
  NAME: 'First name',
  LAST_NAME: 'Last name',
  SECOND_NAME: 'Middle name',
  EMAIL: 'E-mail',
  WORK_POSITION: 'Position',
  WORK_COMPANY: 'Company',
  PERSONAL_GENDER: 'Gender: M or F',
  PERSONAL_CITY: 'City',
  PERSONAL_MOBILE: 'Mobile phone',
  WORK_PHONE: 'Work phone',
  UF_DEPARTMENT: 'Department id',
  UF_PHONE_INNER: 'Internal phone',
  IS_ONLINE: 'Online: Y or N',
  USER_TYPE: 'employee, extranet or email',
  NAME_SEARCH: 'Quick search over name, last name, e-mail and position',
} as const;

export type UserFilterField = keyof typeof userFilterFields;
export type UserFilter = { [K in FilterKey<UserFilterField> | FilterKey<`UF_${string}`>]?: FilterValue };
export const userFilterStructure = defineStructure<UserFilterField, UserFilter>({
  name: 'user filter',
  fields: userFilterFields,
  filter: true,
  userFields: true,
});
/** A checked FILTER for user.get: `userFilter({ ACTIVE: true, '%LAST_NAME': 'Smi' })`. */
export const userFilter = (values: UserFilter): UserFilter & CheckedFilter =>
  userFilterStructure.build(values) as UserFilter & CheckedFilter;
