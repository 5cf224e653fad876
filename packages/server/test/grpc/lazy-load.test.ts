import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { DEFAULT_SERVER_LIMITS } from '../../src/config/defaults.ts';
import type { GrpcHandlers } from '../../src/grpc/handlers.ts';
import { startGrpcServer } from '../../src/grpc/index.ts';
import { lazyGrpcHandlers } from '../../src/grpc/lazy-handlers.ts';
import { createDualServer, type DualServer } from '../../src/grpc/listener.ts';
import { unaryFastPath } from './support/fast-path-mode.ts';
import { staticSource } from './support/fixture-source.ts';
import { type GrpcError, status, unaryClient } from './support/grpc-client.ts';

// The gRPC port is bound before Connect and the descriptors are loaded (they load with the first
// connection, to keep them out of start-up). A call that arrives during that load must be
// answered once it is done, over every protocol the port speaks, and a failed load must fail the
// call it held, not the process, and be tried again by the next call.

const VARIANT = {
  namespaceKey: 'default',
  flagKey: 'flag_001',
  entityId: 'some-fixed-entity-id',
  context: { in_segment: 'segment_005' },
};

const quiet = { error() {}, warn() {} };

/** A Connect (JSON over HTTP/1.1) evaluation, as a browser or plain fetch would send it. */
async function connectVariant(address: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://${address}/flipt.evaluation.EvaluationService/Variant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(VARIANT),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A listener like startGrpcServer's whose handler load waits for `load`. */
async function listenWith(load: () => Promise<GrpcHandlers>): Promise<{ dual: DualServer; address: string }> {
  const handlers = lazyGrpcHandlers(load, quiet);
  const dual = createDualServer(handlers, DEFAULT_SERVER_LIMITS);
  dual.server.once('connection', handlers.warm);
  await new Promise<void>((resolve) => dual.server.listen(0, '127.0.0.1', resolve));
  return { dual, address: `127.0.0.1:${(dual.server.address() as AddressInfo).port}` };
}

const realHandlers = async (): Promise<GrpcHandlers> => {
  const { createGrpcHandlers } = await import('../../src/grpc/handlers.ts');
  return createGrpcHandlers({
    host: '127.0.0.1',
    port: 0,
    source: staticSource(),
    logger: quiet,
    unaryFastPath,
  });
};

describe('gRPC handlers loaded on the first connection', () => {
  const closers: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('a fresh server answers its very first calls, gRPC over HTTP/2 and Connect over HTTP/1.1', async () => {
    // First in this process: handlers.ts has not been imported yet, so these calls arrive while
    // it loads.
    const grpc = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      source: staticSource(),
      logger: quiet,
      unaryFastPath,
    });
    closers.push(() => grpc.close(1000));
    const address = `127.0.0.1:${grpc.port}`;
    const evaluation = unaryClient(address, 'flipt.evaluation.EvaluationService');
    closers.push(() => evaluation.close());
    const [a, b, c, rest] = await Promise.all([
      evaluation.Variant!(VARIANT),
      evaluation.Variant!(VARIANT),
      evaluation.Variant!({ ...VARIANT, requestId: 'third' }),
      connectVariant(address),
    ]);
    for (const answer of [a, b, c]) assert.equal(answer['variantKey'], 'variant_002');
    assert.equal(c['requestId'], 'third');
    assert.equal(rest.status, 200);
    assert.equal(rest.body['variantKey'], 'variant_002');
  });

  it('calls held while the handlers load are answered when the load ends, none before', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { dual, address } = await listenWith(async () => {
      await gate;
      return realHandlers();
    });
    closers.push(() => dual.drain(1000));
    const evaluation = unaryClient(address, 'flipt.evaluation.EvaluationService');
    closers.push(() => evaluation.close());
    const settled: string[] = [];
    const calls = Promise.all([
      evaluation.Variant!(VARIANT).finally(() => settled.push('grpc 1')),
      evaluation.Variant!(VARIANT).finally(() => settled.push('grpc 2')),
      connectVariant(address).finally(() => settled.push('connect')),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(settled, [], 'nothing is answered before the handlers exist');
    release();
    const [first, second, rest] = await calls;
    assert.equal(first['variantKey'], 'variant_002');
    assert.equal(second['variantKey'], 'variant_002');
    assert.equal(rest.status, 200);
    assert.equal(rest.body['variantKey'], 'variant_002');
  });

  it('a failed load fails the calls it held, and the next call loads again and is answered', async () => {
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { dual, address } = await listenWith(async () => {
      loads++;
      if (loads > 1) return realHandlers();
      // The first load fails only once a call is waiting for it.
      await gate;
      throw new Error('simulated load failure');
    });
    closers.push(() => dual.drain(1000));
    const evaluation = unaryClient(address, 'flipt.evaluation.EvaluationService');
    closers.push(() => evaluation.close());
    const held = evaluation.Variant!(VARIANT);
    setTimeout(release, 200);
    await assert.rejects(held, (error: GrpcError) => {
      assert.equal(error.code, status.INTERNAL);
      return true;
    });
    const answer = await evaluation.Variant!(VARIANT);
    assert.equal(answer['variantKey'], 'variant_002');
    assert.equal((await connectVariant(address)).status, 200);
    assert.equal(loads, 2);
  });
});
