import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.ts';
import type { HttpDeps } from './deps.ts';
import type { CreateAppOptions } from './http-deps.ts';

/** Every HTTP route through Hono, as a node:http listener (node-listener.ts loads it on demand). */
export function honoListener(options: CreateAppOptions, deps: HttpDeps): RequestListener {
  const listener = getRequestListener(createApp(options, deps).fetch);
  return (req, res) => {
    // HTTP/1.0 clients such as load balancers' health probes send no Host header; the web
    // Request handed to Hono needs one, and the routes never read it.
    if (req.headers.host === undefined) req.headers.host = 'localhost';
    return listener(req, res);
  };
}
