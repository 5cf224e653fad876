import { createBackoff } from './backoff.ts';
import { createSseParser } from './sse-parser.ts';

// The client end of the server's change stream: one long GET read as SSE over fetch, reconnected
// with jittered backoff until closed. Events only say "version <etag> exists"; the client decides
// whether to refetch, so a missed or duplicated event costs at most one conditional GET.

export interface ChangeStreamOptions {
  url: string;
  headers: Record<string, string>;
  idleTimeoutMs: number;
  reconnectDelayMs: { initial: number; max: number };
  /** The version the client holds, sent as Last-Event-ID so the server skips a redundant event. */
  lastEventId(): string | undefined;
  onVersion(etag: string): void;
  /** The server answered that it has no stream: stop trying, polling stays in charge. */
  onUnsupported?(status: number): void;
}

export interface ChangeStream {
  /**
   * True while a stream response is open and has sent a byte (event or heartbeat) within the idle
   * timeout. Judged by the clock, not by the watchdog timer, which may never fire where timers
   * die with a request: a stalled stream must not pass for a live one.
   */
  readonly connected: boolean;
  close(): void;
}

/** Statuses meaning "no such endpoint here" (an older Ensign, or Flipt itself). */
const UNSUPPORTED = new Set([404, 405, 501]);
/**
 * After a goaway event (the server is shutting down) the client reconnects within this window,
 * not after its backoff: a load balancer sends the new connection to a replica that stays. The
 * jitter spreads the clients of one replica over the others.
 */
const GOAWAY_RECONNECT_MS = 250;

export function openChangeStream(options: ChangeStreamOptions): ChangeStream {
  const backoff = createBackoff(options.reconnectDelayMs.initial, options.reconnectDelayMs.max);
  let closed = false;
  let connected = false;
  let lastByteAt = 0;
  let current: AbortController | undefined;
  let wake: (() => void) | undefined;
  let goingAway = false;

  /** Returns 'goaway' when the server says it is shutting down. */
  function handle(data: string): 'goaway' | undefined {
    let message: { type?: unknown; etag?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return undefined;
    }
    if (message.type === 'goaway') return 'goaway';
    // Unknown event types are ignored, as OFREP asks of its stream consumers.
    if (message.type !== undefined && message.type !== 'refetchEvaluation') return undefined;
    if (typeof message.etag === 'string') options.onVersion(message.etag);
    return undefined;
  }

  async function read(body: ReadableStream<Uint8Array>, abort: AbortController): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = createSseParser();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), options.idleTimeoutMs);
    };
    arm();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        lastByteAt = Date.now();
        arm();
        backoff.reset();
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          // Named events (Ensign's `revision`, for management UIs) are not version notices.
          if (event.type !== 'message') continue;
          if (handle(event.data) === 'goaway') {
            goingAway = true;
            return;
          }
        }
      }
    } finally {
      clearTimeout(idle);
      reader.cancel().catch(() => {});
    }
  }

  async function connectOnce(): Promise<'again' | 'stop'> {
    const abort = new AbortController();
    current = abort;
    // No Cache-Control request header: it is not CORS-safelisted, and the server's response
    // already forbids caching. Last-Event-ID (below) must be in the server's allowed headers.
    const headers: Record<string, string> = { ...options.headers, Accept: 'text/event-stream' };
    const last = options.lastEventId();
    if (last) headers['Last-Event-ID'] = last;
    try {
      const response = await fetch(options.url, { headers, signal: abort.signal });
      if (UNSUPPORTED.has(response.status)) {
        await response.body?.cancel();
        options.onUnsupported?.(response.status);
        return 'stop';
      }
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || !response.body || !type.includes('text/event-stream')) {
        await response.body?.cancel();
        return 'again';
      }
      connected = true;
      lastByteAt = Date.now();
      await read(response.body, abort);
    } catch {
      // Network errors, aborts by the idle watchdog: reconnect below.
    } finally {
      connected = false;
      current = undefined;
    }
    return 'again';
  }

  async function loop(): Promise<void> {
    while (!closed) {
      if ((await connectOnce()) === 'stop') return;
      if (closed) return;
      const delay = goingAway ? Math.random() * GOAWAY_RECONNECT_MS : backoff.next();
      goingAway = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  void loop();

  return {
    get connected() {
      return connected && Date.now() - lastByteAt < options.idleTimeoutMs;
    },
    close() {
      closed = true;
      current?.abort();
      wake?.();
    },
  };
}
