import { portalOrigin } from '@b24kit/auth';
import type { Credentials, MethodDescriptor, PreparedRequest } from '@b24kit/core';

/**
 * OPI's `--url PORTAL --token ACCESS_TOKEN`: one access token, no refresh (OPI has none
 * either; RefreshToken is a separate function). The token never appears in output.
 */
export function accessTokenCredentials(portal: string, token: string): Credentials {
  let origin = portal.trim();
  // OPI users pass the portal as a domain, a URL, or the REST endpoint `https://x/rest/`.
  const rest = /^(https?:\/\/[^/]+)\/rest\/?$/i.exec(origin);
  if (rest) origin = rest[1]!;
  origin = portalOrigin(origin, '--url');
  const redact = (text: string) => String(text).split(token).join('***');
  return {
    portal: origin,
    kind: 'oauth',
    async prepare(descriptor: MethodDescriptor): Promise<PreparedRequest> {
      const url =
        descriptor.apiVersion === 3
          ? `${origin}/rest/api/${descriptor.method}`
          : `${origin}/rest/${descriptor.method}.json`;
      return { url, headers: { Authorization: `Bearer ${token}` } };
    },
    redact,
  };
}
