/**
 * H3 against the emulator over real sockets: what may be repeated after an unknown outcome is
 * decided by one rule, so a raw batch of writes creates no duplicate under faults, a REST 3.0 write
 * is repeated with its Idempotency-Key and stored once, and a repeated delete that finds nothing
 * is "probably done, outcome unknown", not a failure.
 */
import { startEmulator, type Emulator, type FaultOptions, type MethodName } from '@b24kit/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  B24Error,
  MemoryLimiterStore,
  adHocDescriptor,
  createCaller,
  type Caller,
  type CallerOptions,
  type Credentials,
  type MethodDescriptor,
} from '../src/index.js';

const list: MethodDescriptor = {
  method: 'crm.deal.list',
  scope: 'crm',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
  list: { rows: '', idField: 'ID', keyset: true, filterParam: 'filter', orderParam: 'order', selectParam: 'select' },
};
const del: MethodDescriptor = {
  method: 'crm.deal.delete',
  scope: 'crm',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion: 2,
};

/** 20% of requests fail: after the method ran (broken or cut JSON) or before (500, reset). */
function faults(seed: number, methods: MethodName[]): FaultOptions {
  const rate = 1 - Math.pow(0.8, 1 / 4); // four rules, 20% in all
  return {
    seed,
    rules: (['malformed', 'truncated', '500', 'reset'] as const).map((kind) => ({ kind, rate, methods })),
  };
}

function credentialsFor(emu: Emulator): Credentials {
  const code = new URL(emu.webhookUrl).pathname.split('/').filter(Boolean)[2]!;
  const v3 = emu.webhookUrl.replace('/rest/', '/rest/api/');
  return {
    portal: emu.baseUrl,
    kind: 'webhook',
    prepare: async (d) => ({ url: d.apiVersion === 3 ? `${v3}${d.method}` : `${emu.webhookUrl}${d.method}.json` }),
    redact: (t) => t.replaceAll(code, '***'),
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(extra: Partial<CallerOptions> = {}): Promise<{ emu: Emulator; c: Caller }> {
  const emu = await startEmulator({ plan: 'unlimited' });
  open.push(emu);
  const c = createCaller({
    credentials: credentialsFor(emu),
    limiter: false,
    limiterStore: new MemoryLimiterStore(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
  open.push(c);
  return { emu, c };
}

async function dealTitles(emu: Emulator, c: Caller): Promise<string[]> {
  emu.setFaults(undefined);
  const out: string[] = [];
  for await (const row of c.paginate<{ TITLE: string }>(list, { select: ['ID', 'TITLE'] })) out.push(row.TITLE);
  return out;
}

describe('one idempotency rule, against the emulator', () => {
  it('500 raw batch calls of crm.deal.add under 20% faults: 0 duplicates', async () => {
    const { emu, c } = await setup();
    emu.setFaults(faults(42, ['batch']));
    const batch = adHocDescriptor('batch');
    let ok = 0;
    let unknown = 0;
    for (let i = 0; i < 500; i++) {
      try {
        await c.call(batch, { halt: 0, cmd: { a: `crm.deal.add?fields[TITLE]=raw-${i}` } });
        ok++;
      } catch (error) {
        expect(error).toBeInstanceOf(B24Error);
        if ((error as B24Error).outcomeUnknown) unknown++;
      }
    }
    const injected = Object.values(emu.stats().faults).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(50); // the faults did happen
    const titles = await dealTitles(emu, c);
    const counts = new Map<string, number>();
    for (const t of titles) counts.set(t, (counts.get(t) ?? 0) + 1);
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);
    expect(ok).toBeGreaterThan(300);
    expect(unknown).toBeGreaterThan(0); // lost answers are reported, not repeated
  }, 120_000);

  it('a REST 3.0 write whose answer is lost is repeated with its key and stored once', async () => {
    const { emu, c } = await setup();
    // The first answer is broken after the task was created; the repeat is a replay.
    emu.setFaults({ seed: 1, rules: [{ kind: 'malformed', rate: 1, methods: ['tasks.task.add'] }] });
    const add: MethodDescriptor = {
      method: 'tasks.task.add',
      scope: 'task',
      idempotent: false,
      batchable: false,
      appOnly: false,
      apiVersion: 3,
    };
    const title = `v3-once-${Date.now()}`;
    const result = await c.call<{ item?: { id?: number } }>(add, { fields: { title, responsibleId: 1, creatorId: 1 } });
    expect(result).toBeTruthy();
    expect(c.stats().retries).toBe(1);
    emu.setFaults(undefined);
    const found = await c.call<{ tasks: { title: string }[] }>(adHocDescriptor('tasks.task.list'), {
      filter: { TITLE: title },
      select: ['ID', 'TITLE'],
    });
    expect(found.tasks.filter((t) => t.title === title)).toHaveLength(1);
  }, 60_000);

  it('bulk delete under 20% faults: a repeated delete that finds nothing is "probably done", never a plain failure', async () => {
    const { emu, c } = await setup();
    emu.seed('crm.deal', 100);
    const ids = Array.from({ length: 100 }, (_, i) => i + 1);
    emu.setFaults(faults(7, ['batch']));
    const report = await c.bulk(
      del,
      ids.map((id) => ({ id })),
      { chunk: 1 },
    );
    const notFoundFailures = report.results.filter(
      (r) => !r.ok && !r.outcomeUnknown && /not found/i.test(r.error.message),
    );
    expect(notFoundFailures).toHaveLength(0);
    const probablyDone = report.results.filter(
      (r) => !r.ok && r.outcomeUnknown && r.error.message.includes('probably done, outcome unknown'),
    );
    expect(probablyDone.length).toBeGreaterThan(0);
    expect(await dealTitles(emu, c)).toHaveLength(0); // every deal is gone
  }, 60_000);
});
