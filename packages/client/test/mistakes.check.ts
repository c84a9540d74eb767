// Mistakes users make, each under @ts-expect-error with the correct version compiling beside it.
// Type-checked by `tsc --noEmit` over this package (CI: turbo typecheck, and
// scripts/codegen/test/typecheck.test.ts); an expected error that stops being one fails tsc
// ("Unused '@ts-expect-error' directive"). Never run: the functions only have to compile.
import { ref } from '@b24kit/core';
import {
  createClient,
  type B24Client,
  type B24ClientApp,
  type MethodCaller,
  type TypedEventHandler,
} from '@b24kit/client';
import { crmDealList, crmDealGet } from '@b24kit/client/crm';
import { dealFilter } from '@b24kit/client';

export async function mistakes(b24: B24Client, caller: MethodCaller, app: B24ClientApp): Promise<void> {
  // 1. a misspelled result field
  const deal = await b24.crm.deal.get({ id: 1 });
  const title: string = deal.TITLE; // always returned: required, no `?.`
  // @ts-expect-error TITEL is not a field of Deal
  void deal.TITEL;
  // 2. a field the docs show as null may be null
  // @ts-expect-error LEAD_ID is string | null
  void deal.LEAD_ID.length;
  void deal.LEAD_ID?.length;

  // 3. a misspelled field in `fields`
  await b24.crm.deal.add({ fields: { TITLE: 'x', UF_CRM_1721244482250: 'user field', PARENT_ID_1220: 22 } });
  // @ts-expect-error TITEL is not a deal field
  await b24.crm.deal.add({ fields: { TITEL: 'x' } });
  // 4. a user field outside the UF_CRM_ family
  // @ts-expect-error UFCRM_1 is neither a field nor a UF_CRM_* user field
  await b24.crm.deal.add({ fields: { TITLE: 'x', UFCRM_1: 'x' } });

  // 5. a misspelled param
  await b24.crm.deal.list({ select: ['ID'] });
  // @ts-expect-error selct is not a param of crm.deal.list
  await b24.crm.deal.list({ selct: ['ID'] });
  // 6. the same on tasks
  await b24.tasks.task.list({ filter: { RESPONSIBLE_ID: 1 } });
  // @ts-expect-error fitler is not a param of tasks.task.list
  await b24.tasks.task.list({ fitler: { RESPONSIBLE_ID: 1 } });

  // 7. a misspelled field in select
  await b24.crm.deal.list({ select: ['ID', 'TITLE', 'UF_CRM_1721244482250', 'UF_*'] });
  // @ts-expect-error TITEL is not a deal field
  await b24.crm.deal.list({ select: ['ID', 'TITEL'] });
  // 8. a misspelled field in a filter
  await b24.crm.deal.list({ filter: { '>=OPPORTUNITY': 1000, '%TITLE': 'a', '!ID': 5, '@ID': [1, 2], UF_CRM_1: 'x' } });
  // @ts-expect-error OPPORTUNTY is misspelled
  await b24.crm.deal.list({ filter: { '>=OPPORTUNTY': 1000 } });
  // 9. an operator that does not exist
  // @ts-expect-error => is not an operator (>= is)
  await b24.crm.deal.list({ filter: { '=>OPPORTUNITY': 1000 } });

  // 10. list rows follow select
  const rows = await b24.crm.deal.list({ select: ['ID', 'TITLE'] });
  const firstTitle: string | undefined = rows[0]?.TITLE;
  // @ts-expect-error COMMENTS was not selected
  void rows[0]?.COMMENTS;
  // 11. no select: the default set
  const allRows = await b24.crm.deal.list();
  void allRows[0]?.COMMENTS;
  // 12. ids arrive as strings
  // @ts-expect-error ID is a string on the wire
  const numericId: number | undefined = rows[0]?.ID;

  // 13. a missing required param
  await b24.crm.deal.get({ id: 1 });
  // @ts-expect-error id is required
  await b24.crm.deal.get({});
  // 14. a wrong value type
  // @ts-expect-error id is a number or a numeric string
  await b24.crm.deal.get({ id: true });
  // 15. a Y/N flag
  await b24.im.chat.mute({ CHAT_ID: 1, MUTE: 'Y' });
  // @ts-expect-error MUTE is 'Y' | 'N'
  await b24.im.chat.mute({ CHAT_ID: 1, MUTE: 'yes' });
  // 16. update without fields
  await b24.crm.deal.update({ id: 1, fields: { TITLE: 'y' } });
  // @ts-expect-error fields is required
  await b24.crm.deal.update({ id: 1 });

  // 17. call: a misspelled method
  const id: number = await b24.call('crm.deal.add', { fields: { TITLE: 'x' } });
  // @ts-expect-error crm.deal.lst is not a method
  await b24.call('crm.deal.lst', {});
  // 18. call: a misspelled param
  await b24.call('crm.deal.get', { id });
  // @ts-expect-error idd is not a param of crm.deal.get (and id is missing)
  await b24.call('crm.deal.get', { idd: id });
  // 19. call: the result is typed by the method
  // @ts-expect-error crm.deal.add returns a number
  const notString: string = await b24.call('crm.deal.add', { fields: { TITLE: 'x' } });
  // 20. callEnvelope: a misspelled method
  const env = await b24.callEnvelope('crm.deal.list', { select: ['ID'] });
  void env.total;
  // @ts-expect-error crm.deal.lst is not a method
  await b24.callEnvelope('crm.deal.lst', {});
  // 21. the escape hatch is explicit and untyped
  const vendor = await b24.callUnknown<{ ok: boolean }>('vendor.custom.method', { a: 1 });
  void vendor.ok;
  // @ts-expect-error the result of an unknown method is unknown until you say what it is
  const guessed: number = await b24.callUnknown('vendor.custom.method');

  // 22. paginate: a misspelled method
  for await (const row of b24.paginate('crm.deal.list', { filter: { STAGE_ID: 'NEW' } })) void row.TITLE;
  // @ts-expect-error crm.deal.lst is not a method
  for await (const row of b24.paginate('crm.deal.lst', {})) void row;
  // 23. paginate: not a list method
  // @ts-expect-error crm.deal.get does not page
  for await (const row of b24.paginate('crm.deal.get', { id: 1 })) void row;
  // 24. paginate: rows follow select
  for await (const row of b24.paginate('crm.deal.list', { select: ['ID', 'OPPORTUNITY'] })) {
    const amount: string = row.OPPORTUNITY;
    // @ts-expect-error TITLE was not selected
    void row.TITLE;
    void amount;
  }
  // 25. paginateParallel: a misspelled method
  for await (const row of b24.paginateParallel('crm.deal.list', {}, { chains: 2 })) void row.ID;
  // @ts-expect-error crm.deals.list is not a method
  for await (const row of b24.paginateParallel('crm.deals.list', {})) void row;

  // 26. batch: an unknown method in a command
  const res = await b24.batch({
    me: ['user.current'],
    deal: ['crm.deal.get', { id: 5 }],
    add: ['crm.deal.add', { fields: { TITLE: 'x' } }],
  });
  if (res.deal.ok) void res.deal.result.TITLE;
  // @ts-expect-error crm.deal.gett is not a method
  await b24.batch({ deal: ['crm.deal.gett', { id: 5 }] });
  // 27. batch: a misspelled param of a command
  // @ts-expect-error idd is not a param of crm.deal.get
  await b24.batch({ deal: ['crm.deal.get', { id: 5, idd: 5 }] });
  // 28. batch: a command result field
  // @ts-expect-error TITEL is not a field of Deal
  if (res.deal.ok) void res.deal.result.TITEL;
  // 29. batch: references stand for values
  await b24.batch({ add: ['crm.deal.add', { fields: { TITLE: 'x' } }], get: ['crm.deal.get', { id: ref('add') }] });
  // @ts-expect-error a batch command's required param is still required
  await b24.batch({ add: ['crm.deal.add', { fields: { TITLE: 'x' } }], get: ['crm.deal.get', {}] });

  // 30. bulk: a misspelled field in a row
  const report = await b24.bulk('crm.deal.add', [{ fields: { TITLE: 'a' } }, { fields: { TITLE: 'b' } }]);
  const created: number[] = report.results.flatMap((r) => (r.ok ? [r.result] : []));
  // @ts-expect-error TITEL is not a deal field
  await b24.bulk('crm.deal.add', [{ fields: { TITEL: 'a' } }]);
  // 31. bulk: a misspelled method
  // @ts-expect-error crm.deal.ad is not a method
  await b24.bulk('crm.deal.ad', [{ fields: { TITLE: 'a' } }]);

  // 32. free functions take the method's params
  await crmDealList(caller, { select: ['ID'] });
  // @ts-expect-error selct is not a param of crm.deal.list
  await crmDealList(caller, { selct: ['ID'] });
  // 33. method values work with call too
  await b24.call(crmDealGet, { id: 1 });
  // @ts-expect-error id is required
  await b24.call(crmDealGet, {});

  // 34. user.get: filter fields at the top level are an open family, other names are not
  await b24.user.get({ ID: 1, FILTER: { ACTIVE: true } });
  // @ts-expect-error SELCT is neither a param nor a user field
  await b24.user.get({ SELCT: ['ID'] });

  // 35. events: a misspelled event name, and a misspelled data field
  const onAdd: TypedEventHandler<'ONCRMDEALADD'> = (event) => void event.data.FIELDS.ID;
  // @ts-expect-error ONCRMDEALADDD is not an event
  const onTypo: TypedEventHandler<'ONCRMDEALADDD'> = () => undefined;
  app.on('ONCRMDEALADD', (event) => {
    // @ts-expect-error IDD is not a field of the event data
    void event.data.FIELDS.IDD;
  });
  app.on('ONCRMDEALADD', onAdd);

  // 36. callEnvelope: a misspelled param
  await b24.callEnvelope('crm.deal.get', { id: 1 });
  // @ts-expect-error idd is not a param of crm.deal.get (and id is missing)
  await b24.callEnvelope('crm.deal.get', { idd: 1 });
  // 37. paginate: a misspelled param
  for await (const row of b24.paginate('crm.deal.list', { order: { ID: 'ASC' } })) void row.ID;
  // @ts-expect-error ordr is not a param of crm.deal.list
  for await (const row of b24.paginate('crm.deal.list', { ordr: { ID: 'ASC' } })) void row;
  // 38. paginateParallel: a misspelled param
  for await (const row of b24.paginateParallel('crm.deal.list', { filter: { STAGE_ID: 'NEW' } })) void row.ID;
  // @ts-expect-error fitler is not a param of crm.deal.list
  for await (const row of b24.paginateParallel('crm.deal.list', { fitler: { STAGE_ID: 'NEW' } })) void row;
  // 39. bulk: a misspelled param name in a row
  await b24.bulk('crm.deal.update', [{ id: 1, fields: { TITLE: 'a' } }]);
  // @ts-expect-error feilds is not a param of crm.deal.update
  await b24.bulk('crm.deal.update', [{ id: 1, feilds: { TITLE: 'a' } }]);

  // 40. result fields: a field the get example shows is required (usable without `!`), a
  // misspelled one fails, and a field the server leaves out in some answers stays optional.
  const lead = await b24.crm.lead.get({ id: 1 });
  const leadTitle: string = lead.TITLE;
  // @ts-expect-error TITEL is not a field of Lead
  void lead.TITEL;
  // @ts-expect-error LAST_NAME is null in the docs' example: string | null
  const leadLast: string = lead.LAST_NAME;
  const leadLastOrEmpty: string = lead.LAST_NAME ?? '';
  const contact = await b24.crm.contact.get({ id: 1 });
  const contactName: string = contact.NAME;
  // @ts-expect-error LAST_NAEM is misspelled
  void contact.LAST_NAEM;
  const { task } = await b24.tasks.task.get({ taskId: 1 });
  const responsibleName: string = task.responsible.name;
  // @ts-expect-error creator comes with tasks.task.get, not on list rows: optional
  const creatorName: string = task.creator.name;
  // @ts-expect-error titel is not a task field (the REST result keys are camelCase)
  void task.titel;
  // @ts-expect-error title comes only when selected (or by default): string | undefined
  const taskTitle: string = task.title;
  const me = await b24.user.current();
  const myName: string = me.NAME;
  // @ts-expect-error NAEM is misspelled
  void me.NAEM;
  const [someone] = await b24.user.get({ ID: 1 });
  if (someone) void (someone.LAST_NAME satisfies string);
  const { item } = await b24.crm.item.get({ entityTypeId: 2, id: 1 });
  const itemId: number = item.id;
  const createdBy: number = item.createdBy;
  // @ts-expect-error createdTme is misspelled
  void item.createdTme;
  // @ts-expect-error stageId depends on the object type: string | undefined
  const stage: string = item.stageId;
  void [
    leadTitle,
    leadLast,
    leadLastOrEmpty,
    contactName,
    responsibleName,
    creatorName,
    taskTitle,
    myName,
    itemId,
    createdBy,
    stage,
  ];

  void [title, firstTitle, numericId, notString, guessed, created, onTypo];
}

// The README examples compile as written.
export async function readmeExamples(): Promise<void> {
  const b24 = createClient({ webhook: process.env['B24_WEBHOOK_URL']! });
  const dealId = await b24.crm.deal.add({ fields: { TITLE: 'New deal', OPPORTUNITY: 5000 } });
  const deal = await b24.crm.deal.get({ id: dealId });
  for await (const row of b24.paginate('crm.deal.list', { filter: { STAGE_ID: 'NEW' } })) {
    console.log(row.ID, row.TITLE, deal.TITLE);
  }
  const deals = await b24.crm.deal.list({ filter: { '>OPPORTUNITY': 1000 }, select: ['ID', 'TITLE'] });
  const task = await b24.tasks.task.get({ taskId: 42 }, { signal: AbortSignal.timeout(10_000) });
  await b24.im.dialog.read.all();
  const id = await b24.call('crm.deal.add', { fields: { TITLE: 'x' } });
  const env = await b24.callEnvelope('crm.deal.list', {});
  const res = await b24.batch({ me: ['user.current'], deal: ['crm.deal.get', { id: 5 }] });
  if (res.deal.ok) console.log(res.deal.result.TITLE);
  for await (const row of b24.paginate('crm.deal.list', { select: ['ID'] })) void row.ID;
  await b24.callUnknown('vendor.custom.method', { a: 1 });
  await b24.close();
  void [deals, task, id, env];
}

// List filters and select on every list whose docs filter or select over a known entity: keys are
// the row's fields with an operator, values have the field's wire type, rows follow select.
export async function listMistakes(b24: B24Client): Promise<void> {
  // L1. tasks.task.list: a misspelled param; filter and select name fields in upper case
  // (the docs' casing) while the rows come back camelCase.
  const tasks = await b24.tasks.task.list({
    filter: { RESPONSIBLE_ID: 1, '!STATUS': 5, '>=DEADLINE': '2026-01-01T00:00:00+00:00' },
    select: ['ID', 'TITLE', 'RESPONSIBLE_ID'],
  });
  const taskTitle: string | undefined = tasks.tasks[0]?.title;
  void tasks.tasks[0]?.responsibleId;
  // @ts-expect-error fitler is not a param of tasks.task.list
  await b24.tasks.task.list({ fitler: { RESPONSIBLE_ID: 1 } });
  // L2. tasks.task.list: a misspelled filter key
  // @ts-expect-error RESPONSBLE_ID is misspelled
  await b24.tasks.task.list({ filter: { RESPONSBLE_ID: 1 } });
  // L3. tasks.task.list: a misspelled select field
  // @ts-expect-error TITEL is not a task field
  await b24.tasks.task.list({ select: ['ID', 'TITEL'] });
  // L4. tasks.task.list: a row field not selected
  // @ts-expect-error description was not selected
  void tasks.tasks[0]?.description;
  // ... while the fields a select always brings (the docs' examples) are there
  void tasks.tasks[0]?.responsible.name;

  // L5. crm.item.list: camelCase fields, rows under `items`, operators on camelCase names
  const items = await b24.crm.item.list({
    entityTypeId: 2,
    filter: { '>=opportunity': 1000, '@assignedById': [1, 2], '%title': 'a', ufCrm_5: 'x' },
    select: ['id', 'title', 'ufCrm_5'],
  });
  const itemTitle: string | undefined = items.items[0]?.title;
  // @ts-expect-error opportunity was not selected
  void items.items[0]?.opportunity;
  // L6. crm.item.list: a misspelled filter key
  // @ts-expect-error assignedByID is not an item field (assignedById is)
  await b24.crm.item.list({ entityTypeId: 2, filter: { assignedByID: 1 } });
  // L7. crm.item.list: a misspelled select field (upper case is the older lists' naming)
  // @ts-expect-error TITLE is not an item field (title is)
  await b24.crm.item.list({ entityTypeId: 2, select: ['id', 'TITLE'] });
  // L8. crm.item.list: `@` takes a list
  // @ts-expect-error @id takes an array of ids
  await b24.crm.item.list({ entityTypeId: 2, filter: { '@id': 5 } });

  // L9. crm.contact.list: a misspelled filter key and select field
  const contacts = await b24.crm.contact.list({
    filter: { '%LAST_NAME': 'Sm', HAS_PHONE: 'Y' },
    select: ['ID', 'NAME'],
  });
  const contactName: string | undefined = contacts[0]?.NAME;
  // user fields are an open family: UF_CRM_* in filter and select
  await b24.crm.contact.list({ filter: { UF_CRM_CLIENT_CODE: 'a1' }, select: ['ID', 'UF_CRM_CLIENT_CODE', 'UF_*'] });
  // @ts-expect-error LASTNAME is not a contact field
  await b24.crm.contact.list({ filter: { '%LASTNAME': 'Sm' } });
  // @ts-expect-error SURNAME is not a contact field
  await b24.crm.contact.list({ select: ['ID', 'SURNAME'] });
  // L10. a Y/N field takes 'Y' or 'N'
  // @ts-expect-error HAS_PHONE is Y/N, not a boolean
  await b24.crm.contact.list({ filter: { HAS_PHONE: true } });
  // L11. a row field not selected
  // @ts-expect-error LAST_NAME was not selected
  void contacts[0]?.LAST_NAME;

  // L12. user.get: FILTER keys and select names
  const users = await b24.user.get({ FILTER: { ACTIVE: true, '%LAST_NAME': 'Smi' }, select: ['ID', 'NAME'] });
  const userName: string | undefined = users[0]?.NAME;
  // FILTER also takes any user.add field and NAME_SEARCH (the docs' filterExtra)
  await b24.user.get({ FILTER: { NAME_SEARCH: 'John', '%PERSONAL_PHONE': '555', UF_PHONE_INNER: '12', LOGIN: 'j' } });
  // @ts-expect-error LASTNAME is not a user field
  await b24.user.get({ FILTER: { '%LASTNAME': 'Smi' } });
  // @ts-expect-error SURNAME is not a user field
  await b24.user.get({ select: ['ID', 'SURNAME'] });

  // L13. wrong filter value types: a number field takes a number or a numeric string
  await b24.crm.deal.list({ filter: { '>=OPPORTUNITY': '1000.50', ID: [1, '2'], '><OPPORTUNITY': [1, 5] } });
  // @ts-expect-error OPPORTUNITY is a number, not a boolean
  await b24.crm.deal.list({ filter: { '>=OPPORTUNITY': true } });
  // @ts-expect-error ID holds a number: 'abc' is not one
  await b24.crm.deal.list({ filter: { ID: 'abc' } });
  // @ts-expect-error >< takes a pair
  await b24.crm.deal.list({ filter: { '><OPPORTUNITY': 5 } });
  // L14. the same through paginate and paginateParallel, on a list with rows under a key
  for await (const row of b24.paginate('crm.item.list', { entityTypeId: 2, select: ['id', 'title'] })) {
    const t: string = row.title;
    // @ts-expect-error stageId was not selected
    void row.stageId;
    void t;
  }
  for await (const row of b24.paginateParallel('tasks.task.list', { select: ['ID', 'TITLE'] })) {
    const t: string = row.title;
    void row.descriptionInBbcode;
    // @ts-expect-error deadline was not selected
    void row.deadline;
    void t;
  }
  // L15. a builder's checked filter is accepted as is
  await b24.crm.deal.list({ filter: dealFilter({ STAGE_ID: 'NEW', '>=OPPORTUNITY': 0 }) });
  void [taskTitle, itemTitle, contactName, userName];
}
