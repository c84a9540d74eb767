import { oauthFromStore } from '@b24kit/auth';
import { createClient, type B24Client, type ClientOptions } from '@b24kit/client';
import { UsageError, type CliIO } from './io.js';
import { DEFAULT_PROFILE, readProfile, tokenStore } from './profiles.js';
import { session } from './session.js';

/**
 * Picks the portal connection, in this order: --webhook, --profile, B24_WEBHOOK_URL, the
 * `default` profile. Secrets come from the environment or the profile store, never from output.
 */
export async function connect(
  values: { webhook?: string | undefined; profile?: string | undefined },
  io: CliIO,
  /** Caller options for the client, e.g. a shared limiterStore (--redis). */
  extra: Pick<ClientOptions, 'limiterStore'> = {},
): Promise<B24Client> {
  if (values.webhook) return createClient({ ...extra, webhook: values.webhook });
  if (values.profile === undefined && io.env.B24_WEBHOOK_URL)
    return createClient({ ...extra, webhook: io.env.B24_WEBHOOK_URL });
  const name = values.profile ?? io.env.B24_PROFILE ?? DEFAULT_PROFILE;
  const profile = readProfile(io.env, name);
  session.profile = name;
  if (!profile) {
    throw new UsageError(
      values.profile === undefined
        ? 'no portal: pass --webhook URL, set B24_WEBHOOK_URL, or log in with "b24 auth login"'
        : `no profile "${name}": log in with "b24 auth login --profile ${name}"`,
    );
  }
  if (profile.kind === 'webhook') return createClient({ ...extra, webhook: profile.webhookUrl });
  return createClient({
    ...extra,
    oauth: await oauthFromStore({
      clientId: profile.clientId,
      clientSecret: profile.clientSecret,
      store: tokenStore(io.env),
      key: profile.name,
      ...(profile.tokenUrl ? { tokenUrl: profile.tokenUrl } : {}),
    }),
  });
}
