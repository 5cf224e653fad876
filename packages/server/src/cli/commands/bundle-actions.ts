import { loadConfig } from '../../config/load.ts';
import { formatBundleReference, parseBundleReference } from '../../config/storage/bundle-reference.ts';
import { ociSettingsOf } from '../../config/storage/oci.ts';
import { copyBundle, packDirectory, parseBundleManifest, storeBundle } from '../../storage/oci/bundle.ts';
import { LayoutStore, localRepositories } from '../../storage/oci/layout-store.ts';
import { CREATED_ANNOTATION } from '../../storage/oci/media-types.ts';
import { storeFor } from '../../storage/oci/stores.ts';
import { CliError } from '../cli-error.ts';

// What `ensign bundle build|list|push|pull` do (bundle.ts registers them). Loaded by the
// subcommand that needs it, so the OCI code costs nothing when the server starts.

export interface ConfigOption {
  config?: string;
}

function ociSettings(options: ConfigOption) {
  const settings = ociSettingsOf(loadConfig({ path: options.config }).config);
  return { settings, stores: settings };
}

function reference(text: string) {
  try {
    return parseBundleReference(text);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

export async function buildBundle(name: string, options: ConfigOption): Promise<void> {
  const { settings } = ociSettings(options);
  const ref = reference(name);
  if (ref.kind !== 'local') throw new CliError(`build stores locally: give a name, not a registry (${name})`);
  let packed: Awaited<ReturnType<typeof packDirectory>>;
  try {
    packed = await packDirectory(process.cwd(), settings.manifestVersion);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  await storeBundle(packed, new LayoutStore(settings.bundlesDirectory, ref.repository), ref.tag);
  process.stdout.write(`${formatBundleReference(ref)}@${packed.digest}\n`);
}

export async function listBundles(options: ConfigOption): Promise<void> {
  const { settings } = ociSettings(options);
  const rows: string[][] = [['DIGEST', 'REPO', 'TAG', 'CREATED']];
  for (const repository of await localRepositories(settings.bundlesDirectory)) {
    const store = new LayoutStore(settings.bundlesDirectory, repository);
    for (const { tag, digest } of await store.tags()) {
      const manifest = parseBundleManifest((await store.manifest(digest)).bytes, repository);
      const created = manifest.annotations?.[CREATED_ANNOTATION] ?? '';
      rows.push([digest.replace(/^sha256:/, '').slice(0, 7), repository, tag, created]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  process.stdout.write(
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n',
  );
}

export async function pushBundle(from: string, to: string, options: ConfigOption): Promise<void> {
  const { stores } = ociSettings(options);
  const source = reference(from);
  const target = reference(to);
  const digest = await copyOrExplain(() =>
    copyBundle(storeFor(source, stores), source.tag, storeFor(target, stores), target.tag),
  );
  process.stdout.write(`${formatBundleReference(target)}@${digest}\n`);
}

export async function pullBundle(remote: string, options: ConfigOption): Promise<void> {
  const { stores } = ociSettings(options);
  const source = reference(remote);
  const local = { kind: 'local' as const, repository: source.repository, tag: source.tag };
  const digest = await copyOrExplain(() =>
    copyBundle(storeFor(source, stores), source.tag, storeFor(local, stores), local.tag),
  );
  process.stdout.write(`${formatBundleReference(local)}@${digest}\n`);
}

async function copyOrExplain(copy: () => Promise<string>): Promise<string> {
  try {
    return await copy();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
