import { Counter, Gauge, type Registry } from 'prom-client';
import type { SnapshotSource } from '../storage/contract.ts';

/**
 * Flipt's `flipt_git_sync_*` metrics, and the same four for every declarative source
 * (`flipt_oci_sync_*`, `flipt_object_sync_*`, `flipt_local_sync_*`). Read from the source's
 * status at scrape time, so storage code needs no metrics dependency.
 */
export function registerSyncMetrics(registry: Registry, source: SnapshotSource): void {
  if (!source.status().sync) return;
  const prefix = `flipt_${source.type}_sync`;
  const sync = () => source.status().sync;
  new Gauge({
    name: `${prefix}_last_time`,
    help: `Unix time of the last successful ${source.type} sync`,
    registers: [registry],
    collect() {
      const at = source.status().lastSyncAt;
      this.set(at ? Date.parse(at) / 1000 : 0);
    },
  });
  new Gauge({
    name: `${prefix}_flags`,
    help: `Flags served from the last ${source.type} sync`,
    registers: [registry],
    collect() {
      this.set(sync()?.flags ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}_latency_milliseconds`,
    help: `Duration of the last ${source.type} sync attempt in milliseconds`,
    registers: [registry],
    collect() {
      this.set(sync()?.lastDurationMs ?? 0);
    },
  });
  let counted = 0;
  new Counter({
    name: `${prefix}_errors_total`,
    help: `Failed ${source.type} sync attempts`,
    registers: [registry],
    collect() {
      const errors = sync()?.errors ?? 0;
      if (errors > counted) this.inc(errors - counted);
      counted = errors;
    },
  });
}
