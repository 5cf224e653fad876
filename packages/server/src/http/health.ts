import type { SnapshotSource, SourceStatus } from '../storage/contract.ts';

// /health's answer, shared by the Hono route (routes/ops.ts) and the node:http fast path, which
// answers load balancers' probes without loading the app.

/** What /health and /meta/info say about the source: state, what is served, the last problem. */
export function syncState(status: SourceStatus): Record<string, string> {
  const state: Record<string, string> = { state: status.state };
  for (const key of [
    'location',
    'revision',
    'lastSyncAt',
    'lastSuccessAt',
    'lastFailureAt',
    'error',
  ] as const) {
    const value = status[key];
    if (value) state[key] = value;
  }
  return state;
}

/**
 * 200 while a snapshot is served, also when degraded (the last good one keeps serving); the body
 * says so. 503 only before the first snapshot exists.
 */
export function healthOf(source: SnapshotSource): { status: 200 | 503; body: Record<string, unknown> } {
  const status = source.status();
  const serving = status.state !== 'starting';
  return {
    status: serving ? 200 : 503,
    body: {
      status: serving ? 'SERVING' : 'NOT_SERVING',
      storage: { type: source.type, ...syncState(status) },
    },
  };
}
