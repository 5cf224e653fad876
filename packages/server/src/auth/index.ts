import type { Registry } from 'prom-client';
import { createAuditor } from '../audit/auditor.ts';
import { type ChangeHistory, guardHistory } from '../audit/change-history.ts';
import { openHistoryStore } from '../audit/open-history.ts';
import type { AuthenticationConfig, Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Services } from '../service/index.ts';
import type { Connection } from '../storage/database/connect.ts';
import { openMigrated } from '../storage/database/open-migrated.ts';
import type { Access } from './access.ts';
import { type AuthApi, createAuthApi } from './auth-api.ts';
import { permissionDenied, scopedNamespace, unauthenticated } from './authentication.ts';
import { bootstrapToken, startCleanup } from './bootstrap.ts';
import { type AuthGate, createGate } from './gate.ts';
import { createGithubLogin } from './github.ts';
import { type AccessCheck, guardServices } from './guarded-services.ts';
import { createJwtVerifier } from './jwt.ts';
import { createKubernetesVerifier } from './kubernetes.ts';
import { createKubernetesMethod, type KubernetesMethod } from './kubernetes-method.ts';
import { allows, viewableNamespaces } from './policy.ts';
import { loadPolicyFile, type PolicyHolder } from './policy-file.ts';
import { currentIdentity } from './request-identity.ts';
import type { BrowserLogin } from './session-login.ts';
import { createSqlAuthStore } from './sql-store.ts';
import type { AuthStore } from './store.ts';

// Authentication for a server: the gate each transport calls, the auth API, and the service
// guard. Built once in startServer and handed to every transport.

export interface Auth {
  readonly gate: AuthGate;
  /** The flipt.auth API. */
  readonly api: AuthApi;
  /** Whether `POST /auth/v1/method/token` (and its gRPC service) is offered. */
  readonly tokens: boolean;
  /** `POST /auth/v1/method/kubernetes/serviceaccount`, when that method is enabled. */
  readonly kubernetes?: KubernetesMethod;
  /** Flags' and segments' change history from stored audit events, when `audit.sinks.database.enabled`. */
  readonly history?: ChangeHistory;
  /** The browser login methods that are enabled. */
  readonly logins: { oidc?: BrowserLogin; github?: BrowserLogin };
  readonly session: AuthenticationConfig['session'];
  /** Services that check each call against the caller (namespace scope, later policies). */
  guard(services: Services): Services;
  close(): Promise<void>;
}

/**
 * Namespace scoping, then the policy (when authorization is on). Without an identity the surface
 * was open (authentication off or excluded) and nothing is left to decide. Evaluation and OFREP
 * skip the policy, as in Flipt.
 */
function accessCheck(policy: PolicyHolder | undefined): AccessCheck {
  return (access: Access) => {
    const identity = currentIdentity();
    if (identity === undefined) return;
    const scope = scopedNamespace(identity);
    if (scope !== undefined && access.namespace !== scope) throw unauthenticated();
    if (policy && !access.evaluation && !allows(policy.current(), identity, access)) throw permissionDenied();
  };
}

function viewableCheck(policy: PolicyHolder | undefined): () => ReadonlySet<string> | 'any' {
  return () => {
    const identity = currentIdentity();
    return policy && identity ? viewableNamespaces(policy.current(), identity) : 'any';
  };
}

/**
 * Undefined when authentication is neither required nor offered: then transports skip the gate
 * entirely and the hot paths stay as they were.
 */
export async function createAuth(
  config: Config,
  logger: Logger,
  registry?: Registry,
): Promise<Auth | undefined> {
  const auth = config.authentication;
  const { token, jwt, kubernetes, oidc, github } = auth.methods;
  const browser = oidc.enabled || github.enabled;
  // First: a missing cluster CA file stops the start before anything is opened.
  const verifyServiceAccount = kubernetes.enabled ? createKubernetesVerifier(kubernetes, logger) : undefined;
  const history = await openHistoryStore(config, logger);
  const auditor = createAuditor(config.audit, logger, registry, history);
  if (!auth.required && !token.enabled && !jwt.enabled && !kubernetes.enabled && !browser && !auditor)
    return undefined;
  const { authorization } = config;
  const policy = authorization.required
    ? loadPolicyFile(authorization.policyPath, authorization.pollIntervalMs, logger)
    : undefined;
  const check = accessCheck(policy);
  let store: AuthStore | undefined;
  let stopCleanup = () => {};
  if (token.enabled || kubernetes.enabled || browser) {
    let connection: Connection | undefined;
    try {
      // The same schema as the flag store: with database storage the tokens sit beside the flags.
      connection = await openMigrated(config.db, logger);
      store = createSqlAuthStore(connection, { closeConnection: true });
      if (token.enabled) await bootstrapToken(token, store, logger);
    } catch (error) {
      policy?.close();
      await auditor?.close();
      await connection?.db.destroy();
      throw error;
    }
    const cleanups = [
      token.enabled ? startCleanup(token.cleanup, store, logger) : undefined,
      kubernetes.enabled ? startCleanup(kubernetes.cleanup, store, logger, 'METHOD_KUBERNETES') : undefined,
      oidc.enabled ? startCleanup(oidc.cleanup, store, logger, 'METHOD_OIDC') : undefined,
      github.enabled ? startCleanup(github.cleanup, store, logger, 'METHOD_GITHUB') : undefined,
    ];
    stopCleanup = () => {
      for (const stop of cleanups) stop?.();
    };
  }
  const gate = createGate(
    auth,
    store,
    auth.methods.jwt.enabled ? createJwtVerifier(auth.methods.jwt) : undefined,
  );
  const authStore = store;
  // openid-client is a large module: loaded only when OIDC is configured, so other starts skip it.
  const oidcLogin =
    store && oidc.enabled ? (await import('./oidc.ts')).createOidcLogin(auth, store, logger) : undefined;
  return {
    gate,
    api: createAuthApi(auth, store, gate, check, auditor),
    tokens: token.enabled,
    ...(verifyServiceAccount && store
      ? { kubernetes: createKubernetesMethod(verifyServiceAccount, store) }
      : {}),
    ...(history ? { history: guardHistory(history, check) } : {}),
    logins: {
      ...(oidcLogin ? { oidc: oidcLogin } : {}),
      ...(store && github.enabled ? { github: createGithubLogin(auth, store, logger) } : {}),
    },
    session: auth.session,
    guard: (services) => guardServices(services, check, viewableCheck(policy), auditor),
    async close() {
      stopCleanup();
      policy?.close();
      await auditor?.close();
      await authStore?.close();
    },
  };
}

export type { AuthApi } from './auth-api.ts';
export type { Authentication } from './authentication.ts';
export type { AuthGate } from './gate.ts';
export { type Caller, clientIp, requireNamespaceAccess, runAs } from './request-identity.ts';
export { type Surface, serviceOfGrpcPath, surfaceOfPath, surfaceOfService } from './surfaces.ts';
