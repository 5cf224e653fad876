/** Where a bundle lives, parsed from Flipt's `repository` syntax. */
export type BundleReference =
  | { kind: 'remote'; scheme: 'https' | 'http'; registry: string; repository: string; tag: string }
  | { kind: 'local'; repository: string; tag: string };

/**
 * `[https|http://]<registry>/<repo>[:tag]` is a registry; `flipt://local/<name>[:tag]` or a bare
 * `<name>[:tag]` (no registry host) is the local bundle directory. The tag defaults to `latest`.
 */
export function parseBundleReference(text: string): BundleReference {
  const input = text.trim();
  const local = /^flipt:\/\/local\/(.+)$/.exec(input);
  if (local) return { kind: 'local', ...splitTag(local[1]!) };
  const scheme = /^(https?):\/\/(.+)$/.exec(input);
  const rest = scheme ? scheme[2]! : input;
  const slash = rest.indexOf('/');
  const host = slash === -1 ? '' : rest.slice(0, slash);
  // Like docker: the first segment is a registry when it has a dot, a port or is localhost.
  const isRegistry = scheme !== null || /[.:]/.test(host) || host === 'localhost';
  if (!isRegistry || slash === -1) {
    if (scheme) throw new Error(`"${text}" names no repository after the registry`);
    return { kind: 'local', ...splitTag(rest) };
  }
  const { repository, tag } = splitTag(rest.slice(slash + 1));
  if (repository === '') throw new Error(`"${text}" names no repository after the registry`);
  return {
    kind: 'remote',
    scheme: (scheme?.[1] as 'http' | 'https' | undefined) ?? 'https',
    registry: host,
    repository,
    tag,
  };
}

function splitTag(path: string): { repository: string; tag: string } {
  const at = path.lastIndexOf(':');
  if (at > path.lastIndexOf('/') && at !== -1)
    return { repository: path.slice(0, at), tag: path.slice(at + 1) };
  return { repository: path, tag: 'latest' };
}

export function formatBundleReference(ref: BundleReference): string {
  return ref.kind === 'local'
    ? `flipt://local/${ref.repository}:${ref.tag}`
    : `${ref.scheme}://${ref.registry}/${ref.repository}:${ref.tag}`;
}
