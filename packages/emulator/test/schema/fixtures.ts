/**
 * What a real caller creates or knows before calling a method that names another object: the
 * every-method test sends these params over the minimal ones. Each entry says what it stands for.
 */
export type Call = (method: string, params: Record<string, unknown>) => Promise<{ status: number; body: any }>;

export interface Fixtures {
  readonly [name: string]: unknown;
}

/** Objects made through the portal's own methods, as a caller would, before the run. */
export async function createFixtures(_call: Call): Promise<Fixtures> {
  return {};
}

/** Params for `method` that name a fixture (merged over the minimal params), or none. */
export function fixtureParams(_method: string, _f: Fixtures): Record<string, unknown> {
  return {};
}
