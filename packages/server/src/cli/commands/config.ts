import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { userConfigPath } from '../../config/defaults.ts';
import { configSchema } from '../../config/schema.ts';
import { renderConfigTemplate } from '../../config/template.ts';
import { CliError } from '../cli-error.ts';

export function registerConfigCommand(program: Command): void {
  const config = program
    .command('config')
    .description('write a starter config file, or print its JSON Schema');
  config
    .command('init')
    .description(`write a commented config file with every default (to ${userConfigPath()} unless --output)`)
    .option('-o, --output <path>', 'where to write it')
    .option('-y, --force', 'overwrite an existing file')
    .action((options: { output?: string; force?: boolean }) => {
      const path = options.output ?? userConfigPath();
      if (existsSync(path) && !options.force) {
        throw new CliError(`${path} already exists; pass --force to overwrite it`);
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, renderConfigTemplate());
      process.stderr.write(`wrote ${path}\n`);
    });
  config
    .command('schema')
    .description('print the JSON Schema of the config file (for editors and CI checks)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configSchema(), null, 2)}\n`);
    });
  config.exitOverride();
  for (const command of config.commands) command.exitOverride();
}
