import { Command } from 'commander';
import { closest } from '../config/suggest.ts';
import { VERSION } from '../meta/version.ts';
import { CliError } from './cli-error.ts';
import { registerConfigCommand } from './commands/config.ts';
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
  registerConfigCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * `server` is the default command, so commander would hand an unknown word to it and complain
 * about "too many arguments for 'server'". A first word that names no command is the user's
 * typo: say so, with the closest command and the help.
 */
export function rejectUnknownCommand(program: Command, args: readonly string[]): void {
  const first = args[0];
  if (first === undefined || first.startsWith('-') || first === 'help') return;
  const names = program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
  if (names.includes(first)) return;
  const guess = closest(first, names);
  throw new CliError(
    `unknown command '${first}'${guess ? ` (did you mean '${guess}'?)` : ''}\n\n${program.helpInformation()}`,
  );
}
