import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { Prng } from '../../../core/test/conformance/prng.ts';
import { PlainCounter, PlainHistogram } from '../../src/observability/plain-metrics.ts';

// The plain counters and histograms stand in for prom-client's on the evaluation hot path. Fed
// the same observations, both must expose the same Prometheus text.

const BOUNDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const FLAGS = ['flag_a', 'flag_b', 'flag "quoted"', 'flag\\back', 'é'];
const NAMESPACES = ['default', 'production'];

test('plain metrics render the same Prometheus text as prom-client for the same observations', async () => {
  const plainRegistry = new Registry();
  const libraryRegistry = new Registry();
  const plainCounter = new PlainCounter(
    plainRegistry,
    'flipt_evaluations_requests_total',
    'evaluation requests',
  );
  const plainHistogram = new PlainHistogram(
    plainRegistry,
    'flipt_evaluations_latency_milliseconds',
    'latency',
    BOUNDS,
  );
  const counter = new Counter({
    name: 'flipt_evaluations_requests_total',
    help: 'evaluation requests',
    labelNames: ['namespace', 'flag'],
    registers: [libraryRegistry],
  });
  const histogram = new Histogram({
    name: 'flipt_evaluations_latency_milliseconds',
    help: 'latency',
    labelNames: ['namespace', 'flag'],
    buckets: BOUNDS,
    registers: [libraryRegistry],
  });

  const prng = new Prng(42);
  for (let i = 0; i < 5000; i++) {
    const labels = { namespace: prng.pick(NAMESPACES), flag: prng.pick(FLAGS) };
    const id = `${labels.namespace}/${labels.flag}`;
    // Values on bucket bounds, between them and past the last one.
    const value = prng.chance(0.2) ? prng.pick(BOUNDS) : prng.next() * prng.pick([0.01, 1, 10]);
    plainCounter.series(id, () => labels).value++;
    counter.inc(labels);
    plainHistogram.observe(
      plainHistogram.series(id, () => labels),
      value,
    );
    histogram.observe(labels, value);
  }

  const sortSeries = (text: string) => text.split('\n').sort().join('\n');
  const plain = await plainRegistry.metrics();
  const library = await libraryRegistry.metrics();
  assert.ok(plain.includes('flipt_evaluations_latency_milliseconds_bucket{'), 'histogram buckets rendered');
  assert.equal(sortSeries(plain), sortSeries(library));
});
