import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../server/src/config/index.ts';
import { createNodeListener } from '../../../server/src/http/node-listener.ts';
import { silentLogger } from '../../../server/src/observability/logger.ts';
import { createLocalSource, type LocalSource } from '../../../server/src/storage/local/index.ts';
import { type GeneratedData, generateFeatures } from './generated-features.ts';

// A real Ensign origin for the edge tests: the server's node:http listener over local storage
// in a temp directory, on 127.0.0.1 with an ephemeral port. The server has no token
// authentication yet, so a gate in front of it stands in for one: it answers Flipt's 401 unless
// the request carries ORIGIN_TOKEN, which proves the edge forwards it.

export const ORIGIN_TOKEN = 'origin-secret';

export interface Origin {
  url: string;
  data: GeneratedData;
  /** Replaces the data with another generation and waits until the origin serves it. */
  change(generation: number): Promise<void>;
  /** Stops answering (connections refused); the data stays. */
  stop(): Promise<void>;
  /** Requests that reached the origin, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startOrigin(seed = 1, flags = 40): Promise<Origin> {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-edge-origin-'));
  let data = generateFeatures(seed, flags);
  writeFileSync(join(dir, 'features.yml'), data.text);
  const source: LocalSource = createLocalSource(
    { path: dir, pollIntervalMs: 60_000, debounceMs: 10 },
    silentLogger(),
  );
  await source.start();
  const listener = createNodeListener({
    source,
    config: defaultConfig(),
    logger: silentLogger(),
    stream: { heartbeatMs: 1000 },
  });
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.headers.authorization !== `Bearer ${ORIGIN_TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"code":16,"message":"request was not authenticated","details":[]}');
      return;
    }
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    get data() {
      return data;
    },
    hits,
    async change(generation) {
      data = generateFeatures(seed, flags, generation);
      writeFileSync(join(dir, 'features.yml'), data.text);
      await source.refresh();
    },
    stop,
    async close() {
      await stop();
      await source.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
