import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { ecrRegionOf } from '../../src/storage/oci/ecr-credentials.ts';
import { runCli } from '../cli/run-cli.ts';
import { enabled, eventually } from './declarative-server.ts';
import { type EcrApiTestDouble, startEcrApiTestDouble } from './ecr-api-test-double.ts';
import { booleanFlagFile, featureDir } from './helpers.ts';
import { REGISTRY_USER, startRegistry, type TestRegistry } from './oci-registry.ts';

// storage.oci.authentication.type aws-ecr: the server and `ensign bundle push` get the registry
// password from ECR's GetAuthorizationToken (a test double of ECR's API, since no real ECR runs
// here) and use it as basic auth against a real docker-registry with htpasswd.

const ACCESS_KEY = 'AKIDENSIGNTEST';
const TOKEN_TTL_MS = 1_500;

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let registry: TestRegistry;
let ecr: EcrApiTestDouble;
let awsEnv: Record<string, string>;

function useAws(env: Record<string, string>) {
  // The AWS SDK reads its credentials, region and endpoint from the environment.
  for (const [name, value] of Object.entries(env)) process.env[name] = value;
}

before(async () => {
  registry = await startRegistry({ auth: true });
  cleanups.push(() => registry.close());
  ecr = await startEcrApiTestDouble({
    accessKeyId: ACCESS_KEY,
    password: REGISTRY_USER.password,
    tokenTtlMs: TOKEN_TTL_MS,
  });
  cleanups.push(() => ecr.close());
  const missing = join(tmpdir(), 'ensign-no-aws-config');
  awsEnv = {
    AWS_ACCESS_KEY_ID: ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'not-checked-by-the-double',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_ECR: ecr.endpoint,
    AWS_CONFIG_FILE: missing,
    AWS_SHARED_CREDENTIALS_FILE: missing,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  useAws(awsEnv);
});

async function serve(repository: string): Promise<RunningServer> {
  const { config } = resolveConfig(
    {
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      storage: {
        type: 'oci',
        oci: { repository, poll_interval: '200ms', authentication: { type: 'aws-ecr' } },
      },
    },
    { env: {}, cwd: process.cwd() },
  );
  const server = await startServer(config, { logger: silentLogger() });
  cleanups.push(() => server.close());
  return server;
}

describe('OCI storage with aws-ecr authentication', () => {
  it('pushes and follows a bundle with ECR tokens, asking again only as they expire', async () => {
    const bundles = mkdtempSync(join(tmpdir(), 'ensign-bundles-'));
    cleanups.push(() => rmSync(bundles, { recursive: true, force: true }));
    const work = featureDir({ 'features.yml': booleanFlagFile('ecr', true) });
    cleanups.push(work.remove);
    const cli = (args: string[]) =>
      runCli(['bundle', ...args], {
        cwd: work.root,
        env: {
          ...awsEnv,
          FLIPT_STORAGE_OCI_BUNDLES_DIRECTORY: bundles,
          FLIPT_STORAGE_OCI_AUTHENTICATION_TYPE: 'aws-ecr',
        },
      });
    const remote = `http://${registry.host}/ecr/flags:latest`;
    assert.equal((await cli(['build', 'ecr'])).code, 0);
    const pushed = await cli(['push', 'ecr', remote]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.ok(ecr.tokensIssued >= 1, 'the CLI asked ECR for the registry password');

    const before = ecr.tokensIssued;
    const server = await serve(remote);
    assert.equal(await enabled(server, 'ecr'), true);
    assert.equal(ecr.tokensIssued, before + 1, 'one token for the start');

    // 200 ms polls for 3 s: a token lives 1.5 s, so a few new ones, not one per poll.
    const polling = ecr.tokensIssued;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const asked = ecr.tokensIssued - polling;
    assert.ok(asked >= 1 && asked <= 5, `tokens asked for while polling: ${asked}`);

    work.write('features.yml', booleanFlagFile('ecr', false));
    assert.equal((await cli(['build', 'ecr'])).code, 0);
    assert.equal((await cli(['push', 'ecr', remote])).code, 0);
    await eventually(async () => (await enabled(server, 'ecr')) === false, 'the re-pushed bundle');
  });

  it('fails the start with ECR’s reason when AWS refuses the credentials', async () => {
    useAws({ AWS_ACCESS_KEY_ID: 'AKIDSOMEONEELSE' });
    try {
      await assert.rejects(
        serve(`http://${registry.host}/ecr/flags:latest`),
        /aws-ecr: GetAuthorizationToken failed for 127\.0\.0\.1:\d+: The security token included in the request is invalid/,
      );
    } finally {
      useAws({ AWS_ACCESS_KEY_ID: ACCESS_KEY });
    }
  });

  it('takes the region from an ECR registry host', () => {
    assert.equal(ecrRegionOf('123456789012.dkr.ecr.eu-central-1.amazonaws.com'), 'eu-central-1');
    assert.equal(ecrRegionOf('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), 'cn-north-1');
    assert.equal(ecrRegionOf('registry.example.com'), undefined);
  });
});

describe('aws-ecr settings', () => {
  const resolve = (oci: Record<string, unknown>) =>
    resolveConfig({ storage: { type: 'oci', oci } }, { env: {}, cwd: process.cwd() });

  it('refuses a password beside aws-ecr, and Public ECR', () => {
    assert.throws(
      () =>
        resolve({
          repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flags:latest',
          authentication: { type: 'aws-ecr', password: 'x' },
        }),
      /takes its token from ECR: leave username and password empty/,
    );
    assert.throws(
      () => resolve({ repository: 'public.ecr.aws/team/flags:latest', authentication: { type: 'aws-ecr' } }),
      /does not support public\.ecr\.aws/,
    );
  });
});
