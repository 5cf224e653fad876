import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// Connect answers a unary request body it cannot parse as protobuf with `internal` (HTTP 500), as
// if the server had failed. It is the client's bytes that are wrong, so that one answer becomes
// `invalid_argument` (HTTP 400), the code Connect already gives a body it cannot parse as JSON.
// Connect has no hook for it (its binary parser hard-codes the code), so the response is caught
// on its way out: only a 500 to a Connect protobuf request is held back and looked at.

const CONNECT_UNARY_PROTO = /^application\/proto\b/i;

/** Node's HTTP/1.1 or HTTP/2 compatibility response; only its three writing methods are used. */
type Response = object;
type Callback = (error?: Error | null) => void;

function rewritten(body: Buffer): Buffer | undefined {
  try {
    const error = JSON.parse(body.toString('utf8')) as { code?: unknown; message?: unknown };
    if (error.code !== 'internal' || typeof error.message !== 'string') return undefined;
    if (!error.message.startsWith('parse binary:')) return undefined;
    return Buffer.from(JSON.stringify({ code: 'invalid_argument', message: error.message }));
  } catch {
    return undefined;
  }
}

export function connectParseFailuresAreClientErrors(
  req: { headers: IncomingHttpHeaders },
  res: Response,
): void {
  if (!CONNECT_UNARY_PROTO.test(String(req.headers['content-type'] ?? ''))) return;
  const target = res as Record<string, unknown>;
  const original = { writeHead: target['writeHead'], write: target['write'], end: target['end'] };
  let held: OutgoingHttpHeaders | undefined;
  const chunks: Buffer[] = [];

  target['writeHead'] = (status: number, headers?: OutgoingHttpHeaders) => {
    if (held !== undefined) return res;
    if (status !== 500) {
      Object.assign(target, original);
      return (original.writeHead as (s: number, h?: OutgoingHttpHeaders) => Response).call(
        res,
        status,
        headers,
      );
    }
    held = { ...(headers ?? {}) };
    return res;
  };
  target['write'] = (data: Buffer | string, encoding?: BufferEncoding | Callback, callback?: Callback) => {
    chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) queueMicrotask(() => done());
    return true;
  };
  target['end'] = (...args: unknown[]) => {
    Object.assign(target, original);
    const body = Buffer.concat(chunks);
    const replacement = held === undefined ? undefined : rewritten(body);
    const headers = { ...(held ?? {}) };
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === 'content-length') delete headers[name];
    const send = replacement ?? body;
    const writeHead = original.writeHead as (s: number, h?: OutgoingHttpHeaders) => Response;
    if (held !== undefined)
      writeHead.call(res, replacement ? 400 : 500, { ...headers, 'content-length': send.byteLength });
    const callback = args.find((a) => typeof a === 'function') as Callback | undefined;
    return (original.end as (chunk: Buffer, cb?: Callback) => Response).call(res, send, callback);
  };
}
