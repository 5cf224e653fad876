import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../cli/run-cli.ts';

// `npm start` as an operator or a process supervisor uses it: the signal goes to the npm process,
// and the server must stop with it rather than keep serving as an orphan.

const dir = mkdtempSync(join(tmpdir(), 'ensign-npm-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('runs the server as the process npm signals: SIGTERM to npm stops it', async () => {
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? dir,
        XDG_CONFIG_HOME: dir,
        FLIPT_SERVER_HOST: '127.0.0.1',
        FLIPT_SERVER_HTTP_PORT: '0',
        FLIPT_SERVER_GRPC_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a failed test can take npm and the server down together.
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let logs = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        process.kill(-npm.pid!, 'SIGKILL');
        reject(new Error(`npm start: no server in 90 s:\n${logs}`));
      }, 90_000);
      const onData = (chunk: Buffer) => {
        logs += chunk.toString();
        const match = /listening on (http:\/\/[^\s"]+)/.exec(logs);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      npm.stdout.on('data', onData);
      npm.stderr.on('data', onData);
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${logs}`)));
    });
    assert.equal((await fetch(`${url}/health`)).status, 200);

    try {
      npm.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000, 'timeout'))]);
      assert.notEqual(code, 'timeout', 'npm exits after SIGTERM');
      await assert.rejects(fetch(`${url}/health`), 'nothing serves on the port any more');
      assert.match(logs, /shutting down signal=SIGTERM/);
      assert.match(logs, /stopped/);
    } finally {
      // Whatever is left of the group (an orphaned server, when the test fails).
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // Nothing left: the expected case.
      }
    }
  });
});
