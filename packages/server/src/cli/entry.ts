import { CommanderError } from 'commander';
import { isConfigError } from '../config/config-error.ts';
import { scrubSecrets } from '../config/secrets.ts';
import { CliError } from './cli-error.ts';
import { createProgram, rejectUnknownCommand } from './program.ts';

// The command line without a top-level await, so the single-executable build (CommonJS, see
// scripts/build/binary.ts) can start it as well as main.ts does.

/** Runs `ensign`; user-facing failures print one line, not a stack trace. */
export async function runEnsign(argv: readonly string[]): Promise<void> {
  try {
    const program = createProgram();
    rejectUnknownCommand(program, argv.slice(2));
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed help, the version or its own message already.
      process.exitCode = error.exitCode;
    } else {
      // Whatever failed (a driver quoting its connection string, say), secrets stay hidden.
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`ensign: ${scrubSecrets(message)}\n`);
      if (process.env['ENSIGN_DEBUG'] && !isConfigError(error) && !(error instanceof CliError))
        process.stderr.write(`${scrubSecrets((error as Error).stack ?? '')}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    }
  }
}
