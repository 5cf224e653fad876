import type { GetAuthorizationTokenCommandOutput } from '@aws-sdk/client-ecr';
import type { RegistryCredentials } from './registry-client.ts';

// `storage.oci.authentication.type: aws-ecr`: the registry password is a token from ECR's
// GetAuthorizationToken, signed with whatever AWS's credential chain finds (env, profile,
// instance or pod role). AWS's SDK is loaded only when this is configured.

/** Registry credentials that may change over time; `expiresAt` (ms) says when to ask again. */
export type CredentialProvider = () => Promise<RegistryCredentials & { expiresAt?: number }>;

const REQUEST_TIMEOUT_MS = 20_000;
/** Asked again this long before expiry (at most a tenth of the token's life, so short ones work). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`: the region is part of the host. */
export function ecrRegionOf(registry: string): string | undefined {
  return /^[^.]+\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$/.exec(registry)?.[1];
}

export function ecrCredentials(registry: string): CredentialProvider {
  let cached: { credentials: RegistryCredentials; refreshAt: number } | undefined;
  let inFlight: Promise<RegistryCredentials & { expiresAt: number }> | undefined;

  async function fetchToken(): Promise<RegistryCredentials & { expiresAt: number }> {
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const region = ecrRegionOf(registry);
    const client = new ECRClient({
      ...(region ? { region } : {}),
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: 10_000 },
      maxAttempts: 2,
    });
    let answer: GetAuthorizationTokenCommandOutput;
    try {
      answer = await client.send(new GetAuthorizationTokenCommand({}), {
        abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`aws-ecr: GetAuthorizationToken failed for ${registry}: ${(error as Error).message}`);
    } finally {
      client.destroy();
    }
    const data = answer.authorizationData?.[0];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new Error(`aws-ecr: GetAuthorizationToken for ${registry} returned no usable token`);
    // Without an expiry ECR's documented 12 hours apply.
    const expiresAt = data?.expiresAt?.getTime() ?? Date.now() + 12 * 3_600_000;
    const now = Date.now();
    const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, expiresAt - now) / 10);
    const credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    cached = { credentials, refreshAt: expiresAt - margin };
    return { ...credentials, expiresAt: cached.refreshAt };
  }

  return async () => {
    if (cached && Date.now() < cached.refreshAt)
      return { ...cached.credentials, expiresAt: cached.refreshAt };
    // Concurrent requests share one token request.
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
