import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import {
  create,
  type DescMessage,
  type DescMethodUnary,
  fromBinary,
  isMessage,
  toBinary,
} from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import {
  type Auth,
  type Authentication,
  clientIp,
  runAs,
  type Surface,
  surfaceOfService,
} from '../auth/index.ts';
import { type GrpcErrorLogger, reportError, toConnectError } from './errors.ts';
import { HOT_CODECS, type HotCodec } from './hot-codecs.ts';
import type { ServedService } from './routes.ts';
import { encodeGrpcMessage } from './status-message.ts';
import { turnPacer } from './turn-pacer.ts';

// Plain gRPC unary calls (HTTP/2, application/grpc[+proto], uncompressed) are answered here
// directly on the raw HTTP/2 stream: read one length-prefixed frame, decode, call the same handler
// Connect would, encode, write one frame and the status trailers. Connect's generic pipeline
// (async iterables, web headers, an AbortController per call) costs several times the evaluation
// itself, and so do Node's compatibility request/response objects; everything else (gRPC-Web,
// Connect, streaming, compression, unknown methods) still goes through Connect.

type UnaryImpl = (request: unknown, context: HandlerContext) => unknown;

interface Route {
  readonly method: DescMethodUnary;
  readonly impl: UnaryImpl;
  readonly codec: HotCodec | undefined;
  readonly surface: Surface;
}

const OK = '0';
const INTERNAL = 13;
const RESOURCE_EXHAUSTED = 8;
const FRAME_HEADER = 5;
// Calls answered per event-loop turn before the rest wait for the next (turn-pacer.ts). Measured
// with a bare node:http2 client like bench/grpc.ts's (32 in flight on one connection, 2 vCPUs):
// 4, 8, 16 and 32 gave about 7.5k, 8.8k, 8.0k and 6.6k calls/s; unpaced about 6.2k/s.
const CALLS_PER_TURN = 8;
const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' } as const;
// gRPC has no use for the `date` header node:http2 adds by default; it costs both ends HPACK work.
const RESPOND_OPTIONS = { waitForTrailers: true, sendDate: false } as const;
const OK_TRAILERS = { 'grpc-status': OK } as const;

export interface UnaryFastPath {
  /** Answers the call and returns true, or returns false to leave the stream to Connect. */
  handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): boolean;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function peerOf(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): string {
  return clientIp(headerValue(headers, 'x-forwarded-for'), stream.session?.socket?.remoteAddress);
}

/** The headers handlers read (OFREP namespace, snapshot version), without a Headers object. */
function contextOf(headers: IncomingHttpHeaders): HandlerContext {
  const requestHeader = {
    get: (name: string) => headerValue(headers, name) ?? null,
    has: (name: string) => headers[name.toLowerCase()] !== undefined,
  };
  return { requestHeader } as unknown as HandlerContext;
}

function routesOf(served: readonly ServedService[]): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const { desc, impl, connectOnly } of served) {
    if (connectOnly) continue;
    for (const method of desc.methods) {
      const fn = impl[method.localName];
      if (method.methodKind !== 'unary' || typeof fn !== 'function') continue;
      const unary = method as DescMethodUnary;
      const path = `/${desc.typeName}/${method.name}`;
      routes.set(path, {
        method: unary,
        impl: fn.bind(impl) as UnaryImpl,
        codec: HOT_CODECS.get(path),
        surface: surfaceOfService(desc.typeName),
      });
    }
  }
  return routes;
}

function isPlainGrpc(headers: IncomingHttpHeaders): boolean {
  if (headers[':method'] !== 'POST') return false;
  const type = headers['content-type'];
  if (type !== 'application/grpc' && type !== 'application/grpc+proto') return false;
  const encoding = headers['grpc-encoding'];
  return encoding === undefined || encoding === 'identity';
}

/** Nothing to do: the client reset or the session died; the stream cleans itself up. */
function ignore() {}

export function unaryFastPath(
  served: readonly ServedService[],
  options: { logger: GrpcErrorLogger; readMaxBytes: number; auth?: Auth },
): UnaryFastPath {
  const { auth } = options;
  const routes = routesOf(served);
  const pacer = turnPacer(CALLS_PER_TURN);

  /** `frame` is the whole gRPC message frame, prefix included. */
  function respond(stream: ServerHttp2Stream, frame: Buffer | undefined, code: number, message: string) {
    // The client may have reset the stream while the handler ran.
    if (stream.destroyed || stream.closed) return;
    let trailers: Record<string, string> = OK_TRAILERS;
    if (code !== 0) {
      trailers = { 'grpc-status': String(code) };
      if (message) trailers['grpc-message'] = encodeGrpcMessage(message);
    }
    stream.respond(RESPONSE_HEADERS, RESPOND_OPTIONS);
    stream.once('wantTrailers', () => stream.sendTrailers(trailers));
    if (frame) stream.end(frame);
    else stream.end();
  }

  function frameOf(body: Uint8Array): Buffer {
    const frame = Buffer.allocUnsafe(FRAME_HEADER + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, FRAME_HEADER);
    return frame;
  }

  function encode(route: Route, result: unknown): Buffer {
    const frame = route.codec?.encodeFrame(result);
    if (frame) return frame;
    const output = route.method.output as DescMessage;
    const message = isMessage(result, output) ? result : create(output, result as never);
    return frameOf(toBinary(output, message));
  }

  function fail(stream: ServerHttp2Stream, error: unknown, path: string) {
    const mapped = toConnectError(error);
    reportError(options.logger, error, mapped, path);
    respond(stream, undefined, mapped.code, mapped.rawMessage);
  }

  async function run(
    route: Route,
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    path: string,
    payload: Buffer,
  ) {
    let identity: Authentication | undefined;
    try {
      // The same gate Connect's interceptor applies, before anything of the call is looked at.
      identity = auth
        ? await auth.gate.authenticate(route.surface, (name) => headerValue(headers, name), false)
        : undefined;
    } catch (error) {
      fail(stream, error, path);
      return;
    }
    let request: unknown;
    try {
      request = route.codec?.decode(payload) ?? fromBinary(route.method.input, payload);
    } catch {
      respond(stream, undefined, INTERNAL, `failed to parse ${route.method.input.typeName}`);
      return;
    }
    try {
      const result = auth
        ? await runAs({ identity, ip: peerOf(stream, headers) }, () =>
            route.impl(request, contextOf(headers)),
          )
        : await route.impl(request, contextOf(headers));
      respond(stream, encode(route, result), 0, '');
    } catch (error) {
      fail(stream, error, path);
    }
  }

  return {
    handle(stream, headers) {
      if (!isPlainGrpc(headers)) return false;
      const path = headers[':path'] as string;
      const route = routes.get(path);
      if (!route) return false;
      // Without a listener a peer's RST_STREAM would surface as an uncaught 'error'.
      stream.on('error', ignore);
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.readMaxBytes + FRAME_HEADER) tooLarge = true;
        else chunks.push(chunk);
      });
      stream.on('end', () => {
        if (tooLarge) {
          respond(stream, undefined, RESOURCE_EXHAUSTED, `message larger than ${options.readMaxBytes} bytes`);
          return;
        }
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        // Exactly one uncompressed frame: anything else is a protocol error.
        if (
          body.length < FRAME_HEADER ||
          body[0] !== 0 ||
          body.readUInt32BE(1) !== body.length - FRAME_HEADER
        ) {
          respond(stream, undefined, INTERNAL, 'malformed gRPC message frame');
          return;
        }
        pacer.run(() => {
          run(route, stream, headers, path, body.subarray(FRAME_HEADER)).catch((error: unknown) => {
            // Only writing the answer can fail here; the stream is gone, the server carries on.
            options.logger.error({ err: error, method: path }, 'grpc response failed');
          });
        });
      });
      return true;
    },
  };
}
