import { INDEX_FILE, type Problem, parseIndex, type SourceFile, selectFeatureFiles } from '@ensign/core';
import type { FeatureTree } from './feature-tree.ts';

/** Everything a snapshot is built from, read at one revision of a tree. */
export interface FeatureFiles {
  revision: string;
  /** Feature files the `.flipt.yml` index selects, in lexical path order. */
  files: SourceFile[];
  indexProblems: Problem[];
}

/** Applies the `.flipt.yml` index (or Flipt's default globs) to a tree and reads what it selects. */
export async function readFeatureFiles(tree: FeatureTree, revision: string): Promise<FeatureFiles> {
  const paths = await tree.list(revision);
  const indexContent = paths.includes(INDEX_FILE) ? await tree.read(revision, INDEX_FILE) : undefined;
  const { index, problems } = parseIndex(indexContent);
  const selected = selectFeatureFiles(paths, index);
  const contents = await Promise.all(selected.map((path) => tree.read(revision, path)));
  const files = selected.flatMap((path, i) => {
    const content = contents[i];
    return content === undefined ? [] : [{ path, content }];
  });
  return { revision, files, indexProblems: problems };
}
