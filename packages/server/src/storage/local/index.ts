export { formatProblem, formatProblems } from '../problems.ts';
export { createLocalSource, type LocalSource, type LocalSourceOptions } from './local-source.ts';
export { type FeatureDirectory, readFeatureDirectory } from './read-directory.ts';
