import { arch, platform } from 'node:os';
import type { Hono } from 'hono';
import { reportConfig } from '../../config/report.ts';
import type { HttpDeps } from '../deps.ts';
import { json } from '../respond.ts';

// Operations endpoints: /health, /meta/info, /meta/config, /metrics (docs/http-api.md).

export function registerOpsRoutes(app: Hono, deps: HttpDeps): void {
  const { source, config, metrics } = deps;

  // 200 while a snapshot is served, also when degraded (the last good one keeps serving);
  // the body says so. 503 only before the first snapshot exists.
  app.get('/health', (c) => {
    const status = source.status();
    const storage: Record<string, string> = { type: source.type, state: status.state };
    if (status.error) storage['error'] = status.error;
    if (status.lastSuccessAt) storage['lastSuccessAt'] = status.lastSuccessAt;
    if (status.lastFailureAt) storage['lastFailureAt'] = status.lastFailureAt;
    const serving = status.state !== 'starting';
    return json(c, { status: serving ? 'SERVING' : 'NOT_SERVING', storage }, serving ? 200 : 503);
  });

  app.get('/meta/info', (c) =>
    json(c, {
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
      storage: { type: source.type, readOnly: !deps.services.management.writable },
      analytics: { enabled: false },
      ui: {
        theme: config.ui.defaultTheme,
        topbarColor: config.ui.topbar.color,
        topbarLabel: config.ui.topbar.label,
      },
    }),
  );

  app.get('/meta/config', (c) => json(c, reportConfig(config)));

  if (config.metrics.enabled) {
    app.get('/metrics', async () => {
      const text = await metrics.render();
      return new Response(text, { status: 200, headers: { 'content-type': metrics.contentType } });
    });
  }
}
