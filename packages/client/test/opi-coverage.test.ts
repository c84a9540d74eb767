// Every REST method of the OPI parity list is described, reachable on the facade, and typed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, findDescriptor, methodIndex } from '@b24kit/client';
import { describe, expect, it } from 'vitest';

const opi = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'opi-methods.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));

describe('OPI parity methods', () => {
  it('the list has the 162 distinct methods', () => {
    expect(new Set(opi).size).toBe(162);
  });

  it.each(opi)('%s is described and on the facade', (name) => {
    const d = findDescriptor(name);
    expect(d, name).toBeDefined();
    expect(d?.scope).not.toBe('');
    // Walk the facade tree along the documented name (method names are case-insensitive on the
    // wire, the facade uses the docs' spelling).
    const tree = createClient({ webhook: 'http://127.0.0.1:9/rest/1/abcdef123/' }) as unknown as Record<
      string,
      unknown
    >;
    let node: unknown = tree;
    for (const seg of (d?.method ?? '').split('.')) node = (node as Record<string, unknown>)[seg];
    expect(typeof node, name).toBe('function');
  });

  it('the method index lists every described method once, sorted', () => {
    const names = methodIndex.map((m) => m.method);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    // The whole documented surface (the docs describe about 1,660 methods).
    expect(names.length).toBeGreaterThanOrEqual(1600);
    for (const extra of ['server.time', 'profile', 'scope', 'methods', 'method.get', 'app.info', 'user.current'])
      expect(names).toContain(extra);
  });
});
