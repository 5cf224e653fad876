import { rmSync } from 'node:fs';
import { EdgeRuntime, runServer } from 'edge-runtime';
import { bundleWorker } from './support/bundle.ts';
import { edgeConformance } from './support/conformance.ts';

// Vercel's edge runtime, from npm: the bundled handler as a fetch-event script inside its VM
// (the same sandbox `vercel dev` and Next.js middleware use), served by its own HTTP server.
edgeConformance('edge-runtime (Vercel)', false, async (config) => {
  const options = {
    origin: config.origin,
    token: config.originToken,
    refreshMs: config.refreshMs,
    authentication: { tokens: [config.callerToken] },
  };
  const bundle = await bundleWorker(
    `
import { createEdgeHandler } from '@ensign/edge';
const handler = createEdgeHandler(${JSON.stringify(options)});
addEventListener('fetch', (event) => event.respondWith(handler.fetch(event.request, {}, event)));
`,
    'iife',
  );
  const runtime = new EdgeRuntime({ initialCode: bundle.code });
  const server = await runServer({ runtime, port: 0, host: '127.0.0.1' });
  return {
    url: server.url.replace(/\/$/, ''),
    async close() {
      await server.close();
      rmSync(bundle.dir, { recursive: true, force: true });
    },
  };
});
