import type { IncomingMessage } from 'node:http';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createLogger, type LogDestination, type Logger, type LoggerOptions } from './logger.ts';

// The access log (`log.access: true`): one structured line per request, on every transport
// path, written when the answer is finished or the client went away. When the key is off none
// of this is installed, so it costs nothing. When on, lines are written in batches, one write
// per turn of the event loop rather than one per request (measured: bench/README.md).

/** The access log's own logger: info level whatever log.level says, since the operator asked. */
export function createAccessLogger(
  options: Pick<LoggerOptions, 'encoding'>,
  destination: LogDestination = stderrDestination(),
): Logger {
  return createLogger({ level: 'info', encoding: options.encoding }, batched(destination)).child({
    log: 'access',
  });
}

function stderrDestination(): LogDestination {
  return { write: (text: string) => process.stderr.write(text) };
}

const unflushed = new Set<() => void>();
let exitHooked = false;

/** Collects lines and writes them together on the next turn; whatever is left goes out at exit. */
export function batched(destination: LogDestination): LogDestination {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    unflushed.delete(flush);
    if (pending === '') return;
    const text = pending;
    pending = '';
    destination.write(text);
  };
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const pendingFlush of [...unflushed]) pendingFlush();
    });
  }
  return {
    write(line: string) {
      pending += line;
      if (!scheduled) {
        scheduled = true;
        unflushed.add(flush);
        setImmediate(flush);
      }
    },
  };
}

/** What the log reads of a request and a response, node:http's or node:http2's compat ones. */
type Request = Pick<IncomingMessage, 'method' | 'url'>;
interface Response {
  readonly statusCode: number;
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** Wraps an HTTP/1.1 listener (REST, both its fast path and Hono; gRPC-Web and Connect on 1.1). */
export function logHttpRequests<Req extends Request, Res extends Response>(
  listener: (req: Req, res: Res) => void,
  logger: Logger,
  transport: 'http' | 'grpc',
): (req: Req, res: Res) => void {
  return (req, res) => {
    const start = performance.now();
    res.once('close', () => {
      logger.info(
        {
          transport,
          method: req.method,
          path: req.url,
          status: res.statusCode,
          durationMs: roundMs(performance.now() - start),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    listener(req, res);
  };
}

/** Logs one HTTP/2 stream of the gRPC port (gRPC, gRPC-Web, Connect; direct or via Connect). */
export function logGrpcStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, logger: Logger): void {
  const start = performance.now();
  stream.once('close', () => {
    const sent = stream.sentHeaders ?? {};
    const trailers = stream.sentTrailers ?? {};
    const grpcStatus = trailers['grpc-status'] ?? sent['grpc-status'];
    logger.info(
      {
        transport: 'grpc',
        method: headers[':method'],
        path: headers[':path'],
        status: sent[':status'],
        ...(grpcStatus === undefined ? {} : { grpcStatus: Number(grpcStatus) }),
        durationMs: roundMs(performance.now() - start),
        ...(stream.rstCode ? { aborted: true } : {}),
      },
      'request',
    );
  });
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
