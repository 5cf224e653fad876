import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load.ts';
import { type RunningGrpcServer, startGrpcServer } from '../../src/grpc/index.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { type GrpcError, status, type Unary, unaryClient } from '../grpc/support/grpc-client.ts';
import { type GitRemote, startGitRemote } from './git-server.ts';
import { booleanFlagFile } from './helpers.ts';

// Per-request `reference` over real gRPC against a git-backed server: the server's own port
// answers plain unary calls on the raw HTTP/2 fast path (its hand-written request decoder reads
// `reference`), and a second gRPC server on the same source, with the fast path off, answers the
// same calls through Connect. Both must answer from the named branch or commit.

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let git: GitRemote;
let server: RunningServer;
let connectPath: RunningGrpcServer;
let oldCommit: string;

before(async () => {
  git = await startGitRemote();
  cleanups.push(() => git.close());
  oldCommit = git.commit({ 'features.yml': booleanFlagFile('banner', false) });
  git.commit({ 'features.yml': booleanFlagFile('banner', true) });
  const staging = `${booleanFlagFile('banner', false)}    description: staging\nsegments:\n  - key: beta\n    name: beta\n`;
  git.commit({ 'features.yml': staging }, { branch: 'staging' });
  const { config } = resolveConfig(
    {
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      storage: { type: 'git', git: { repository: git.url, ref: 'main', poll_interval: '1s' } },
    },
    { env: {}, cwd: process.cwd() },
  );
  server = await startServer(config, { logger: silentLogger() });
  cleanups.push(() => server.close());
  connectPath = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    source: server.source,
    logger: silentLogger(),
    unaryFastPath: false,
  });
  cleanups.push(() => connectPath.close(0));
});

function clients(port: number) {
  const address = `127.0.0.1:${port}`;
  const evaluation = unaryClient(address, 'flipt.evaluation.EvaluationService');
  const data = unaryClient(address, 'flipt.evaluation.DataService');
  const flipt = unaryClient(address, 'flipt.Flipt');
  cleanups.push(() => {
    evaluation.close();
    data.close();
    flipt.close();
  });
  return { evaluation, data, flipt };
}

async function enabled(boolean: Unary, reference?: string): Promise<boolean> {
  const answer = await boolean({ namespaceKey: 'default', flagKey: 'banner', entityId: 'u1', reference });
  return answer['enabled'] as boolean;
}

for (const path of ['the raw HTTP/2 fast path', 'Connect'] as const) {
  describe(`reference over gRPC, ${path}`, () => {
    const port = () => (path === 'Connect' ? connectPath.port : server.grpcPort);

    it('evaluates at another branch and at a commit, leaving the followed branch alone', async () => {
      const { evaluation } = clients(port());
      assert.equal(await enabled(evaluation.boolean!), true);
      assert.equal(await enabled(evaluation.boolean!, 'staging'), false);
      assert.equal(await enabled(evaluation.boolean!, oldCommit), false);
      assert.equal(await enabled(evaluation.boolean!), true, 'no reference: the followed branch');
      const batch = await evaluation.batch!({
        reference: 'staging',
        requests: [{ namespaceKey: 'default', flagKey: 'banner', entityId: 'u1' }],
      });
      const [first] = batch['responses'] as { booleanResponse: { enabled: boolean } }[];
      assert.equal(first!.booleanResponse.enabled, false);
    });

    it('reads flags and the client snapshot at a reference', async () => {
      const { flipt, data } = clients(port());
      const flag = await flipt.getFlag!({ namespaceKey: 'default', key: 'banner', reference: 'staging' });
      assert.equal(flag['description'], 'staging');
      assert.equal((await flipt.getFlag!({ namespaceKey: 'default', key: 'banner' }))['description'], '');
      const list = await flipt.listFlags!({ namespaceKey: 'default', reference: oldCommit });
      assert.equal((list['flags'] as { enabled: boolean }[])[0]!.enabled, false);
      const segment = await flipt.getSegment!({ namespaceKey: 'default', key: 'beta', reference: 'staging' });
      assert.equal(segment['name'], 'beta');
      const segments = await flipt.listSegments!({ namespaceKey: 'default' });
      assert.deepEqual(segments['segments'], [], 'the followed branch has no segment');
      const snapshot = await data.evaluationSnapshotNamespace!({ key: 'default', reference: 'staging' });
      assert.equal((snapshot['flags'] as { enabled: boolean }[])[0]!.enabled, false);
    });

    it('answers NOT_FOUND, naming the reference, for one that does not exist', async () => {
      const { evaluation, flipt } = clients(port());
      for (const call of [
        () => enabled(evaluation.boolean!, 'no-such-branch'),
        () => flipt.getFlag!({ namespaceKey: 'default', key: 'banner', reference: 'no-such-branch' }),
      ]) {
        await assert.rejects(call(), (error: GrpcError) => {
          assert.equal(error.code, status.NOT_FOUND);
          assert.match(error.details, /reference "no-such-branch" not found/);
          return true;
        });
      }
      assert.equal(await enabled(evaluation.boolean!), true, 'the server keeps answering');
    });
  });
}

describe('reference on every REST read', () => {
  it('answers namespaces, segments, rules and rollouts from the named branch', async () => {
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const base = '/api/v1/namespaces/default';
    assert.equal((await get(`${base}/segments/beta?reference=staging`)).body['name'], 'beta');
    assert.equal((await get(`${base}/segments/beta`)).status, 404);
    assert.equal(((await get(`${base}/segments?reference=staging`)).body['segments'] as unknown[]).length, 1);
    assert.equal((await get(`${base}?reference=staging`)).body['key'], 'default');
    assert.equal((await get(`/api/v1/namespaces?reference=${oldCommit}`)).status, 200);
    assert.equal((await get(`${base}/flags/banner/rollouts?reference=staging`)).status, 200);
    assert.equal((await get(`${base}/flags/banner/rules?reference=staging`)).status, 200);
    const missing = await get(`${base}/segments?reference=no-such-branch`);
    assert.equal(missing.status, 404);
    assert.match(String(missing.body['message']), /reference "no-such-branch" not found/);
  });
});
