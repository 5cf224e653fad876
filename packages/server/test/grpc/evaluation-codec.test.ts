import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { prng as random } from '../../../core/test/conformance/prng.ts';
import { decodeEvaluationRequest } from '../../src/grpc/evaluation-request-codec.ts';
import { encodeBooleanFrame, encodeVariantFrame } from '../../src/grpc/evaluation-response-codec.ts';
import {
  BooleanEvaluationResponseSchema,
  type EvaluationReason,
  EvaluationRequestSchema,
  VariantEvaluationResponseSchema,
} from '../../src/grpc/gen/flipt/evaluation/evaluation_pb.js';

// The hand-written codecs for the hot evaluation messages must agree with protobuf-es exactly:
// the same bytes out, the same message in, and "don't know" (undefined) rather than a different
// answer for input they do not handle.

const ALPHABET = ['a', 'Z', '0', '_', '-', ' ', '/', 'é', 'ß', '€', '中', '😀', '\u0000', '\uFEFF', '%'];

function text(rnd: () => number): string {
  const len = rnd() < 0.2 ? 0 : rnd() < 0.9 ? Math.floor(rnd() * 20) : Math.floor(rnd() * 300);
  let out = '';
  for (let i = 0; i < len; i++) out += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return out;
}

function keys(rnd: () => number): string[] {
  return Array.from({ length: Math.floor(rnd() * 4) }, () => text(rnd));
}

function double(rnd: () => number): number {
  const pick = rnd();
  if (pick < 0.1) return 0;
  if (pick < 0.15) return Number.NaN;
  if (pick < 0.2) return -0;
  return pick < 0.6 ? rnd() * 10 : (rnd() - 0.5) * 1e12;
}

function timestamp(rnd: () => number) {
  const pick = rnd();
  if (pick < 0.15) return undefined;
  if (pick < 0.2) return timestampFromMs(0);
  if (pick < 0.25) return timestampFromMs(Math.floor(rnd() * 1000));
  return timestampFromMs(Math.floor(rnd() * 4e12));
}

describe('hand-written evaluation codecs', () => {
  it('decode EvaluationRequest exactly as protobuf-es does', () => {
    const rnd = random(1);
    for (let i = 0; i < 2000; i++) {
      const context: Record<string, string> = {};
      for (let j = Math.floor(rnd() * 5); j > 0; j--) context[text(rnd)] = text(rnd);
      const bytes = Buffer.from(
        toBinary(
          EvaluationRequestSchema,
          create(EvaluationRequestSchema, {
            requestId: text(rnd),
            namespaceKey: text(rnd),
            flagKey: text(rnd),
            entityId: text(rnd),
            context,
            reference: text(rnd),
          }),
        ),
      );
      assert.deepStrictEqual(decodeEvaluationRequest(bytes), fromBinary(EvaluationRequestSchema, bytes));
    }
  });

  it('decodes repeated fields and map entries with protobuf merge rules', () => {
    const a = toBinary(
      EvaluationRequestSchema,
      create(EvaluationRequestSchema, { flagKey: 'a', context: { x: '1', y: '2' } }),
    );
    const b = toBinary(
      EvaluationRequestSchema,
      create(EvaluationRequestSchema, { flagKey: 'b', context: { x: '3' } }),
    );
    const bytes = Buffer.concat([a, b]);
    assert.deepStrictEqual(decodeEvaluationRequest(bytes), fromBinary(EvaluationRequestSchema, bytes));
    // A map entry with key or value missing means "".
    const partial = Buffer.from([0x2a, 0x03, 0x0a, 0x01, 0x6b, 0x2a, 0x03, 0x12, 0x01, 0x76]);
    assert.deepStrictEqual(decodeEvaluationRequest(partial), fromBinary(EvaluationRequestSchema, partial));
  });

  it('skips unknown fields like protobuf-es (which keeps them aside)', () => {
    const known = toBinary(EvaluationRequestSchema, create(EvaluationRequestSchema, { flagKey: 'f' }));
    // field 10 varint, field 11 fixed64, field 12 bytes, field 13 fixed32
    const unknown = Buffer.from([
      0x50, 0x96, 0x01, 0x59, 1, 2, 3, 4, 5, 6, 7, 8, 0x62, 0x02, 9, 9, 0x6d, 1, 2, 3, 4,
    ]);
    const bytes = Buffer.concat([unknown, known]);
    const { $unknown: _, ...expected } = fromBinary(EvaluationRequestSchema, bytes);
    assert.deepStrictEqual(decodeEvaluationRequest(bytes), expected);
  });

  it('leaves input it does not handle to protobuf-es', () => {
    const cases = [
      Buffer.from([0x1a, 0x02, 0xc3, 0x28]), // invalid UTF-8
      Buffer.from([0x1a, 0x05, 0x61]), // truncated string
      Buffer.from([0x1a]), // truncated length
      Buffer.from([0x18, 0x01]), // flag_key with the wrong wire type
      Buffer.from([0x00, 0x01]), // field number 0
      Buffer.from([0x53, 0x54]), // a group
      Buffer.from([0x2a, 0x0b, 0x0a, 0x09, ...Buffer.from('__proto__'), 0x12, 0x00].slice(0, 13)),
      Buffer.from([0x50, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // long varint
    ];
    for (const bytes of cases) assert.equal(decodeEvaluationRequest(bytes), undefined, bytes.toString('hex'));
  });

  it('encode VariantEvaluationResponse byte for byte as protobuf-es', () => {
    const rnd = random(2);
    for (let i = 0; i < 2000; i++) {
      const init = {
        match: rnd() < 0.5,
        segmentKeys: keys(rnd),
        reason: Math.floor(rnd() * 4),
        variantKey: text(rnd),
        variantAttachment: text(rnd),
        requestId: text(rnd),
        requestDurationMillis: double(rnd),
        timestamp: timestamp(rnd),
        flagKey: text(rnd),
      };
      const expected = toBinary(
        VariantEvaluationResponseSchema,
        create(VariantEvaluationResponseSchema, init),
      );
      const frame = encodeVariantFrame(init);
      assert.ok(frame);
      assert.equal(frame[0], 0);
      assert.equal(frame.readUInt32BE(1), expected.length);
      assert.deepStrictEqual(new Uint8Array(frame.subarray(5)), expected);
    }
  });

  it('encode BooleanEvaluationResponse byte for byte as protobuf-es', () => {
    const rnd = random(3);
    for (let i = 0; i < 2000; i++) {
      const init = {
        enabled: rnd() < 0.5,
        reason: Math.floor(rnd() * 4),
        requestId: text(rnd),
        requestDurationMillis: double(rnd),
        timestamp: timestamp(rnd),
        flagKey: text(rnd),
        segmentKeys: keys(rnd),
      };
      const expected = toBinary(
        BooleanEvaluationResponseSchema,
        create(BooleanEvaluationResponseSchema, init),
      );
      const frame = encodeBooleanFrame(init);
      assert.ok(frame);
      assert.equal(frame.readUInt32BE(1), expected.length);
      assert.deepStrictEqual(new Uint8Array(frame.subarray(5)), expected);
    }
  });

  it("encodes the handlers' answers unset fields as absent", () => {
    assert.deepStrictEqual(
      new Uint8Array(encodeVariantFrame({})!.subarray(5)),
      toBinary(VariantEvaluationResponseSchema, create(VariantEvaluationResponseSchema, {})),
    );
    assert.deepStrictEqual(
      new Uint8Array(encodeBooleanFrame({})!.subarray(5)),
      toBinary(BooleanEvaluationResponseSchema, create(BooleanEvaluationResponseSchema, {})),
    );
  });

  it('leaves values it does not write to protobuf-es', () => {
    assert.equal(encodeVariantFrame({ reason: -1 as EvaluationReason }), undefined);
    assert.equal(encodeVariantFrame({ timestamp: timestampFromMs(-5000) }), undefined);
  });
});
