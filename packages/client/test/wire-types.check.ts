// Type-level assertions for schema facts fixed by hand against the documented examples: entity
// ids and counters arrive as strings, flags as 'Y'/'N', and user.get takes the project's own
// filter builder. Checked by `tsc --noEmit` over this package.
import type { B24Client } from '@b24kit/client';
import { userFilter } from '@b24kit/client';
import type { Contact, Productrow } from '@b24kit/client/crm';

export async function wireTypeChecks(b24: B24Client): Promise<void> {
  // https://apidocs.bitrix24.com/api-reference/user/user-get.html: FILTER is an object of fields.
  await b24.user.get({ FILTER: userFilter({ ACTIVE: true, '%LAST_NAME': 'Sm' }) });

  const contact = {} as Contact;
  const id: string | undefined = contact.ID;
  // @ts-expect-error a contact's ID arrives as a string (crm.contact.get example)
  const wrongId: number | undefined = contact.ID;
  const hasPhone: 'Y' | 'N' | undefined = contact.HAS_PHONE;
  // @ts-expect-error HAS_PHONE is a Y/N flag, not a boolean
  const wrongFlag: boolean | undefined = contact.HAS_PHONE;

  const row = {} as Productrow;
  const owner: string | undefined = row.OWNER_ID;
  void [id, wrongId, hasPhone, wrongFlag, owner];
}
