import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseUrl, redact } from './database-url.ts';

describe('db.url', () => {
  it('an unsupported scheme is refused without showing the password', () => {
    assert.throws(
      () => parseDatabaseUrl('oracle://scott:tiger99@db/orcl?password=tiger99'),
      (error: Error) => !error.message.includes('tiger99') && /not supported/.test(error.message),
    );
  });

  it('redacts passwords and secret parameters', () => {
    assert.equal(redact('libsql://db.test?authToken=abc123'), 'libsql://db.test?authToken=***');
    assert.equal(redact('postgres://u:pw@h/d?sslpassword=k'), 'postgres://u:***@h/d?sslpassword=***');
  });
});
