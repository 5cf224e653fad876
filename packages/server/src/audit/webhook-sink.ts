import { createHmac } from 'node:crypto';
import type { WebhookTemplateConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { AuditEvent } from './event.ts';
import type { AuditCounters, AuditSink } from './sink.ts';
import { parseTemplate } from './template.ts';

// audit.sinks.webhook: each event POSTed as JSON, signed with HMAC-SHA256 (hex) in
// x-flipt-webhook-signature when a secret is set: to `url` as Flipt's event, and to each of
// `templates` as its rendered body with its headers. A failing receiver is retried with exponential
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
  /** Added to each request (a template's `headers`). */
  headers?: Record<string, string>;
  /** The request body for an event; throws when it cannot be made (the event is dropped). */
  body?: (event: AuditEvent) => string;
}

/** The sink for `url` when set, and one per template, each with its own queue. */
export function createWebhookSinks(
  config: WebhookOptions & { templates: readonly WebhookTemplateConfig[] },
  counters: AuditCounters,
  logger: Logger,
): AuditSink[] {
  const { url, signingSecret, maxBackoffMs } = config;
  const sinks = url ? [createWebhookSink({ url, signingSecret, maxBackoffMs }, counters, logger)] : [];
  for (const template of config.templates) {
    const body = parseTemplate(template.body);
    sinks.push(
      createWebhookSink(
        {
          url: template.url,
          signingSecret,
          maxBackoffMs,
          headers: template.headers,
          body(event) {
            const text = body.render(event);
            // Flipt sends only bodies that are JSON; a value that broke the JSON is not sent.
            JSON.parse(text);
            return text;
          },
        },
        counters,
        logger,
      ),
    );
  }
  return sinks;
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
    try {
      const headers = new Headers(options.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      if (options.signingSecret) headers.set(SIGNATURE_HEADER, signatureOf(options.signingSecret, body));
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
    let body: string;
    try {
      body = options.body ? options.body(event) : JSON.stringify(event);
    } catch (error) {
      logger.warn(
        { err: error, url: options.url, type: event.type },
        'audit event dropped: template output is not JSON',
      );
      return false;
    }
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
