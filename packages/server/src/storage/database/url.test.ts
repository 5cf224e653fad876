import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATABASE_URL_SCHEMES } from '../../config/database-url.ts';
import { parseDatabaseUrl, redact } from './url.ts';

describe('db.url schemes', () => {
  it('every scheme the config accepts opens a connection kind here', () => {
    for (const scheme of DATABASE_URL_SCHEMES) {
      const url =
        scheme === 'file' || scheme.startsWith('sqlite') ? `${scheme}:/tmp/x.db` : `${scheme}://host/db`;
      assert.doesNotThrow(() => parseDatabaseUrl(url), url);
    }
  });

  it('a scheme the config refuses is refused here too, without the password', () => {
    assert.throws(
      () => parseDatabaseUrl('oracle://scott:tiger99@db/orcl'),
      (error: Error) => !error.message.includes('tiger99') && /not supported/.test(error.message),
    );
  });

  it('redacts passwords and secret parameters', () => {
    assert.equal(redact('libsql://db.test?authToken=abc123'), 'libsql://db.test?authToken=***');
  });
});
