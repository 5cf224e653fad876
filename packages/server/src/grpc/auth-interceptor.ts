import type { Interceptor } from '@connectrpc/connect';
import { type Auth, runAs, surfaceOfService } from '../auth/index.ts';

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
    return runAs(identity, () => next(request));
  };
}
