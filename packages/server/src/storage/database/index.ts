export { parseDatabaseUrl, redact } from '../../config/database-url.ts';
export { type Connection, connect, type DatabaseOptions, MIGRATION_QUERY_TIMEOUT_MS } from './connect.ts';
export { databaseOptionsFrom, databaseSourceOptionsFrom } from './from-config.ts';
export { type ImportOptions, type ImportResult, importFeatures } from './import-features.ts';
export { LATEST_SCHEMA_VERSION, type MigrationResult, migrate, schemaVersion } from './migrate.ts';
export { defaultSnapshotPath } from './snapshot-file.ts';
export { createDatabaseSource, type DatabaseSource, type DatabaseSourceOptions } from './source.ts';
export { createDatabaseStore, type StoreHooks } from './store.ts';
