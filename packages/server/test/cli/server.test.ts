import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';
import { createLocalSource } from '../../src/storage/local/index.ts';
import { booleanFlagFile } from '../storage/helpers.ts';
import { MAIN, REPO_ROOT, runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ensign-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const flagsDir = join(dir, 'flags');

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function evaluateBanner(url: string): Promise<boolean> {
  const response = await fetch(`${url}/evaluate/v1/boolean`, {
    method: 'POST',
    body: JSON.stringify({ flagKey: 'banner', entityId: 'user-1' }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { enabled: boolean }).enabled;
}

/** Starts `ensign server` and resolves with its URL once it logs that it is listening. */
function spawnServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; logs: () => string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let logs = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(logs);
      if (match) resolve({ child, url: match[1]!, logs: () => logs });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
}

describe('ensign server', () => {
  it('serves the configured directory, follows edits and stops cleanly on SIGTERM', async () => {
    mkdirSync(flagsDir, { recursive: true });
    writeFileSync(join(flagsDir, 'features.yml'), booleanFlagFile('banner', true));
    const config = writeConfig(
      'server.yml',
      `server:\n  host: 127.0.0.1\n  http_port: 0\n  grpc_port: 0\nstorage:\n  type: local\n  local:\n    path: ${JSON.stringify(flagsDir)}\n`,
    );
    const { child, url, logs } = await spawnServer(['server', '--config', config]);
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(logs(), /readyMs=\d+/);
      assert.equal(await evaluateBanner(url), true);

      writeFileSync(join(flagsDir, 'features.yml'), booleanFlagFile('banner', false));
      let answer = true;
      const deadline = Date.now() + 5_000;
      while (answer && Date.now() < deadline) {
        answer = await evaluateBanner(url);
        if (answer) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(answer, false, 'the edit is served without a restart');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
    assert.match(logs(), /shutting down signal=SIGTERM/);
  });

  it('is the default command, serves its embedded SQLite default and takes config from FLIPT_ variables', async () => {
    const home = join(dir, 'xdg');
    const { child, url } = await spawnServer([], {
      XDG_CONFIG_HOME: home,
      FLIPT_SERVER_HTTP_PORT: '0',
      FLIPT_SERVER_GRPC_PORT: '0',
      FLIPT_SERVER_HOST: '127.0.0.1',
      ENSIGN_LOG_ENCODING: 'json',
    });
    try {
      const health = (await (await fetch(`${url}/health`)).json()) as {
        storage: { type: string; state: string };
      };
      assert.deepEqual(health.storage, { ...health.storage, type: 'database', state: 'ok' });
      assert.ok(existsSync(join(home, 'ensign', 'ensign.db')), 'the database file is created on first start');
      const created = await fetch(`${url}/api/v1/namespaces/default/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'banner', name: 'Banner', type: 'BOOLEAN_FLAG_TYPE', enabled: true }),
      });
      assert.equal(created.status, 200, 'the default storage is writable');
      assert.equal(await evaluateBanner(url), true);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('exits non-zero naming the key when the config is invalid', async () => {
    const config = writeConfig('bad.yml', 'server:\n  http_port: abc\n');
    const result = await runCli(['server', '--config', config]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^ensign: invalid config: server\.http_port must be an integer between 1 and 65535.*\(got "abc"\)$/m,
    );
  });

  it('names the variable when an environment override is invalid', async () => {
    const result = await runCli(['server'], { env: { ENSIGN_LOG_LEVEL: 'chatty' } });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /invalid config: log\.level must be one of trace, debug, info, warn, error, fatal \(got "chatty"\) \(set by ENSIGN_LOG_LEVEL\)/,
    );
  });

  it('exits non-zero when the storage directory does not exist', async () => {
    const result = await runCli(['server'], {
      env: {
        ENSIGN_STORAGE_TYPE: 'local',
        ENSIGN_STORAGE_LOCAL_PATH: join(dir, 'missing'),
        ENSIGN_SERVER_HTTP_PORT: '0',
        ENSIGN_SERVER_GRPC_PORT: '0',
      },
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /ensign: cannot load feature files from .*missing:\ndirectory .*missing does not exist/,
    );
  });

  it('prints help for every command and the version', async () => {
    for (const command of [[], ['server'], ['validate'], ['export'], ['evaluate'], ['import'], ['migrate']]) {
      const result = await runCli([...command, '--help']);
      assert.equal(result.code, 0, `help for ${command.join(' ') || 'ensign'}`);
      assert.match(result.stdout, /^Usage: ensign/m);
    }
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^ensign \d+\.\d+\.\d+ \(node v\d+/);
  });
});

describe('startServer', () => {
  const config = () => {
    const { config } = loadConfig({ env: {} });
    config.server.host = '127.0.0.1';
    config.server.httpPort = 0;
    config.server.grpcPort = 0;
    // The embedded default database, in this test's directory rather than the user's.
    config.db.url = `file:${join(dir, 'start', 'ensign.db')}`;
    return config;
  };

  it('binds a free port for http_port 0 and reports it in url', async () => {
    const server = await startServer(config(), { logger: silentLogger() });
    try {
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
      assert.notEqual(server.port, 0);
      assert.equal(server.source.status().state, 'ok');
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url}/health`), 'closed servers refuse connections');
    await server.close(); // idempotent
  });

  it('serves the gRPC API (here through its Connect JSON protocol) on server.grpc_port', async () => {
    const path = join(dir, 'grpc');
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'features.yml'), booleanFlagFile('banner', true));
    const source = createLocalSource({ path, pollIntervalMs: 60_000, watch: false }, silentLogger());
    await source.start();
    const server = await startServer(config(), { logger: silentLogger(), source });
    try {
      assert.notEqual(server.grpcPort, 0);
      const response = await fetch(
        `http://127.0.0.1:${server.grpcPort}/flipt.evaluation.EvaluationService/Boolean`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ flagKey: 'banner', entityId: 'someone' }),
        },
      );
      assert.equal(response.status, 200);
      const body = (await response.json()) as { enabled: boolean; reason: string };
      assert.deepEqual([body.enabled, body.reason], [true, 'DEFAULT_EVALUATION_REASON']);
    } finally {
      await server.close();
      await source.close();
    }
  });

  it('serves a database read-only when storage.read_only says so, and /meta/info tells', async () => {
    const writable = await startServer(config(), { logger: silentLogger() });
    const readOnly = await startServer(
      { ...config(), storage: { ...config().storage, readOnly: true } },
      {
        logger: silentLogger(),
      },
    );
    try {
      const info = async (url: string) =>
        ((await (await fetch(`${url}/meta/info`)).json()) as { storage: { type: string; readOnly: boolean } })
          .storage;
      assert.deepEqual(await info(writable.url), { type: 'database', readOnly: false });
      assert.deepEqual(await info(readOnly.url), { type: 'database', readOnly: true });
      const write = await fetch(`${readOnly.url}/api/v1/namespaces/default/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'blocked', name: 'Blocked' }),
      });
      assert.equal(write.status, 500);
      assert.equal(
        ((await write.json()) as { message: string }).message,
        'modification is not allowed in read-only mode',
      );
    } finally {
      await readOnly.close();
      await writable.close();
    }
  });

  it('serves a source it is given and leaves it open on close', async () => {
    const path = join(dir, 'given');
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'features.yml'), booleanFlagFile('banner', true));
    const source = createLocalSource({ path, pollIntervalMs: 60_000, watch: false }, silentLogger());
    await source.start();
    const server = await startServer(config(), { logger: silentLogger(), source });
    assert.equal(await evaluateBanner(server.url), true);
    await server.close();
    assert.equal(source.current().namespace('default')!.flag('banner')?.enabled, true);
    await source.close();
  });

  it('says which address is taken', async () => {
    const first = await startServer(config(), { logger: silentLogger() });
    try {
      const taken = config();
      taken.server.httpPort = first.port;
      await assert.rejects(
        startServer(taken, { logger: silentLogger() }),
        new RegExp(
          `cannot listen on 127.0.0.1:${first.port} \\(server.host, server.http_port\\): the address is already in use`,
        ),
      );
    } finally {
      await first.close();
    }
  });

  it('says which gRPC address is taken', async () => {
    const first = await startServer(config(), { logger: silentLogger() });
    try {
      const taken = config();
      taken.server.grpcPort = first.grpcPort;
      await assert.rejects(
        startServer(taken, { logger: silentLogger() }),
        new RegExp(`cannot listen on 127.0.0.1:${first.grpcPort} \\(server.host, server.grpc_port\\)`),
      );
    } finally {
      await first.close();
    }
  });
});
