import type { EventEmitter } from 'node:events';
import type { GrpcErrorLogger } from './errors.ts';
import type { GrpcHandlers } from './handlers.ts';
import { type CompatHandler, compatStream, type DualHandlers } from './listener.ts';

// The gRPC port is bound before its handlers exist (they take most of the listener's start-up
// time). A connection starts loading them; a call that arrives meanwhile waits for the load
// and is then answered like any other: nothing is refused or dropped for being early.

/** gRPC's status code INTERNAL (Connect's Code enum is part of what is not loaded yet). */
const GRPC_INTERNAL = 13;

export interface LazyGrpcHandlers extends DualHandlers {
  /** Starts loading the handlers, once; a failed load is tried again by the next call. */
  warm(): void;
}

export function lazyGrpcHandlers(
  load: () => Promise<GrpcHandlers>,
  logger: GrpcErrorLogger,
): LazyGrpcHandlers {
  let ready: GrpcHandlers | undefined;
  let loading: Promise<GrpcHandlers> | undefined;
  const loaded = (): Promise<GrpcHandlers> => {
    loading ??= load().then(
      (handlers) => {
        ready = handlers;
        return handlers;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  /**
   * Now when loaded; otherwise after the load, and `fail` answers the call if that breaks. Until
   * the handlers take it, nobody else listens to `waiting`'s errors (a client resetting its
   * stream, a socket cut), and an unheard error event would end the process; the listener stays,
   * since the error of a stream reset during the wait may still be on its way.
   */
  const whenLoaded = (
    waiting: EventEmitter,
    use: (handlers: GrpcHandlers) => void,
    fail: () => void,
  ): void => {
    if (ready) {
      use(ready);
      return;
    }
    const ignore = () => {};
    waiting.on('error', ignore);
    loaded()
      .then(use)
      .catch((error: unknown) => {
        logger.error({ err: error }, 'could not load the gRPC handlers');
        fail();
      });
  };
  const request: CompatHandler = (req, res) =>
    whenLoaded(
      req,
      (handlers) => handlers.compat(req, res),
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  return {
    warm: () => void loaded().catch(() => {}),
    request,
    stream(stream, headers, raw) {
      whenLoaded(
        stream,
        // Both paths cope with a stream the client has already reset, as they did before.
        (handlers) => {
          if (!handlers.direct(stream, headers)) compatStream(handlers.compat, stream, headers, raw);
        },
        () => {
          if (stream.destroyed || stream.headersSent) return;
          // A trailers-only gRPC answer: resetting the stream instead would raise an error event.
          stream.respond(
            {
              ':status': 200,
              'content-type': 'application/grpc',
              'grpc-status': String(GRPC_INTERNAL),
              'grpc-message': 'the gRPC API could not be loaded',
            },
            { endStream: true },
          );
        },
      );
    },
  };
}
