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
import {
  type Constraint,
  type Flag,
  type NamespaceState,
  type Segment,
  segmentKeysOf,
} from '../model/types.ts';
import { buildNamespaceSnapshot, rebuildNamespaceSnapshot } from './build.ts';
import { documentVersion } from './content-version.ts';
import type { ChangeHint } from './incremental.ts';
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

/**
 * The next state, sharing every object it does not change, as the database source builds it,
 * and the change hint naming what it changed.
 */
function mutate(state: NamespaceState, next: () => number, n: number): [NamespaceState, ChangeHint] {
  const hint = {
    flags: new Map<string, Flag | undefined>(),
    segments: new Map<string, Segment | undefined>(),
  };
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const copy: NamespaceState = {
    ...state,
    flags: [...state.flags],
    segments: [...state.segments],
    rules: { ...state.rules },
    rollouts: { ...state.rollouts },
  };
  const segmentKey = () => pick(copy.segments)?.key;
  switch (Math.floor(next() * 9)) {
    case 0: {
      const key = `f${n}`;
      const variants = [variant(key, 'a'), variant(key, 'b', '{"x":1}')];
      const created = flag(key, { variants, type: next() < 0.3 ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE' });
      copy.flags.push(created);
      hint.flags.set(key, created);
      break;
    }
    case 1: {
      const i = Math.floor(next() * copy.flags.length);
      if (copy.flags[i]) {
        copy.flags[i] = { ...copy.flags[i]!, enabled: !copy.flags[i]!.enabled, name: `n${n}` };
        hint.flags.set(copy.flags[i]!.key, copy.flags[i]);
      }
      break;
    }
    case 2: {
      const removed = copy.flags.splice(Math.floor(next() * copy.flags.length), 1)[0];
      if (removed) {
        delete copy.rules[removed.key];
        delete copy.rollouts[removed.key];
        hint.flags.set(removed.key, undefined);
      }
      break;
    }
    case 3: {
      const created = segment(`s${n}`, {
        constraints: [constraint(`s${n}`, 'plan', pick(['pro', 'free'])!)],
      });
      copy.segments.push(created);
      hint.segments.set(created.key, created);
      break;
    }
    case 4: {
      const i = Math.floor(next() * copy.segments.length);
      const old = copy.segments[i];
      if (old) {
        copy.segments[i] = {
          ...old,
          matchType: old.matchType === 'ALL_MATCH_TYPE' ? 'ANY_MATCH_TYPE' : 'ALL_MATCH_TYPE',
          constraints: [...old.constraints, constraint(old.key, 'tier', `${n}`)],
        };
        hint.segments.set(old.key, copy.segments[i]);
      }
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
        hint.flags.set(target.key, target);
      }
      break;
    }
    case 6: {
      // Deleted and created again: it moves to the end, as in the database.
      const i = Math.floor(next() * copy.flags.length);
      const [moved] = copy.flags.splice(i, 1);
      if (moved) {
        const again = { ...moved, name: `again${n}` };
        copy.flags.push(again);
        hint.flags.set(moved.key, again);
      }
      break;
    }
    case 7: {
      const used = new Set(Object.values(copy.rules).flatMap((rules) => rules.flatMap(segmentKeysOf)));
      const i = copy.segments.findIndex((s) => !used.has(s.key));
      const [removed] = i === -1 ? [] : copy.segments.splice(i, 1);
      if (removed) hint.segments.set(removed.key, undefined);
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
        hint.flags.set(target.key, target);
      }
    }
  }
  return [copy, hint];
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

function assertSame(
  rebuilt: NamespaceSnapshot,
  fresh: NamespaceSnapshot,
  state: NamespaceState,
  where: string,
) {
  for (const gate of ['1.37.1', '1.38.0', '1.47.0'])
    assert.equal(rebuilt.clientDocumentJson(gate), fresh.clientDocumentJson(gate), `${where}: ${gate}`);
  assert.equal(rebuilt.version, fresh.version, where);
  assert.equal(rebuilt.version, documentVersion(fresh.clientDocument('1.47.0')), where);
  assert.equal(rebuilt.etag, fresh.etag, where);
  assert.deepEqual(answers(rebuilt), answers(fresh), where);
  assert.deepEqual(rebuilt.evaluator.flags(), fresh.evaluator.flags(), where);
  for (const f of state.flags) assert.equal(rebuilt.flag(f.key), f, `${where}: flag ${f.key}`);
  for (const s of state.segments) assert.equal(rebuilt.segment(s.key), s, `${where}: segment ${s.key}`);
}

test('random changes: a rebuilt snapshot equals a fresh build and reuses untouched flags', () => {
  let reused = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const prng = new Prng(seed);
    const next = () => prng.next();
    let state = namespaceState('default');
    let previous = buildNamespaceSnapshot(state);
    let hinted = previous;
    for (let n = 0; n < 150; n++) {
      const [changed, hint] = mutate(state, next, n);
      state = changed;
      const rebuilt = rebuildNamespaceSnapshot(previous, state);
      const fresh = buildNamespaceSnapshot(state);
      const where = `seed ${seed}, change ${n}`;
      assertSame(rebuilt, fresh, state, where);
      // With the change hint only what it names is visited, and the result is the same.
      const fromHint = rebuildNamespaceSnapshot(hinted, state, undefined, hint);
      assertSame(fromHint, fresh, state, `${where} (hinted)`);
      hinted = fromHint;

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
