import { arch, platform } from 'node:os';
import type { Hono } from 'hono';
import { reportConfig } from '../../config/report.ts';
import type { SourceStatus } from '../../storage/contract.ts';
import type { HttpDeps } from '../deps.ts';
import { json } from '../respond.ts';

// Operations endpoints: /health, /meta/info, /meta/config, /metrics (docs/http-api.md).

/** What /health and /meta/info say about the source: state, what is served, the last problem. */
function syncState(status: SourceStatus): Record<string, string> {
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

export function registerOpsRoutes(app: Hono, deps: HttpDeps): void {
  const { source, config, metrics } = deps;

  // 200 while a snapshot is served, also when degraded (the last good one keeps serving);
  // the body says so. 503 only before the first snapshot exists.
  app.get('/health', (c) => {
    const status = source.status();
    const serving = status.state !== 'starting';
    return json(
      c,
      { status: serving ? 'SERVING' : 'NOT_SERVING', storage: { type: source.type, ...syncState(status) } },
      serving ? 200 : 503,
    );
  });

  app.get('/meta/info', (c) => {
    const status = source.status();
    return json(c, {
      version: deps.version,
      latestVersion: '',
      latestVersionURL: '',
      commit: '',
      buildDate: '',
      goVersion: '',
      updateAvailable: false,
      isRelease: !deps.version.includes('-'),
      os: platform(),
      arch: arch(),
      authentication: { required: config.authentication.required },
      // Read-only when the source cannot be written or storage.read_only closed its write path.
      storage: {
        type: source.type,
        readOnly: !deps.services.management.writable,
        // Declarative sources also say what they follow and how that goes.
        ...(status.location ? { sync: syncState(status) } : {}),
      },
      analytics: { enabled: false },
      ui: {
        theme: config.ui.defaultTheme,
        topbarColor: config.ui.topbar.color,
        topbarLabel: config.ui.topbar.label,
      },
    });
  });

  app.get('/meta/config', (c) => json(c, reportConfig(config)));

  if (config.metrics.enabled) {
    app.get('/metrics', async () => {
      const text = await metrics.render();
      return new Response(text, { status: 200, headers: { 'content-type': metrics.contentType } });
    });
  }
}
