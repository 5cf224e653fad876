import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

// An earlier commit of this repository, unpacked beside the current one, so a benchmark can run
// the code from before a change side by side with the code after it in one run. It shares the
// current node_modules except the workspace packages, which point at its own sources.

export function baselineTree(root: string, revision: string, into: string): string {
  const dir = join(into, 'baseline');
  mkdirSync(dir, { recursive: true });
  execSync(`git -C ${JSON.stringify(root)} archive ${revision} | tar -x -C ${JSON.stringify(dir)}`);
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === '@ensign') continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  mkdirSync(join(modules, '@ensign'));
  for (const name of readdirSync(join(dir, 'packages'))) {
    symlinkSync(join(dir, 'packages', name), join(modules, '@ensign', name));
  }
  return dir;
}
