import { writeFile } from 'node:fs/promises';
import { exportFeatures, exportFeaturesJson, type NamespaceState, type Snapshot } from '@ensign/core';
import { type Command, Option } from 'commander';
import { VERSION } from '../../meta/version.ts';
import { createSource } from '../../run.ts';
import { CliError } from '../cli-error.ts';
import { loadForCommand } from '../load-for-command.ts';

interface ExportOptions {
  config?: string;
  namespaces?: string;
  allNamespaces?: boolean;
  output?: string;
  format?: 'json' | 'yaml';
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      "write the configured storage's flags and segments as a Flipt feature file (YAML, or JSON for a .json output)",
    )
    .option('--config <path>', 'Flipt-style config.yml naming the storage to export')
    .option('--namespaces <keys>', 'comma-separated namespace keys (default: default)')
    .option('--all-namespaces', 'export every namespace')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(
      new Option(
        '--format <format>',
        'json or yaml (default: from the --output extension, else yaml)',
      ).choices(['json', 'yaml']),
    )
    .action(async (options: ExportOptions) => {
      if (options.namespaces !== undefined && options.allNamespaces) {
        throw new CliError('use either --namespaces or --all-namespaces, not both');
      }
      const { config, logger } = loadForCommand(options.config);
      const source = await createSource(config, logger, { watch: false });
      try {
        await source.start();
        const states = pickNamespaces(source.current(), options);
        const format = options.format ?? formatOf(options.output);
        const text = format === 'json' ? exportFeaturesJson(states) : exportFeatures(states);
        if (options.output === undefined) {
          process.stdout.write(text);
        } else if (format === 'json') {
          // JSON has no comments, so no "exported by" line (Flipt's importer skips one anyway).
          await writeFile(options.output, text);
        } else {
          const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
          await writeFile(options.output, `# exported by Ensign (${VERSION}) on ${stamp}\n${text}`);
        }
      } finally {
        await source.close();
      }
    });
}

/** `.json` means JSON, as `import` reads it; anything else (and stdout) is YAML, Flipt's default. */
function formatOf(output: string | undefined): 'json' | 'yaml' {
  return output !== undefined && /\.json$/i.test(output) ? 'json' : 'yaml';
}

function pickNamespaces(snapshot: Snapshot, options: ExportOptions): NamespaceState[] {
  if (options.allNamespaces) return snapshot.namespaces.map((ns) => ns.state);
  const keys = (options.namespaces ?? 'default')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.length === 0) throw new CliError('--namespaces needs at least one namespace key');
  return keys.map((key) => {
    const namespace = snapshot.namespace(key);
    if (!namespace) {
      const known = snapshot.namespaces.map((ns) => ns.namespace.key).join(', ');
      throw new CliError(`namespace "${key}" not found (available: ${known})`);
    }
    return namespace.state;
  });
}
