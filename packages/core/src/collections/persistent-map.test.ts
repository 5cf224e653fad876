import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../test/conformance/prng.ts';
import { PersistentMap } from './persistent-map.ts';

// A persistent map must behave like a Map that is copied before every edit: each version keeps
// its own entries, whatever is edited later.

test('random edits: every version keeps the entries it had, as a copied Map would', () => {
  const prng = new Prng(7);
  const versions: [PersistentMap<number>, Map<string, number>][] = [[PersistentMap.empty(), new Map()]];
  for (let round = 0; round < 300; round++) {
    const [base, model] = versions[Math.floor(prng.next() * versions.length)]!;
    const draft = base.edit();
    const expected = new Map(model);
    for (let i = 0; i < 1 + Math.floor(prng.next() * 20); i++) {
      const key = `k${Math.floor(prng.next() * 400)}`;
      if (prng.next() < 0.3) {
        draft.delete(key);
        expected.delete(key);
      } else {
        draft.set(key, round);
        expected.set(key, round);
      }
      assert.equal(draft.get(key), expected.get(key));
    }
    versions.push([draft.done(), expected]);
  }
  for (const [map, model] of versions) {
    assert.equal(map.size, model.size);
    assert.deepEqual(new Map(map.entries()), model);
    assert.deepEqual(new Set(map.keys()), new Set(model.keys()));
    for (let k = 0; k < 400; k++) {
      assert.equal(map.get(`k${k}`), model.get(`k${k}`));
      assert.equal(map.has(`k${k}`), model.has(`k${k}`));
    }
  }
});

test('a finished draft refuses edits, so the map it gave stays as it was', () => {
  const draft = PersistentMap.empty<number>().edit().set('a', 1);
  const map = draft.done();
  assert.throws(() => draft.set('b', 2), /after done/);
  assert.equal(map.has('b'), false);
  assert.deepEqual(PersistentMap.of([['x', 1]]).get('x'), 1);
});
