import { createHmac } from 'node:crypto';
import type { Logger } from '../observability/logger.ts';
import type { AuditEvent } from './event.ts';
import type { AuditCounters, AuditSink } from './sink.ts';

// audit.sinks.webhook: each event POSTed as JSON, signed with HMAC-SHA256 (hex) in
// x-flipt-webhook-signature when a secret is set. A failing receiver is retried with exponential
// backoff until max_backoff_duration has passed for that event, which is then counted as dropped.
// Events wait their turn in a bounded queue, so a slow receiver never holds a write back.

export const SIGNATURE_HEADER = 'x-flipt-webhook-signature';
const QUEUE_LIMIT = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;
const FIRST_DELAY_MS = 100;

export interface WebhookOptions {
  url: string;
  signingSecret: string;
  maxBackoffMs: number;
}

export function signatureOf(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function createWebhookSink(
  options: WebhookOptions,
  counters: AuditCounters,
  logger: Logger,
): AuditSink {
  const queue: AuditEvent[] = [];
  let running: Promise<void> | undefined;
  let closing = false;
  const wake = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake.add(done);
    });

  async function post(body: string): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.signingSecret) headers[SIGNATURE_HEADER] = signatureOf(options.signingSecret, body);
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async function deliver(event: AuditEvent): Promise<boolean> {
    const body = JSON.stringify(event);
    const deadline = Date.now() + options.maxBackoffMs;
    let delay = FIRST_DELAY_MS;
    for (;;) {
      if (await post(body)) return true;
      if (closing || Date.now() + delay > deadline) return false;
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxBackoffMs);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const event = queue.shift()!;
      if (await deliver(event)) counters.delivered('webhook', 1);
      else {
        counters.dropped('webhook', 1);
        logger.warn(
          { url: options.url, type: event.type, action: event.action },
          'audit event dropped: webhook unreachable',
        );
      }
    }
    running = undefined;
  }

  return {
    name: 'webhook',
    send(events) {
      const room = Math.max(0, QUEUE_LIMIT - queue.length);
      queue.push(...events.slice(0, room));
      if (events.length > room) counters.dropped('webhook', events.length - room);
      running ??= drain();
    },
    async close() {
      closing = true;
      for (const done of wake) done();
      const pending = running;
      if (pending)
        await Promise.race([pending, new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS).unref())]);
      if (queue.length > 0) counters.dropped('webhook', queue.splice(0).length);
    },
  };
}
