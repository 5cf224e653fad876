import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { findConfigFile } from '../../config/defaults.ts';
import { loadConfig } from '../../config/load.ts';
import { CliError } from '../cli-error.ts';

interface EvaluateOptions {
  namespace: string;
  entityId?: string;
  requestId?: string;
  context: Record<string, string>;
  address?: string;
  config?: string;
  token?: string;
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a flag on a running server and print the result as one JSON line')
    .argument('<flag>', 'flag key')
    .option('-n, --namespace <key>', 'namespace of the flag', 'default')
    .option('-e, --entity-id <id>', 'entity to evaluate for (default: a random UUID)')
    .option('-r, --request-id <id>', 'request id to send')
    .option('-c, --context <key=value>', 'context entry, repeatable', collectContext, {})
    .option(
      '-a, --address <url>',
      'server address (default: from the config file and ENSIGN_/FLIPT_ variables, server.host and server.http_port: http://localhost:8080 unless changed)',
    )
    .option('--config <path>', 'Flipt-style config.yml to read the server address from')
    .option('-t, --token <token>', 'client token (sent as a Bearer token)')
    .action(async (flagKey: string, options: EvaluateOptions) => {
      const client = new ServerClient(options.address ?? configuredAddress(options.config), options.token);
      const namespace = options.namespace;
      const flag = await client.call<{ type?: string }>(
        'GET',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/flags/${encodeURIComponent(flagKey)}`,
      );
      const isBoolean = flag.type === 'BOOLEAN_FLAG_TYPE';
      const request = {
        namespaceKey: namespace,
        flagKey,
        entityId: options.entityId ?? randomUUID(),
        context: options.context,
        ...(options.requestId ? { requestId: options.requestId } : {}),
      };
      const result = await client.call<Record<string, unknown>>(
        'POST',
        `/evaluate/v1/${isBoolean ? 'boolean' : 'variant'}`,
        request,
      );
      process.stdout.write(`${JSON.stringify(isBoolean ? booleanLine(result) : variantLine(result))}\n`);
    });
}

/** Where the configured server listens, as a client reaches it (a wildcard bind is local). */
function configuredAddress(configPath: string | undefined): string {
  const { server } = loadConfig({ path: findConfigFile(configPath) }).config;
  const host = ['0.0.0.0', '::', '[::]', ''].includes(server.host) ? 'localhost' : server.host;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${server.protocol}://${bracketed}:${server.httpPort}`;
}

function collectContext(entry: string, context: Record<string, string>): Record<string, string> {
  const separator = entry.indexOf('=');
  if (separator <= 0) throw new CliError(`--context must be key=value (got "${entry}")`);
  return { ...context, [entry.slice(0, separator)]: entry.slice(separator + 1) };
}

// The field names and order of Flipt's `flipt evaluate` output.
function booleanLine(r: Record<string, unknown>): Record<string, unknown> {
  return {
    flag_key: r['flagKey'],
    enabled: r['enabled'],
    reason: r['reason'],
    request_id: r['requestId'],
    request_duration_millis: r['requestDurationMillis'],
    timestamp: r['timestamp'],
  };
}

function variantLine(r: Record<string, unknown>): Record<string, unknown> {
  return {
    flag_key: r['flagKey'],
    match: r['match'],
    reason: r['reason'],
    variant_key: r['variantKey'],
    variant_attachment: r['variantAttachment'],
    segment_keys: r['segmentKeys'],
    request_id: r['requestId'],
    request_duration_millis: r['requestDurationMillis'],
    timestamp: r['timestamp'],
  };
}

/** Just enough of an HTTP client to turn every failure into a sentence a user can act on. */
class ServerClient {
  readonly #base: string;
  readonly #token: string | undefined;

  constructor(address: string, token: string | undefined) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new CliError(`--address must be a URL such as http://localhost:8080 (got "${address}")`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`--address must be an http:// or https:// URL (got "${address}")`);
    }
    this.#base = url.href.replace(/\/+$/, '');
    this.#token = token;
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers['authorization'] = `Bearer ${this.#token}`;
    let response: Response;
    try {
      response = await fetch(this.#base + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`cannot reach the server at ${this.#base}: ${reason}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const message = (parsed as { message?: unknown } | undefined)?.message;
      const detail =
        typeof message === 'string' && message !== '' ? message : text.slice(0, 200) || response.statusText;
      throw new CliError(`${detail} (HTTP ${response.status} from ${method} ${path})`);
    }
    if (parsed === undefined) throw new CliError(`${method} ${path}: the server did not answer with JSON`);
    return parsed as T;
  }
}
