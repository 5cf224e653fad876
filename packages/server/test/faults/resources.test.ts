import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { type Socket, connect as tcpConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { call, createFlag, evaluate } from './harness.ts';

// Clients that open connections and never finish with them: silent sockets, requests that stop
// half-way, HTTP/2 calls whose message never completes, change streams by the hundred. While
// they hold on, /health and evaluation answer within 100 ms; the server closes them within its
// configured timeouts, and the memory they pinned is given back. The server runs in a child
// process (resource-server.ts), so the clients do not share its event loop or its memory.

const LIMITS = {
  headersTimeoutMs: 1500,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 3000,
  maxConnections: 5000,
  maxConcurrentStreams: 50,
  maxChangeStreams: 8,
  maxChangeStreamsPerClient: 5,
};
// The deadline checks run every second; a loaded machine (2 cores shared by many) adds more.
const SLACK_MS = 8000;

const MiB = 1024 * 1024;

interface Served {
  url: string;
  port: number;
  grpcPort: number;
  child: ChildProcess;
  /** The server's heap and buffers after a full garbage collection. */
  held(): Promise<number>;
  close(): Promise<void>;
}

async function serve(limits: Partial<typeof LIMITS> = {}): Promise<Served> {
  const child = fork(
    new URL('./resource-server.ts', import.meta.url),
    [JSON.stringify({ ...LIMITS, ...limits })],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<{ url: string; port: number; grpcPort: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; port: number; grpcPort: number }));
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return {
    ...ready,
    child,
    held: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve((message as { memory: number }).memory));
        child.send('memory');
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** Opens a socket, optionally writes `head`, and resolves when the server has closed it. */
function hold(port: number, head?: string) {
  const socket: Socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  // Timed from the connection's establishment: hundreds of connects at once may wait in the
  // listen backlog first.
  let opened = performance.now();
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => resolve(performance.now() - opened)),
  );
  socket.on('connect', () => {
    opened = performance.now();
    if (head) socket.write(head);
  });
  socket.resume();
  return { socket, closed };
}

async function probe(base: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const health = await call(base, 'GET', '/health');
    assert.equal(health.status, 200);
    const evaluation = await evaluate(base, 'ready');
    assert.equal(evaluation.body['enabled'], true);
    times.push(health.ms, evaluation.ms);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times.sort((a, b) => a - b);
}

/** `promise`, or a failure naming `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('bounded resources', () => {
  let server: Served;
  before(async () => {
    server = await serve();
    assert.equal((await createFlag(server.url, 'ready')).status, 200);
  });
  after(async () => {
    await server?.close();
  });

  test('idle and half-sent connections and unfinished HTTP/2 calls are cut; memory comes back', async () => {
    await probe(server.url, 5);
    const baseline = await server.held();
    const grpcPort = server.grpcPort;
    const holders = [
      // Silent connections, on both ports.
      ...Array.from({ length: 200 }, () => hold(server.port)),
      ...Array.from({ length: 100 }, () => hold(grpcPort)),
      // A request head that never ends, and a body that never completes.
      ...Array.from({ length: 100 }, () =>
        hold(server.port, 'POST /evaluate/v1/boolean HTTP/1.1\r\nHost: x\r\n'),
      ),
      ...Array.from({ length: 100 }, () =>
        hold(
          server.port,
          'POST /api/v1/namespaces/default/flags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"key":',
        ),
      ),
      // One byte on the gRPC port, then nothing.
      ...Array.from({ length: 100 }, () => hold(grpcPort, 'P')),
    ];

    // gRPC calls that announce a 4 MiB message, send 512 KiB of it and stop.
    const sessions = Array.from({ length: 12 }, () => http2Connect(`http://127.0.0.1:${grpcPort}`));
    const streamsClosed: Promise<number>[] = [];
    for (const session of sessions) {
      session.on('error', () => {});
      for (let i = 0; i < 10; i++) {
        const stream = session.request(
          {
            ':method': 'POST',
            ':path': '/flipt.evaluation.EvaluationService/Boolean',
            'content-type': 'application/grpc',
            te: 'trailers',
          },
          { endStream: false },
        );
        stream.on('error', () => {});
        stream.resume();
        const frame = Buffer.alloc(5 + 512 * 1024);
        frame.writeUInt32BE(4 * MiB - 64, 1);
        stream.write(frame);
        const opened = performance.now();
        streamsClosed.push(
          new Promise((resolve) => stream.on('close', () => resolve(performance.now() - opened))),
        );
      }
    }
    await new Promise<void>((resolve) => sessions[0]!.once('remoteSettings', () => resolve()));
    assert.equal(sessions[0]!.remoteSettings.maxConcurrentStreams, LIMITS.maxConcurrentStreams);
    // The calls' bytes reach the server at the pace of HTTP/2 flow control (a 64 KiB window per
    // connection, refilled as the server reads), slow on a busy machine: hence many connections.
    let during = await server.held();
    const deadline = performance.now() + LIMITS.requestTimeoutMs - 1000;
    while (during - baseline < 15 * MiB && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      during = await server.held();
    }
    assert.ok(
      during - baseline > 15 * MiB,
      `the unfinished calls held memory (${((during - baseline) / MiB).toFixed(1)} MiB)`,
    );
    const duringTimes = await probe(server.url, 20);
    // Typical answers within 100 ms, none stuck; a busy machine may stretch a few.
    assert.ok(
      percentile(duringTimes, 0.5) < 100,
      `health and evaluation answer within 100 ms while held (median ${percentile(duringTimes, 0.5).toFixed(1)} ms)`,
    );
    assert.ok(duringTimes.at(-1)! < 1000, `slowest answer ${duringTimes.at(-1)!.toFixed(0)} ms`);

    const bound = LIMITS.requestTimeoutMs + SLACK_MS;
    const socketTimes = await within(Promise.all(holders.map((h) => h.closed)), bound, 'held sockets closed');
    assert.ok(
      Math.max(...socketTimes) < bound,
      `every held socket closed by the server within ${bound} ms (slowest ${Math.max(...socketTimes).toFixed(0)} ms)`,
    );
    const streamTimes = await within(Promise.all(streamsClosed), bound, 'unfinished calls cancelled');
    assert.ok(Math.max(...streamTimes) < bound, `every unfinished HTTP/2 call cancelled within ${bound} ms`);
    // An idle HTTP/2 session is asked to go away too.
    await within(
      Promise.all(
        sessions.map(
          (session) =>
            new Promise<void>((resolve) => {
              if (session.closed || session.destroyed) resolve();
              else session.once('close', () => resolve());
              session.once('goaway', () => session.close());
            }),
        ),
      ),
      LIMITS.idleTimeoutMs + SLACK_MS,
      'idle HTTP/2 sessions closed',
    );

    // Still answering once they are gone (probe asserts the answers).
    await probe(server.url, 5);
    const released = await server.held();
    console.log(
      `# memory above baseline: ${((during - baseline) / MiB).toFixed(1)} MiB held, ${((released - baseline) / MiB).toFixed(1)} MiB after; median ${percentile(duringTimes, 0.5).toFixed(1)} ms, p90 ${percentile(duringTimes, 0.9).toFixed(1)} ms while held`,
    );
    assert.ok(
      released - baseline < 5 * MiB,
      `memory back near baseline: ${((released - baseline) / MiB).toFixed(1)} MiB above (peak ${((during - baseline) / MiB).toFixed(1)})`,
    );
  });

  test('change streams are capped per client address and in total, and slots come back', async () => {
    const open = (localAddress: string) =>
      new Promise<{ status: number; body: string; close: () => void }>((resolve, reject) => {
        const req = httpRequest(
          `${server.url}/internal/v1/evaluation/snapshot/namespace/default/stream`,
          { localAddress },
          (res) => {
            if (res.statusCode === 200) {
              res.once('data', () => resolve({ status: 200, body: '', close: () => req.destroy() }));
              return;
            }
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body, close: () => {} }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const first = await Promise.all(Array.from({ length: 5 }, () => open('127.0.0.1')));
    assert.deepEqual(
      first.map((s) => s.status),
      [200, 200, 200, 200, 200],
    );
    const sixth = await open('127.0.0.1');
    assert.equal(sixth.status, 429);
    const body = JSON.parse(sixth.body) as { code: number; message: string; details: unknown[] };
    assert.equal(body.code, 8);
    assert.match(body.message, /too many change streams open from .*127\.0\.0\.1 \(limit 5 per client\)/);

    const others = await Promise.all(Array.from({ length: 3 }, () => open('127.0.0.2')));
    assert.deepEqual(
      others.map((s) => s.status),
      [200, 200, 200],
    );
    const overTotal = await open('127.0.0.3');
    assert.equal(overTotal.status, 429);
    assert.match(overTotal.body, /too many change streams open \(limit 8\)/);

    first[0]!.close();
    let again = await open('127.0.0.3');
    for (let i = 0; again.status !== 200 && i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open('127.0.0.3');
    }
    assert.equal(again.status, 200, 'a closed stream gives its slot back');
    for (const s of [...first, ...others, again]) s.close();
  });

  test('connections over the cap are turned away; the server answers again once they go', async () => {
    const small = await serve({ maxConnections: 20 });
    try {
      const holders = Array.from({ length: 20 }, () => hold(small.port));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const extra = hold(small.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      const turnedAway = await extra.closed;
      assert.ok(turnedAway < 1000, `the connection over the cap was closed at once (${turnedAway} ms)`);
      await within(
        Promise.all(holders.map((h) => h.closed)),
        LIMITS.headersTimeoutMs + SLACK_MS,
        'idle sockets closed',
      );
      assert.equal((await call(small.url, 'GET', '/health')).status, 200);
    } finally {
      await small.close();
    }
  });
});
