import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { resolveConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { enabled, eventually, health } from './declarative-server.ts';
import { booleanFlagFile } from './helpers.ts';
import { AZURITE_ACCOUNT, startAzurite, startGcsTestDouble, startS3 } from './object-servers.ts';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(object: Record<string, unknown>): Promise<RunningServer> {
  const { config } = resolveConfig(
    { server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 }, storage: { type: 'object', object } },
    { env: {}, cwd: process.cwd() },
  );
  const server = await startServer(config, { logger: silentLogger() });
  cleanups.push(() => server.close());
  return server;
}

const GARBAGE =
  'version: "1.4"\nflags:\n  - key: banner\n    name: banner\n    type: BOOLEAN_FLAG_TYPE\n    enabled: [\n';

describe('object storage: S3 against s3rver', () => {
  it('serves the prefix, follows uploads, keeps the last good snapshot through garbage and an outage', async () => {
    const s3 = await startS3('flags');
    cleanups.push(() => s3.close());
    process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: 'flags', Key: key, Body: body }));
    await put('prod/features.yml', booleanFlagFile('banner', true));
    await put('prod/mobile/features.yml', booleanFlagFile('offline', true, 'mobile'));
    await put('other/features.yml', booleanFlagFile('outside', true));

    const server = await serve({
      type: 's3',
      s3: {
        bucket: 'flags',
        prefix: 'prod',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        poll_interval: '200ms',
      },
    });
    assert.equal(await enabled(server, 'banner'), true);
    assert.equal(await enabled(server, 'offline', 'mobile'), true);
    await assert.rejects(enabled(server, 'outside'), /404/);
    assert.equal((await health(server))['location'], 's3://flags/prod/');
    const first = (await health(server))['revision'];

    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await health(server))['revision'], first, 'an unchanged listing is the same revision');

    await put('prod/features.yml', booleanFlagFile('banner', false));
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the upload');

    await put('prod/features.yml', GARBAGE);
    await eventually(async () => (await health(server))['state'] === 'degraded', 'degraded on garbage');
    assert.match((await health(server))['error'] ?? '', /features\.yml/);
    assert.equal(await enabled(server, 'banner'), false);
    await put('prod/features.yml', booleanFlagFile('banner', true));
    await eventually(async () => (await enabled(server, 'banner')) === true, 'recovery');
    assert.match(
      await (await fetch(`${server.url}/metrics`)).text(),
      /^flipt_object_sync_errors_total [1-9]/m,
    );
  });
});

describe('object storage: Azure Blob against Azurite', () => {
  it('serves the container, follows uploads, survives garbage and an outage', async () => {
    const azurite = await startAzurite();
    cleanups.push(() => azurite.close());
    Object.assign(process.env, AZURITE_ACCOUNT);
    const service = new BlobServiceClient(
      azurite.endpoint,
      new StorageSharedKeyCredential(
        AZURITE_ACCOUNT.AZURE_STORAGE_ACCOUNT,
        AZURITE_ACCOUNT.AZURE_STORAGE_KEY,
      ),
    );
    const container = service.getContainerClient('flags');
    await container.create();
    const put = (name: string, body: string) =>
      container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
    await put('features.yml', booleanFlagFile('banner', true));

    const server = await serve({
      type: 'azblob',
      azblob: { container: 'flags', endpoint: azurite.endpoint, poll_interval: '200ms' },
    });
    assert.equal(await enabled(server, 'banner'), true);
    await put('features.yml', booleanFlagFile('banner', false));
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the upload');

    await put('features.yml', GARBAGE);
    await eventually(async () => (await health(server))['state'] === 'degraded', 'degraded on garbage');
    assert.equal(await enabled(server, 'banner'), false);
    await put('features.yml', booleanFlagFile('banner', true));
    await eventually(async () => (await health(server))['state'] === 'ok', 'recovery from garbage');
    assert.equal(await enabled(server, 'banner'), true);

    await azurite.stop();
    await eventually(
      async () => (await health(server))['state'] === 'degraded',
      'degraded while Azurite is down',
    );
    assert.equal(await enabled(server, 'banner'), true, 'the last good snapshot keeps serving');
  });
});

describe('object storage: Google Cloud Storage against a test double of its JSON API', () => {
  it('serves the bucket prefix, follows changes, survives an outage and garbage', async () => {
    const gcs = await startGcsTestDouble('flags');
    cleanups.push(() => gcs.close());
    process.env['STORAGE_EMULATOR_HOST'] = gcs.host;
    gcs.put('env/features.yml', booleanFlagFile('banner', true));
    gcs.put('elsewhere/features.yml', booleanFlagFile('outside', true));
    const server = await serve({
      type: 'googlecloud',
      googlecloud: { bucket: 'flags', prefix: 'env/', poll_interval: '200ms' },
    });
    assert.equal(await enabled(server, 'banner'), true);
    await assert.rejects(enabled(server, 'outside'), /404/);
    gcs.put('env/features.yml', booleanFlagFile('banner', false));
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the change');

    gcs.setDown(true);
    await eventually(async () => (await health(server))['state'] === 'degraded', 'degraded while down');
    assert.equal(await enabled(server, 'banner'), false);
    gcs.put('env/features.yml', GARBAGE);
    gcs.setDown(false);
    await eventually(async () => /features\.yml/.test((await health(server))['error'] ?? ''), 'the garbage');
    assert.equal(await enabled(server, 'banner'), false);
    gcs.put('env/features.yml', booleanFlagFile('banner', true));
    await eventually(async () => (await enabled(server, 'banner')) === true, 'recovery');
    assert.equal((await health(server))['state'], 'ok');
  });
});

describe('object storage config', () => {
  const resolve = (object: Record<string, unknown>) =>
    resolveConfig({ storage: { type: 'object', object } }, { env: {}, cwd: '/' });
  it('names the missing key', () => {
    assert.throws(() => resolve({}), /storage\.object\.type is required/);
    assert.throws(() => resolve({ type: 's3' }), /storage\.object\.s3\.bucket is required/);
    assert.throws(() => resolve({ type: 'azblob' }), /storage\.object\.azblob\.container is required/);
    assert.throws(() => resolve({ type: 'googlecloud' }), /storage\.object\.googlecloud\.bucket is required/);
  });
});
