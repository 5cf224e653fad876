import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DescMessage, toJson } from '@bufbuild/protobuf';
import { isEnsignError } from '@ensign/core';
import { prng } from '../../../core/test/conformance/prng.ts';
import {
  BatchEvaluationRequestSchema,
  EvaluationRequestSchema,
} from '../../src/grpc/gen/flipt/evaluation/evaluation_pb.js';
import { decodeMessage, parseJsonBody } from '../../src/http/json-body.ts';
import { EVALUATION_REQUEST, withDefaults } from '../../src/http/routes/evaluation.ts';
import { decodeWriteBody } from '../../src/http/write-body.ts';

// The hand-written /evaluate/v1/* decoder is kept for speed; this checks it against the generated
// protobuf schema decoded by @bufbuild/protobuf's fromJson (the path every other body takes), on
// seeded random bodies, valid and invalid: both must accept or both refuse, and agree on every
// field when they accept. Two inputs are left out on purpose because Flipt's gateway (and so the
// fast decoder) tolerates them where protojson does not: `null` as a context value and `null` as
// a batch item.

const SEED = 0xdec0de;
const CASES = 4000;

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const NAMES = [
  ['requestId', 'request_id'],
  ['namespaceKey', 'namespace_key'],
  ['flagKey', 'flag_key'],
  ['entityId', 'entity_id'],
  ['reference', 'reference'],
] as const;
const STRINGS = ['', 'flag_001', 'ü🚀', 'default', '\u0000', ' spaced '];
const ODD = [0, -1, 1.5, true, false, [], {}, ['a'], { a: 'b' }];

function contextValue(): unknown {
  if (chance(0.85)) return pick(STRINGS);
  return pick([1, true, { nested: 'x' }, ['a'], 2.5]);
}

function context(): unknown {
  if (chance(0.1)) return pick([[], 'text', 7, true]);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(random() * 4); i++)
    out[pick(['a', 'b', 'in_segment', '', 'ü'])] = contextValue();
  return out;
}

function request(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [camel, snake] of NAMES) {
    if (chance(0.3)) continue;
    const name = chance(0.7) ? camel : snake;
    out[name] = chance(0.85) ? pick(STRINGS) : chance(0.3) ? null : pick(ODD);
  }
  if (chance(0.7)) out['context'] = chance(0.05) ? null : context();
  if (chance(0.2)) out[pick(['extra', 'unknownField', 'flagkey'])] = pick([...STRINGS, ...ODD]);
  return out;
}

type Verdict = { ok: true; value: Record<string, unknown> } | { ok: false };

function verdict(work: () => Record<string, unknown>): Verdict {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    assert.ok(isEnsignError(error), `a decoder threw a non-API error: ${String(error)}`);
    assert.equal(error.code, 'invalid_argument');
    return { ok: false };
  }
}

/** Both decoders' view of one request: every field, "" when absent, context as a plain object. */
function normalised(value: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [camel] of NAMES) out[camel] = value[camel] ?? '';
  out['context'] = { ...((value['context'] as object | undefined) ?? {}) };
  return out;
}

function oracle(desc: DescMessage, text: string): Record<string, unknown> {
  const message = decodeWriteBody(desc, { body: parseJsonBody(Buffer.from(text)), params: {} });
  return toJson(desc, message, { alwaysEmitImplicit: true }) as Record<string, unknown>;
}

test('the fast evaluation decoder agrees with fromJson on single requests', () => {
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const text = JSON.stringify(request());
    const fast = verdict(
      () =>
        withDefaults(
          decodeMessage(parseJsonBody(Buffer.from(text)), EVALUATION_REQUEST),
        ) as unknown as Record<string, unknown>,
    );
    const slow = verdict(() => oracle(EvaluationRequestSchema, text));
    assert.equal(fast.ok, slow.ok, `fast ${fast.ok ? 'accepts' : 'refuses'}, fromJson disagrees: ${text}`);
    if (fast.ok && slow.ok) {
      assert.deepEqual(normalised(fast.value), normalised(slow.value), text);
      accepted++;
    } else refused++;
  }
  // The generator must exercise both outcomes, or the comparison proves little.
  assert.ok(accepted > CASES / 4 && refused > CASES / 10, `accepted ${accepted}, refused ${refused}`);
});

test('the fast evaluation decoder agrees with fromJson on batch requests', () => {
  const BATCH = {
    requestId: 'string',
    requests: { messages: EVALUATION_REQUEST },
    reference: 'string',
  } as const;
  let accepted = 0;
  for (let i = 0; i < CASES / 4; i++) {
    const body: Record<string, unknown> = {};
    if (chance(0.9))
      body[chance(0.5) ? 'requests' : 'requests'] = Array.from({ length: Math.floor(random() * 3) }, request);
    if (chance(0.05)) body['requests'] = pick(ODD);
    if (chance(0.3)) body[pick(['requestId', 'request_id'])] = chance(0.8) ? pick(STRINGS) : pick(ODD);
    const text = JSON.stringify(body);
    const fast = verdict(() => {
      const decoded = decodeMessage<{ requests?: Record<string, unknown>[]; requestId?: string }>(
        parseJsonBody(Buffer.from(text)),
        BATCH,
      );
      return {
        requestId: decoded.requestId ?? '',
        requests: (decoded.requests ?? []).map((r) => withDefaults(r)),
      };
    });
    const slow = verdict(() => oracle(BatchEvaluationRequestSchema, text));
    assert.equal(fast.ok, slow.ok, `fast ${fast.ok ? 'accepts' : 'refuses'}, fromJson disagrees: ${text}`);
    if (fast.ok && slow.ok) {
      accepted++;
      assert.equal(fast.value['requestId'], slow.value['requestId'], text);
      const fastItems = (fast.value['requests'] as Record<string, unknown>[]).map(normalised);
      const slowItems = (slow.value['requests'] as Record<string, unknown>[]).map(normalised);
      assert.deepEqual(fastItems, slowItems, text);
    }
  }
  assert.ok(accepted > CASES / 20, `accepted ${accepted}`);
});
