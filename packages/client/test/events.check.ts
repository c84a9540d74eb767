// Type-level assertions for typed events, checked by `tsc --noEmit` over this package
// (scripts/codegen/test/typecheck.test.ts). Each @ts-expect-error must be an error.
import type { B24Event } from '@b24kit/auth';
import type { B24ClientApp, EventMap, EventName, OnCrmDealAddData, OnTaskUpdateData } from '../src/index.js';
import type { CrmEvents, OnCrmDealAddData as DomainDealAdd } from '../src/generated/crm/index.js';

export function eventTypeChecks(app: B24ClientApp): void {
  app.on('ONCRMDEALADD', (event) => {
    const id: string = event.data.FIELDS.ID;
    // @ts-expect-error the ONCRMDEALADD body carries only the id in FIELDS
    void event.data.FIELDS.TITLE;
    // @ts-expect-error event bodies are form fields: the id is a string, not a number
    const n: number = event.data.FIELDS.ID;
    return [id, n];
  });
  app.on('ONTASKUPDATE', (event) => {
    const after: string = event.data.FIELDS_AFTER.ID;
    const data: OnTaskUpdateData = event.data;
    return [after, data];
  });
  // @ts-expect-error ONCRMDEALDELETE data has no DEAL field
  app.on('ONCRMDEALDELETE', (event) => event.data.DEAL);

  // Other spellings still work at runtime (case-insensitive) but hand over untyped data.
  app.on('onCrmDealAdd', (event) => event.data['FIELDS']);
  // @ts-expect-error a typed handler needs the upper-case name
  app.on('onCrmDealAdd', (event: B24Event<OnCrmDealAddData>) => event.data.FIELDS.ID);

  const names: EventName[] = ['ONCRMDEALADD', 'ONAPPINSTALL', 'ONOFFLINEEVENT', 'ONIMCONNECTORLINEDELETE'];
  // @ts-expect-error not a described event
  const unknown: EventName = 'ONNOTHINGHAPPENED';
  // The per-domain export and the root export are the same type; the domain map feeds EventMap.
  const viaDomain: DomainDealAdd = { FIELDS: { ID: '1' } };
  const viaRoot: OnCrmDealAddData = viaDomain;
  const inMap: EventMap['ONCRMDEALADD'] = viaRoot;
  const inDomainMap: CrmEvents['ONCRMDEALADD'] = inMap;
  // A scalar `data` in the docs (the deleted line's id) is typed as that scalar.
  const lineId: EventMap['ONIMCONNECTORLINEDELETE'] = '107';
  void [names, unknown, inDomainMap, lineId];
}
