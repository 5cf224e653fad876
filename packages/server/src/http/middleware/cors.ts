import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { CorsConfig } from '../../config/types.ts';

// CORS as Flipt configures it (docs/http-api.md): GET/POST/PUT/DELETE/OPTIONS, credentials,
// max-age 300, configured origins and headers. We also expose ETag (client SDKs in browsers
// read it) and always allow the headers Flipt's clients send, which would otherwise fail the
// preflight (docs/ofrep.md).

const ALWAYS_ALLOWED = [
  'If-None-Match',
  'X-Flipt-Namespace',
  'X-Flipt-Environment',
  'X-Flipt-Accept-Server-Version',
];

export function corsMiddleware(config: CorsConfig): MiddlewareHandler {
  const anyOrigin = config.allowedOrigins.length === 0 || config.allowedOrigins.includes('*');
  const origins = new Set(config.allowedOrigins);
  const headers = [...new Set([...config.allowedHeaders, ...ALWAYS_ALLOWED])];
  return cors({
    // With credentials a literal `*` is refused by browsers, so the origin is echoed instead.
    origin: (origin) => (anyOrigin || origins.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: headers,
    exposeHeaders: ['Link', 'ETag'],
    credentials: true,
    maxAge: 300,
  });
}
