import { randomBytes } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random lowercase alphanumeric string, the shape of webhook codes and OAuth tokens. */
export function randomCode(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i]! % ALNUM.length];
  return out;
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
