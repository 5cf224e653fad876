import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.ts';

// The deployment files in deploy/ are what operators copy: the example configuration must load
// under the strict loader, and the systemd unit must start the command that exists.

const DEPLOY = fileURLToPath(new URL('../../../../deploy/', import.meta.url));

test('the production example configuration loads, taking its secret from the environment', () => {
  const { config, warnings } = loadConfig({
    path: `${DEPLOY}config.production.yml`,
    env: { ENSIGN_DATABASE_URL: 'postgres://ensign:s3cret@db.internal:5432/flags' },
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.storage.type, 'database');
  assert.equal(config.db.url, 'postgres://ensign:s3cret@db.internal:5432/flags');
  assert.equal(config.log.encoding, 'json');
  assert.equal(config.server.host, '0.0.0.0');
});

test('the systemd unit runs `ensign server` with the config file and stops it with SIGTERM', () => {
  const unit = readFileSync(`${DEPLOY}ensign.service`, 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/ensign server --config \/etc\/ensign\/config\.yml$/m);
  assert.match(unit, /^KillSignal=SIGTERM$/m);
  assert.match(unit, /^ReadWritePaths=\/var\/opt\/ensign$/m);
});
