import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { databaseOptionsFrom } from '../../storage/database/from-config.ts';
import {
  connect,
  createDatabaseStore,
  importFeatures,
  MIGRATION_QUERY_TIMEOUT_MS,
  migrate,
} from '../../storage/database/index.ts';
import { CliError } from '../cli-error.ts';
import { loadForCommand } from '../load-for-command.ts';

interface ImportOptions {
  config?: string;
  url?: string;
  stdin?: boolean;
  drop?: boolean;
  skipExisting?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('write a Flipt feature file into the database (db.url), after running migrations')
    .argument('[file]', 'feature file (.yml, .yaml or .json)')
    .option('--config <path>', 'Flipt-style config.yml naming the database')
    .option('--url <db-url>', 'database URL, instead of db.url from the config')
    .option('--stdin', 'read the document from standard input (YAML)')
    .option('--drop', 'delete every flag, segment and namespace first')
    .option('--skip-existing', 'leave flags and segments whose keys already exist')
    .action(async (file: string | undefined, options: ImportOptions) => {
      if ((file === undefined) === !options.stdin) throw new CliError('give either a FILE or --stdin');
      const { config, logger } = loadForCommand(options.config);
      const database = databaseOptionsFrom(config, options.url);
      if (!database) throw new CliError('no database configured: set db.url or pass --url');
      // The loader picks the format from the name; stdin is YAML, like Flipt's importer.
      const source =
        file === undefined
          ? { path: 'stdin.yaml', content: await text(process.stdin) }
          : {
              path: basename(file),
              content: await readFile(file, 'utf8').catch(() => {
                throw new CliError(`cannot read ${file}`);
              }),
            };
      // Flipt's export writes a leading `# exported by ...` line; JSON cannot carry it.
      if (source.path.endsWith('.json')) source.content = source.content.replace(/^#[^\n]*\n/, '');
      // Migrations and bulk imports run statements longer than the server's query timeout allows.
      const connection = connect({ ...database, queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS }, logger);
      try {
        await migrate(connection);
        const result = await importFeatures(connection, createDatabaseStore(connection), [source], {
          drop: options.drop ?? false,
          skipExisting: options.skipExisting ?? false,
        });
        process.stderr.write(
          `imported ${result.flags} flags and ${result.segments} segments` +
            (result.skipped > 0 ? ` (skipped ${result.skipped} existing)` : '') +
            '\n',
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`import failed: ${(error as Error).message}`);
      } finally {
        await connection.db.destroy();
      }
    });
}
