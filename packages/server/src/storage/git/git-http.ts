import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface GitHttpOptions {
  /** Sent on every request: Basic for username/password, Bearer for a token. */
  authorization?: string;
  /** Extra CA certificates (PEM) to trust for https. */
  ca?: string;
  insecureSkipTls: boolean;
  /** A request with no progress for this long fails (default 20 s). */
  timeoutMs?: number;
}

/**
 * isomorphic-git's HTTP transport, on node:http(s) so TLS settings (ca_cert, insecure_skip_tls)
 * apply and a silent server cannot hang a sync forever.
 */
export function gitHttpClient(options: GitHttpOptions): HttpClient {
  const agent = new HttpsAgent({
    keepAlive: true,
    ...(options.ca ? { ca: options.ca } : {}),
    rejectUnauthorized: !options.insecureSkipTls,
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const body = req.body ? await collect(req.body) : undefined;
      const url = new URL(req.url);
      const headers: Record<string, string> = { ...req.headers };
      if (options.authorization) headers['authorization'] = options.authorization;
      if (body) headers['content-length'] = String(body.length);
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const outgoing = send(
          url,
          { method: req.method ?? 'GET', headers, ...(url.protocol === 'https:' ? { agent } : {}) },
          resolve,
        );
        outgoing.setTimeout(timeoutMs, () =>
          outgoing.destroy(new Error(`no answer from ${url.host} within ${timeoutMs / 1000} s`)),
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      response.setTimeout(timeoutMs, () =>
        response.destroy(new Error(`${url.host} stopped sending for ${timeoutMs / 1000} s`)),
      );
      return {
        url: req.url,
        method: req.method ?? 'GET',
        headers: Object.fromEntries(
          Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        body: response[Symbol.asyncIterator]() as AsyncIterableIterator<Uint8Array>,
        statusCode: response.statusCode ?? 0,
        statusMessage: response.statusMessage ?? '',
      };
    },
  };
}

async function collect(body: AsyncIterableIterator<Uint8Array> | Iterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
