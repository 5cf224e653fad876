import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ifNoneMatchMatches } from './etag.ts';

describe('If-None-Match (RFC 9110 §13.1.2)', () => {
  const bare = '3f786850e387550fdab836ed7e6dc881de23001b';
  const cases: [string | undefined, string, boolean, string][] = [
    [bare, bare, true, "Flipt's bare ETag, as its clients send it back"],
    [`"${bare}"`, bare, true, 'quoted'],
    [`W/"${bare}"`, bare, true, 'weak, compared weakly'],
    [`"${bare}"`, `W/"${bare}"`, true, 'strong header, weak current tag'],
    [`"a", "b", "${bare}"`, bare, true, 'in a list'],
    [`a,${bare}`, bare, true, 'in a list of bare tags'],
    ['*', bare, true, 'any current representation'],
    ['"a,b"', 'a,b', true, 'a quoted tag may hold a comma'],
    ['"a,b"', 'a', false, 'that comma does not split the tag'],
    ['"other"', bare, false, 'a different tag'],
    [`"${bare}`, bare, false, 'an unterminated tag'],
    ['', bare, false, 'empty header'],
    [undefined, bare, false, 'no header'],
    ['*', '', false, 'no current tag: nothing to match'],
  ];
  for (const [header, etag, expected, why] of cases) {
    it(`${why}: ${JSON.stringify(header)} vs ${etag.slice(0, 8)} → ${expected}`, () =>
      assert.equal(ifNoneMatchMatches(header, etag), expected));
  }
});
