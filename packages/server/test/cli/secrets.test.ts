import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAIN, REPO_ROOT } from './run-cli.ts';

// The running server, end to end: secrets given in the config file, the environment and inside
// URLs never reach /meta/config, the log, or the one-line error of a failed start.

const dir = mkdtempSync(join(tmpdir(), 'ensign-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = ['tok-f1le-9431', 'tok-qu3ry-5512', 'pw-spl1t-7781', 'tok-3nv-2290'];

/** Runs `ensign server` until it has logged `until` (or exited, or 20 s passed), then stops it. */
function runServer(args: string[], env: Record<string, string>, until: RegExp) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
  });
  let logs = '';
  return new Promise<{ logs: string; url?: string; stop: () => Promise<void> }>((resolve) => {
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      });
    const timer = setTimeout(() => resolve({ logs, stop }), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const match = until.exec(logs);
      if (match) {
        clearTimeout(timer);
        resolve({ logs, url: match[1], stop });
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ logs, stop });
    });
  });
}

describe('secrets in a running server', () => {
  it('are hidden from /meta/config and the log', async () => {
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      [
        'log: { encoding: json }',
        'server: { host: 127.0.0.1, http_port: 0, grpc_port: 0 }',
        `db:`,
        `  url: "file:${join(dir, 'flags.db')}?authToken=${SECRETS[1]}"`,
        `  auth_token: ${SECRETS[0]}`,
        `  password: ${SECRETS[2]}`,
        '',
      ].join('\n'),
    );
    const server = await runServer(['server', '--config', config], {}, /listening on (http:\/\/[^\s"]+)/);
    try {
      assert.ok(server.url, server.logs);
      const report = await (await fetch(`${server.url}/meta/config`)).text();
      assert.match(report, /"authToken":"\*\*\*"/);
      assert.match(report, /authToken=\*\*\*/);
      // Bound to loopback: no warning about an open server.
      assert.doesNotMatch(server.logs, /authentication is off/);
      for (const secret of SECRETS) {
        assert.doesNotMatch(report, new RegExp(secret));
        assert.doesNotMatch(server.logs, new RegExp(secret));
      }
    } finally {
      await server.stop();
    }
  });

  it('are hidden from the error of a database that cannot be reached', async () => {
    // Port 1 on loopback refuses at once; the URL carries a password and a secret parameter.
    const url = `postgres://flipt:${SECRETS[2]}@127.0.0.1:1/flipt?sslpassword=${SECRETS[1]}&connect_timeout=2`;
    const server = await runServer(
      ['server'],
      {
        ENSIGN_DB_URL: url,
        ENSIGN_DB_AUTH_TOKEN: SECRETS[3]!,
        ENSIGN_SERVER_HTTP_PORT: '0',
        ENSIGN_SERVER_GRPC_PORT: '0',
      },
      /ECONNREFUSED|cannot|listening/,
    );
    await server.stop();
    assert.match(server.logs, /127\.0\.0\.1/);
    // The default bind address is every interface, and nothing authenticates: say so.
    assert.match(server.logs, /authentication is off and the server listens on 0\.0\.0\.0/);
    for (const secret of SECRETS) assert.doesNotMatch(server.logs, new RegExp(secret), server.logs);
  });
});
