import { authenticate } from './http/caller-auth.ts';
import { fliptErrorResponse, jsonResponse, wantsPretty } from './http/respond.ts';
import { createRoutes, type Router } from './http/routes.ts';
import { type EdgeOptionsInput, type ResolvedOptions, resolveOptions } from './options.ts';
import { OriginSync } from './sync/origin-sync.ts';

// The module-worker object: `export default createEdgeHandler({...})` on Workers, or its `fetch`
// handed to Deno.serve, Bun.serve, Node or Vercel's edge runtime. Options resolve on the first
// request because Workers hand bindings (KV, secrets) to fetch, not to the module.

/** The part of a Workers ExecutionContext (or Vercel's event) used here. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface EdgeHandler {
  fetch(request: Request, env?: unknown, ctx?: WaitUntilContext): Promise<Response>;
  /** Closes the origin change streams; the handler keeps answering from what it holds. */
  close(): void;
}

/** Present on every answer given while the origin cannot be reached: seconds since it last could. */
export const STALE_HEADER = 'x-ensign-stale';

interface Instance {
  options: ResolvedOptions;
  sync: OriginSync;
  router: Router;
}

function instanceOf(options: ResolvedOptions): Instance {
  const sync = new OriginSync(options);
  const router = createRoutes({ current: () => sync.snapshot }, options.bodyLimit, (table) => {
    // The change stream is relayed from the origin, so the `eventStreams` OFREP advertises and
    // the stream the client SDK looks for work through the edge too.
    table.pattern('GET', /^\/internal\/v1\/evaluation\/snapshot\/namespace\/([^/]+)\/stream$/, (c, key) => {
      const headers: Record<string, string> = { ...options.originHeaders, accept: 'text/event-stream' };
      const last = c.request.headers.get('last-event-id');
      if (last) headers['last-event-id'] = last;
      const url = `${options.origin}/internal/v1/evaluation/snapshot/namespace/${encodeURIComponent(key)}/stream`;
      return fetch(url, { headers, signal: c.request.signal });
    });
  });
  return { options, sync, router };
}

function health(sync: OriginSync, pretty: boolean): Response {
  const status = sync.status();
  const serving = status.state !== 'starting';
  return jsonResponse(
    { status: serving ? 'SERVING' : 'NOT_SERVING', storage: { type: 'origin', ...status } },
    pretty,
    serving ? 200 : 503,
  );
}

export function createEdgeHandler(input: EdgeOptionsInput): EdgeHandler {
  let instance: Instance | undefined;

  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      const pretty = wantsPretty(request, url);
      try {
        instance ??= instanceOf(resolveOptions(typeof input === 'function' ? input(env) : input));
      } catch (error) {
        // A configuration mistake: say what it is rather than a bare 500.
        return jsonResponse(
          { code: 13, message: String((error as Error).message ?? error), details: [] },
          pretty,
          500,
        );
      }
      const { options, sync, router } = instance;
      const waitUntil = ctx ? (promise: Promise<unknown>) => ctx.waitUntil(promise) : undefined;
      let response: Response;
      try {
        if (options.tokens && url.pathname !== '/health') authenticate(request, options.tokens);
        await sync.prepare(waitUntil);
        response =
          url.pathname === '/health' ? health(sync, pretty) : await router.handle({ request, url, pretty });
      } catch (error) {
        response = fliptErrorResponse(error, pretty);
      }
      const stale = sync.staleSeconds();
      if (stale !== undefined) {
        // Responses from fetch (the relayed stream) have immutable headers.
        try {
          response.headers.set(STALE_HEADER, String(stale));
        } catch {}
      }
      return response;
    },

    close() {
      instance?.sync.close();
    },
  };
}
