import type { Command } from 'commander';
import type { ConfigOption } from './bundle-actions.ts';

// `ensign bundle build|list|push|pull`, as Flipt's CLI has them (flipt-v1.md §5.6). They use
// storage.oci from the config for the bundles directory, credentials and manifest version. What
// they do lives in bundle-actions.ts, loaded when one runs.

const actions = () => import('./bundle-actions.ts');

export function registerBundleCommand(program: Command): void {
  const bundle = program
    .command('bundle')
    .description('build, list, push and pull Flipt feature bundles (OCI)');

  bundle
    .command('build')
    .description(
      'pack the feature files of the current directory (through .flipt.yml) into the local bundle store',
    )
    .argument('<name>', 'bundle name, with an optional :tag (default latest)')
    .option('--config <path>', 'config.yml (storage.oci.bundles_directory, manifest_version)')
    .action(async (name: string, options: ConfigOption) => {
      await (await actions()).buildBundle(name, options);
    });

  bundle
    .command('list')
    .description('list the bundles in the local bundle store')
    .option('--config <path>', 'config.yml (storage.oci.bundles_directory)')
    .action(async (options: ConfigOption) => {
      await (await actions()).listBundles(options);
    });

  bundle
    .command('push')
    .description('copy a bundle from the local store to a registry')
    .argument('<from>', 'local bundle, name[:tag]')
    .argument('<to>', 'registry reference, [http(s)://]registry/repository[:tag]')
    .option('--config <path>', 'config.yml (storage.oci.authentication, bundles_directory)')
    .action(async (from: string, to: string, options: ConfigOption) => {
      await (await actions()).pushBundle(from, to, options);
    });

  bundle
    .command('pull')
    .description('copy a bundle from a registry into the local store')
    .argument('<remote>', 'registry reference, [http(s)://]registry/repository[:tag]')
    .option('--config <path>', 'config.yml (storage.oci.authentication, bundles_directory)')
    .action(async (remote: string, options: ConfigOption) => {
      await (await actions()).pullBundle(remote, options);
    });
}
