import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../../node_modules/.bin/', import.meta.url));

/** s3rver (npm): a real S3-compatible server on 127.0.0.1, files in a temporary directory. */
export async function startS3(bucket: string) {
  // s3rver ships no type declarations; the slice used here is typed below.
  const moduleName = 's3rver';
  const { default: S3rver } = (await import(moduleName)) as {
    default: new (
      options: Record<string, unknown>,
    ) => { run(): Promise<{ port: number }>; close(): Promise<void> };
  };
  const directory = mkdtempSync(join(tmpdir(), 'ensign-s3rver-'));
  const create = (port: number) =>
    new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let server = create(0);
  const { port } = await server.run();
  let running = true;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Takes the server down; `start()` brings it back on the same port and files. */
    async stop() {
      if (running) await server.close();
      running = false;
    },
    async start() {
      server = create(port);
      await server.run();
      running = true;
    },
    async close() {
      if (running) await server.close();
      running = false;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Azurite (npm), Microsoft's Azure Storage emulator: blob service only, in memory, no telemetry. */
export async function startAzurite(): Promise<{
  endpoint: string;
  stop(): Promise<void>;
  close(): Promise<void>;
}> {
  const child: ChildProcess = spawn(
    join(BIN, 'azurite-blob'),
    [
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`azurite did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => reject(new Error(`azurite exited: ${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { endpoint: `http://127.0.0.1:${port}/devstoreaccount1`, stop, close: stop };
}

/** Azurite's documented development account. */
export const AZURITE_ACCOUNT = {
  AZURE_STORAGE_ACCOUNT: 'devstoreaccount1',
  AZURE_STORAGE_KEY:
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

/**
 * TEST DOUBLE of Google Cloud Storage's JSON API: no real GCS server runs here, so this
 * answers the two calls the SDK makes (list objects, download an object) from memory, the way
 * the documented API does. Reached through STORAGE_EMULATOR_HOST, which the SDK honours.
 */
export async function startGcsTestDouble(bucket: string) {
  const objects = new Map<string, { content: string; etag: string; generation: number }>();
  let generation = 1;
  let down = false;
  const server: Server = createServer((req, res) => {
    if (down) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 503, message: 'unavailable for the test' } }));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const list = new RegExp(`^(?:/storage/v1)?/b/${bucket}/o/?$`).exec(url.pathname);
    const one = new RegExp(`^(?:/download)?(?:/storage/v1)?/b/${bucket}/o/(.+)$`).exec(url.pathname);
    if (req.method === 'GET' && list) {
      const prefix = url.searchParams.get('prefix') ?? '';
      const items = [...objects]
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, object]) => ({
          kind: 'storage#object',
          bucket,
          name,
          etag: object.etag,
          generation: String(object.generation),
          size: String(Buffer.byteLength(object.content)),
        }));
      send(200, { kind: 'storage#objects', items });
      return;
    }
    if (req.method === 'GET' && one) {
      const name = decodeURIComponent(one[1]!);
      const object = objects.get(name);
      if (!object) {
        send(404, { error: { code: 404, message: `No such object: ${bucket}/${name}` } });
        return;
      }
      if (url.searchParams.get('alt') === 'media') {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'x-goog-generation': String(object.generation),
        });
        res.end(object.content);
        return;
      }
      send(200, { name, bucket, etag: object.etag, generation: String(object.generation) });
      return;
    }
    send(404, {
      error: { code: 404, message: `the test double does not answer ${req.method} ${url.pathname}` },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    setDown(value: boolean) {
      down = value;
    },
    put(name: string, content: string) {
      generation++;
      objects.set(name, { content, etag: createHash('md5').update(content).digest('base64'), generation });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
