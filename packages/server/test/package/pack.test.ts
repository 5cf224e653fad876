import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertServesBuiltUi } from '../support/built-ui.ts';
import { type Lockfile, offlineLock, type PackedTarball } from './offline-lock.ts';

// What a user gets from the registry: the four packages are built and packed as for publishing,
// installed from the tarballs into an empty project without dev dependencies (offline, from
// npm's cache), and used there: the client from ESM and CommonJS, the `ensign` bin.

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ensign-pack-'));
const app = join(dir, 'app');
after(() => rmSync(dir, { recursive: true, force: true }));

/** npm and the apps it runs get a plain environment: no NODE_OPTIONS or npm_* from the test run. */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: `${join(REPO, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`,
  HOME: process.env['HOME'] ?? dir,
  ...extra,
});

const WORKSPACES = {
  core: '@ensign/core',
  client: '@ensign/client',
  edge: '@ensign/edge',
  server: '@ensign/server',
} as const;
const packed: Record<string, { files: string[] }> = {};

before(async () => {
  execFileSync(process.execPath, [join(REPO, 'scripts/build.ts'), '--out', join(dir, 'build'), '--quiet'], {
    stdio: 'inherit',
  });
  const tarballs: PackedTarball[] = [];
  mkdirSync(join(dir, 'tarballs'));
  for (const [folder, name] of Object.entries(WORKSPACES)) {
    const [result] = JSON.parse(
      execFileSync(
        'npm',
        ['pack', join(dir, 'build', folder), '--pack-destination', join(dir, 'tarballs'), '--json'],
        {
          env: cleanEnv(),
          encoding: 'utf8',
        },
      ),
    ) as [{ filename: string; integrity: string; files: { path: string }[] }];
    packed[name] = { files: result.files.map((f) => f.path) };
    tarballs.push({
      name,
      file: `../tarballs/${result.filename}`,
      integrity: result.integrity,
      manifest: JSON.parse(readFileSync(join(dir, 'build', folder, 'package.json'), 'utf8')),
      workspace: `packages/${folder}`,
    });
  }
  const lock = offlineLock(
    JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile,
    tarballs,
  );
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'ensign-pack-test',
      private: true,
      dependencies: lock.packages['']!.dependencies,
    }),
  );
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  execFileSync('npm', ['ci', '--offline', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    env: cleanEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
});

describe('the published packages', () => {
  it('carry JavaScript, declarations, LICENSE and README, and no TypeScript sources or tests', () => {
    for (const [name, { files }] of Object.entries(packed)) {
      assert.ok(
        files.includes('LICENSE') && files.includes('README.md') && files.includes('package.json'),
        name,
      );
      const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
      assert.deepEqual(sources, [], `${name} ships no raw TypeScript`);
      assert.deepEqual(
        files.filter((f) => /\.test\.|(^|\/)tests?\//.test(f)),
        [],
        `${name} ships no tests`,
      );
    }
    assert.ok(packed['@ensign/core']!.files.includes('index.d.ts'));
    assert.ok(packed['@ensign/client']!.files.includes('index.cjs'));
    assert.ok(packed['@ensign/edge']!.files.includes('index.d.ts'));
    const server = packed['@ensign/server']!.files;
    assert.deepEqual(server.filter((f) => !f.startsWith('ui/')).sort(), [
      'LICENSE',
      'README.md',
      'ensign-server.mjs',
      'ensign.mjs',
      'package.json',
    ]);
    assert.ok(server.includes('ui/index.html'), 'the server package carries the built web UI');
  });

  it('install without dev dependencies, pulling only runtime dependencies', () => {
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules/.package-lock.json'), 'utf8'),
    ) as Lockfile;
    const names = Object.keys(installed.packages).map((p) => p.replace(/^.*node_modules\//, ''));
    for (const bundled of ['hono', 'pg', 'mysql2', 'commander', 'pino', 'kysely', '@connectrpc/connect']) {
      assert.ok(!names.includes(bundled), `${bundled} is bundled, not installed`);
    }
    for (const devOnly of ['esbuild', 'typescript']) assert.ok(!names.includes(devOnly), devOnly);
    // libSQL's client has a native part and stays outside the bundle: the bundle must find it
    // from where it is installed.
    const fromBundle = createRequire(join(app, 'node_modules/@ensign/server/ensign-server.mjs'));
    assert.ok(names.includes('@libsql/client'), 'the server declares the driver it loads at run time');
    assert.doesNotThrow(
      () => fromBundle.resolve('@libsql/client'),
      '@libsql/client resolves from the bundle',
    );
  });

  it('serve a flag: ensign server to a healthy /health, the client in ESM and CommonJS', async () => {
    const ensign = join(app, 'node_modules/.bin/ensign');
    const version = execFileSync(process.execPath, [ensign, '--version'], {
      env: cleanEnv(),
      encoding: 'utf8',
    });
    const serverVersion = JSON.parse(
      readFileSync(join(REPO, 'packages/server/package.json'), 'utf8'),
    ).version;
    assert.match(version, new RegExp(`^ensign ${serverVersion.replaceAll('.', '\\.')} `));

    const server = await startServer(ensign);
    try {
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      await assertServesBuiltUi(server.url);
      const created = await fetch(`${server.url}/api/v1/namespaces/default/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'banner', name: 'Banner', type: 'BOOLEAN_FLAG_TYPE', enabled: true }),
      });
      assert.equal(created.status, 200);

      // ESM: the client against the running server; it prints a snapshot for the offline start below.
      writeFileSync(
        join(app, 'esm.mjs'),
        `import { FliptClient } from '@ensign/client';
const client = await FliptClient.init({ url: process.argv[2], namespace: 'default', stream: false });
const { enabled } = client.evaluateBoolean({ flagKey: 'banner', entityId: 'user-1', context: {} });
console.log(JSON.stringify({ enabled, snapshot: client.getSnapshot() }));
client.close();
`,
      );
      const esm = JSON.parse(run(['esm.mjs', server.url])) as { enabled: boolean; snapshot: string };
      assert.equal(esm.enabled, true);

      // CommonJS: require() the client and start it offline from that snapshot (nothing listens on port 1).
      writeFileSync(
        join(app, 'cjs.cjs'),
        `const { FliptClient } = require('@ensign/client');
FliptClient.init({ url: 'http://127.0.0.1:1', namespace: 'default', stream: false, errorStrategy: 'fallback', snapshot: process.argv[2] })
  .then((client) => {
    console.log(JSON.stringify(client.evaluateBoolean({ flagKey: 'banner', entityId: 'user-1', context: {} })));
    client.close();
  });
`,
      );
      const cjs = JSON.parse(run(['cjs.cjs', esm.snapshot])) as { enabled: boolean; flagKey: string };
      assert.equal(cjs.enabled, true);
      assert.equal(cjs.flagKey, 'banner');

      // The edge handler, synced from the running server, answers the same flag.
      writeFileSync(
        join(app, 'edge.mjs'),
        `import { createEdgeHandler } from '@ensign/edge';
const handler = createEdgeHandler({ origin: process.argv[2], stream: false });
const response = await handler.fetch(new Request('http://edge/evaluate/v1/boolean', {
  method: 'POST',
  body: JSON.stringify({ flagKey: 'banner', entityId: 'user-1' }),
}));
console.log(JSON.stringify({ status: response.status, ...(await response.json()) }));
`,
      );
      const edge = JSON.parse(run(['edge.mjs', server.url])) as { status: number; enabled: boolean };
      assert.equal(edge.status, 200);
      assert.equal(edge.enabled, true);
    } finally {
      assert.equal(await server.stop(), 0, 'the server exits 0 on SIGTERM');
    }
  });

  it('type-check from a TypeScript consumer', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { FliptClient, type BooleanEvaluationResponse } from '@ensign/client';
import { buildSnapshot } from '@ensign/core';
import { createEdgeHandler, type EdgeHandler } from '@ensign/edge';
export const edge: EdgeHandler = createEdgeHandler({ origin: 'http://127.0.0.1:8080' });
export const seed = (url: string): Promise<FliptClient> => FliptClient.init({ url, namespace: 'default' });
export type Enabled = BooleanEvaluationResponse['enabled'];
export const build: typeof buildSnapshot = buildSnapshot;
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
          lib: ['es2022', 'dom'],
        },
        files: ['consumer.ts'],
      }),
    );
    execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', app], { env: cleanEnv(), encoding: 'utf8' });
  });

  it('refuse an unsupported Node with one line, not a stack trace', (t) => {
    // The system Node, when it is older than the supported range (Debian's is 20), is the real test.
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
      if (!existsSync(path)) return false;
      const major = Number(
        execFileSync(path, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }),
      );
      return major < 22;
    });
    if (old === undefined) return t.skip('no Node older than 22 on this machine');
    let stderr = '';
    try {
      execFileSync(old, [join(app, 'node_modules/.bin/ensign'), '--version'], {
        env: cleanEnv(),
        encoding: 'utf8',
        stdio: 'pipe',
      });
      assert.fail('ensign ran on an unsupported Node');
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
      assert.equal((error as { status: number }).status, 1);
    }
    assert.match(stderr, /^ensign: Node\.js \^22\.18\.0 \|\| >=24 is required; this is v\d+\.\d+\.\d+\n$/);
  });
});

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: app, env: cleanEnv(), encoding: 'utf8' });
}

async function startServer(ensign: string): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child: ChildProcess = spawn(process.execPath, [ensign, 'server'], {
    cwd: app,
    env: cleanEnv({
      XDG_CONFIG_HOME: join(dir, 'xdg'),
      FLIPT_SERVER_HOST: '127.0.0.1',
      FLIPT_SERVER_HTTP_PORT: '0',
      FLIPT_SERVER_GRPC_PORT: '0',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let logs = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ensign server did not start in 60 s:\n${logs}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(logs);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`ensign server exited with ${code}:\n${logs}`)));
  });
  return {
    url,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
