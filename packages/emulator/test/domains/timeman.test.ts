// Work-time tracking: documented shapes and the day's life cycle (open, pause, resume, close).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/index.js';
import { documented, shapeDifferences } from '../contract/shape.js';
import { call, start } from '../helpers.js';

let em: Emulator;
beforeAll(async () => {
  em = await start({ now: () => Date.parse('2030-03-04T08:00:00Z') });
});
afterAll(async () => {
  await em.close();
});

async function ok(method: string, params: unknown = {}): Promise<any> {
  const r = await call(em.webhookUrl, method, params);
  expect(r.body.error, JSON.stringify(r.body)).toBeUndefined();
  expect(shapeDifferences(r.body, documented(method)!.responseExample, { checkTime: false })).toEqual([]);
  return r.body.result;
}

describe('timeman', () => {
  it('status is CLOSED before the first open; settings has the schedule', async () => {
    expect((await ok('timeman.status')).STATUS).toBe('CLOSED');
    const s = await ok('timeman.settings');
    expect(s.UF_TM_MAX_START).toBe('09:15:00');
    expect(s.ADMIN).toBe(true);
  });

  it('open → pause → resume → close counts the pause as leaks', async () => {
    const opened = await ok('timeman.open', { LAT: 53.5, LON: 9.9 });
    expect(opened).toMatchObject({
      STATUS: 'OPENED',
      TIME_START: '2030-03-04T08:00:00+00:00',
      TIME_FINISH: null,
      LAT_OPEN: 53.5,
    });
    em.advanceTime(3600_000);
    expect((await ok('timeman.pause')).STATUS).toBe('PAUSED');
    em.advanceTime(1800_000);
    expect((await ok('timeman.status')).TIME_LEAKS).toBe('00:30:00');
    expect((await ok('timeman.open')).STATUS).toBe('OPENED');
    em.advanceTime(3600_000);
    const closed = await ok('timeman.close', { REPORT: 'done' });
    expect(closed).toMatchObject({
      STATUS: 'CLOSED',
      TIME_FINISH: '2030-03-04T10:30:00+00:00',
      DURATION: '02:00:00',
      TIME_LEAKS: '00:30:00',
    });
    expect((await ok('timeman.status')).STATUS).toBe('CLOSED');
  });

  it('refuses a start time on another day and a close before opening', async () => {
    const other = em.createWebhook({ userId: 7 });
    const wrong = await call(other, 'timeman.open', { TIME: '2030-03-01T09:00:00+00:00' });
    expect(wrong.body.error).toBe('WRONG_DATETIME');
    expect((await call(other, 'timeman.close', {})).status).toBe(400);
    // Another user's day is separate.
    await call(other, 'timeman.open', {});
    expect((await call(other, 'timeman.status', {})).body.result.STATUS).toBe('OPENED');
    expect((await call(em.webhookUrl, 'timeman.status', { USER_ID: 7 })).body.result.STATUS).toBe('OPENED');
  });

  it('a day left open past its date is EXPIRED', async () => {
    const u = em.createWebhook({ userId: 8 });
    await call(u, 'timeman.open', {});
    em.advanceTime(24 * 3600_000);
    expect((await call(u, 'timeman.status', {})).body.result.STATUS).toBe('EXPIRED');
  });
});
