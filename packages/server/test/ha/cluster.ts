import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensignBinary } from '../support/binary.ts';

// A real cluster for the HA tests: replicas of the single `ensign` executable on one database,
// behind Debian's haproxy with its stock health check. Everything listens on 127.0.0.1 and is
// stopped by `close()`.

export function haproxyPath(): string | undefined {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Replica {
  readonly name: string;
  readonly url: string;
  readonly httpPort: number;
  /** Started and healthy, not killed since: a live replica. */
  readonly alive: boolean;
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no goodbye. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

export function replica(
  name: string,
  dbUrl: string,
  httpPort: number,
  grpcPort: number,
  home: string,
): Replica {
  let child: ChildProcess | undefined;
  let ready = false;
  let log = '';
  const url = `http://127.0.0.1:${httpPort}`;
  const healthy = async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  const exited = (proc: ChildProcess) =>
    new Promise<void>((resolve) =>
      proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve()),
    );
  return {
    name,
    url,
    httpPort,
    get alive() {
      return ready && child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      child = spawn(await ensignBinary(), ['server'], {
        env: {
          ...process.env,
          HOME: home,
          ENSIGN_DB_URL: dbUrl,
          ENSIGN_DB_POLL_INTERVAL: '200ms',
          ENSIGN_SERVER_HOST: '127.0.0.1',
          ENSIGN_SERVER_HTTP_PORT: String(httpPort),
          ENSIGN_SERVER_GRPC_PORT: String(grpcPort),
          ENSIGN_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d) => (log += d));
      child.stderr?.on('data', (d) => (log += d));
      await waitUntil(`${name} to be healthy\n${log}`, healthy, 20_000);
      ready = true;
    },
    async kill() {
      ready = false;
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      ready = false;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = exited(child);
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    },
    output: () => log,
  };
}

export interface Balancer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * haproxy in front of the replicas. Health checks are the stock `option httpchk GET /health`
 * (HTTP/1.0, no Host header); failed connections and empty answers are retried on another
 * replica, which is what "retries are the balancer's" means.
 */
export async function startHaproxy(binary: string, replicas: readonly Replica[]): Promise<Balancer> {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-haproxy-'));
  const port = await freePort();
  const config = [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 5s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout',
    'frontend ensign',
    `  bind 127.0.0.1:${port}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk GET /health',
    '  default-server inter 200ms fall 1 rise 2',
    ...replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.httpPort} check`),
    '',
  ].join('\n');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const proc = spawn(binary, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout?.on('data', (d) => (log += d));
  proc.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `haproxy to route to a healthy replica\n${log}`,
    async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok,
    10_000,
  );
  return {
    url,
    async close() {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
