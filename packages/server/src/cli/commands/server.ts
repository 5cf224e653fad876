import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { VERSION } from '../../meta/version.ts';
import { createLogger } from '../../observability/logger.ts';
import { closeOnSignals, startServer } from '../../run.ts';
import { redact } from '../../storage/database/url.ts';

export function registerServerCommand(program: Command): void {
  program
    .command('server', { isDefault: true })
    .description('run the Flipt-compatible HTTP and gRPC server (the default command)')
    .option('--config <path>', 'Flipt-style config.yml (default: built-in defaults serving ./examples)')
    .action(async (options: { config?: string }) => {
      const { config, warnings, path } = loadConfig({ path: options.config });
      const logger = createLogger(config.log);
      for (const warning of warnings) logger.warn(warning);
      logger.info(
        {
          version: VERSION,
          config: path ?? 'built-in defaults',
          storage: config.storage.type,
          // Declarative sources log where they read from once loaded (without credentials).
          ...(config.storage.type === 'local' ? { path: config.storage.local.path } : {}),
          ...(config.storage.type === 'database' ? { db: redact(config.db.url) } : {}),
        },
        'starting Ensign',
      );
      const server = await startServer(config, { logger });
      // performance.now() counts from process start, so this is the operator's time-to-ready.
      logger.info(
        { url: server.url, grpcPort: server.grpcPort, readyMs: Math.round(performance.now()) },
        `listening on ${server.url} (gRPC on port ${server.grpcPort})`,
      );
      closeOnSignals(server, logger);
    });
}
