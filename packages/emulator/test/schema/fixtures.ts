/**
 * What a real caller creates or knows before calling a method that names another object: the
 * every-method test sends these params over the minimal ones. Each entry says what it stands for.
 */
import { createDomainFixtures, domainFixtureParams, type DomainFixtures } from './domain-fixtures.js';

export type Call = (method: string, params: Record<string, unknown>) => Promise<{ status: number; body: any }>;

export interface Fixtures {
  readonly [name: string]: unknown;
}

/** Objects made through the portal's own methods, as a caller would, before the run. */
export async function createFixtures(call: Call): Promise<Fixtures> {
  // Calendar, drive, messenger, user and timeline fixtures: domain-fixtures.ts.
  return { domains: await createDomainFixtures(call) };
}

/** Params for `method` that name a fixture (merged over the minimal params), or none. */
export function fixtureParams(method: string, f: Fixtures): Record<string, unknown> {
  return { ...domainFixtureParams(method, (f['domains'] ?? {}) as DomainFixtures) };
}
