import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { resolveConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { runCli } from '../cli/run-cli.ts';
import { enabled, eventually, health } from './declarative-server.ts';
import { booleanFlagFile, featureDir } from './helpers.ts';
import { REGISTRY_USER, startRegistry, type TestRegistry } from './oci-registry.ts';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-bundles-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `ensign bundle …` in `cwd` with storage.oci settings from the environment. */
async function bundle(args: string[], cwd: string, env: Record<string, string>) {
  const result = await runCli(['bundle', ...args], { cwd, env });
  if (result.code !== 0) throw new Error(`ensign bundle ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function serve(oci: Record<string, unknown>): Promise<RunningServer> {
  const { config } = resolveConfig(
    {
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      storage: { type: 'oci', oci: { poll_interval: '200ms', ...oci } },
    },
    { env: {}, cwd: process.cwd() },
  );
  const server = await startServer(config, { logger: silentLogger() });
  cleanups.push(() => server.close());
  return server;
}

describe('OCI storage and ensign bundle against docker-registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
    cleanups.push(() => registry.close());
  });

  it('builds, pushes, follows a re-push, pulls into the local store, and skopeo reads the manifest', async () => {
    const bundles = tempDir();
    const env = { FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: bundles };
    const work = featureDir({
      'features.yml': booleanFlagFile('banner', true),
      'mobile/features.yml': booleanFlagFile('offline', true, 'mobile'),
    });
    cleanups.push(work.remove);

    const built = await bundle(['build', 'flags:v1'], work.root, env);
    assert.match(built, /^flipt:\/\/local\/flags:v1@sha256:[0-9a-f]{64}\n$/);
    const remote = `http://${registry.host}/team/flags:latest`;
    const pushed = await bundle(['push', 'flags:v1', remote], work.root, env);
    const digest = pushed.trim().split('@')[1]!;
    assert.equal(digest, built.trim().split('@')[1], 'the same manifest in both stores');

    const server = await serve({ repository: remote });
    assert.equal(await enabled(server, 'banner'), true);
    assert.equal(await enabled(server, 'offline', 'mobile'), true);
    assert.equal((await health(server))['revision'], digest);

    work.write('features.yml', booleanFlagFile('banner', false));
    await bundle(['build', 'flags:v2'], work.root, env);
    const repushed = (await bundle(['push', 'flags:v2', remote], work.root, env)).trim().split('@')[1]!;
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the re-pushed bundle');
    assert.equal((await health(server))['revision'], repushed);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^flipt_oci_sync_flags 2$/m);

    const { stdout } = await promisify(execFile)('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/team/flags:latest`,
    ]);
    const manifest = JSON.parse(stdout) as {
      artifactType: string;
      layers: { mediaType: string; annotations: Record<string, string> }[];
    };
    assert.equal(manifest.artifactType, 'application/vnd.io.flipt.features.v1');
    assert.deepEqual(
      manifest.layers.map((l) => [l.mediaType, l.annotations['io.flipt.features.namespace']]),
      [
        ['application/vnd.io.flipt.features.namespace.v1+json', 'default'],
        ['application/vnd.io.flipt.features.namespace.v1+json', 'mobile'],
      ],
    );

    const elsewhere = tempDir();
    const pulled = await bundle(['pull', remote], work.root, {
      FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: elsewhere,
    });
    assert.equal(pulled.trim(), `flipt://local/team/flags:latest@${repushed}`);
    const listed = await bundle(['list'], work.root, { FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: elsewhere });
    assert.match(listed, /^DIGEST\s+REPO\s+TAG\s+CREATED\n/);
    assert.match(listed, new RegExp(`^${repushed.slice(7, 14)}\\s+team/flags\\s+latest\\s+\\d{4}-`, 'm'));

    const local = await serve({
      repository: 'flipt://local/team/flags:latest',
      bundles_directory: elsewhere,
    });
    assert.equal(await enabled(local, 'banner'), false);
  });

  it('refuses to build broken feature files', async () => {
    const work = featureDir({ 'features.yml': 'version: "1.4"\nflags:\n  - key: x\n    enabled: maybe\n' });
    cleanups.push(work.remove);
    const result = await runCli(['bundle', 'build', 'broken'], {
      cwd: work.root,
      env: { FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: tempDir() },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /features\.yml:4: /);
  });

  it('reads a Flipt-layout artifact assembled by hand: manifest 1.0, YAML and suffix-less JSON layers', async () => {
    const repo = `http://${registry.host}/v2/handmade`;
    const push = async (bytes: Buffer) => {
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const start = await fetch(`${repo}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location')!, repo);
      location.searchParams.set('digest', digest);
      const put = await fetch(location, { method: 'PUT', body: new Uint8Array(bytes) });
      assert.equal(put.status, 201);
      return { digest, size: bytes.length };
    };
    const config = await push(Buffer.from('{}'));
    const yamlLayer = await push(Buffer.from(booleanFlagFile('handmade', true, 'team')));
    const jsonLayer = await push(
      Buffer.from(
        JSON.stringify({
          namespace: 'default',
          flags: [{ key: 'json', name: 'json', type: 'BOOLEAN_FLAG_TYPE', enabled: true }],
        }),
      ),
    );
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.io.flipt.features.v1', ...config },
      layers: [
        {
          mediaType: 'application/vnd.io.flipt.features.namespace.v1+yaml',
          ...yamlLayer,
          annotations: { 'io.flipt.features.namespace': 'team' },
        },
        {
          mediaType: 'application/vnd.io.flipt.features.namespace.v1',
          ...jsonLayer,
          annotations: { 'io.flipt.features.namespace': 'default' },
        },
      ],
    };
    const put = await fetch(`${repo}/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: JSON.stringify(manifest),
    });
    assert.equal(put.status, 201);
    const server = await serve({ repository: `http://${registry.host}/handmade:v1` });
    assert.equal(await enabled(server, 'handmade', 'team'), true);
    assert.equal(await enabled(server, 'json'), true);
  });

  it('keeps the last good bundle through garbage and an outage, and recovers', async () => {
    const bundles = tempDir();
    const env = { FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: bundles };
    const work = featureDir({ 'features.yml': booleanFlagFile('banner', true) });
    cleanups.push(work.remove);
    const remote = `http://${registry.host}/faults/flags:latest`;
    await bundle(['build', 'faults'], work.root, env);
    await bundle(['push', 'faults', remote], work.root, env);
    const server = await serve({ repository: remote });

    // Garbage: a manifest that is not a Flipt bundle.
    const put = await fetch(`http://${registry.host}/v2/faults/flags/manifests/latest`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.empty.v1+json',
          digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
          size: 2,
        },
        layers: [],
      }),
    });
    assert.equal(put.status, 201);
    await eventually(async () => (await health(server))['state'] === 'degraded', 'degraded on garbage');
    assert.match((await health(server))['error'] ?? '', /not a Flipt bundle/);
    assert.equal(await enabled(server, 'banner'), true);

    await registry.stop();
    await eventually(
      async () => /fetch failed|ECONNREFUSED/.test((await health(server))['error'] ?? ''),
      'the outage',
    );
    assert.equal(await enabled(server, 'banner'), true);
    await registry.start();
    work.write('features.yml', booleanFlagFile('banner', false));
    await bundle(['build', 'faults'], work.root, env);
    await bundle(['push', 'faults', remote], work.root, env);
    await eventually(async () => (await enabled(server, 'banner')) === false, 'recovery');
    assert.equal((await health(server))['state'], 'ok');
  });
});

describe('OCI storage with htpasswd auth', () => {
  it('pushes and follows with credentials; without them the start fails with the reason', async () => {
    const registry = await startRegistry({ auth: true });
    cleanups.push(() => registry.close());
    const bundles = tempDir();
    const work = featureDir({ 'features.yml': booleanFlagFile('secured', true) });
    cleanups.push(work.remove);
    const env = {
      FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: bundles,
      FLIPT_STORAGE_OCI_AUTHENTICATION_USERNAME: REGISTRY_USER.username,
      FLIPT_STORAGE_OCI_AUTHENTICATION_PASSWORD: REGISTRY_USER.password,
    };
    const remote = `http://${registry.host}/secure/flags:latest`;
    await bundle(['build', 'secure'], work.root, env);
    const refused = await runCli(['bundle', 'push', 'secure', remote], {
      cwd: work.root,
      env: { FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: bundles },
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /requires a username and password/);
    await bundle(['push', 'secure', remote], work.root, env);

    const server = await serve({ repository: remote, authentication: REGISTRY_USER });
    assert.equal(await enabled(server, 'secured'), true);
    assert.doesNotMatch(await (await fetch(`${server.url}/meta/config`)).text(), /s3cret/);
    await assert.rejects(serve({ repository: remote }), /requires a username and password/);
    await assert.rejects(
      serve({ repository: remote, authentication: { username: 'flags', password: 'nope' } }),
      /401/,
    );
  });
});
