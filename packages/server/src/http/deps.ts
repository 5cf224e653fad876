import type { Auth } from '../auth/index.ts';
import type { Config } from '../config/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ServicesAt } from '../service/at-reference.ts';
import type { Services } from '../service/index.ts';
import type { SnapshotSource } from '../storage/contract.ts';

/** The slice of a pino logger the HTTP layer uses. */
export interface HttpLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Everything route modules need, built once by createApp. */
export interface HttpDeps {
  readonly services: Services;
  /** The services pinned to a request's `reference`, or `services` when it names none. */
  readonly servicesAt: ServicesAt;
  readonly source: SnapshotSource;
  readonly config: Config;
  readonly metrics: Metrics;
  readonly logger: HttpLogger;
  /** Largest accepted request body (config.server.maxBodyBytes). */
  readonly bodyLimit: number;
  readonly version: string;
  /** Present when authentication is required or offered. */
  readonly auth: Auth | undefined;
}
