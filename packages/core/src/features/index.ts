export { exportFeatures, exportFeaturesJson } from './export.ts';
export { DEFAULT_INCLUDE, INDEX_FILE, isFeatureFile, parseIndex, selectFeatureFiles } from './index-file.ts';
export { featuresJsonSchema } from './json-schema.ts';
export { buildNamespaces, loadFeatures } from './load.ts';
export { fileFormat, parseFeatureFile } from './parse.ts';
export { featureSchemas, KEY_PATTERN, LATEST_VERSION, VERSIONS } from './schema.ts';
export type { FeatureIndex, LoadOptions, Problem, SourceFile } from './types.ts';
export { validateFeatures } from './validate.ts';
