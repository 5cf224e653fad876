import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorker, freePort, WORKER_FROM_ENV, waitForHttp } from './bundle.ts';
import type { EdgeConfig, EdgeUnderTest } from './conformance.ts';

// Starting the bundled handler in each real runtime installed from npm (node_modules/.bin).

const BIN = fileURLToPath(new URL('../../../../node_modules/.bin/', import.meta.url));

export function binary(name: string): string | undefined {
  const path = join(BIN, name);
  return existsSync(path) ? path : undefined;
}

/** Why a runtime cannot be tested here, or undefined when it can. */
export function unavailable(name: string): string | undefined {
  return binary(name) ? undefined : `${name} is not installed (npm devDependency ${name})`;
}

function envOf(config: EdgeConfig): Record<string, string> {
  return {
    ORIGIN: config.origin,
    ORIGIN_TOKEN: config.originToken,
    REFRESH_MS: String(config.refreshMs),
    EDGE_TOKEN: config.callerToken,
  };
}

async function running(
  command: string,
  args: string[],
  port: number,
  cleanup: string,
  env?: Record<string, string>,
): Promise<EdgeUnderTest> {
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${command} did not start: ${error}\n${output}`);
  }
  return {
    url,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(cleanup, { recursive: true, force: true });
    },
  };
}

/** workerd with a .capnp config: the worker module, its text bindings, loopback allowed out. */
/** `kvUrl`: an HTTP server speaking workerd's KV binding protocol, bound as `env.FLAGS`. */
export async function startWorkerd(
  config: EdgeConfig,
  entry = WORKER_FROM_ENV,
  kvUrl?: string,
): Promise<EdgeUnderTest> {
  const bundle = await bundleWorker(entry, 'esm');
  const port = await freePort();
  const texts = Object.entries(envOf(config)).map(
    ([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`,
  );
  if (kvUrl) texts.push('(name = "FLAGS", kvNamespace = "kv")');
  const bindings = texts.join(',\n      ');
  const kvService = kvUrl ? `(name = "kv", external = (address = "${new URL(kvUrl).host}", http = ())),` : '';
  writeFileSync(
    join(bundle.dir, 'edge.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edgeWorker),
    # Workers may not reach private addresses by default; the test origin is on loopback.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
    ${kvService}
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "edge")],
);

const edgeWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2025-06-01",
  globalOutbound = "loopback",
  bindings = [
      ${bindings}
  ],
);
`,
  );
  return running(binary('workerd')!, ['serve', join(bundle.dir, 'edge.capnp')], port, bundle.dir);
}

/** A script for runtimes with their own server API: reads settings from the environment. */
function serverEntry(serve: string, prelude = '', options = ''): string {
  return `
import { cacheApiStore, createEdgeHandler, denoKvStore } from '@ensign/edge';
const env = {
  ORIGIN: ENV('ORIGIN'), ORIGIN_TOKEN: ENV('ORIGIN_TOKEN'), REFRESH_MS: ENV('REFRESH_MS'),
  EDGE_TOKEN: ENV('EDGE_TOKEN'), PORT: ENV('PORT'),
};
${prelude}
const handler = createEdgeHandler({${options}
  origin: env.ORIGIN,
  token: env.ORIGIN_TOKEN,
  refreshMs: Number(env.REFRESH_MS),
  authentication: { tokens: [env.EDGE_TOKEN] },
});
${serve}
`;
}

/** Deno.serve around the handler; `prelude` may define `store` (awaited, before the handler). */
export async function startDeno(
  config: EdgeConfig,
  extra: { prelude?: string; options?: string; flags?: string[]; env?: Record<string, string> } = {},
): Promise<EdgeUnderTest> {
  const entry = serverEntry(
    `Deno.serve({ hostname: '127.0.0.1', port: Number(env.PORT), onListen() {} }, (request) => handler.fetch(request));`,
    extra.prelude,
    extra.options,
  ).replace(/ENV\(/g, 'Deno.env.get(');
  const bundle = await bundleWorker(entry);
  const port = await freePort();
  return running(
    binary('deno')!,
    [
      'run',
      '--quiet',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      '--allow-env',
      ...(extra.flags ?? []),
      bundle.file,
    ],
    port,
    bundle.dir,
    {
      ...envOf(config),
      PORT: String(port),
      DENO_NO_UPDATE_CHECK: '1',
      DENO_DIR: join(bundle.dir, 'deno-dir'),
      ...extra.env,
    },
  );
}

export async function startBun(config: EdgeConfig): Promise<EdgeUnderTest> {
  const bundle = await bundleWorker(
    serverEntry(
      `Bun.serve({ hostname: '127.0.0.1', port: Number(env.PORT), fetch: (request) => handler.fetch(request) });`,
    ).replace(/ENV\(/g, '(k => process.env[k])('),
  );
  const port = await freePort();
  return running(binary('bun')!, ['run', bundle.file], port, bundle.dir, {
    ...envOf(config),
    PORT: String(port),
  });
}
