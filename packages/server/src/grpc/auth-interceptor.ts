import type { Interceptor } from '@connectrpc/connect';
import { type Auth, clientIp, runAs, surfaceOfService } from '../auth/index.ts';

// The gRPC gate for what Connect serves (gRPC-Web, Connect, streaming, compressed calls); the
// raw HTTP/2 fast path calls the same gate itself. Cookies are a browser's REST credential only.

export function authInterceptor(auth: Auth): Interceptor {
  return (next) => async (request) => {
    const surface = surfaceOfService(request.service.typeName);
    const identity = await auth.gate.authenticate(
      surface,
      (name) => request.header.get(name) ?? undefined,
      false,
    );
    // Connect does not expose the peer here: a proxy's X-Forwarded-For is all there is.
    const ip = clientIp(request.header.get('x-forwarded-for') ?? undefined, undefined);
    return runAs({ identity, ip }, () => next(request));
  };
}
