import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadFeatures, type Problem, type SourceFile, validateFeatures } from '@ensign/core';
import { type Command, Option } from 'commander';
import { readFeatureDirectory } from '../../storage/local/read-directory.ts';
import { formatProblem } from '../../storage/problems.ts';
import { CliError } from '../cli-error.ts';

interface ValidateOptions {
  format: 'text' | 'json';
  workDir: string;
  issueExitCode: string;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check feature files; with no paths, the whole work directory as the server would load it (through .flipt.yml)',
    )
    .argument('[paths...]', 'feature files (or directories) to check')
    .addOption(new Option('-F, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-d, --work-dir <dir>', 'directory to validate when no paths are given', '.')
    .option('--issue-exit-code <code>', 'exit code when problems are found', '1')
    .action(async (paths: string[], options: ValidateOptions) => {
      const exitCode = Number(options.issueExitCode);
      if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
        throw new CliError(
          `--issue-exit-code must be an integer between 0 and 255 (got "${options.issueExitCode}")`,
        );
      }
      const { problems, fileCount } =
        paths.length === 0
          ? await checkDirectory(options.workDir, '')
          : await checkPaths(paths, options.workDir);
      process.stdout.write(
        options.format === 'json' ? renderJson(problems) : renderText(problems, fileCount),
      );
      if (problems.length > 0) process.exitCode = exitCode;
    });
}

interface Outcome {
  problems: Problem[];
  fileCount: number;
}

/** A directory is checked like the server loads it: through its index, across files. */
async function checkDirectory(dir: string, displayPrefix: string): Promise<Outcome> {
  let directory: Awaited<ReturnType<typeof readFeatureDirectory>>;
  try {
    directory = await readFeatureDirectory(dir);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { problems } = loadFeatures(directory.files);
  const all = [...directory.indexProblems, ...problems].map((p) => ({ ...p, file: displayPrefix + p.file }));
  return { problems: all, fileCount: directory.files.length };
}

/** Named files are checked on their own, whatever the index says. */
async function checkPaths(paths: readonly string[], workDir: string): Promise<Outcome> {
  const problems: Problem[] = [];
  const files: SourceFile[] = [];
  let fileCount = 0;
  for (const path of paths) {
    const absolute = resolve(workDir, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) {
      const outcome = await checkDirectory(absolute, path.endsWith('/') ? path : `${path}/`);
      problems.push(...outcome.problems);
      fileCount += outcome.fileCount;
    } else if (info) {
      files.push({ path, content: await readFile(absolute, 'utf8') });
    } else {
      problems.push({ file: path, line: 0, message: 'no such file or directory' });
    }
  }
  problems.push(...validateFeatures(files));
  return { problems, fileCount: fileCount + files.length };
}

function renderText(problems: readonly Problem[], fileCount: number): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  if (problems.length === 0) return `validation passed: ${files(fileCount)}, no problems\n`;
  const affected = new Set(problems.map((p) => p.file)).size;
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${problems.map(formatProblem).join('\n')}\nvalidation failed: ${count} in ${files(affected)}\n`;
}

/** Flipt's JSON shape: `[{message, location: {file, line}}]`. */
function renderJson(problems: readonly Problem[]): string {
  return `${JSON.stringify(problems.map((p) => ({ message: p.message, location: { file: p.file, line: p.line } })))}\n`;
}
