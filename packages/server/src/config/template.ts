import { buildKeyTree, type KeyNode } from './key-tree.ts';
import { shownDefault } from './schema.ts';
import { SETTINGS } from './settings.ts';

/**
 * The config file `ensign config init` writes: every key Ensign implements, with its default
 * and one line on what it does, commented out so the file means "all defaults" until edited.
 * `commented: false` gives the same file live (tests load it to prove it is valid).
 */
export function renderConfigTemplate(options: { commented: boolean } = { commented: true }): string {
  const tree = buildKeyTree(SETTINGS.filter((s) => s.apply));
  const lines = [
    "# Ensign configuration. Keys and defaults follow Flipt v1's config.yml; uncomment to change.",
    '# Environment variables override the file: ENSIGN_<KEY_PATH> or FLIPT_<KEY_PATH>,',
    '# e.g. ENSIGN_SERVER_HTTP_PORT=8081. `ensign config schema` prints a JSON Schema for editors.',
    'version: "1.0"',
  ];
  for (const [name, child] of tree.children) {
    lines.push('');
    render(child, name, 0, options.commented, lines);
  }
  return `${lines.join('\n')}\n`;
}

function render(node: KeyNode, name: string, depth: number, commented: boolean, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const hash = commented ? '# ' : '';
  const setting = node.setting;
  if (!setting) {
    // A name the user picks (an OIDC provider) is shown with an example name, commented out even
    // in the live form: there is no such entry by default.
    const picked = node.children.has('*');
    lines.push(`${picked ? '# ' : hash}${indent}${name}:`);
    for (const [childName, child] of node.children)
      render(child, childName === '*' ? 'google' : childName, depth + 1, commented || picked, lines);
    return;
  }
  const shown = shownDefault(setting);
  lines.push(
    `${hash}${indent}# ${setting.doc}${shown === undefined ? ` (default: ${setting.defaultNote})` : ''}`,
  );
  // A default computed at start-up has no literal to show: the key stays commented even live.
  if (shown === undefined) lines.push(`# ${indent}${name}: ...`);
  else lines.push(`${hash}${indent}${name}: ${JSON.stringify(shown)}`);
}
