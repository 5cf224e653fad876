import type { AuditEvent } from './event.ts';

/** Where audit events go. `send` never throws and never blocks the caller for long. */
export interface AuditSink {
  readonly name: string;
  /** Receives each event as it is recorded instead of in audit.buffer batches. */
  readonly immediate?: boolean;
  send(events: readonly AuditEvent[]): void;
  /** Waits (bounded) for what is in flight, then stops. */
  close(): Promise<void>;
}

/** Counts what a sink could not deliver, so losses show in metrics rather than vanishing. */
export interface AuditCounters {
  dropped(sink: string, count: number): void;
  delivered(sink: string, count: number): void;
}
