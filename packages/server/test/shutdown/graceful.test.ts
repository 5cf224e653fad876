import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAIN, REPO_ROOT } from '../cli/run-cli.ts';
import { status, unaryClient } from '../grpc/support/grpc-client.ts';
import { booleanFlagFile } from '../storage/helpers.ts';

// `ensign server` stopped by SIGTERM while clients are busy: 16 keep-alive HTTP clients and 16
// concurrent gRPC callers each sending back to back, and a change-stream reader. Every request
// sent before the signal must be answered; after it, a client may only find the door shut
// (connection refused / UNAVAILABLE), never a connection reset under a request it already sent.

const dir = mkdtempSync(join(tmpdir(), 'ensign-shutdown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const WORKERS = 16;
const BODY = JSON.stringify({ flagKey: 'banner', entityId: 'user-1', context: {} });

interface Outcome {
  startedAt: number;
  ok: boolean;
  /** Error code (HTTP: errno code; gRPC: status name) when not ok. */
  error?: string;
  connectionClose?: boolean;
  /** HTTP: sent on a kept-alive connection (not a fresh one). */
  reused?: boolean;
}

interface Server {
  child: ChildProcess;
  url: string;
  grpcPort: number;
  exited: Promise<number | null>;
  logs(): string;
}

function startServer(gracePeriod: string): Promise<Server> {
  const flags = join(dir, 'flags');
  mkdirSync(flags, { recursive: true });
  writeFileSync(join(flags, 'features.yml'), booleanFlagFile('banner', true));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `server:\n  host: 127.0.0.1\n  http_port: 0\n  grpc_port: 0\n  shutdown_grace_period: ${gracePeriod}\n` +
      `storage:\n  type: local\n  local:\n    path: ${JSON.stringify(flags)}\n`,
  );
  const child = spawn(process.execPath, [MAIN, 'server', '--config', config], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let logs = '';
  return new Promise((resolve, reject) => {
    // Generous: a loaded CI machine can take many seconds to compile the server's sources.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start in 60 s:\n${logs}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+) \(gRPC on port (\d+)\)/.exec(logs);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, grpcPort: Number(match[2]), exited, logs: () => logs });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
}

/** One POST on a keep-alive agent; never rejects. */
function evaluateOverHttp(agent: Agent, url: string): Promise<Outcome> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${url}/evaluate/v1/boolean`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const enabled =
            res.statusCode === 200 && JSON.parse(Buffer.concat(chunks).toString()).enabled === true;
          resolve({
            startedAt,
            ok: enabled,
            ...(enabled ? {} : { error: `status ${res.statusCode}` }),
            connectionClose: res.headers.connection === 'close',
          });
        });
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ startedAt, ok: false, error: error.code ?? error.message, reused: req.reusedSocket }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ startedAt, ok: false, error: error.code ?? error.message, reused: req.reusedSocket }),
    );
    req.end(BODY);
  });
}

/** Runs `once` back to back until it fails (the server is gone) or `stop` says so. */
async function loop(once: () => Promise<Outcome>, outcomes: Outcome[], stop: () => boolean): Promise<void> {
  while (!stop()) {
    const outcome = await once();
    outcomes.push(outcome);
    if (!outcome.ok) return;
  }
}

describe('graceful shutdown', () => {
  it('answers every request sent before SIGTERM (HTTP keep-alive and gRPC), ends streams with goaway, exits 0', async () => {
    const server = await startServer('5s');
    let http: Outcome[] = [];
    let calls: Outcome[] = [];
    let streamText: Promise<string> = Promise.resolve('');
    let code: number | null;
    let shutdownMs: number;
    let signalledAt = 0;
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
      const grpc = unaryClient(`127.0.0.1:${server.grpcPort}`, 'flipt.evaluation.EvaluationService');
      const grpcOnce = async (): Promise<Outcome> => {
        const startedAt = performance.now();
        try {
          const answer = await grpc.Boolean!({
            namespaceKey: 'default',
            flagKey: 'banner',
            entityId: 'user-1',
          });
          return { startedAt, ok: answer['enabled'] === true };
        } catch (error) {
          const code = (error as { code?: number }).code;
          return {
            startedAt,
            ok: false,
            error: Object.entries(status).find(([, v]) => v === code)?.[0] ?? String(error),
          };
        }
      };

      // A change stream, read to its end.
      const stream = await fetch(`${server.url}/internal/v1/evaluation/snapshot/namespace/default/stream`);
      assert.equal(stream.status, 200);
      streamText = stream.text();

      // Warm up: every worker's connection open before the signal.
      const warm: Outcome[] = [];
      await Promise.all(
        Array.from({ length: WORKERS }, () => evaluateOverHttp(agent, server.url).then((o) => warm.push(o))),
      );
      await Promise.all(Array.from({ length: WORKERS }, () => grpcOnce().then((o) => warm.push(o))));
      assert.ok(
        warm.every((o) => o.ok),
        'warm-up requests succeed',
      );

      http = [];
      calls = [];
      let stopped = false;
      const stop = () => stopped;
      const load = Promise.all([
        ...Array.from({ length: WORKERS }, () => loop(() => evaluateOverHttp(agent, server.url), http, stop)),
        ...Array.from({ length: WORKERS }, () => loop(grpcOnce, calls, stop)),
      ]);
      // Under way on both transports before the signal, however slow the machine.
      const deadline = Date.now() + 15_000;
      while ((http.length < 4 * WORKERS || calls.length < 4 * WORKERS) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      signalledAt = performance.now();
      server.child.kill('SIGTERM');
      code = await Promise.race([
        server.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no exit 15 s after SIGTERM')), 15_000),
        ),
      ]);
      shutdownMs = performance.now() - signalledAt;
      stopped = true;
      await load;
      agent.destroy();
      grpc.close();
    } finally {
      // A failed assertion above must not leave the server running (and the test process with it).
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    assert.equal(code, 0, `exit code 0:\n${server.logs()}`);
    assert.ok(shutdownMs < 5000, `stopped in ${shutdownMs.toFixed(0)} ms, inside the 5 s grace period`);
    // The door is shut when a new connection is refused, or reset because the closing listener
    // never accepted it; a connection the server did accept must never be cut under a request.
    const doorShut = {
      HTTP: (o: Outcome) => !o.reused && (o.error === 'ECONNREFUSED' || o.error === 'ECONNRESET'),
      gRPC: (o: Outcome) => o.error === 'UNAVAILABLE',
    };
    for (const [name, outcomes] of [
      ['HTTP', http],
      ['gRPC', calls],
    ] as const) {
      const before = outcomes.filter((o) => o.startedAt < signalledAt);
      assert.ok(
        before.length >= 4 * WORKERS,
        `${name}: load ran before the signal (${before.length} requests)`,
      );
      const failedBefore = before.filter((o) => !o.ok);
      assert.deepEqual(failedBefore, [], `${name}: no request sent before SIGTERM failed`);
      assert.deepEqual(
        outcomes.filter((o) => !o.ok && !doorShut[name](o)),
        [],
        `${name}: after SIGTERM a client only finds the door shut`,
      );
    }
    assert.ok(
      http.some((o) => o.connectionClose),
      'keep-alive clients were told to close their connection after an answer',
    );
    const text = await streamText;
    assert.match(
      text,
      /data: \{"type":"goaway","namespace":"default"\}\n\n$/,
      'the stream ends with a goaway event',
    );
    assert.match(text, /retry: 250\n/);
  });
});
