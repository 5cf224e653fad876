import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Continue, crc32Prefix, crc32Suffix, crc32WithSuffix } from './crc32.ts';

test('crc32 gives the vectors Flipt buckets by (docs/evaluation.md)', () => {
  assert.equal(crc32('foo1'), 3476655244);
  assert.equal(crc32('foo2'), 1446042934);
  assert.equal(crc32('test-entitytest-flag'), 4255329765);
  assert.equal(crc32('flag_001some-fixed-entity-id'), 1828167553);
  assert.equal(crc32(''), 0);
});

test('crc32 equals zlib over the UTF-8 bytes of random ASCII and non-ASCII strings', () => {
  const alphabet = ['a', 'Z', '0', '-', '_', ' ', 'é', 'ß', '€', '中', '🚩', '\u0000', '\u07ff', '\uffff'];
  let seed = 12345;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let round = 0; round < 2000; round++) {
    let text = '';
    const length = next(40);
    for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
    assert.equal(crc32(text), zlibCrc32(Buffer.from(text, 'utf8')), JSON.stringify(text));
  }
});

test('a lone surrogate hashes like its U+FFFD replacement, as TextEncoder encodes it', () => {
  assert.equal(crc32('a\ud800b'), zlibCrc32(new TextEncoder().encode('a\ud800b')));
  assert.equal(crc32('\udc00'), crc32('\ufffd'));
});

test('crc32Continue from a precomputed prefix state equals crc32 of the whole string', () => {
  const state = crc32Prefix('flag_001');
  assert.equal(crc32Continue(state, 'some-fixed-entity-id'), 1828167553);
  assert.equal(crc32Continue(state, ''), crc32('flag_001'));
  assert.equal(crc32Continue(crc32Prefix(''), 'foo1'), 3476655244);
  assert.equal(crc32Continue(crc32Prefix('é🚩'), 'x'), crc32('é🚩x'));
});

test('crc32WithSuffix equals crc32 of text + suffix, for ASCII and multibyte suffixes', () => {
  const testFlag = crc32Suffix('test-flag');
  assert.equal(crc32WithSuffix('test-entity', testFlag), 4255329765);
  for (const suffix of ['', 'f', 'flag_boolean', 'é🚩-ü', 'x'.repeat(70)]) {
    const prepared = crc32Suffix(suffix);
    for (const text of ['', 'a', 'user@flipt.io', 'ü€', 'some-much-longer-entity-identifier-0123456789']) {
      assert.equal(crc32WithSuffix(text, prepared), crc32(text + suffix), `${text} + ${suffix}`);
    }
  }
});
