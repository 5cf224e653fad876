// Runs wrk (Debian package `wrk`) and reads its summary.

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors plus non-2xx/3xx responses. */
  errors: number;
}

export interface WrkRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const script = (request: WrkRequest): string => {
  const lines = [`wrk.method = ${JSON.stringify(request.method)}`];
  if (request.body !== undefined) lines.push(`wrk.body = ${JSON.stringify(request.body)}`);
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
};

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrkArgs(
  url: string,
  request: WrkRequest,
  options: { seconds: number; connections: number; threads?: number },
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-wrk-'));
  const scriptPath = join(dir, 'request.lua');
  writeFileSync(scriptPath, script(request));
  return [
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    '-s',
    scriptPath,
    url,
  ];
}

export function runWrk(
  url: string,
  request: WrkRequest,
  options: { seconds: number; connections: number; threads?: number },
): WrkResult {
  return parseWrk(execFileSync('wrk', wrkArgs(url, request, options), { encoding: 'utf8' }));
}

/** runWrk without blocking this process, for benches that do other work during the load. */
export function runWrkAsync(
  url: string,
  request: WrkRequest,
  options: { seconds: number; connections: number; threads?: number },
): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    execFile('wrk', wrkArgs(url, request, options), { encoding: 'utf8' }, (error, output) => {
      if (error) reject(error);
      else {
        try {
          resolve(parseWrk(output));
        } catch (problem) {
          reject(problem);
        }
      }
    });
  });
}

function parseWrk(output: string): WrkResult {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(output);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(output);
  if (!rate || !p50 || !p99) throw new Error(`cannot read wrk output:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const errors =
    (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: toMs(p50[1]!, p50[2]!),
    p99Ms: toMs(p99[1]!, p99[2]!),
    errors,
  };
}
