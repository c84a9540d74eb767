/**
 * CRM filter structures (OPI GetDealsFilterStructure, GetLeadFilterStructure): the fields of
 * crm.deal.fields / crm.lead.fields, usable with operator prefixes and UF_* user fields, for
 * the `filter` of crm.deal.list / crm.lead.list.
 */
import type { CheckedFilter } from '../method.js';
import { defineStructure, type FilterKey } from './structure.js';

/** A filter value: a scalar, or a list for IN. Empty values (0, false, "") are kept and sent. */
export type FilterValue = string | number | boolean | null | readonly (string | number)[];

const dealFields = {
  ID: 'ID',
  TITLE: 'Title',
  TYPE_ID: 'Type',
  CATEGORY_ID: 'Sales Funnel',
  STAGE_ID: 'Deal Stage',
  STAGE_SEMANTIC_ID: 'Stage Group',
  IS_NEW: 'New Deal',
  IS_RECURRING: 'Recurring Deal',
  IS_RETURN_CUSTOMER: 'Repeat Deal',
  IS_REPEATED_APPROACH: 'Repeated Approach',
  PROBABILITY: 'Probability',
  CURRENCY_ID: 'Currency',
  OPPORTUNITY: 'Amount',
  IS_MANUAL_OPPORTUNITY: 'IS_MANUAL_OPPORTUNITY',
  TAX_VALUE: 'Tax Rate',
  COMPANY_ID: 'Company',
  CONTACT_ID: 'Contact',
  CONTACT_IDS: 'Contacts',
  QUOTE_ID: 'Estimate',
  BEGINDATE: 'Start Date',
  CLOSEDATE: 'Close Date',
  OPENED: 'Available to All',
  CLOSED: 'Closed',
  COMMENTS: 'Comment',
  ASSIGNED_BY_ID: 'Responsible',
  CREATED_BY_ID: 'Created By',
  MODIFY_BY_ID: 'Modified By',
  MOVED_BY_ID: 'MOVED_BY_ID',
  DATE_CREATE: 'Creation Date',
  DATE_MODIFY: 'Modification Date',
  MOVED_TIME: 'MOVED_TIME',
  SOURCE_ID: 'Source',
  SOURCE_DESCRIPTION: 'Additional Info about Source',
  LEAD_ID: 'Lead',
  ADDITIONAL_INFO: 'Additional Information',
  LOCATION_ID: 'Location',
  ORIGINATOR_ID: 'External Source',
  ORIGIN_ID: 'Identifier in External Source',
  UTM_SOURCE: 'Advertising System',
  UTM_MEDIUM: 'Traffic Type',
  UTM_CAMPAIGN: 'Campaign Identifier',
  UTM_CONTENT: 'Campaign Content',
  UTM_TERM: 'Campaign Search Condition',
  LAST_ACTIVITY_TIME: 'LAST_ACTIVITY_TIME',
  LAST_ACTIVITY_BY: 'LAST_ACTIVITY_BY',
} as const;

const leadFields = {
  ID: 'ID',
  TITLE: 'Lead Title',
  HONORIFIC: 'Salutation',
  NAME: 'First Name',
  SECOND_NAME: 'Middle Name',
  LAST_NAME: 'Last Name',
  BIRTHDATE: 'Birthdate',
  COMPANY_TITLE: 'Company Name',
  SOURCE_ID: 'Source',
  SOURCE_DESCRIPTION: 'Source Description',
  STATUS_ID: 'Stage',
  STATUS_DESCRIPTION: 'Stage Description',
  STATUS_SEMANTIC_ID: 'Status Semantic',
  POST: 'Position',
  ADDRESS: 'Address',
  ADDRESS_2: 'Address (Line 2)',
  ADDRESS_CITY: 'City',
  ADDRESS_POSTAL_CODE: 'Postal Code',
  ADDRESS_REGION: 'Region',
  ADDRESS_PROVINCE: 'Province',
  ADDRESS_COUNTRY: 'Country',
  ADDRESS_COUNTRY_CODE: 'Country Code',
  ADDRESS_LOC_ADDR_ID: 'Location Address ID',
  CURRENCY_ID: 'Currency',
  OPPORTUNITY: 'Amount',
  IS_MANUAL_OPPORTUNITY: 'IS_MANUAL_OPPORTUNITY',
  OPENED: 'Available to All',
  COMMENTS: 'Comments',
  HAS_PHONE: 'Phone Provided',
  HAS_EMAIL: 'Email Provided',
  HAS_IMOL: 'Open Line Assigned',
  ASSIGNED_BY_ID: 'Responsible User',
  CREATED_BY_ID: 'Created By',
  MODIFY_BY_ID: 'Modified By',
  MOVED_BY_ID: 'MOVED_BY_ID',
  DATE_CREATE: 'Creation Date',
  DATE_MODIFY: 'Modification Date',
  MOVED_TIME: 'MOVED_TIME',
  COMPANY_ID: 'Company',
  CONTACT_ID: 'Contact',
  CONTACT_IDS: 'CONTACT_IDS',
  IS_RETURN_CUSTOMER: 'Returning Lead',
  DATE_CLOSED: 'Closing Date',
  ORIGINATOR_ID: 'External Source',
  ORIGIN_ID: 'Identifier in External Source',
  UTM_SOURCE: 'Advertising System',
  UTM_MEDIUM: 'Traffic Type',
  UTM_CAMPAIGN: 'Campaign Identifier',
  UTM_CONTENT: 'Campaign Content',
  UTM_TERM: 'Campaign Search Term',
  LAST_ACTIVITY_TIME: 'LAST_ACTIVITY_TIME',
  LAST_ACTIVITY_BY: 'LAST_ACTIVITY_BY',
  PHONE: 'Phone',
  EMAIL: 'E-mail',
  WEB: 'Website',
  IM: 'Messenger',
  LINK: 'LINK',
} as const;

export type DealField = keyof typeof dealFields;
export type LeadField = keyof typeof leadFields;
export type DealFilter = { [K in FilterKey<DealField> | FilterKey<`UF_${string}`> | 'LOGIC']?: FilterValue };
export type LeadFilter = { [K in FilterKey<LeadField> | FilterKey<`UF_${string}`> | 'LOGIC']?: FilterValue };

export const dealFilterStructure = defineStructure<DealField, DealFilter>({
  name: 'deal filter',
  fields: dealFields,
  filter: true,
  userFields: true,
});
export const leadFilterStructure = defineStructure<LeadField, LeadFilter>({
  name: 'lead filter',
  fields: leadFields,
  filter: true,
  userFields: true,
});

/** A checked filter for crm.deal.list: `dealFilter({ STAGE_ID: "NEW", ">=OPPORTUNITY": 0 })`. */
export const dealFilter = (values: DealFilter): DealFilter & CheckedFilter =>
  dealFilterStructure.build(values) as DealFilter & CheckedFilter;
/** A checked filter for crm.lead.list. */
export const leadFilter = (values: LeadFilter): LeadFilter & CheckedFilter =>
  leadFilterStructure.build(values) as LeadFilter & CheckedFilter;
