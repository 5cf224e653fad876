import { type BlobStore, digestOf, verified } from './blob-store.ts';
import type { CredentialProvider } from './ecr-credentials.ts';
import { OCI_INDEX, OCI_MANIFEST } from './media-types.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  scheme: 'https' | 'http';
  registry: string;
  repository: string;
  /** Fixed credentials, or a provider of expiring ones (aws-ecr). */
  credentials?: RegistryCredentials | CredentialProvider;
  /** Each request fails after this long (default 20 s). */
  timeoutMs?: number;
}

const MANIFEST_ACCEPT = [
  OCI_MANIFEST,
  OCI_INDEX,
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** An error answer from a registry, with the registry's own words when it gave some. */
export class RegistryError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
  }
}

/**
 * A small client of the OCI distribution API over fetch: manifests and blobs, pull and push,
 * with basic auth and the bearer-token dance registries use (challenge → token → retry).
 */
export class RegistryClient implements BlobStore {
  readonly #base: string;
  readonly #options: RegistryClientOptions;
  /** The Authorization header that last worked, reused until the registry challenges again. */
  #authorization: string | undefined;
  /** When the credentials behind `#authorization` expire (ms); past it, they are asked for again. */
  #authorizationExpiresAt = Number.POSITIVE_INFINITY;

  constructor(options: RegistryClientOptions) {
    this.#options = options;
    this.#base = `${options.scheme}://${options.registry}/v2/${options.repository}`;
  }

  get location(): string {
    return `${this.#options.scheme}://${this.#options.registry}/${this.#options.repository}`;
  }

  async digestOf(tag: string): Promise<string> {
    const res = await this.#request('HEAD', `/manifests/${tag}`, { accept: MANIFEST_ACCEPT });
    const digest = res.headers.get('docker-content-digest');
    if (digest) return digest;
    // Some registries leave the header off HEAD answers: the manifest itself then tells.
    return (await this.manifest(tag)).digest;
  }

  async manifest(reference: string): Promise<{ digest: string; bytes: Uint8Array; mediaType: string }> {
    const res = await this.#request('GET', `/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (reference.startsWith('sha256:')) verified(reference, bytes);
    const digest = digestOf(bytes);
    const mediaType = (res.headers.get('content-type') ?? OCI_MANIFEST).split(';')[0]!.trim();
    return { digest, bytes, mediaType };
  }

  async blob(digest: string): Promise<Uint8Array> {
    const res = await this.#request('GET', `/blobs/${digest}`);
    return verified(digest, new Uint8Array(await res.arrayBuffer()));
  }

  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.#request('HEAD', `/blobs/${digest}`, {}, [404]);
    return res.status !== 404;
  }

  async putBlob(digest: string, bytes: Uint8Array): Promise<void> {
    if (await this.hasBlob(digest)) return;
    const started = await this.#request('POST', '/blobs/uploads/', { 'content-length': '0' });
    const location = started.headers.get('location');
    if (!location) throw new RegistryError(started.status, 'the registry gave no upload location');
    const url = new URL(location, this.#base);
    url.searchParams.set('digest', digest);
    await this.#request('PUT', url.toString(), { 'content-type': 'application/octet-stream' }, [], bytes);
  }

  async putManifest(tag: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    await this.#request('PUT', `/manifests/${tag}`, { 'content-type': mediaType }, [], bytes);
    return digestOf(bytes);
  }

  async #request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    allowed: number[] = [],
    body?: Uint8Array,
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : this.#base + path;
    const send = (authorization: string | undefined) =>
      fetch(url, {
        method,
        headers: { ...headers, ...(authorization ? { authorization } : {}) },
        ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 20_000),
      });
    if (Date.now() >= this.#authorizationExpiresAt) this.#authorization = undefined;
    let res = await send(this.#authorization);
    if (res.status === 401) {
      await res.body?.cancel();
      this.#authorization = await this.#answerChallenge(res.headers.get('www-authenticate') ?? '');
      res = await send(this.#authorization);
    }
    if (res.ok || allowed.includes(res.status)) return res;
    throw new RegistryError(res.status, await describeFailure(method, url, res));
  }

  async #answerChallenge(challenge: string): Promise<string> {
    const given = this.#options.credentials;
    const credentials = typeof given === 'function' ? await given() : given;
    const expiresAt = (credentials as { expiresAt?: number } | undefined)?.expiresAt;
    this.#authorizationExpiresAt = expiresAt ?? Number.POSITIVE_INFINITY;
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new RegistryError(401, `${this.location} requires a username and password`);
      return basic;
    }
    const bearer = /^bearer\s+(.*)$/i.exec(challenge);
    if (!bearer) throw new RegistryError(401, `${this.location} refused the request (401)`);
    const params = Object.fromEntries(
      [...bearer[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
    );
    if (!params['realm'])
      throw new RegistryError(401, `${this.location} sent a bearer challenge without a realm`);
    const tokenUrl = new URL(params['realm']);
    if (params['service']) tokenUrl.searchParams.set('service', params['service']);
    if (params['scope']) tokenUrl.searchParams.set('scope', params['scope']);
    const res = await fetch(tokenUrl, {
      headers: basic ? { authorization: basic } : {},
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 20_000),
    });
    if (!res.ok) throw new RegistryError(res.status, `token service ${tokenUrl.host} refused: ${res.status}`);
    const answer = (await res.json()) as { token?: string; access_token?: string };
    const token = answer.token ?? answer.access_token;
    if (!token) throw new RegistryError(401, `token service ${tokenUrl.host} gave no token`);
    return `Bearer ${token}`;
  }
}

async function describeFailure(method: string, url: string, res: Response): Promise<string> {
  let detail = '';
  try {
    const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
    detail = (body.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    // Not the registry's JSON error shape: the status says enough.
  }
  const where = new URL(url);
  return `${method} ${where.host}${where.pathname}: ${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`;
}
