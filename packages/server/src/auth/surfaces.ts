// Which part of the API a request is for, the unit Flipt's `authentication.exclude.*` and the
// namespace-scoped token rules speak in. REST paths and gRPC services map to the same surfaces,
// so both transports answer the same request the same way.

export type Surface =
  /** flipt.Flipt, /api/v1 (management and the legacy evaluate). */
  | 'management'
  /** flipt.evaluation.*, /evaluate/v1, the client snapshot and its change stream. */
  | 'evaluation'
  | 'ofrep'
  /** Token management and self: never excludable. */
  | 'auth'
  /** /meta: needs credentials whenever they are required. */
  | 'meta'
  /** Health, metrics, reflection, method listing, login flows, the UI. */
  | 'public';

export function surfaceOfPath(path: string): Surface {
  if (path.startsWith('/evaluate/v1/') || path.startsWith('/internal/v1/evaluation/')) return 'evaluation';
  if (path.startsWith('/api/v1/') || path === '/api/v1') return 'management';
  if (path.startsWith('/ofrep/')) return 'ofrep';
  if (path.startsWith('/meta/') || path === '/meta') return 'meta';
  if (path.startsWith('/auth/v1/')) {
    // Listing methods and the login flows (OIDC, GitHub, Kubernetes) happen before one has a token.
    if (path === '/auth/v1/method' || path.startsWith('/auth/v1/method/oidc/')) return 'public';
    if (path.startsWith('/auth/v1/method/github/') || path.startsWith('/auth/v1/method/kubernetes/'))
      return 'public';
    return 'auth';
  }
  return 'public';
}

const SERVICE_SURFACES: Readonly<Record<string, Surface>> = {
  'flipt.Flipt': 'management',
  'flipt.evaluation.EvaluationService': 'evaluation',
  'flipt.evaluation.DataService': 'evaluation',
  'flipt.ofrep.OFREPService': 'ofrep',
  'flipt.meta.MetadataService': 'meta',
  'flipt.auth.AuthenticationService': 'auth',
  'flipt.auth.AuthenticationMethodTokenService': 'auth',
};

/** `service` is the fully-qualified gRPC service name (`flipt.Flipt`). */
export function surfaceOfService(service: string): Surface {
  return SERVICE_SURFACES[service] ?? 'public';
}

/** `/flipt.Flipt/GetFlag` → `flipt.Flipt`. */
export function serviceOfGrpcPath(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}
