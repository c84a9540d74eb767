// The emulator's typed entry points: mistakes under @ts-expect-error, the correct forms beside
// them. Type-checked with this package (turbo typecheck); an expected error that stops being one
// fails tsc ("Unused '@ts-expect-error' directive"). Never run: the functions only have to compile.
import { startEmulator, unknownName, type Delivery, type Emulator, type FaultRule } from '../src/index.js';

// A custom domain's seedable entity, typed by declaration merging (see SeedEntities).
declare module '../src/names.js' {
  interface SeedEntities {
    'demo.typed': { readonly TITLE?: string };
  }
}

export async function mistakes(emu: Emulator, name: string): Promise<void> {
  // 1. seed: an entity the emulator seeds, with its schema fields
  emu.seed('crm.deal', 10, { TITLE: 'x', OPPORTUNITY: 100, STAGE_ID: 'NEW', CLOSED: 'N' });
  emu.seed('crm.lead', 10, { STATUS_ID: 'IN_PROCESS', SOURCE_ID: 'WEB' });
  emu.seed('tasks.task', 5, { RESPONSIBLE_ID: 1 });
  // @ts-expect-error crm.dael is not a seedable entity
  emu.seed('crm.dael', 1);
  // @ts-expect-error crm.item is described, but the emulator seeds it through crm.deal etc.
  emu.seed('crm.item', 1);
  // 2. seed: a misspelled field
  // @ts-expect-error TITEL is not a field of crm.deal
  emu.seed('crm.deal', 1, { TITEL: 'x' });
  // 3. seed: a field of another entity
  // @ts-expect-error STATUS_ID is a lead field, not a deal field
  emu.seed('crm.deal', 1, { STATUS_ID: 'NEW' });
  // 4. seed: a wrong value type
  // @ts-expect-error CLOSED is 'Y' | 'N'
  emu.seed('crm.deal', 1, { CLOSED: 'yes' });
  // 5. seed: the id is assigned by the store
  // @ts-expect-error ID is not settable
  emu.seed('crm.deal', 1, { ID: 5 });
  // 6. seed: a name known only at run time goes through the escape hatch
  emu.seed(unknownName(name), 1);
  // @ts-expect-error a plain string is not a seedable entity
  emu.seed(name, 1);
  // 7. seed: a custom entity added to SeedEntities is typed
  emu.seed('demo.typed', 3, { TITLE: 'x' });
  // @ts-expect-error TITEL is not a field of demo.typed
  emu.seed('demo.typed', 3, { TITEL: 'x' });

  // 8. fault rules: methods are described method names
  emu.setFaults({ rules: [{ kind: '503', rate: 0.5, methods: ['crm.deal.list', 'batch'] }] });
  // @ts-expect-error crm.deal.lst is not a method
  emu.setFaults({ rules: [{ kind: '503', rate: 0.5, methods: ['crm.deal.lst'] }] });
  // 9. fault rules: a method the schema does not know, on purpose
  emu.setFaults({ rules: [{ kind: 'reset', rate: 1, methods: [unknownName('vendor.sync')] }] });
  // @ts-expect-error a plain string is not a method name
  const loose: FaultRule = { kind: 'slow', rate: 1, methods: [name] };
  // 10. the same at start
  await startEmulator({ faults: { rules: [{ kind: '500', rate: 0.1, methods: ['tasks.task.add'] }] } });
  // @ts-expect-error tasks.tsk.add is not a method
  await startEmulator({ faults: { rules: [{ kind: '500', rate: 0.1, methods: ['tasks.tsk.add'] }] } });

  // 11. an app's events are described event names
  emu.registerApp({ events: ['ONCRMDEALADD', 'ONTASKADD'] });
  // @ts-expect-error ONCRMDEALADDD is not an event
  emu.registerApp({ events: ['ONCRMDEALADDD'] });
  // @ts-expect-error events are upper case, as the portal sends them
  emu.registerApp({ events: ['onCrmDealAdd'] });
  emu.registerApp({ events: [unknownName('ONDEMOTHING')] });
  // 12. deliveries of one event
  const added: readonly Delivery[] = emu.deliveries('ONCRMDEALADD');
  // @ts-expect-error ONCRMDEALADDD is not an event
  emu.deliveries('ONCRMDEALADDD');
  emu.deliveries(unknownName('ONDEMOTHING'));
  // 13. a delivery's event narrows to the described names
  for (const d of emu.deliveries()) if (d.event === 'ONCRMDEALADD') void d.body;
  void [added, loose];
}
