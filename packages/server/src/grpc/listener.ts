import {
  createServer as createHttp1Server,
  type Server as HttpServer,
  type RequestListener,
} from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2Server,
  Http2ServerRequest,
  Http2ServerResponse,
  constants as http2Constants,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createSecureServer } from 'node:tls';
import type { ServerLimits } from '../config/types.ts';
import { trackConnections } from '../http/drain.ts';
import { httpServerOptions } from '../http/limits.ts';

// One plaintext port for HTTP/2 (gRPC, gRPC-Web, Connect) and HTTP/1.1 (gRPC-Web from browsers,
// Connect with plain fetch). h2c has no upgrade negotiation we could rely on, so the first bytes
// decide: every HTTP/2 connection opens with the client preface "PRI * HTTP/2.0".

const PREFACE_START = Buffer.from('PRI ');

export interface DualServer {
  readonly server: Server;
  /**
   * Stops accepting and lets clients go: HTTP/2 sessions get GOAWAY and finish their streams,
   * HTTP/1.1 connections close after their next answer; whatever is left after `graceMs` is cut.
   */
  drain(graceMs: number): Promise<void>;
}

/** Past any stream id a client can open: "stop opening streams, but those in transit count". */
const MAX_STREAM_ID = 2 ** 31 - 1;
/** Between the two GOAWAYs: far more than a round trip to any client that is still sending. */
const GOAWAY_NOTICE_MS = 250;

/**
 * HTTP/2's graceful shutdown in two steps, so that no stream the client sent before it learnt
 * of the shutdown is refused: GOAWAY with the largest stream id (the client stops opening
 * streams, and streams already on the wire are still taken), then, once any such stream has had
 * time to arrive, the real GOAWAY; the session closes when its streams are done. (A PING round
 * trip would be the exact wait, but Node's client does not answer PINGs once told to go away.)
 */
function goAway(session: ServerHttp2Session): void {
  if (session.closed || session.destroyed) return;
  try {
    session.goaway(0, MAX_STREAM_ID);
  } catch {
    // The session is going already; close() below finishes the job.
  }
  setTimeout(() => {
    if (!session.closed && !session.destroyed) session.close();
  }, GOAWAY_NOTICE_MS).unref();
}

/** Takes an HTTP/2 stream before any compatibility objects exist; false passes it on. */
export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => boolean;

/** A request handler for both flavours: HTTP/1.1 requests and HTTP/2 compatibility objects. */
export type CompatHandler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

/** Who answers what arrives: each HTTP/2 stream (owned from then on) and each HTTP/1.1 request. */
export interface DualHandlers {
  stream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]): void;
  request: CompatHandler;
}

/**
 * What node:http2 does per stream when a server has a 'request' listener (onServerStream in
 * lib/internal/http2/compat.js), for the streams `direct` declines.
 */
export function compatStream(
  handler: CompatHandler,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
): void {
  // The constructors are public API but @types/node declares them without a usable signature.
  const Request = Http2ServerRequest as unknown as new (
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    options: undefined,
    rawHeaders: string[],
  ) => Http2ServerRequest;
  const Response = Http2ServerResponse as unknown as new (stream: ServerHttp2Stream) => Http2ServerResponse;
  const req = new Request(stream, headers, undefined, rawHeaders);
  const res = new Response(stream);
  if (headers[':method'] === 'CONNECT') {
    res.statusCode = 405;
    res.end();
    return;
  }
  const expect = headers.expect;
  if (expect !== undefined) {
    if (expect !== '100-continue') {
      res.writeHead(417);
      res.end();
      return;
    }
    res.writeContinue();
  }
  handler(req, res);
}

export function createDualServer(
  handlers: DualHandlers,
  limits: ServerLimits,
  tls?: { cert: Buffer; key: Buffer },
): DualServer {
  // No 'request' listener: node:http2 would then build a compatibility request and response for
  // every stream, which the direct path never reads. compatStream builds them only when needed.
  const h2 = createHttp2Server({ settings: { maxConcurrentStreams: limits.maxConcurrentStreams } });
  h2.on(
    'stream',
    (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, raw: string[]) => {
      limitRequestTime(stream, limits.requestTimeoutMs);
      handlers.stream(stream, headers, raw);
    },
  );
  const h1 = createHttp1Server(httpServerOptions(limits), handlers.request as unknown as RequestListener);
  const h1Connections = trackConnections(h1);
  // The HTTP/1.1 server never listens itself (connections are handed to it), but its header,
  // request and keep-alive deadlines are only checked once it has seen 'listening'.
  h1.emit('listening');
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  h2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A session with no stream activity for the idle timeout is asked to go away.
    session.setTimeout(limits.idleTimeoutMs, () => session.close());
  });
  // With TLS, ALPN says which protocol the client speaks; the decrypted socket goes to that server.
  const server = tls
    ? createTlsServer(tls, h1, h2, sockets, limits)
    : createPlainServer(h1, h2, sockets, limits);
  server.maxConnections = limits.maxConnections;
  let drained: Promise<void> | undefined;
  return {
    server,
    drain(graceMs) {
      drained ??= new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        // Resolves once every accepted socket, whichever protocol took it, has closed.
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        for (const session of sessions) goAway(session);
        void h1Connections.drain(graceMs);
      });
      return drained;
    },
  };
}

function createTlsServer(
  material: { cert: Buffer; key: Buffer },
  h1: HttpServer,
  h2: Http2Server,
  sockets: Set<Socket>,
  limits: ServerLimits,
): Server {
  const options = {
    ...material,
    ALPNProtocols: ['h2', 'http/1.1'],
    noDelay: true,
    // A client that connects and never finishes the handshake must not hold a socket forever.
    handshakeTimeout: limits.headersTimeoutMs,
  };
  const server = createSecureServer(options, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    (socket.alpnProtocol === 'h2' ? h2 : h1).emit('connection', socket);
  });
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  return server;
}

function createPlainServer(
  h1: HttpServer,
  h2: Http2Server,
  sockets: Set<Socket>,
  limits: ServerLimits,
): Server {
  // Nagle's algorithm would hold small gRPC frames back until the peer's delayed ACK
  // (tens of ms per call); Node's own HTTP servers disable it too.
  return createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (head: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(head);
      if (head.subarray(0, PREFACE_START.length).equals(PREFACE_START)) {
        // The HTTP/2 session reads what is buffered on the next tick; resuming now would drain it.
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', socket);
        socket.resume();
      }
    });
    // A client that connects and never speaks must not hold a socket.
    socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
  });
}

/**
 * A stream whose request has not fully arrived within the request timeout is cancelled: an
 * unfinished call holds its buffered message (up to the message size limit) until it ends.
 */
function limitRequestTime(stream: ServerHttp2Stream, timeoutMs: number): void {
  const timer = setTimeout(() => {
    if (!stream.readableEnded && !stream.destroyed) stream.close(http2Constants.NGHTTP2_CANCEL);
  }, timeoutMs);
  timer.unref();
  stream.once('close', () => clearTimeout(timer));
}
