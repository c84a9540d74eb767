import { describe, expect, it } from 'vitest';
import { MemoryLimiterStore } from '../src/index.js';

const config = { burst: 10, drainPerSecond: 2 }; // capacity 8 (one second's drain kept free)

describe('MemoryLimiterStore admit/release: the last gate before sending', () => {
  it('admits up to the capacity, counting requests in flight as undrained', () => {
    const store = new MemoryLimiterStore();
    for (let i = 0; i < 8; i++) expect(store.admit('k', config, 0)).toBe(0);
    // Nothing answered yet: time alone does not free a slot.
    expect(store.admit('k', config, 60_000)).toBeGreaterThan(0);
    store.release('k', config, 60_000);
    // One answer is in, but it drains only from now.
    expect(store.admit('k', config, 60_000)).toBe(500);
    expect(store.admit('k', config, 60_500)).toBe(0);
  });

  it('drains answered requests from their answer', () => {
    const store = new MemoryLimiterStore();
    for (let i = 0; i < 8; i++) store.admit('k', config, 0);
    for (let i = 0; i < 8; i++) store.release('k', config, 1000);
    expect(store.admit('k', config, 1000)).toBe(500);
    expect(store.admit('k', config, 2000)).toBe(0);
    expect(store.admit('k', config, 2000)).toBe(0);
    expect(store.admit('k', config, 2000)).toBeGreaterThan(0);
  });

  it('an overflow reported by the server fills it', () => {
    const store = new MemoryLimiterStore();
    store.admit('k', config, 0);
    store.overflow('k', config, 0);
    store.release('k', config, 0);
    expect(store.admit('k', config, 0)).toBe(500);
  });
});
