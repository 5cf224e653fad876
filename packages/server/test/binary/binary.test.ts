import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type Engine, mysqlServerEngine, postgresEngine, type TestDatabase } from '../database/engines.ts';
import { unaryClient } from '../grpc/support/grpc-client.ts';
import { freePort, waitUntil } from '../ha/cluster.ts';
import { startGitRemote } from '../storage/git-server.ts';
import { booleanFlagFile } from '../storage/helpers.ts';
import { AZURITE_ACCOUNT, startAzurite, startGcsTestDouble, startS3 } from '../storage/object-servers.ts';
import { ensignBinary } from '../support/binary.ts';
import { assertServesBuiltUi } from '../support/built-ui.ts';

// The single executable: built by `npm run build:binary`, copied into a folder with no
// node_modules anywhere above it, run with an empty environment apart from its configuration,
// and driven like a user would: evaluate, write, snapshot, change stream and gRPC, on the
// embedded default (with its web UI), on local files, on PostgreSQL and MariaDB, and on a git
// repository and S3, Azure Blob and Google Cloud Storage (whose SDKs the executable carries as
// assets of their own, compiled on first use).

const json = { 'content-type': 'application/json' };
let dir: string;
let binary: string;

before(async () => {
  binary = await ensignBinary();
  dir = dirname(binary);
});

interface Running {
  url: string;
  grpcPort: number;
  stop(): Promise<void>;
}

async function serve(env: Record<string, string>): Promise<Running> {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(binary, ['server'], {
    cwd: dir,
    env: {
      PATH: '/usr/bin:/bin',
      HOME: dir,
      ENSIGN_SERVER_HOST: '127.0.0.1',
      ENSIGN_SERVER_HTTP_PORT: String(httpPort),
      ENSIGN_SERVER_GRPC_PORT: String(grpcPort),
      ENSIGN_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${httpPort}`;
  await waitUntil(
    `the binary to be healthy\n${log}`,
    async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok,
    20_000,
  );
  return {
    url,
    grpcPort,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Write, evaluate, snapshot with ETag, change stream and gRPC against a writable server. */
async function smoke(server: Running): Promise<void> {
  const created = await post(`${server.url}/api/v1/namespaces/default/flags`, {
    key: 'smoke',
    name: 'Smoke',
    type: 'BOOLEAN_FLAG_TYPE',
    enabled: true,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  await waitUntil(
    'the new flag to evaluate',
    async () =>
      (await post(`${server.url}/evaluate/v1/boolean`, { flagKey: 'smoke', entityId: 'e' })).status === 200,
    5000,
  );
  const evaluation = await post(`${server.url}/evaluate/v1/boolean`, { flagKey: 'smoke', entityId: 'e' });
  assert.equal(evaluation.body['enabled'], true);
  assert.equal(evaluation.body['reason'], 'DEFAULT_EVALUATION_REASON');

  const snapshotUrl = `${server.url}/internal/v1/evaluation/snapshot/namespace/default`;
  const snapshot = await fetch(snapshotUrl);
  const etag = snapshot.headers.get('etag');
  assert.ok(etag);
  assert.ok(((await snapshot.json()) as { flags: { key: string }[] }).flags.some((f) => f.key === 'smoke'));
  assert.equal((await fetch(snapshotUrl, { headers: { 'If-None-Match': etag } })).status, 304);

  const stream = await fetch(`${snapshotUrl}/stream`, { signal: AbortSignal.timeout(5000) });
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, new RegExp(etag));
  await reader.cancel();

  const grpc = unaryClient(`127.0.0.1:${server.grpcPort}`, 'flipt.evaluation.EvaluationService');
  try {
    const answer = await grpc['Boolean']!({ flagKey: 'smoke', entityId: 'e' });
    assert.equal(answer['enabled'], true);
  } finally {
    grpc.close();
  }
}

describe('the single executable', () => {
  test('reports its version without Node or node_modules around it', () => {
    const version = execFileSync(binary, ['--version'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
    }).toString();
    assert.match(version, /^ensign \d+\.\d+\.\d+/);
  });

  test('serves the embedded SQLite default', async () => {
    const server = await serve({});
    try {
      // Nothing beside the executable holds a copy of the UI: it comes from inside.
      await assertServesBuiltUi(server.url);
      await smoke(server);
    } finally {
      await server.stop();
    }
  });

  test('serves a directory of feature files (read-only)', async () => {
    const flags = join(dir, 'flags');
    mkdirSync(flags, { recursive: true });
    writeFileSync(
      join(flags, 'features.yml'),
      'namespace: default\nflags:\n  - key: banner\n    name: Banner\n    type: BOOLEAN_FLAG_TYPE\n    enabled: true\n',
    );
    const server = await serve({ ENSIGN_STORAGE_TYPE: 'local', ENSIGN_STORAGE_LOCAL_PATH: flags });
    try {
      const answer = await post(`${server.url}/evaluate/v1/boolean`, { flagKey: 'banner', entityId: 'e' });
      assert.equal(answer.body['enabled'], true);
      const write = await post(`${server.url}/api/v1/namespaces/default/flags`, { key: 'x', name: 'x' });
      assert.notEqual(write.status, 200, 'declarative storage is read-only');
    } finally {
      await server.stop();
    }
  });

  /** Serves `env` and evaluates the boolean flag `banner` (enabled) from it. */
  async function servesBanner(env: Record<string, string>): Promise<void> {
    const server = await serve(env);
    try {
      const answer = await post(`${server.url}/evaluate/v1/boolean`, { flagKey: 'banner', entityId: 'e' });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body['enabled'], true);
    } finally {
      await server.stop();
    }
  }

  test('serves a git repository, isomorphic-git carried inside', async () => {
    const remote = await startGitRemote();
    try {
      remote.commit({ 'features.yml': booleanFlagFile('banner', true) });
      await servesBanner({ ENSIGN_STORAGE_TYPE: 'git', ENSIGN_STORAGE_GIT_REPOSITORY: remote.url });
    } finally {
      await remote.close();
    }
  });

  test('serves an S3 bucket, the AWS SDK carried inside', async () => {
    const s3 = await startS3('flags');
    try {
      const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
      const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials,
      });
      await client.send(
        new PutObjectCommand({ Bucket: 'flags', Key: 'features.yml', Body: booleanFlagFile('banner', true) }),
      );
      await servesBanner({
        ENSIGN_STORAGE_TYPE: 'object',
        ENSIGN_STORAGE_OBJECT_TYPE: 's3',
        ENSIGN_STORAGE_OBJECT_S3_BUCKET: 'flags',
        ENSIGN_STORAGE_OBJECT_S3_ENDPOINT: s3.endpoint,
        ENSIGN_STORAGE_OBJECT_S3_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
    } finally {
      await s3.close();
    }
  });

  test('serves an Azure Blob container, the Azure SDK carried inside', async () => {
    const azurite = await startAzurite();
    try {
      const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
      const key = new StorageSharedKeyCredential(
        AZURITE_ACCOUNT.AZURE_STORAGE_ACCOUNT,
        AZURITE_ACCOUNT.AZURE_STORAGE_KEY,
      );
      const container = new BlobServiceClient(azurite.endpoint, key).getContainerClient('flags');
      await container.create();
      const body = booleanFlagFile('banner', true);
      await container.getBlockBlobClient('features.yml').upload(body, Buffer.byteLength(body));
      await servesBanner({
        ENSIGN_STORAGE_TYPE: 'object',
        ENSIGN_STORAGE_OBJECT_TYPE: 'azblob',
        ENSIGN_STORAGE_OBJECT_AZBLOB_CONTAINER: 'flags',
        ENSIGN_STORAGE_OBJECT_AZBLOB_ENDPOINT: azurite.endpoint,
        ...AZURITE_ACCOUNT,
      });
    } finally {
      await azurite.close();
    }
  });

  test('serves a Google Cloud Storage bucket (test double of its API), the GCS SDK carried inside', async () => {
    const gcs = await startGcsTestDouble('flags');
    try {
      gcs.put('features.yml', booleanFlagFile('banner', true));
      await servesBanner({
        ENSIGN_STORAGE_TYPE: 'object',
        ENSIGN_STORAGE_OBJECT_TYPE: 'googlecloud',
        ENSIGN_STORAGE_OBJECT_GOOGLECLOUD_BUCKET: 'flags',
        STORAGE_EMULATOR_HOST: gcs.host,
      });
    } finally {
      await gcs.close();
    }
  });

  for (const [name, make] of [
    ['PostgreSQL', postgresEngine],
    ['MariaDB/MySQL', mysqlServerEngine],
  ] as const) {
    test(`serves ${name}, its driver carried inside`, async (t) => {
      const engine: Engine = await make();
      if (engine.skip) return t.skip(engine.skip);
      const database: TestDatabase = await engine.create();
      const server = await serve({ ENSIGN_DB_URL: database.url });
      try {
        await smoke(server);
      } finally {
        await server.stop();
        await database.drop();
      }
    });
  }
});
