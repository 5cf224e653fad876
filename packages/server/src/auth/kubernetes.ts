import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { EnsignError } from '@ensign/core';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import type { AuthenticationConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { unauthenticated } from './authentication.ts';

// Verifies Kubernetes service-account tokens the way Flipt does: the cluster's OIDC discovery
// document (at discovery_url, over TLS trusting ca_path, asked with this pod's own service-account
// token) names the issuer and the JWKS; a token must be signed by one of those keys, come from
// that issuer and not be expired. Kubernetes serves a discovery issuer that differs from the
// discovery URL, so the issuer is taken from the document, not compared with the URL.
// Discovery happens on first use and again when a token names an unknown key, never at start:
// a cluster API that is briefly down must not stop the server.

export type KubernetesConfig = AuthenticationConfig['methods']['kubernetes'];

/** Metadata keys Flipt writes on Kubernetes authentications. */
export const K8S_NAMESPACE = 'io.flipt.auth.k8s.namespace';
export const K8S_POD_NAME = 'io.flipt.auth.k8s.pod.name';
export const K8S_POD_UID = 'io.flipt.auth.k8s.pod.uid';
export const K8S_SERVICE_ACCOUNT_NAME = 'io.flipt.auth.k8s.serviceaccount.name';
export const K8S_SERVICE_ACCOUNT_UID = 'io.flipt.auth.k8s.serviceaccount.uid';

export interface ServiceAccount {
  expiresAt: string;
  metadata: Record<string, string>;
}

export type ServiceAccountVerifier = (token: string) => Promise<ServiceAccount>;

const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** At most one re-discovery this often, however many unknown keys arrive. */
const REFRESH_COOLDOWN_MS = 5_000;
const CLOCK_TOLERANCE_S = 5;

interface Discovery {
  issuer: string;
  keys: ReturnType<typeof createLocalJWKSet>;
  algorithms: string[];
  fetchedAt: number;
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(
      `authentication.methods.kubernetes.ca_path ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
}

/** GET a JSON document over HTTPS, trusting only the cluster CA; bounded in time and size. */
function getJson(url: string, ca: Buffer, bearer: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca,
        headers: { accept: 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        timeout: FETCH_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DOCUMENT_BYTES) req.destroy(new Error(`${url}: document too large`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${url}: status ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error(`${url}: not JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${FETCH_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The `kubernetes.io` claim of a projected service-account token, as Flipt's metadata. */
export function metadataOfServiceAccount(claims: JWTPayload): Record<string, string> {
  const identity = (claims['kubernetes.io'] ?? {}) as Record<string, unknown>;
  const pod = (identity['pod'] ?? {}) as Record<string, unknown>;
  const account = (identity['serviceaccount'] ?? {}) as Record<string, unknown>;
  return {
    [K8S_NAMESPACE]: text(identity['namespace']),
    [K8S_POD_NAME]: text(pod['name']),
    [K8S_POD_UID]: text(pod['uid']),
    [K8S_SERVICE_ACCOUNT_NAME]: text(account['name']),
    [K8S_SERVICE_ACCOUNT_UID]: text(account['uid']),
  };
}

export function createKubernetesVerifier(config: KubernetesConfig, logger: Logger): ServiceAccountVerifier {
  const ca = readCa(config.caPath);
  // Re-read on every discovery: Kubernetes rotates the projected token file.
  const ownToken = (): string | undefined => {
    try {
      return readFileSync(config.serviceAccountTokenPath, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  };
  let current: Discovery | undefined;
  let pending: Promise<Discovery> | undefined;

  const discover = async (): Promise<Discovery> => {
    const base = config.discoveryUrl.replace(/\/+$/, '');
    const bearer = ownToken();
    const document = (await getJson(`${base}/.well-known/openid-configuration`, ca, bearer)) as Record<
      string,
      unknown
    >;
    const issuer = text(document['issuer']);
    const jwksUri = text(document['jwks_uri']);
    if (!issuer || !/^https:\/\//.test(jwksUri))
      throw new Error(`${base}: discovery names no issuer or https jwks_uri`);
    const jwks = (await getJson(jwksUri, ca, bearer)) as JSONWebKeySet;
    const advertised = document['id_token_signing_alg_values_supported'];
    return {
      issuer,
      keys: createLocalJWKSet(jwks),
      algorithms: Array.isArray(advertised) && advertised.length > 0 ? advertised.map(String) : ['RS256'],
      fetchedAt: Date.now(),
    };
  };

  /** One discovery at a time; a failure is a 503, not a wrong credential. */
  const discovery = async (refresh: boolean): Promise<Discovery> => {
    if (current && !(refresh && Date.now() - current.fetchedAt > REFRESH_COOLDOWN_MS)) return current;
    pending ??= discover().finally(() => {
      pending = undefined;
    });
    try {
      current = await pending;
      return current;
    } catch (error) {
      logger.warn({ err: error }, 'kubernetes OIDC discovery failed');
      if (current) return current;
      throw new EnsignError('unavailable', 'the Kubernetes API could not be reached to verify the token');
    }
  };

  const verifyWith = async (found: Discovery, token: string): Promise<JWTPayload> => {
    const { payload } = await jwtVerify(token, found.keys, {
      issuer: found.issuer,
      algorithms: found.algorithms,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
      ...(config.audiences.length > 0 ? { audience: config.audiences } : {}),
    });
    return payload;
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verifyWith(await discovery(false), token);
    } catch (error) {
      if (error instanceof EnsignError) throw error;
      // A key the cached set lacks may be a rotation: look again, once per cooldown.
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw unauthenticated();
      try {
        payload = await verifyWith(await discovery(true), token);
      } catch (again) {
        if (again instanceof EnsignError) throw again;
        throw unauthenticated();
      }
    }
    return {
      expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(),
      metadata: metadataOfServiceAccount(payload),
    };
  };
}
