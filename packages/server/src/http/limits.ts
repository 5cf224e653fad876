import type { ServerOptions } from 'node:http';
import type { ServerLimits } from '../config/types.ts';

// Every connection a client opens has an end: a request head must arrive within the headers
// timeout, the whole request within the request timeout, and a keep-alive connection may sit idle
// only so long. Node's own defaults (60 s, 300 s, checked every 30 s) let a few hundred slow or
// silent clients hold a server's sockets for minutes.

/** Options for a node:http server (the REST port, and HTTP/1.1 on the gRPC port). */
export function httpServerOptions(limits: ServerLimits): ServerOptions {
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    // How often those deadlines are checked; Node's 30 s would stretch a 10 s timeout to 40 s.
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
}
