// Declarative sources side by side: (a) time from a push (file write, git commit + push, bundle
// push, S3 upload) to a connected @ensign/client holding the change, at a 1 s poll interval, the
// server in a child process;
// (b) start-up time and memory of `ensign server` on each backend against local storage, with
// the same feature files. Real servers throughout: git http-backend, docker-registry, s3rver.
//
//   npx node bench/sources.ts [--pushes 20] [--rounds 5]

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EnsignClient } from '@ensign/client';
import { readonlyStyleFiles } from '../packages/core/test/datasets/readonly-style.ts';
import { packDirectory, storeBundle } from '../packages/server/src/storage/oci/bundle.ts';
import { RegistryClient } from '../packages/server/src/storage/oci/registry-client.ts';
import { startGitRemote } from '../packages/server/test/storage/git-server.ts';
import { startS3 } from '../packages/server/test/storage/object-servers.ts';
import { freePort, startRegistry } from '../packages/server/test/storage/oci-registry.ts';
import { option } from './lib/options.ts';

const PUSHES = option('--pushes', 20);
const ROUNDS = option('--rounds', 5);
const MAIN = fileURLToPath(new URL('../packages/server/src/cli/main.ts', import.meta.url));

const flagFile = (enabled: boolean, n: number) =>
  `version: "1.4"\nnamespace: bench\nflags:\n  - key: pushed\n    name: pushed ${n}\n    type: BOOLEAN_FLAG_TYPE\n    enabled: ${enabled}\n`;

/** Writes the dataset (readonly-style namespaces plus the pushed flag) into a directory. */
function writeDataset(dir: string, n: number): Record<string, string> {
  const files: Record<string, string> = { 'bench.features.yml': flagFile(n % 2 === 0, n) };
  for (const file of readonlyStyleFiles()) {
    if (file.path === '.flipt.yml') continue;
    files[file.path.replace(/\.yaml$/, '.features.yaml')] = file.content;
  }
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return files;
}

interface Backend {
  name: string;
  /** The `storage` section of config.yml. */
  storage: Record<string, unknown>;
  /** Publishes version `n` of the data the way a user would. */
  push(n: number): Promise<void>;
  env?: Record<string, string>;
}

async function backends(work: string): Promise<{ list: Backend[]; close(): Promise<void> }> {
  const closers: (() => Promise<unknown>)[] = [];
  writeDataset(work, 0);

  const local = mkdtempSync(join(tmpdir(), 'ensign-bench-local-'));
  closers.push(async () => rmSync(local, { recursive: true, force: true }));
  writeDataset(local, 0);

  const git = await startGitRemote();
  closers.push(() => git.close());
  const commitAll = (n: number) => {
    const files = writeDataset(work, n);
    git.commit(files, { message: `version ${n}` });
  };
  commitAll(0);

  const registry = await startRegistry();
  closers.push(() => registry.close());
  const registryClient = new RegistryClient({
    scheme: 'http',
    registry: registry.host,
    repository: 'bench/flags',
  });
  const pushBundle = async (n: number) => {
    writeDataset(work, n);
    await storeBundle(await packDirectory(work, '1.1'), registryClient, 'latest');
  };
  await pushBundle(0);

  const s3 = await startS3('flags');
  closers.push(() => s3.close());
  const s3env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  Object.assign(process.env, s3env);
  const s3client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const upload = async (n: number, all: boolean) => {
    const files = writeDataset(work, n);
    for (const [key, body] of Object.entries(files)) {
      if (all || key === 'bench.features.yml') {
        await s3client.send(new PutObjectCommand({ Bucket: 'flags', Key: `env/${key}`, Body: body }));
      }
    }
  };
  await upload(0, true);

  const list: Backend[] = [
    {
      name: 'local (file events on)',
      storage: { type: 'local', local: { path: local, poll_interval: '1s' } },
      push: async (n) => writeFileSync(join(local, 'bench.features.yml'), flagFile(n % 2 === 0, n)),
    },
    {
      name: 'git (http-backend)',
      storage: { type: 'git', git: { repository: git.url, poll_interval: '1s' } },
      push: async (n) => commitAll(n),
    },
    {
      name: 'oci (docker-registry)',
      storage: {
        type: 'oci',
        oci: { repository: `http://${registry.host}/bench/flags:latest`, poll_interval: '1s' },
      },
      push: pushBundle,
    },
    {
      name: 'object s3 (s3rver)',
      storage: {
        type: 'object',
        object: {
          type: 's3',
          s3: { bucket: 'flags', prefix: 'env', endpoint: s3.endpoint, poll_interval: '1s' },
        },
      },
      push: (n) => upload(n, false),
      env: s3env,
    },
  ];
  return {
    list,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

interface SpawnedServer {
  url: string;
  /** ms from spawn to /health answering 200. */
  readyMs: number;
  /** RSS when ready. */
  rssMb: number;
  stop(): Promise<void>;
}

/**
 * `ensign server --config …` as a child process, so nothing the bench does in its own process
 * (building a bundle, a synchronous `git commit`) stalls the server's poll timer and shifts
 * where a push lands in the poll cycle.
 */
async function spawnServer(backend: Backend, dir: string): Promise<SpawnedServer> {
  const port = await freePort();
  const configPath = join(dir, 'config.yml');
  writeFileSync(
    configPath,
    JSON.stringify({
      log: { level: 'error' },
      server: { host: '127.0.0.1', http_port: port, grpc_port: 0 },
      storage: backend.storage,
    }),
  );
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'server', '--config', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...backend.env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) }).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) {
        throw new Error(`${backend.name}: server exited with ${child.exitCode}: ${stderr.trim()}`);
      }
      if (performance.now() - started > 90_000) throw new Error(`${backend.name}: not ready in 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { url: `http://127.0.0.1:${port}`, readyMs, rssMb: rssKb / 1024, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** (a) push → client: each push lands at a random point of the poll cycle. */
async function pushLatency(backend: Backend, dir: string): Promise<number[]> {
  const server = await spawnServer(backend, dir);
  const client = await EnsignClient.init({ url: server.url, namespace: 'bench' });
  const latencies: number[] = [];
  try {
    for (let n = 1; n <= PUSHES; n++) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
      const changed = new Promise<number>((resolve) => {
        const off = client.onChange(() => {
          off();
          resolve(performance.now());
        });
      });
      // Timed from when the push is done (commit pushed, manifest tagged, object stored).
      await backend.push(n);
      const started = performance.now();
      const timeout = new Promise<number>((_, reject) =>
        setTimeout(
          () => reject(new Error(`${backend.name}: push ${n} not seen within 15 s`)),
          15_000,
        ).unref(),
      );
      latencies.push((await Promise.race([changed, timeout])) - started);
      const expected = n % 2 === 0;
      const seen = client.evaluateBoolean({ flagKey: 'pushed', entityId: 'u', context: {} }).enabled;
      if (seen !== expected) throw new Error(`${backend.name}: client holds ${seen} after push ${n}`);
    }
  } finally {
    client.close();
    await server.stop();
  }
  return latencies;
}

/** (b) one cold start of `ensign server`: ms to a SERVING /health, and RSS then. */
async function coldStart(backend: Backend, dir: string): Promise<{ ms: number; rssMb: number }> {
  const server = await spawnServer(backend, dir);
  await server.stop();
  return { ms: server.readyMs, rssMb: server.rssMb };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'ensign-bench-work-'));
  const { list, close } = await backends(work);
  try {
    console.log(`(a) push → connected client, poll interval 1 s, ${PUSHES} pushes each`);
    console.log('| backend | p50 | p99 |\n| --- | ---: | ---: |');
    for (const backend of list) {
      const latencies = await pushLatency(backend, work);
      console.log(
        `| ${backend.name} | ${percentile(latencies, 50).toFixed(0)} ms | ${percentile(latencies, 99).toFixed(0)} ms |`,
      );
    }

    console.log(
      `\n(b) cold start of ensign server, median of ${ROUNDS} rounds (backends alternate within a round)`,
    );
    const results = new Map<string, { ms: number[]; rss: number[] }>(
      list.map((b) => [b.name, { ms: [], rss: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? list : [...list].reverse();
      for (const backend of order) {
        const { ms, rssMb } = await coldStart(backend, work);
        results.get(backend.name)!.ms.push(ms);
        results.get(backend.name)!.rss.push(rssMb);
      }
    }
    const base = results.get(list[0]!.name)!;
    console.log('| backend | ready | vs local | RSS | vs local |\n| --- | ---: | ---: | ---: | ---: |');
    for (const backend of list) {
      const r = results.get(backend.name)!;
      console.log(
        `| ${backend.name} | ${median(r.ms).toFixed(0)} ms | ${(median(r.ms) / median(base.ms)).toFixed(2)}x | ${median(r.rss).toFixed(0)} MB | ${(median(r.rss) / median(base.rss)).toFixed(2)}x |`,
      );
    }
  } finally {
    await close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
