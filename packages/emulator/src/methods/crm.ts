/**
 * CRM: the legacy methods crm.deal, crm.lead, crm.contact, crm.company and crm.quote over the
 * generic CRUD helper (field lists follow crm.*.fields in the docs; legacy wire typing, §9), and
 * the modern crm.item.* API over the same tables (crm/item-methods.ts), plus the smart invoice
 * and smart processes, crm.deal.contact.*, crm.stagehistory.list and the timeline (crm/timeline/).
 */
import { registerCrud } from './crud.js';
import { leadEntity } from './crm-lead.js';
import { registerDealContacts } from './crm/deal-contacts.js';
import { CrmItems, registerItemMethods } from './crm/item-methods.js';
import { bindLegacy, bindTyped } from './crm/items.js';
import { registerTimelineMethods } from './crm/timeline/methods.js';
import { TimelineStore } from './crm/timeline/store.js';
import { EntityTable } from './table.js';
import type { EntityDef, FieldDef } from './entity.js';
import type { Domain } from './types.js';

export { leadEntity };

const s = (title: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'string', title, ...extra });
const char = (title: string, def?: 'Y' | 'N', extra: Partial<FieldDef> = {}): FieldDef => ({
  type: 'char',
  title,
  ...(def ? { default: def } : {}),
  ...extra,
});
const common: Record<string, FieldDef> = {
  ASSIGNED_BY_ID: { type: 'user', title: 'Responsible', seed: '1 + (n % 5)', defaultCurrentUser: true },
  CREATED_BY_ID: { type: 'user', title: 'Created By', auto: 'createdBy' },
  MODIFY_BY_ID: { type: 'user', title: 'Modified By', auto: 'modifiedBy' },
  DATE_CREATE: { type: 'datetime', title: 'Creation Date', auto: 'createdAt' },
  DATE_MODIFY: { type: 'datetime', title: 'Modification Date', auto: 'modifiedAt' },
  OPENED: char('Available to All', 'Y'),
  COMMENTS: s('Comment', { seed: 'NULL' }),
  ORIGINATOR_ID: s('External Source', { seed: 'NULL' }),
  ORIGIN_ID: s('Identifier in External Source', { seed: 'NULL' }),
  UTM_SOURCE: s('Advertising System', { seed: 'NULL' }),
  UTM_MEDIUM: s('Traffic Type', { seed: 'NULL' }),
  UTM_CAMPAIGN: s('Campaign Identifier', { seed: 'NULL' }),
  UTM_CONTENT: s('Campaign Content', { seed: 'NULL' }),
  UTM_TERM: s('Campaign Search Condition', { seed: 'NULL' }),
};

export const dealEntity: EntityDef = {
  name: 'crm.deal',
  table: 'crm_deal',
  idField: 'ID',
  wire: 'legacy',
  userFields: true,
  datesAsDateTime: true,
  fields: {
    TITLE: s('Title', { seed: "'Deal #' || n" }),
    TYPE_ID: { type: 'crm_status', title: 'Type', statusType: 'DEAL_TYPE', default: 'SALE' },
    CATEGORY_ID: { type: 'crm_category', title: 'Sales Funnel', immutable: true, default: 0 },
    STAGE_ID: {
      type: 'crm_status',
      title: 'Deal Stage',
      statusType: 'DEAL_STAGE',
      default: 'NEW',
      seed: "CASE n % 4 WHEN 0 THEN 'NEW' WHEN 1 THEN 'PREPARATION' WHEN 2 THEN 'WON' ELSE 'LOSE' END",
    },
    STAGE_SEMANTIC_ID: { type: 'string', title: 'Stage Group', readOnly: true, default: 'P', seed: "'P'" },
    IS_NEW: char('New Deal', 'Y', { readOnly: true, seed: "'Y'" }),
    IS_RECURRING: char('Recurring Deal', 'N'),
    IS_RETURN_CUSTOMER: char('Repeat Deal', 'N'),
    IS_REPEATED_APPROACH: char('Repeated Approach', 'N'),
    PROBABILITY: { type: 'integer', title: 'Probability', seed: 'n % 100' },
    CURRENCY_ID: { type: 'crm_currency', title: 'Currency', default: 'USD' },
    OPPORTUNITY: { type: 'double', title: 'Amount', default: 0, seed: '(n % 1000) * 10.5' },
    IS_MANUAL_OPPORTUNITY: char('IS_MANUAL_OPPORTUNITY', 'N'),
    TAX_VALUE: { type: 'double', title: 'Tax Rate', default: 0 },
    COMPANY_ID: { type: 'crm_company', title: 'Company' },
    CONTACT_ID: { type: 'crm_contact', title: 'Contact' },
    CONTACT_IDS: { type: 'crm_contact', title: 'Contacts', multiple: true },
    QUOTE_ID: { type: 'crm_quote', title: 'Estimate', readOnly: true },
    BEGINDATE: { type: 'date', title: 'Start Date' },
    CLOSEDATE: { type: 'date', title: 'Close Date' },
    CLOSED: char('Closed', 'N'),
    SOURCE_ID: { type: 'crm_status', title: 'Source', statusType: 'SOURCE' },
    SOURCE_DESCRIPTION: s('Additional Info about Source', { seed: 'NULL' }),
    LEAD_ID: { type: 'crm_lead', title: 'Lead', readOnly: true },
    ADDITIONAL_INFO: s('Additional Information', { seed: 'NULL' }),
    LOCATION_ID: { type: 'location', title: 'Location' },
    ...common,
    MOVED_BY_ID: { type: 'user', title: 'MOVED_BY_ID', auto: 'createdBy' },
    MOVED_TIME: { type: 'datetime', title: 'MOVED_TIME', auto: 'createdAt' },
    LAST_ACTIVITY_TIME: { type: 'datetime', title: 'LAST_ACTIVITY_TIME', auto: 'createdAt' },
    LAST_ACTIVITY_BY: { type: 'user', title: 'LAST_ACTIVITY_BY', auto: 'createdBy' },
  },
};

/** The address columns legacy contacts and companies carry (`prefix` REG_ for a company's legal address). */
const address = (prefix = ''): Record<string, FieldDef> => ({
  [`${prefix}ADDRESS`]: s('Address', { seed: 'NULL' }),
  [`${prefix}ADDRESS_2`]: s('Address (line 2)', { seed: 'NULL' }),
  [`${prefix}ADDRESS_CITY`]: s('City', { seed: 'NULL' }),
  [`${prefix}ADDRESS_POSTAL_CODE`]: s('Postal Code', { seed: 'NULL' }),
  [`${prefix}ADDRESS_REGION`]: s('Region', { seed: 'NULL' }),
  [`${prefix}ADDRESS_PROVINCE`]: s('Province', { seed: 'NULL' }),
  [`${prefix}ADDRESS_COUNTRY`]: s('Country', { seed: 'NULL' }),
  [`${prefix}ADDRESS_LOC_ADDR_ID`]: { type: 'integer', title: 'Location Address ID' },
});

/**
 * Read-only flags and activity fields of contacts and companies. HAS_* are not derived from
 * the multifields here: they keep their default until a later change computes them.
 */
const clientFlags: Record<string, FieldDef> = {
  LEAD_ID: { type: 'crm_lead', title: 'Lead', readOnly: true },
  HAS_PHONE: char('Phone Set', 'N', { readOnly: true }),
  HAS_EMAIL: char('E-mail Set', 'N', { readOnly: true }),
  HAS_IMOL: char('Open Line Set', 'N', { readOnly: true }),
  ORIGIN_VERSION: s('Original Version', { seed: 'NULL' }),
  LAST_ACTIVITY_TIME: { type: 'datetime', title: 'Last Activity', auto: 'createdAt' },
  LAST_ACTIVITY_BY: { type: 'user', title: 'Last Activity By', auto: 'createdBy' },
};

const person = (extra: Record<string, FieldDef>): Record<string, FieldDef> => ({
  HONORIFIC: { type: 'crm_status', title: 'Salutation', statusType: 'HONORIFIC' },
  NAME: s('First name', { seed: "'Name' || n" }),
  SECOND_NAME: s('Second name', { seed: 'NULL' }),
  LAST_NAME: s('Last name', { seed: "'Last' || n" }),
  POST: s('Position', { seed: 'NULL' }),
  BIRTHDATE: { type: 'date', title: 'Date of birth' },
  TYPE_ID: { type: 'crm_status', title: 'Type', statusType: 'CONTACT_TYPE' },
  SOURCE_ID: { type: 'crm_status', title: 'Source', statusType: 'SOURCE' },
  PHONE: { type: 'crm_multifield', title: 'Phone', multiple: true, storage: 'json' },
  EMAIL: { type: 'crm_multifield', title: 'E-mail', multiple: true, storage: 'json' },
  ...extra,
  ...common,
});

export const contactEntity: EntityDef = {
  name: 'crm.contact',
  table: 'crm_contact',
  idField: 'ID',
  wire: 'legacy',
  userFields: true,
  datesAsDateTime: true,
  fields: person({
    COMPANY_ID: { type: 'crm_company', title: 'Company' },
    EXPORT: char('Included in export', 'Y'),
    PHOTO: { type: 'file', title: 'Photo' },
    SOURCE_DESCRIPTION: s('Additional Source Information', { seed: 'NULL' }),
    // Shown by crm.contact.get in the docs' example, though crm.contact.fields does not list it.
    FACE_ID: { type: 'integer', title: 'FACE_ID', readOnly: true },
    ...address(),
    ...clientFlags,
  }),
};

export const companyEntity: EntityDef = {
  name: 'crm.company',
  table: 'crm_company',
  idField: 'ID',
  wire: 'legacy',
  userFields: true,
  datesAsDateTime: true,
  fields: {
    TITLE: s('Company Name', { seed: "'Company #' || n" }),
    COMPANY_TYPE: { type: 'crm_status', title: 'Company type', statusType: 'COMPANY_TYPE', default: 'CUSTOMER' },
    INDUSTRY: { type: 'crm_status', title: 'Industry', statusType: 'INDUSTRY' },
    REVENUE: { type: 'double', title: 'Annual revenue' },
    CURRENCY_ID: { type: 'crm_currency', title: 'Currency', default: 'USD' },
    PHONE: { type: 'crm_multifield', title: 'Phone', multiple: true, storage: 'json' },
    EMAIL: { type: 'crm_multifield', title: 'E-mail', multiple: true, storage: 'json' },
    LOGO: { type: 'file', title: 'Logo' },
    BANKING_DETAILS: s('Banking Details', { seed: 'NULL' }),
    EMPLOYEES: { type: 'crm_status', title: 'Number of Employees', statusType: 'EMPLOYEES' },
    IS_MY_COMPANY: char('My Company', 'N'),
    ...address(),
    ADDRESS_COUNTRY_CODE: s('Country Code', { seed: 'NULL' }),
    ADDRESS_LEGAL: s('Legal Address', { seed: 'NULL' }),
    ...address('REG_'),
    REG_ADDRESS_COUNTRY_CODE: s('Legal Address Country Code', { seed: 'NULL' }),
    LAST_COMMUNICATION_TIME: s('Last Communication Date', { readOnly: true, seed: 'NULL' }),
    ...clientFlags,
    ...common,
  },
};

/** crm.quote.fields in the docs (https://apidocs.bitrix24.com/api-reference/crm/quote/crm-quote-fields.html). */
export const quoteEntity: EntityDef = {
  name: 'crm.quote',
  table: 'crm_quote',
  idField: 'ID',
  wire: 'legacy',
  userFields: true,
  datesAsDateTime: true,
  fields: {
    TITLE: s('Title', { seed: "'Estimate #' || n" }),
    STATUS_ID: { type: 'crm_status', title: 'Status', statusType: 'QUOTE_STATUS', default: 'DRAFT' },
    QUOTE_NUMBER: s('Estimate #', { seed: 'NULL' }),
    CURRENCY_ID: { type: 'crm_currency', title: 'Currency', default: 'USD' },
    OPPORTUNITY: { type: 'double', title: 'Total', default: 0 },
    IS_MANUAL_OPPORTUNITY: char('IS_MANUAL_OPPORTUNITY', 'N'),
    TAX_VALUE: { type: 'double', title: 'Tax rate', default: 0 },
    COMPANY_ID: { type: 'crm_company', title: 'Company' },
    CONTACT_ID: { type: 'crm_contact', title: 'Contact' },
    CONTACT_IDS: { type: 'crm_contact', title: 'Contacts', multiple: true },
    MYCOMPANY_ID: { type: 'crm_company', title: 'Your company details' },
    DEAL_ID: { type: 'crm_deal', title: 'Deal' },
    LEAD_ID: { type: 'crm_lead', title: 'Lead' },
    BEGINDATE: { type: 'date', title: 'Date created' },
    CLOSEDATE: { type: 'date', title: 'Expiration date' },
    CLOSED: char('Closed', 'N'),
    CONTENT: s('Content', { seed: 'NULL' }),
    TERMS: s('Terms', { seed: 'NULL' }),
    LOCATION_ID: { type: 'location', title: 'Location' },
    ...common,
  },
};

/** Stage semantics recorded for crm.stagehistory.list live in crm/item-methods.ts. */
export const crmDomain: Domain = (api) => {
  const items = new CrmItems(api.portal);
  const entities = [
    [dealEntity, 'DEAL', 2, 'D'],
    [leadEntity, 'LEAD', 1, 'L'],
    [contactEntity, 'CONTACT', 3, 'C'],
    [companyEntity, 'COMPANY', 4, 'CO'],
    [quoteEntity, 'QUOTE', 7, 'Q'],
  ] as const;
  for (const [entity, upper, entityTypeId, ownerType] of entities) {
    const binding = bindLegacy(api.portal, entity, entityTypeId, upper, ownerType);
    items.add(binding);
    registerCrud(api, {
      prefix: entity.name,
      scope: 'crm',
      entity,
      events: { add: `ONCRM${upper}ADD`, update: `ONCRM${upper}UPDATE`, delete: `ONCRM${upper}DELETE` },
      // A stage set through the legacy methods shows in crm.stagehistory.list as through crm.item.
      onWrite: (_ctx, id, before) => items.recordStage(binding, id, before),
    });
  }
  // The smart invoice (31) has no legacy methods: crm.item.* only (SI_ binding prefix, §9).
  items.add(bindTyped(api.portal, 31, 'SI'));
  for (const ev of ['ONCRMDYNAMICITEMADD', 'ONCRMDYNAMICITEMUPDATE', 'ONCRMDYNAMICITEMDELETE']) api.event(ev);
  registerItemMethods(api, items);
  registerDealContacts(api, new EntityTable(dealEntity, api.portal));
  // Timeline records belong to the items above (and to smart-process items made later).
  registerTimelineMethods(api, new TimelineStore(api.portal), (typeId, id) => !!items.bindings.get(typeId)?.table.get(id));
};
