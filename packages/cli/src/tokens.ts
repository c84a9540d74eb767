import type { TokenSet } from '@b24kit/auth';

/** What may be shown of a token set: everything but the tokens themselves. */
export function tokenSummary(set: TokenSet, savedTo: string | undefined) {
  return {
    domain: set.domain,
    memberId: set.memberId,
    userId: set.userId,
    scope: set.scope,
    clientEndpoint: set.clientEndpoint,
    expiresAt: new Date(set.expiresAt).toISOString(),
    accessToken: '[redacted]',
    refreshToken: '[redacted]',
    ...(savedTo ? { savedTo } : { hint: 'tokens are not printed; pass --out FILE to save them' }),
  };
}
