import { pino } from 'pino';
import { scrubSecrets } from '../config/secrets.ts';
import type { Config } from '../config/types.ts';

export type Logger = pino.Logger;

/** Where log lines go; `process.stderr` by default so stdout stays free for command output. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level: Config['log']['level'] | 'silent';
  encoding: Config['log']['encoding'];
}

/**
 * Pino writes JSON; for `console` encoding each JSON line is rewritten into one readable line
 * (`time LEVEL message key=value ...`). Doing it in-process avoids pino-pretty and its worker.
 */
export function createLogger(options: LoggerOptions, destination: LogDestination = process.stderr): Logger {
  const scrubbed = scrubbingStream(destination);
  const stream = options.encoding === 'json' ? scrubbed : consoleStream(scrubbed);
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', encoding: 'json' }, { write: () => true });
}

/** Secrets the config loader saw never reach a log line, whatever logged them. */
function scrubbingStream(destination: LogDestination): LogDestination {
  return { write: (line: string) => destination.write(scrubSecrets(line)) };
}

function consoleStream(destination: LogDestination): LogDestination {
  return { write: (line: string) => destination.write(formatConsoleLine(line)) };
}

/** Renders one pino JSON line as `2026-11-25T10:00:00.000Z INFO  message key=value`. */
export function formatConsoleLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, ...fields } = record;
  const head = `${String(time ?? '')} ${String(level ?? '')
    .toUpperCase()
    .padEnd(5)} ${String(msg ?? '')}`;
  const tail = Object.entries(fields).map(([key, value]) => ` ${key}=${formatValue(value)}`);
  return `${head}${tail.join('')}${formatError(err)}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function formatError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const { stack, message } = err as { stack?: unknown; message?: unknown };
  const text = typeof stack === 'string' ? stack : String(message ?? '');
  return ` error=${JSON.stringify(String(message ?? ''))}${text ? `\n${text.replace(/^/gm, '    ')}` : ''}`;
}
