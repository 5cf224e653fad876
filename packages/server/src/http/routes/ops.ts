import { arch, platform } from 'node:os';
import type { Hono } from 'hono';
import { reportConfig } from '../../config/report.ts';
import type { HttpDeps } from '../deps.ts';
import { healthOf, syncState } from '../health.ts';
import { json } from '../respond.ts';

// Operations endpoints: /health, /meta/info, /meta/config, /metrics (docs/http-api.md).

export function registerOpsRoutes(app: Hono, deps: HttpDeps): void {
  const { source, config, metrics } = deps;

  app.get('/health', (c) => {
    const health = healthOf(source);
    return json(c, health.body, health.status);
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
