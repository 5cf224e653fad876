import type { AuthenticationConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { type AuthMethod, TOKEN_DESCRIPTION, TOKEN_NAME } from './authentication.ts';
import type { AuthStore } from './store.ts';

// First start with the token method: with no token in the store, one is created (the configured
// bootstrap token, or a random one) and logged once, so the operator can create the rest.

export async function bootstrapToken(
  config: AuthenticationConfig['methods']['token'],
  store: AuthStore,
  logger: Logger,
): Promise<void> {
  if ((await store.count('METHOD_TOKEN')) > 0) return;
  const { token, expirationMs, metadata } = config.bootstrap;
  const created = await store.create({
    method: 'METHOD_TOKEN',
    metadata: {
      ...metadata,
      [TOKEN_NAME]: 'initial_bootstrap_token',
      [TOKEN_DESCRIPTION]: 'Initial token created when bootstrapping authentication',
    },
    ...(expirationMs > 0 ? { expiresAt: new Date(Date.now() + expirationMs).toISOString() } : {}),
    ...(token ? { clientToken: token } : {}),
  });
  // A configured token is already known to the operator; only a generated one is worth printing.
  if (token) logger.info({ id: created.authentication.id }, 'bootstrap token created from configuration');
  else logger.info({ client_token: created.clientToken }, 'access token created');
}

/** Deletes expired authentications of `method` every `interval`, once `grace_period` past expiry. */
export function startCleanup(
  config: AuthenticationConfig['methods']['token']['cleanup'],
  store: AuthStore,
  logger: Logger,
  method: AuthMethod = 'METHOD_TOKEN',
): () => void {
  const timer = setInterval(() => {
    const before = new Date(Date.now() - config.gracePeriodMs).toISOString();
    store.deleteExpired(method, before).then(
      (n) => {
        if (n > 0) logger.info({ deleted: n, method }, 'expired authentications deleted');
      },
      (error: unknown) => logger.warn({ err: error }, 'expired token cleanup failed'),
    );
  }, config.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
