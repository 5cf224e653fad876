import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEdgeHandler } from '../src/index.ts';
import { edgeConformance } from './support/conformance.ts';

// The handler in this Node process, behind a real HTTP listener.
edgeConformance('Node', true, async (config) => {
  const handler = createEdgeHandler({
    origin: config.origin,
    token: config.originToken,
    refreshMs: config.refreshMs,
    authentication: { tokens: [config.callerToken] },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => handler.fetch(request), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      handler.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
});
