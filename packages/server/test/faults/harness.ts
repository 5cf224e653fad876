import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import type { Engine, TestDatabase } from '../database/engines.ts';

// What the fault tests share: a server over a database reached through a FaultProxy, with short
// timeouts so a case takes seconds, and plain HTTP calls as a user would make them.

export const CONNECT_TIMEOUT_MS = 1000;
export const QUERY_TIMEOUT_MS = 1500;
export const POLL_MS = 200;

/** The database URL with its host and port replaced by the proxy's. */
export function throughProxy(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

export function upstreamOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

export const tempSnapshotPath = (): string =>
  join(mkdtempSync(join(tmpdir(), 'ensign-faults-')), 'snapshot.json');

export function serve(url: string, snapshotPath: string): Promise<RunningServer> {
  const { config } = loadConfig({ env: {} });
  config.server.host = '127.0.0.1';
  config.server.httpPort = 0;
  config.server.grpcPort = 0;
  config.storage.type = 'database';
  config.db.url = url;
  config.db.pollIntervalMs = POLL_MS;
  config.db.connectTimeoutMs = CONNECT_TIMEOUT_MS;
  config.db.queryTimeoutMs = QUERY_TIMEOUT_MS;
  config.db.snapshotPath = snapshotPath;
  return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 500 });
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

export async function call(base: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    // Far beyond every bound under test: a request still open then is a hang.
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, ms: performance.now() - started };
}

export const createFlag = (base: string, key: string) =>
  call(base, 'POST', '/api/v1/namespaces/default/flags', {
    key,
    name: key,
    type: 'BOOLEAN_FLAG_TYPE',
    enabled: true,
  });

export const evaluate = (base: string, flagKey: string) =>
  call(base, 'POST', '/evaluate/v1/boolean', {
    namespaceKey: 'default',
    flagKey,
    entityId: 'e',
    context: {},
  });

export async function storageState(base: string): Promise<{ status: number; state: string }> {
  const reply = await call(base, 'GET', '/health');
  return { status: reply.status, state: String((reply.body['storage'] as { state?: string })?.state) };
}

export async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await condition()) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The flag keys stored in the database, read directly (not through Ensign). */
export async function storedFlagKeys(engine: Engine['name'], database: TestDatabase): Promise<Set<string>> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>('select key from flags');
      return new Set(rows.map((row) => row.key));
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection({ uri: database.url });
  try {
    const [rows] = await connection.query('select `key` from flags');
    return new Set((rows as { key: string }[]).map((row) => row.key));
  } finally {
    await connection.end();
  }
}

/**
 * Evaluation and write traffic running beside a fault: every evaluation must answer 200, every
 * write must answer (200, or 503 in Flipt's error shape), and acknowledged writes are recorded.
 */
export class Load {
  readonly evaluationFailures: string[] = [];
  readonly evaluationMs: number[] = [];
  readonly acknowledged: string[] = [];
  readonly refused: Reply[] = [];
  readonly unexpected: string[] = [];
  #stopped = false;
  #loops: Promise<void>[] = [];
  #phase = 'start';
  #written = 0;

  readonly base: string;
  readonly flagKey: string;

  constructor(base: string, flagKey: string) {
    this.base = base;
    this.flagKey = flagKey;
  }

  start(): void {
    this.#loops = [this.#evaluateLoop(), this.#evaluateLoop(), this.#writeLoop()];
  }

  /** Labels the writes that follow, so each phase's refusals can be checked on their own. */
  phase(name: string): void {
    this.#phase = name;
  }

  refusedIn(phase: string): Reply[] {
    return this.refused.filter((reply) => (reply as Reply & { phase?: string }).phase === phase);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #evaluateLoop(): Promise<void> {
    while (!this.#stopped) {
      try {
        const reply = await evaluate(this.base, this.flagKey);
        this.evaluationMs.push(reply.ms);
        if (reply.status !== 200 || reply.body['enabled'] !== true) {
          this.evaluationFailures.push(`${reply.status} ${JSON.stringify(reply.body)}`);
        }
      } catch (error) {
        this.evaluationFailures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async #writeLoop(): Promise<void> {
    while (!this.#stopped) {
      const key = `load_${this.#written++}`;
      const phase = this.#phase;
      try {
        const reply = await createFlag(this.base, key);
        if (reply.status === 200) this.acknowledged.push(key);
        else if (
          reply.status === 503 &&
          reply.body['code'] === 14 &&
          typeof reply.body['message'] === 'string'
        ) {
          this.refused.push(Object.assign(reply, { phase }));
        } else this.unexpected.push(`${key}: ${reply.status} ${JSON.stringify(reply.body)}`);
      } catch (error) {
        this.unexpected.push(`${key}: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
