import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EnsignClient, type SnapshotChange } from '@ensign/client';
import { defaultConfig } from '../../src/config/defaults.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { booleanFlagFile } from '../storage/helpers.ts';

// Two replicas behind a load balancer (a TCP forwarder that sends each new connection to the
// first replica that accepts it). When the first shuts down, a client streaming from it must be
// on the second at once, not after its reconnect backoff (15 to 30 s here).

const dir = mkdtempSync(join(tmpdir(), 'ensign-reconnect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function replica(name: string, enabled: boolean): Promise<RunningServer> {
  const flags = join(dir, name);
  mkdirSync(flags, { recursive: true });
  writeFileSync(join(flags, 'features.yml'), booleanFlagFile('banner', enabled));
  const config = defaultConfig();
  config.server = {
    ...config.server,
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    shutdownGracePeriodMs: 5000,
  };
  config.storage = { type: 'local', readOnly: true, local: { path: flags, pollIntervalMs: 60_000 } };
  return startServer(config, { logger: silentLogger() });
}

/** The load balancer: each connection goes to the first backend that accepts it. */
function forwarder(
  ports: readonly number[],
): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const attempt = (index: number): void => {
      if (index >= ports.length) return void client.destroy();
      const upstream = connect(ports[index]!, '127.0.0.1');
      upstream.once('error', () => attempt(index + 1));
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.removeAllListeners('error');
        const cut = () => {
          client.destroy();
          upstream.destroy();
        };
        upstream.on('error', cut);
        client.on('error', cut);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, server, sockets });
    }),
  );
}

describe('a streaming client when its server shuts down', () => {
  it('moves to another replica at once on the goaway event', async () => {
    const first = await replica('first', true);
    const second = await replica('second', false);
    const lb = await forwarder([first.port, second.port]);
    const client = await EnsignClient.init({
      url: `http://127.0.0.1:${lb.port}`,
      namespace: 'default',
      updateInterval: 3600,
      reconnectDelayMs: { initial: 30_000, max: 30_000 },
    });
    try {
      const deadline = Date.now() + 5000;
      while (!client.streaming && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(client.streaming, true, 'the client streams from the first replica');
      assert.equal(client.evaluateBoolean({ flagKey: 'banner', entityId: 'u', context: {} }).enabled, true);

      const changed = new Promise<SnapshotChange>((resolve) => client.onChange(resolve));
      const closedAt = performance.now();
      await first.close();
      const change = await Promise.race([
        changed,
        new Promise<undefined>((resolve) => setTimeout(resolve, 10_000, undefined)),
      ]);
      const tookMs = performance.now() - closedAt;
      assert.ok(change, 'the client picked up the second replica before its 15 s backoff');
      assert.equal(change.via, 'stream');
      assert.ok(tookMs < 10_000, `reconnected in ${tookMs.toFixed(0)} ms`);
      assert.equal(client.evaluateBoolean({ flagKey: 'banner', entityId: 'u', context: {} }).enabled, false);
    } finally {
      client.close();
      for (const socket of lb.sockets) socket.destroy();
      lb.server.close();
      await Promise.all([first.close(), second.close()]);
    }
  });
});
