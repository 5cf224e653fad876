import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// A real HTTP receiver for audit webhooks: records every request it gets (path, headers, body).

export interface AuditEvent {
  version: string;
  type: string;
  action: string;
  status: string;
  metadata: unknown;
  payload: Record<string, unknown>;
  timestamp: string;
}

export interface Received {
  path: string;
  signature: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export class Receiver {
  received: Received[] = [];
  server: Server | undefined;
  port = 0;
  async start(port = 0) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        this.received.push({
          path: req.url ?? '',
          signature: req.headers['x-flipt-webhook-signature'] as string | undefined,
          headers: req.headers,
          body,
        });
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
  events() {
    return this.received.map((r) => JSON.parse(r.body) as AuditEvent);
  }
}

export async function until(condition: () => boolean, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end && !condition(); ) await sleep(20);
  assert.ok(condition(), 'timed out');
}
