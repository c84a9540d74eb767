/**
 * What core does with credentials, reduced to the auth-relevant part: prepare, send, and on
 * an auth error let credentials recover once and repeat. Used where core is not needed.
 */
import type { Credentials } from '@b24kit/core';

const descriptor = (method: string, apiVersion: 2 | 3 = 2) => ({
  method,
  scope: '',
  idempotent: true,
  batchable: true,
  appOnly: false,
  apiVersion,
});

export async function miniCall(credentials: Credentials, method: string, apiVersion: 2 | 3 = 2): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const prepared = await credentials.prepare(descriptor(method, apiVersion));
    const res = await fetch(prepared.url, {
      method: 'POST',
      headers: { ...prepared.headers, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await res.json()) as { result?: unknown; error?: string };
    if (body.error === undefined) return body.result;
    if (attempt === 0 && credentials.recover && (await credentials.recover(body.error, prepared))) continue;
    throw new Error(`call failed: ${body.error}`);
  }
}
