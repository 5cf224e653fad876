import { createWriteStream, type WriteStream } from 'node:fs';
import type { AuditEvent } from './event.ts';
import type { AuditCounters, AuditSink } from './sink.ts';

// audit.sinks.log: one JSON line per event, appended to `file` (standard output when empty).

export function createLogSink(options: { file: string }, counters: AuditCounters): AuditSink {
  let stream: WriteStream | undefined;
  let broken = false;
  if (options.file) {
    stream = createWriteStream(options.file, { flags: 'a' });
    // A disk problem must not take the server down; what cannot be written is counted.
    stream.on('error', () => {
      broken = true;
    });
  }
  return {
    name: 'log',
    send(events: readonly AuditEvent[]) {
      if (broken) {
        counters.dropped('log', events.length);
        return;
      }
      const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
      if (stream) stream.write(text);
      else process.stdout.write(text);
      counters.delivered('log', events.length);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!stream || broken) return resolve();
        const timer = setTimeout(resolve, 2_000);
        stream.end(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
