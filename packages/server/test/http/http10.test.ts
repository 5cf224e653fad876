import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';

// Load balancers probe health in HTTP/1.0 without a Host header (haproxy's stock
// `option httpchk GET /health`). Such a probe must get the health answer, not a 400 that marks
// every replica down.

const dir = mkdtempSync(join(tmpdir(), 'ensign-http10-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

test('an HTTP/1.0 request without Host gets /health and evaluation answers', async () => {
  const { config } = loadConfig({ env: {} });
  Object.assign(config.server, { host: '127.0.0.1', httpPort: 0, grpcPort: 0 });
  config.db.url = `file:${join(dir, 'ensign.db')}`;
  const server = await startServer(config, { logger: silentLogger() });
  try {
    const health = await rawRequest(server.port, 'GET /health HTTP/1.0\r\n\r\n');
    assert.match(health, /^HTTP\/1\.1 200 /);
    assert.match(health, /"status":"SERVING"/);
    const body = '{"flagKey":"nope","entityId":"e"}';
    const evaluation = await rawRequest(
      server.port,
      `POST /evaluate/v1/boolean HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    assert.match(evaluation, /^HTTP\/1\.1 404 /);
    assert.match(evaluation, /flag \\"default\/nope\\" not found/);
  } finally {
    await server.close();
  }
});
