import type { Command } from 'commander';
import { findConfigFile } from '../../config/defaults.ts';
import { loadConfig } from '../../config/load.ts';
import { redactUrl } from '../../config/secrets.ts';
import type { Config } from '../../config/types.ts';
import { VERSION } from '../../meta/version.ts';
import { createLogger, type Logger } from '../../observability/logger.ts';
import { closeOnSignals, startServer } from '../../run.ts';

export function registerServerCommand(program: Command): void {
  program
    .command('server', { isDefault: true })
    .description('run the Flipt-compatible HTTP and gRPC server (the default command)')
    .option(
      '--config <path>',
      'Flipt-style config.yml (default: ~/.config/ensign/config.yml or /etc/ensign/config.yml if present, else built-in defaults: an embedded SQLite database, HTTP on 8080, gRPC on 9000)',
    )
    .action(async (options: { config?: string }) => {
      const { config, warnings, path } = loadConfig({ path: findConfigFile(options.config) });
      const logger = createLogger(config.log);
      for (const warning of warnings) logger.warn(warning);
      logger.info(
        {
          version: VERSION,
          config: path ?? 'built-in defaults',
          storage: config.storage.type,
          ...(config.storage.type === 'local'
            ? { path: config.storage.local.path }
            : { db: redactUrl(config.db.url) }),
        },
        'starting Ensign',
      );
      warnIfOpen(config, logger);
      const server = await startServer(config, { logger });
      // performance.now() counts from process start, so this is the operator's time-to-ready.
      logger.info(
        { url: server.url, grpcPort: server.grpcPort, readyMs: Math.round(performance.now()) },
        `listening on ${server.url} (gRPC on port ${server.grpcPort})`,
      );
      closeOnSignals(server, logger);
    });
}

/** Without authentication, anyone who can reach a non-loopback address can change flags. */
function warnIfOpen(config: Config, logger: Logger): void {
  if (config.authentication.required || isLoopback(config.server.host)) return;
  logger.warn(
    { host: config.server.host },
    `authentication is off and the server listens on ${config.server.host}: anyone who can reach it can read and change flags (bind server.host to 127.0.0.1, or put an authenticating proxy in front)`,
  );
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
