import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../test/conformance/prng.ts';
import {
  flag,
  namespaceState,
  rule,
  segment,
  thresholdRollout,
  variant,
} from '../../test/support/state-builder.ts';
import type { Constraint, NamespaceState } from '../model/types.ts';
import { buildNamespaceSnapshot, rebuildNamespaceSnapshot } from './build.ts';
import { documentVersion } from './content-version.ts';
import type { NamespaceSnapshot } from './types.ts';

// Incremental snapshots: rebuilding from a previous snapshot must give exactly what a build from
// scratch gives (documents, version, answers), while reusing what did not change.

function constraint(segmentKey: string, property: string, value: string): Constraint {
  return {
    id: `${segmentKey}-${property}-${value}`,
    segmentKey,
    type: 'STRING_COMPARISON_TYPE',
    property,
    operator: 'eq',
    value,
    createdAt: '',
    updatedAt: '',
    namespaceKey: 'default',
    description: '',
  };
}

/** The next state, sharing every object it does not change, as the database source builds it. */
function mutate(state: NamespaceState, next: () => number, n: number): NamespaceState {
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const copy: NamespaceState = {
    ...state,
    flags: [...state.flags],
    segments: [...state.segments],
    rules: { ...state.rules },
    rollouts: { ...state.rollouts },
  };
  const segmentKey = () => pick(copy.segments)?.key;
  switch (Math.floor(next() * 7)) {
    case 0: {
      const key = `f${n}`;
      const variants = [variant(key, 'a'), variant(key, 'b', '{"x":1}')];
      copy.flags.push(
        flag(key, { variants, type: next() < 0.3 ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE' }),
      );
      break;
    }
    case 1: {
      const i = Math.floor(next() * copy.flags.length);
      if (copy.flags[i])
        copy.flags[i] = { ...copy.flags[i]!, enabled: !copy.flags[i]!.enabled, name: `n${n}` };
      break;
    }
    case 2: {
      const removed = copy.flags.splice(Math.floor(next() * copy.flags.length), 1)[0];
      if (removed) {
        delete copy.rules[removed.key];
        delete copy.rollouts[removed.key];
      }
      break;
    }
    case 3:
      copy.segments.push(
        segment(`s${n}`, { constraints: [constraint(`s${n}`, 'plan', pick(['pro', 'free'])!)] }),
      );
      break;
    case 4: {
      const i = Math.floor(next() * copy.segments.length);
      const old = copy.segments[i];
      if (old)
        copy.segments[i] = {
          ...old,
          matchType: old.matchType === 'ALL_MATCH_TYPE' ? 'ANY_MATCH_TYPE' : 'ALL_MATCH_TYPE',
          constraints: [...old.constraints, constraint(old.key, 'tier', `${n}`)],
        };
      break;
    }
    case 5: {
      const target = pick(copy.flags.filter((f) => f.type === 'VARIANT_FLAG_TYPE'));
      const key = segmentKey();
      if (target && key) {
        const rules = copy.rules[target.key] ?? [];
        const r = rule(
          target.key,
          rules.length + 1,
          [key],
          [[target.variants[0]!.id, Math.floor(next() * 100)]],
        );
        copy.rules[target.key] = [...rules, { ...r, id: `${r.id}-${n}` }];
      }
      break;
    }
    default: {
      const target = pick(copy.flags.filter((f) => f.type === 'BOOLEAN_FLAG_TYPE'));
      if (target) {
        const rollouts = copy.rollouts[target.key] ?? [];
        copy.rollouts[target.key] = [
          ...rollouts,
          thresholdRollout(target.key, rollouts.length + 1, Math.floor(next() * 100), next() < 0.5),
        ];
      }
    }
  }
  return copy;
}

function answers(snapshot: NamespaceSnapshot): unknown[] {
  return snapshot.evaluator.flags().flatMap((summary) =>
    ['pro', 'free', 'none'].map((plan, i) => {
      const request = { namespaceKey: 'default', flagKey: summary.key, entityId: `e${i}`, context: { plan } };
      return summary.type === 'BOOLEAN_FLAG_TYPE'
        ? snapshot.evaluator.boolean(request)
        : snapshot.evaluator.variant(request);
    }),
  );
}

test('random changes: a rebuilt snapshot equals a fresh build and reuses untouched flags', () => {
  let reused = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const prng = new Prng(seed);
    const next = () => prng.next();
    let state = namespaceState('default');
    let previous = buildNamespaceSnapshot(state);
    for (let n = 0; n < 150; n++) {
      state = mutate(state, next, n);
      const rebuilt = rebuildNamespaceSnapshot(previous, state);
      const fresh = buildNamespaceSnapshot(state);
      const where = `seed ${seed}, change ${n}`;
      for (const gate of ['1.37.1', '1.38.0', '1.47.0'])
        assert.equal(rebuilt.clientDocumentJson(gate), fresh.clientDocumentJson(gate), `${where}: ${gate}`);
      assert.equal(rebuilt.version, fresh.version, where);
      assert.equal(rebuilt.version, documentVersion(fresh.clientDocument('1.47.0')), where);
      assert.equal(rebuilt.etag, fresh.etag, where);
      assert.deepEqual(answers(rebuilt), answers(fresh), where);

      // Flags whose inputs are the same objects keep the same document object.
      const before = new Map(previous.clientDocument('1.47.0').flags.map((f) => [f.key, f]));
      for (const [i, f] of state.flags.entries()) {
        const same =
          previous.flag(f.key) === f &&
          previous.state.rules[f.key] === state.rules[f.key] &&
          previous.state.rollouts[f.key] === state.rollouts[f.key] &&
          previous.state.segments.length === state.segments.length &&
          state.segments.every((s) => previous.segment(s.key) === s);
        if (!same) continue;
        assert.equal(rebuilt.clientDocument('1.47.0').flags[i], before.get(f.key), `${where}: ${f.key}`);
        reused++;
      }
      previous = rebuilt;
    }
  }
  assert.ok(reused > 1000, `flags reused across the sequences: ${reused}`);
});

test('a segment change re-derives the flags that use it, and only those', () => {
  const seg = segment('beta', { constraints: [constraint('beta', 'plan', 'pro')] });
  const on = variant('uses', 'on');
  const state = namespaceState('default', {
    flags: [flag('uses', { variants: [on] }), flag('other')],
    segments: [seg],
    rules: { uses: [rule('uses', 1, ['beta'], [[on.id, 100]])] },
  });
  const first = buildNamespaceSnapshot(state);
  const changed: NamespaceState = {
    ...state,
    segments: [{ ...seg, constraints: [constraint('beta', 'plan', 'free')] }],
  };
  const second = rebuildNamespaceSnapshot(first, changed);
  const request = { namespaceKey: 'default', flagKey: 'uses', entityId: 'e', context: { plan: 'free' } };
  assert.equal(first.evaluator.variant(request).match, false);
  assert.equal(second.evaluator.variant(request).match, true);
  assert.notEqual(second.version, first.version);
  assert.notEqual(second.clientDocument('1.47.0').flags[0], first.clientDocument('1.47.0').flags[0]);
  assert.equal(second.clientDocument('1.47.0').flags[1], first.clientDocument('1.47.0').flags[1]);
  assert.equal(second.version, buildNamespaceSnapshot(changed).version);
});

test('a rebuild still refuses inconsistent state: a rule naming a deleted segment', () => {
  const on = variant('f', 'on');
  const state = namespaceState('default', {
    flags: [flag('f', { variants: [on] })],
    segments: [segment('gone')],
    rules: { f: [rule('f', 1, ['gone'], [])] },
  });
  const first = buildNamespaceSnapshot(state);
  assert.throws(() => rebuildNamespaceSnapshot(first, { ...state, segments: [] }), /unknown segment "gone"/);
});
