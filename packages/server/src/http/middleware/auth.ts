import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { SESSION_COOKIE } from '../../auth/credentials.ts';
import { createCsrfCheck } from '../../auth/csrf.ts';
import { type Auth, type Authentication, clientIp, runAs, surfaceOfPath } from '../../auth/index.ts';
import { clearedSessionCookie } from '../../auth/session-cookies.ts';
import type { AuthenticationConfig } from '../../config/types.ts';
import { classifyError, ofrepErrorBody } from '../../errors/mapping.ts';
import { routingPath } from '../paths.ts';
import { fliptError } from '../respond.ts';

// The REST gate for every route Hono serves (the node:http fast path calls the same gate
// itself). It runs after CORS, so preflights and error answers carry CORS headers.

export function authMiddleware(auth: Auth, config: AuthenticationConfig): MiddlewareHandler {
  const csrf = config.session.csrf.key ? createCsrfCheck(config.session.csrf.trustedOrigins) : undefined;
  return async (c, next) => {
    const header = (name: string) => c.req.header(name);
    const surface = surfaceOfPath(routingPath(c.req.raw));
    let identity: Authentication | undefined;
    try {
      csrf?.(c.req.method, header);
      identity = await auth.gate.authenticate(surface, header, true);
    } catch (error) {
      const classified = classifyError(error);
      // OFREP clients read OFREP's error body, also for credential problems.
      if (surface === 'ofrep' && classified.expected)
        return c.json(ofrepErrorBody(classified), classified.httpStatus as 401);
      // A session cookie the server no longer accepts (expired, logged out elsewhere) is dropped,
      // as Flipt does, so the browser stops sending it and the UI shows its login page.
      if (
        classified.httpStatus === 401 &&
        !header('authorization') &&
        header('cookie')?.includes(SESSION_COOKIE)
      ) {
        const response = fliptError(c, classified.httpStatus, classified.grpcCode, classified.message);
        response.headers.append('set-cookie', clearedSessionCookie(config.session));
        return response;
      }
      throw error;
    }
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    await runAs({ identity, ip: clientIp(header('x-forwarded-for'), incoming?.socket.remoteAddress) }, next);
  };
}
