import type { RunningServer } from '../../src/run.ts';

// What the declarative-source tests ask a running server: a boolean evaluation, the storage part
// of /health, and a bounded wait for a condition to hold.

export async function enabled(server: RunningServer, flagKey: string, namespaceKey = 'default') {
  const res = await fetch(`${server.url}/evaluate/v1/boolean`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespaceKey, flagKey, entityId: 'user-1', context: {} }),
  });
  const body = (await res.json()) as { enabled?: boolean; message?: string };
  if (res.status !== 200) throw new Error(`evaluation failed: ${res.status} ${body.message}`);
  return body.enabled;
}

export async function health(server: RunningServer) {
  return ((await (await fetch(`${server.url}/health`)).json()) as { storage: Record<string, string> })
    .storage;
}

export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
