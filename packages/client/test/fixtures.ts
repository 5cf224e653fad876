import { sdkStyleDocument } from '../../core/test/datasets/sdk-style.ts';
import type { IFetcher, Response } from '../src/types.ts';

// A fetcher serving a snapshot body from memory, for client tests that need no server.

/** The snapshot document a server sends for the sdk-style dataset (flag1, flag_boolean, segment1). */
export const stateJson: unknown = JSON.parse(JSON.stringify(sdkStyleDocument()));

export function response(status: number, body: unknown, etag?: string): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    headers: { get: (name: string) => (name.toLowerCase() === 'etag' ? (etag ?? null) : null) },
    json: async () => body,
  };
}

/** Serves `current.body` with `current.etag`; answers 304 on a matching If-None-Match. */
export function memoryFetcher(current: {
  body: unknown;
  etag: string;
  fail?: boolean;
}): IFetcher & { calls: number } {
  const fetcher = (async (opts) => {
    fetcher.calls++;
    if (current.fail) throw new TypeError('fetch failed');
    if (opts?.etag === current.etag) return response(304, null, current.etag);
    return response(200, current.body, current.etag);
  }) as IFetcher & { calls: number };
  fetcher.calls = 0;
  return fetcher;
}
