import type { Command } from 'commander';
import { databaseOptionsFrom } from '../../storage/database/from-config.ts';
import { connect, MIGRATION_QUERY_TIMEOUT_MS, migrate } from '../../storage/database/index.ts';
import { CliError } from '../cli-error.ts';
import { loadForCommand } from '../load-for-command.ts';

interface MigrateOptions {
  config?: string;
  url?: string;
}

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema (db.url) up to date; safe to run while other replicas start')
    .option('--config <path>', 'Flipt-style config.yml naming the database')
    .option('--url <db-url>', 'database URL, instead of db.url from the config')
    .action(async (options: MigrateOptions) => {
      const { config, logger } = loadForCommand(options.config);
      const database = databaseOptionsFrom(config, options.url);
      if (!database) throw new CliError('no database configured: set db.url or pass --url');
      // Migrations and bulk imports run statements longer than the server's query timeout allows.
      const connection = connect({ ...database, queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS }, logger);
      try {
        const { applied, version } = await migrate(connection);
        process.stdout.write(
          applied.length === 0
            ? `database ${connection.label} is up to date (schema version ${version})\n`
            : `database ${connection.label} migrated to schema version ${version} (applied ${applied.join(', ')})\n`,
        );
      } catch (error) {
        throw new CliError(`cannot migrate ${connection.label}: ${(error as Error).message}`);
      } finally {
        await connection.db.destroy();
      }
    });
}
