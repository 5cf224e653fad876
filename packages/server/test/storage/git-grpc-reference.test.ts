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
  git.commit(
    { 'features.yml': `${booleanFlagFile('banner', false)}    description: staging\n` },
    {
      branch: 'staging',
    },
  );
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
