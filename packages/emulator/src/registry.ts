/** The method table: lowercase name → spec, kept apart for REST 2 (/rest/) and REST 3.0 (/rest/api/). */
import type { MethodSpec } from './methods/types.js';

export class MethodRegistry {
  private readonly v2 = new Map<string, MethodSpec>();
  private readonly v3 = new Map<string, MethodSpec>();
  readonly events = new Set<string>();

  add(spec: MethodSpec): void {
    const table = spec.apiVersion === 3 ? this.v3 : this.v2;
    const key = spec.name.toLowerCase();
    if (table.has(key)) throw new Error(`method ${spec.name} is registered twice`);
    table.set(key, spec);
  }

  get(name: string, apiVersion: 2 | 3 = 2): MethodSpec | undefined {
    return (apiVersion === 3 ? this.v3 : this.v2).get(name.toLowerCase());
  }

  names(apiVersion: 2 | 3 = 2): string[] {
    return [...(apiVersion === 3 ? this.v3 : this.v2).values()].map((s) => s.name);
  }

  /** Every registered method of both API versions. */
  specs(): MethodSpec[] {
    return [...this.v2.values(), ...this.v3.values()];
  }
}
