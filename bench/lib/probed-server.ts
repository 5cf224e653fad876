import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './bundled-server.ts';

// A server under measurement with bench/lib/loop-probe.ts loaded into it: the probe writes what
// it saw (event-loop delay, GC, CPU, allocation) to `probeOut` when asked.

const PROBE = fileURLToPath(new URL('./loop-probe.ts', import.meta.url));

export interface ProbedServer {
  name: string;
  child: ChildProcess;
  url: string;
  probeOut: string;
}

/** Starts `node [nodeFlags] --import loop-probe <args(port)>` and waits for a healthy /health. */
export async function startProbedServer(
  work: string,
  name: string,
  args: (port: number) => string[],
  nodeFlags: string[] = [],
): Promise<ProbedServer> {
  const port = await freePort();
  const probeOut = join(work, `${name.replace(/\W/g, '-')}.json`);
  const child = spawn(process.execPath, [...nodeFlags, '--import', PROBE, ...args(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ENSIGN_BENCH_PROBE_OUT: probeOut },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (performance.now() > deadline) throw new Error(`${name} did not become healthy`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { name, child, url, probeOut };
}
