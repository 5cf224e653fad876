import assert from 'node:assert/strict';
import { it } from 'node:test';
import { resolveConfig } from '../../src/config/load.ts';
import { STORAGE_TYPES } from '../../src/config/storage/index.ts';
import { STORAGE_BACKENDS } from '../../src/storage/registry.ts';

it('every storage.type the config accepts has a backend to serve it, and no other', () => {
  assert.deepEqual(
    STORAGE_BACKENDS.map((b) => b.type),
    STORAGE_TYPES.map((t) => t.type),
  );
});

it('a storage.type without a backend stops the server with the supported list', () => {
  assert.throws(
    () => resolveConfig({ storage: { type: 'floppy' } }, { env: {}, cwd: '/' }),
    /storage\.type must be one of/,
  );
});
