// What the docs catalog cannot say about events, kept apart from overrides.mjs (methods).
// Re-running the slice rebuilds schema/<domain>/events.yaml from catalog.json + the docs pages +
// these; hand decisions about events belong here, not in the YAML.

/**
 * Event names whose catalog entry took its name from a page title that does not name the event
 * (`onDeleting`); the page's own payload (`"event": "ONBOOKINGRESOURCETYPEDELETE"`) does, and
 * these are its spellings in the docs' camel case.
 */
export const spellings = {
  ONBOOKINGRESOURCETYPEDELETE: 'onBookingResourceTypeDelete',
  ONBOOKINGWAITLISTITEMDELETE: 'onBookingWaitListItemDelete',
  ONBOOKINGRESOURCEDELETE: 'onBookingResourceDelete',
  ONBOOKINGRESOURCEUPDATE: 'onBookingResourceUpdate',
  ONCRMLEADDELETE: 'onCrmLeadDelete',
};

/**
 * Domain folder of an event, where the docs path does not lead to the schema domain of the
 * methods that raise it.
 * @type {Record<string, string>}
 */
export const domains = {};

/**
 * `data` of an event, replacing what the example suggests (a schema `data` value: a group of
 * params or one type expression). Keyed by the upper-case name.
 * @type {Record<string, unknown>}
 */
export const data = {};
