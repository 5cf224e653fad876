import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

// Closing an HTTP/1.1 server without failing a request a client has already sent. Node's
// server.close() also closes idle keep-alive connections at once, and a client that has just
// written its next request on one of them gets ECONNRESET (with keep-alive load, most of them).
// Here instead: stop listening; answer every request on an open connection, marked
// `Connection: close` so the client itself moves to a new connection (which a load balancer sends
// to another replica); close a connection only once it has sat idle for IDLE_CLOSE_MS, which a
// connection in use does not (closing a connection the client is just writing to is the one
// race HTTP/1.1 leaves, so the wait is long next to any gap between requests of a busy client);
// cut whatever is left when the grace period ends.

const IDLE_CLOSE_MS = 1000;
const SWEEP_MS = 50;

interface ConnectionState {
  /** Responses not yet finished on this connection. */
  open: Set<ServerResponse>;
  idleSince: number;
}

export interface ConnectionDrain {
  /** Resolves when every connection is closed; cuts them all after `graceMs`. Idempotent. */
  drain(graceMs: number): Promise<void>;
}

const CONNECTION = Symbol('connection');
type TrackedResponse = ServerResponse & { [CONNECTION]?: ConnectionState };

function responseClosed(this: TrackedResponse): void {
  const state = this[CONNECTION];
  if (state === undefined) return;
  state.open.delete(this);
  state.idleSince = Date.now();
}

/** Starts tracking `server`'s connections; call before it serves anything. */
export function trackConnections(server: HttpServer): ConnectionDrain {
  const connections = new Map<Socket, ConnectionState>();
  let draining = false;
  let settle: (() => void) | undefined;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { open: new Set(), idleSince: Date.now() });
    socket.once('close', () => {
      connections.delete(socket);
      if (draining && connections.size === 0) settle?.();
    });
  });
  // Ahead of the application's listener, so the header is set before a handler that answers
  // synchronously has sent its headers.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (draining) res.setHeader('connection', 'close');
    if (state === undefined) return;
    state.open.add(res);
    // One shared listener (`close` fires once), not a closure and a once-wrapper per request:
    // this runs for every request the server answers.
    (res as TrackedResponse)[CONNECTION] = state;
    res.on('close', responseClosed);
  });

  let drained: Promise<void> | undefined;
  return {
    drain(graceMs) {
      drained ??= new Promise<void>((resolve) => {
        draining = true;
        // A short grace period still leaves idle connections a share of it.
        const idleCloseMs = Math.min(IDLE_CLOSE_MS, graceMs / 2);
        // net's close, not http's: stop accepting and leave the open connections alone.
        if (server.listening) NetServer.prototype.close.call(server);
        for (const state of connections.values()) {
          for (const res of state.open) if (!res.headersSent) res.setHeader('connection', 'close');
        }
        const sweep = setInterval(() => {
          const now = Date.now();
          for (const [socket, state] of connections) {
            if (state.open.size === 0 && now - state.idleSince >= idleCloseMs) socket.destroy();
          }
        }, SWEEP_MS);
        const deadline = setTimeout(() => {
          for (const socket of connections.keys()) socket.destroy();
        }, graceMs);
        settle = () => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve();
        };
        if (connections.size === 0) settle();
      });
      return drained;
    },
  };
}
