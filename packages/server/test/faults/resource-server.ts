// The server under test in resources.test.ts, in its own process: the clients holding
// connections open must not share its event loop, and its memory must be its own. It reports
// its ports, and on request its retained memory after a full garbage collection.
// Started with --expose-gc; the limits arrive as JSON in argv.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { ServerLimits } from '../../src/config/types.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';

const limits = JSON.parse(process.argv[2]!) as ServerLimits;
const { config } = loadConfig({ env: {} });
config.server.host = '127.0.0.1';
config.server.httpPort = 0;
config.server.grpcPort = 0;
config.db.url = `file:${join(mkdtempSync(join(tmpdir(), 'ensign-resources-')), 'flags.db')}`;
config.server.limits = limits;
const server = await startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 500 });

const gc = (globalThis as { gc?: () => void }).gc!;
process.on('message', (message: string) => {
  if (message === 'memory') {
    gc();
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    process.send!({ memory: heapUsed + arrayBuffers });
  }
  if (message === 'stop') void server.close().then(() => process.exit(0));
});
process.send!({ url: server.url, port: server.port, grpcPort: server.grpcPort });
