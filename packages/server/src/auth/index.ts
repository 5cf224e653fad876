import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Services } from '../service/index.ts';
import { connect } from '../storage/database/connect.ts';
import { migrate } from '../storage/database/migrate.ts';
import type { Access } from './access.ts';
import { type AuthApi, createAuthApi } from './auth-api.ts';
import { scopedNamespace, unauthenticated } from './authentication.ts';
import { bootstrapToken, startCleanup } from './bootstrap.ts';
import { type AuthGate, createGate } from './gate.ts';
import { guardServices } from './guarded-services.ts';
import { currentIdentity } from './request-identity.ts';
import { createSqlAuthStore } from './sql-store.ts';
import type { AuthStore } from './store.ts';

// Authentication for a server: the gate each transport calls, the auth API, and the service
// guard. Built once in startServer and handed to every transport.

export interface Auth {
  readonly gate: AuthGate;
  /** The flipt.auth API; absent when no method that issues tokens is enabled. */
  readonly api: AuthApi | undefined;
  /** Services that check each call against the caller (namespace scope, later policies). */
  guard(services: Services): Services;
  close(): Promise<void>;
}

/** Namespace scoping; policies join here when authorization is enabled. */
export function checkAccess(access: Access): void {
  const identity = currentIdentity();
  if (identity === undefined) return;
  const scope = scopedNamespace(identity);
  if (scope !== undefined && access.namespace !== scope) throw unauthenticated();
}

/**
 * Undefined when authentication is neither required nor offered: then transports skip the gate
 * entirely and the hot paths stay as they were.
 */
export async function createAuth(config: Config, logger: Logger): Promise<Auth | undefined> {
  const auth = config.authentication;
  if (!auth.required && !auth.methods.token.enabled) return undefined;
  let store: AuthStore | undefined;
  let stopCleanup = () => {};
  if (auth.methods.token.enabled) {
    const connection = connect({ url: config.db.url, authToken: config.db.authToken }, logger);
    try {
      // The same schema as the flag store: with database storage the tokens sit beside the flags.
      await migrate(connection);
      store = createSqlAuthStore(connection, { closeConnection: true });
      await bootstrapToken(auth.methods.token, store, logger);
    } catch (error) {
      await connection.db.destroy();
      throw error;
    }
    stopCleanup = startCleanup(auth.methods.token.cleanup, store, logger);
  }
  const gate = createGate(auth, store);
  const authStore = store;
  return {
    gate,
    api: store ? createAuthApi(auth, store, gate, checkAccess) : undefined,
    guard: (services) => guardServices(services, checkAccess),
    async close() {
      stopCleanup();
      await authStore?.close();
    },
  };
}

export type { AuthApi } from './auth-api.ts';
export type { Authentication } from './authentication.ts';
export type { AuthGate } from './gate.ts';
export { requireNamespaceAccess, runAs } from './request-identity.ts';
export { type Surface, serviceOfGrpcPath, surfaceOfPath, surfaceOfService } from './surfaces.ts';
