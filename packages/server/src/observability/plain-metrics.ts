import type { Metric, Registry } from 'prom-client';

// Per-flag evaluation metrics kept as plain numbers and rendered by prom-client only at scrape
// time. prom-client's labelled children re-hash their label set on every increment (several
// microseconds); here a request costs one Map lookup and a few additions.

type Labels = Record<string, string>;

interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** A counter family whose series are created once and then bumped by reference. */
export class PlainCounter {
  readonly #series = new Map<string, { labels: Labels; value: number }>();

  constructor(registry: Registry, name: string, help: string) {
    const series = this.#series;
    registry.registerMetric(
      customMetric(name, help, 'counter', () =>
        [...series.values()].map((s) => ({ labels: s.labels, value: s.value })),
      ),
    );
  }

  /** The series for `id`, created with `labels()` the first time. */
  series(id: string, labels: () => Labels): { value: number } {
    let s = this.#series.get(id);
    if (!s) {
      s = { labels: labels(), value: 0 };
      this.#series.set(id, s);
    }
    return s;
  }
}

export interface HistogramSeries {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** A histogram family with fixed upper bounds; `observe` finds the first bucket that fits. */
export class PlainHistogram {
  readonly #series = new Map<string, { labels: Labels; data: HistogramSeries }>();
  readonly bounds: readonly number[];

  constructor(registry: Registry, name: string, help: string, bounds: readonly number[]) {
    this.bounds = bounds;
    const series = this.#series;
    registry.registerMetric(
      customMetric(name, help, 'histogram', () => {
        const values: Value[] = [];
        for (const { labels, data } of series.values()) {
          // Prometheus buckets are cumulative; we store per-bucket counts.
          let cumulative = 0;
          bounds.forEach((le, i) => {
            cumulative += data.counts[i]!;
            values.push({
              labels: { le: String(le), ...labels },
              value: cumulative,
              metricName: `${name}_bucket`,
            });
          });
          values.push({ labels: { le: '+Inf', ...labels }, value: data.count, metricName: `${name}_bucket` });
          values.push({ labels, value: data.sum, metricName: `${name}_sum` });
          values.push({ labels, value: data.count, metricName: `${name}_count` });
        }
        return values;
      }),
    );
  }

  series(id: string, labels: () => Labels): HistogramSeries {
    let s = this.#series.get(id);
    if (!s) {
      s = { labels: labels(), data: { counts: this.bounds.map(() => 0), sum: 0, count: 0 } };
      this.#series.set(id, s);
    }
    return s.data;
  }

  observe(series: HistogramSeries, value: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        series.counts[i]!++;
        break;
      }
    }
    series.sum += value;
    series.count++;
  }
}

function customMetric(
  name: string,
  help: string,
  type: 'counter' | 'histogram',
  values: () => Value[],
): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset() {},
  };
  return metric as unknown as Metric;
}
