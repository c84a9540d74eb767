import { describe, expect, it } from 'vitest';
import { consumeOfflineEvents, type RestCall } from '../src/index.js';

/** An in-memory queue with the documented semantics of event.offline.* (§7.4). */
function fakeQueue(rows: number) {
  const queue = Array.from({ length: rows }, (_, i) => ({
    ID: String(i + 1),
    MESSAGE_ID: `m${i + 1}`,
    EVENT_NAME: 'oncrmdealadd',
    TIMESTAMP_X: '2024-07-18T12:32:31+02:00',
    EVENT_DATA: { FIELDS: { ID: String(100 + i) } },
    EVENT_ADDITIONAL: false,
    process: null as string | null,
    error: false,
  }));
  const calls: [string, Record<string, unknown>][] = [];
  let pid = 0;
  const call: RestCall = async (method, params) => {
    calls.push([method, params]);
    if (method === 'event.offline.get') {
      const wanted = params['process_id'];
      const picked = wanted
        ? queue.filter((r) => r.process === wanted)
        : queue.filter((r) => r.process === null && !r.error).slice(0, Number(params['limit']));
      const id = (wanted as string | undefined) ?? `p${++pid}`;
      for (const r of picked) r.process = id;
      return { process_id: picked.length ? id : null, events: picked.map(({ process: _p, error: _e, ...row }) => row) };
    }
    if (method === 'event.offline.clear') {
      const ids = params['id'] as string[];
      for (const id of ids)
        queue.splice(
          queue.findIndex((r) => r.ID === id && r.process === params['process_id']),
          1,
        );
      return true;
    }
    if (method === 'event.offline.error') {
      for (const r of queue)
        if ((params['message_id'] as string[]).includes(r.MESSAGE_ID)) Object.assign(r, { error: true, process: null });
      return true;
    }
    throw new Error(`unexpected ${method}`);
  };
  return { queue, calls, call };
}

describe('consumeOfflineEvents', () => {
  it('reserves with clear=0, clears finished rows by id and marks failed ones by message id', async () => {
    const q = fakeQueue(5);
    const seen: string[] = [];
    const result = await consumeOfflineEvents({
      call: q.call,
      limit: 2,
      handler: (e) => {
        seen.push(e.id);
        if (e.id === '3') throw new Error('no');
      },
    });
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
    expect(result.processed).toBe(4);
    expect(result.batches).toBe(3);
    expect(
      result.failures.map((f) => [f.event.id, f.event.messageId, f.event.event, (f.error as Error).message]),
    ).toEqual([['3', 'm3', 'ONCRMDEALADD', 'no']]);
    expect(q.calls[0]).toEqual(['event.offline.get', { clear: 0, limit: 2 }]);
    expect(q.calls.filter(([m]) => m === 'event.offline.clear').map(([, p]) => p)).toEqual([
      { process_id: 'p1', id: ['1', '2'] },
      { process_id: 'p2', id: ['4'] },
      { process_id: 'p3', id: ['5'] },
    ]);
    expect(q.calls.filter(([m]) => m === 'event.offline.error').map(([, p]) => p)).toEqual([
      { process_id: 'p2', message_id: ['m3'] },
    ]);
    expect(q.queue.map((r) => [r.ID, r.error])).toEqual([['3', true]]);
  });

  it('finishes a reservation left by an interrupted run first', async () => {
    const q = fakeQueue(4);
    // An earlier run reserved rows 1-2 and died.
    await q.call('event.offline.get', { clear: 0, limit: 2 });
    const seen: string[] = [];
    const result = await consumeOfflineEvents({ call: q.call, processId: 'p1', handler: (e) => void seen.push(e.id) });
    expect(seen).toEqual(['1', '2', '3', '4']);
    expect(result.processed).toBe(4);
    expect(q.queue).toEqual([]);
  });

  it('stops after maxBatches, and refuses to spin when clearing has no effect', async () => {
    const q = fakeQueue(10);
    expect(
      (await consumeOfflineEvents({ call: q.call, limit: 3, maxBatches: 2, handler: () => undefined })).processed,
    ).toBe(6);
    // A server that hands out the same rows whatever was cleared.
    const same = { process_id: 'px', events: [{ ID: '1', MESSAGE_ID: 'm1', EVENT_NAME: 'X' }] };
    let handled = 0;
    await expect(
      consumeOfflineEvents({
        call: async (m) => (m === 'event.offline.get' ? same : true),
        handler: () => void handled++,
      }),
    ).rejects.toThrow(/keeps returning rows/);
    expect(handled).toBe(1);
  });

  it('checks its arguments and the answer', async () => {
    await expect(consumeOfflineEvents({ call: undefined as never, handler: () => undefined })).rejects.toThrow(
      /needs call/,
    );
    await expect(consumeOfflineEvents({ call: async () => ({}), handler: undefined as never })).rejects.toThrow(
      /needs a handler/,
    );
    await expect(
      consumeOfflineEvents({
        call: async () => ({ process_id: null, events: [{ ID: '1' }] }),
        handler: () => undefined,
      }),
    ).rejects.toThrow(/without a process_id/);
  });
});
