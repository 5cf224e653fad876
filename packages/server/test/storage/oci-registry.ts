import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution registry) on
 * 127.0.0.1, with filesystem storage in a temporary directory and, optionally, htpasswd auth.
 * `stop()` and `start()` let a test take it down and bring it back on the same port and data.
 */
export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** bcrypt (cost 4, so the registry checks it fast) of the test password `s3cret`. */
const HTPASSWD_S3CRET = '$2b$04$/PdhB86WBAQd0cTZjMMeXOkQy/0KOzVa2FHFtRRLB1PmsvrHWqUam';
export const REGISTRY_USER = { username: 'flags', password: 's3cret' };

export async function startRegistry(options: { auth?: boolean } = {}): Promise<TestRegistry> {
  const root = mkdtempSync(join(tmpdir(), 'ensign-registry-'));
  const port = await freePort();
  const auth = options.auth
    ? `auth:\n  htpasswd:\n    realm: ensign-test\n    path: ${join(root, 'htpasswd')}\n`
    : '';
  // `AWS` is the user every ECR token names (the ECR test double hands out `AWS:s3cret`).
  writeFileSync(
    join(root, 'htpasswd'),
    `${REGISTRY_USER.username}:${HTPASSWD_S3CRET}\nAWS:${HTPASSWD_S3CRET}\n`,
  );
  writeFileSync(
    join(root, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(root, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  let child: ChildProcess | undefined;
  const host = `127.0.0.1:${port}`;
  const registry: TestRegistry = {
    host,
    async start() {
      child = spawn('docker-registry', ['serve', join(root, 'config.yml')], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      for (;;) {
        const up = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) }).then(
          () => true,
          () => false,
        );
        if (up) return;
        if (Date.now() > deadline) throw new Error('docker-registry did not start within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    async close() {
      await registry.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await registry.start();
  return registry;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
