import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.js';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** POSTs JSON to `${base}${method}` and returns status and parsed body. */
export async function call(base: string, method: string, params?: unknown, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(base + method, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: JSON.stringify(params ?? {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

export async function get(url: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/** An emulator without the leaky bucket, for tests that are not about it. */
export function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ plan: 'unlimited', ...options });
}
