import type { Auth } from '../auth/index.ts';
import type { ServerLimits } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { EvaluationMetrics } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { ManagementStore, Services } from '../service/index.ts';
import type { SnapshotSource } from '../storage/contract.ts';
import type { TlsMaterial } from '../tls-material.ts';
import type { GrpcErrorLogger } from './errors.ts';

export interface GrpcServerOptions {
  /** Interface to bind (config `server.host`). */
  host: string;
  /** Config `server.grpc_port`; 0 binds any free port. */
  port: number;
  source: SnapshotSource;
  logger: GrpcErrorLogger;
  /**
   * The services the REST app uses, so both transports share one metrics registry and store.
   * Built from `source` (with `metrics`, or none) when absent.
   */
  services?: Services;
  /** Pass the REST app's registry so evaluations over both transports count together. */
  metrics?: EvaluationMetrics;
  /** A writable store (database backends); read-only sources always reject writes. */
  management?: ManagementStore;
  /** Authentication: every call passes its gate; services are guarded; flipt.auth is served. */
  auth?: Auth;
  /** Serve TLS (ALPN h2 and http/1.1) with this certificate and key (`server.protocol: https`). */
  tls?: TlsMaterial;
  /** Largest accepted message (default 4 MiB, gRPC's usual limit). */
  readMaxBytes?: number;
  /** Where the access log goes (config `log.access`); none when absent. */
  accessLog?: Logger;
  /** Traces every call (tracing.enabled). */
  tracing?: Tracing;
  /**
   * Answer plain unary gRPC calls on the raw HTTP/2 stream (default true). With false every call
   * goes through Connect; the test suite runs both ways to show they answer alike.
   */
  unaryFastPath?: boolean;
  /** Connection, stream and timeout bounds (config `server.limits`; defaults when absent). */
  limits?: ServerLimits;
}
