import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EnsignClient } from '@ensign/client';
import { resolveConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { type GitRemote, startGitRemote } from './git-server.ts';
import { booleanFlagFile, waitFor } from './helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function remote(options: Parameters<typeof startGitRemote>[0] = {}): Promise<GitRemote> {
  const started = await startGitRemote(options);
  cleanups.push(() => started.close());
  return started;
}

async function serve(git: Record<string, unknown>): Promise<RunningServer> {
  const { config } = resolveConfig(
    {
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      storage: { type: 'git', git: { poll_interval: '200ms', ...git } },
    },
    { env: {}, cwd: process.cwd() },
  );
  const server = await startServer(config, { logger: silentLogger() });
  cleanups.push(() => server.close());
  return server;
}

async function enabled(server: RunningServer, flagKey: string, extra: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/evaluate/v1/boolean`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespaceKey: 'default', flagKey, entityId: 'user-1', context: {}, ...extra }),
  });
  const body = (await res.json()) as { enabled?: boolean; message?: string };
  if (res.status !== 200) throw new Error(`evaluation failed: ${res.status} ${body.message}`);
  return body.enabled;
}

async function health(server: RunningServer) {
  return (await (await fetch(`${server.url}/health`)).json()) as {
    status: string;
    storage: Record<string, string>;
  };
}

async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const BROKEN = 'version: "1.4"\nflags:\n  - key: banner\n    type: BOOLEAN_FLAG_TYPE\n    enabled: maybe\n';

describe('git storage over git http-backend', () => {
  it('serves a branch and follows pushed commits within the poll interval', async () => {
    const git = await remote();
    const first = git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    const server = await serve({ repository: git.url });
    assert.equal(await enabled(server, 'banner'), true);
    const status = await health(server);
    assert.equal(status.storage['state'], 'ok');
    assert.equal(status.storage['revision'], first);
    assert.equal(status.storage['location'], git.url);

    const pushedAt = Date.now();
    const second = git.commit({ 'features.yml': booleanFlagFile('banner', false) });
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the pushed commit');
    // 200 ms polls: a loaded CI machine still gets there in a few seconds (bench/sources.ts measures it).
    assert.ok(Date.now() - pushedAt < 5_000, 'reached evaluation within a few poll intervals');
    assert.equal((await health(server)).storage['revision'], second);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^flipt_git_sync_flags 1$/m);
    assert.match(metrics, /^flipt_git_sync_last_time \d+/m);
    assert.match(metrics, /^flipt_git_sync_errors_total 0$/m);
    const info = (await (await fetch(`${server.url}/meta/info`)).json()) as {
      storage: { type: string; readOnly: boolean; sync: Record<string, string> };
    };
    assert.equal(info.storage.type, 'git');
    assert.equal(info.storage.readOnly, true);
    assert.equal(info.storage.sync['revision'], second);
  });

  it('pushes each new commit to a connected client over the change stream', async () => {
    const git = await remote();
    git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    const server = await serve({ repository: git.url });
    const client = await EnsignClient.init({ url: server.url });
    cleanups.push(async () => client.close());
    await eventually(async () => client.streaming, 'the stream to connect');
    const changed = new Promise<string>((resolve) => {
      const off = client.onChange((change) => {
        off();
        resolve(change.via);
      });
    });
    git.commit({ 'features.yml': booleanFlagFile('banner', false) });
    assert.equal(await changed, 'stream');
    assert.equal(client.evaluateBoolean({ flagKey: 'banner', entityId: 'u', context: {} }).enabled, false);
  });

  it('keeps the last good snapshot through a broken commit and shows the error in /health', async () => {
    const git = await remote();
    git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    const server = await serve({ repository: git.url });
    git.commit({ 'features.yml': BROKEN });
    await eventually(async () => (await health(server)).storage['state'] === 'degraded', 'degraded');
    const status = await health(server);
    assert.equal(status.status, 'SERVING');
    assert.match(status.storage['error'] ?? '', /^features\.yml:5: /m);
    assert.equal(await enabled(server, 'banner'), true);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^flipt_git_sync_errors_total [1-9]/m);

    git.commit({ 'features.yml': booleanFlagFile('banner', false) });
    await eventually(async () => (await enabled(server, 'banner')) === false, 'the fixed commit');
    assert.equal((await health(server)).storage['state'], 'ok');
  });

  it('keeps serving while the remote is down, and recovers by itself', async () => {
    const git = await remote();
    git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    const server = await serve({ repository: git.url });
    git.setDown(true);
    await eventually(async () => (await health(server)).storage['state'] === 'degraded', 'degraded');
    assert.match((await health(server)).storage['error'] ?? '', /503/);
    assert.equal(await enabled(server, 'banner'), true);
    git.commit({ 'features.yml': booleanFlagFile('banner', false) });
    git.setDown(false);
    await eventually(async () => (await enabled(server, 'banner')) === false, 'recovery');
    assert.equal((await health(server)).storage['state'], 'ok');
  });

  it('reads a sub-directory, honouring its .flipt.yml', async () => {
    const git = await remote();
    git.commit({
      'flags/.flipt.yml': 'version: "1.0"\ninclude:\n  - "**/*.yaml"\n',
      'flags/team/a.yaml': booleanFlagFile('from-index', true),
      'flags/features.yml': booleanFlagFile('not-included', true),
      'features.yml': booleanFlagFile('outside', true),
    });
    const server = await serve({ repository: git.url, directory: 'flags' });
    assert.equal(await enabled(server, 'from-index'), true);
    await assert.rejects(enabled(server, 'not-included'), /404/);
    await assert.rejects(enabled(server, 'outside'), /404/);
  });

  it('picks the highest tag satisfying a semver constraint', async () => {
    const git = await remote();
    const v1 = git.commit({ 'features.yml': booleanFlagFile('release', false) });
    git.tag('v1.0.0', v1);
    const v12 = git.commit({ 'features.yml': booleanFlagFile('release', true) });
    git.tag('v1.2.0', v12);
    const v2 = git.commit({ 'features.yml': booleanFlagFile('release', false) });
    git.tag('v2.0.0', v2);
    git.commit({ 'features.yml': BROKEN }); // main moves on; tags are what count
    const server = await serve({ repository: git.url, ref: '>= 1.0.0, < 2.0.0', ref_type: 'semver' });
    assert.equal(await enabled(server, 'release'), true);
    assert.equal((await health(server)).storage['revision'], v12);
    const v13 = git.commit({ 'features.yml': booleanFlagFile('release', false) });
    git.tag('v1.3.0', v13);
    await eventually(async () => (await health(server)).storage['revision'] === v13, 'the new tag');
  });

  it('answers from another branch and from a commit when a request names a reference', async () => {
    const git = await remote();
    const old = git.commit({ 'features.yml': booleanFlagFile('banner', false) });
    git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    git.commit(
      { 'features.yml': booleanFlagFile('banner', false) + '    description: staging\n' },
      {
        branch: 'staging',
      },
    );
    git.commit({ 'features.yml': booleanFlagFile('banner', true) }, { branch: 'main' });
    const server = await serve({ repository: git.url });
    assert.equal(await enabled(server, 'banner'), true);
    assert.equal(await enabled(server, 'banner', { reference: 'staging' }), false);
    assert.equal(await enabled(server, 'banner', { reference: old }), false);
    assert.equal(await enabled(server, 'banner'), true, 'the followed branch is unchanged');

    const snapshot = await fetch(
      `${server.url}/internal/v1/evaluation/snapshot/namespace/default?reference=staging`,
    );
    const doc = (await snapshot.json()) as { flags: { key: string; enabled: boolean }[] };
    assert.equal(doc.flags[0]!.enabled, false);
    const flag = (await (
      await fetch(`${server.url}/api/v1/namespaces/default/flags/banner?reference=staging`)
    ).json()) as {
      description: string;
    };
    assert.equal(flag.description, 'staging');
    const missing = await fetch(`${server.url}/evaluate/v1/boolean`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flagKey: 'banner', entityId: 'u', reference: 'no-such-branch' }),
    });
    assert.equal(missing.status, 404);
  });

  it('authenticates with basic auth, and a refused login fails the start with the reason', async () => {
    const auth = { username: 'flags', password: 's3cret' };
    const git = await remote({ auth });
    git.commit({ 'features.yml': booleanFlagFile('banner', true) });
    const server = await serve({ repository: git.url, authentication: { basic: auth } });
    assert.equal(await enabled(server, 'banner'), true);
    const config = await (await fetch(`${server.url}/meta/config`)).text();
    assert.doesNotMatch(config, /s3cret/);
    await assert.rejects(
      serve({ repository: git.url, authentication: { basic: { username: 'flags', password: 'wrong' } } }),
      /401/,
    );
    await assert.rejects(serve({ repository: git.url }), /401/);
  });
});

describe('git storage config', () => {
  const resolve = (git: Record<string, unknown>) =>
    resolveConfig({ storage: { type: 'git', git } }, { env: {}, cwd: '/' });
  it('requires a repository and refuses ssh clearly', () => {
    assert.throws(() => resolve({}), /storage\.git\.repository is required/);
    assert.throws(() => resolve({ repository: 'git@github.com:acme/flags.git' }), /ssh is not supported/);
    assert.throws(
      () => resolve({ repository: 'https://h/r.git', authentication: { ssh: { private_key_path: '/k' } } }),
      /storage\.git\.authentication\.ssh\.private_key_path is not supported yet/,
    );
  });
  it('reads every key, from the file and the environment', () => {
    const { config } = resolveConfig(
      { storage: { type: 'git', git: { repository: 'https://h/r.git', ref_type: 'semver', ref: '^1' } } },
      {
        env: {
          FLIPT_STORAGE_GIT_POLL_INTERVAL: '5s',
          FLIPT_STORAGE_GIT_AUTHENTICATION_TOKEN_ACCESS_TOKEN: 't',
        },
        cwd: '/',
      },
    );
    const git = config.storage.backends?.['git'] as Record<string, unknown>;
    assert.equal(git['refType'], 'semver');
    assert.equal(git['pollIntervalMs'], 5_000);
    assert.deepEqual(git['token'], { accessToken: 't' });
  });
});

void waitFor;
