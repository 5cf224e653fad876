import { Command } from 'commander';
import { VERSION } from '../meta/version.ts';
import { registerBundleCommand } from './commands/bundle.ts';
import { registerEvaluateCommand } from './commands/evaluate.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerServerCommand } from './commands/server.ts';
import { registerValidateCommand } from './commands/validate.ts';

/** The `ensign` command line; `main.ts` runs it, tests may build it in-process. */
export function createProgram(): Command {
  const program = new Command('ensign')
    .description('Feature-flag server, wire-compatible with Flipt v1')
    .version(`ensign ${VERSION} (node ${process.version})`, '-v, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  registerServerCommand(program);
  registerValidateCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerMigrateCommand(program);
  registerEvaluateCommand(program);
  registerBundleCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}
