import { ConfigError } from './config-error.ts';
import type { Setting } from './settings.ts';
import type { AuditConfig, Config } from './types.ts';
import {
  parseBoolean,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parseString,
  parseStringList,
} from './values.ts';

// `audit.*` keys (spec §7.2). Kafka and webhook templates are not available and stop the server
// when configured.

function audit(key: string, apply: (a: AuditConfig, raw: unknown, key: string) => void): Setting {
  return { key, apply: (config: Config, raw: unknown) => apply(config.audit, raw, key) };
}

export const AUDIT_SETTINGS: readonly Setting[] = [
  audit('audit.sinks.log.enabled', (a, raw, key) => {
    a.sinks.log.enabled = parseBoolean(key, raw);
  }),
  audit('audit.sinks.log.file', (a, raw, key) => {
    a.sinks.log.file = parseString(key, raw);
  }),
  audit('audit.sinks.log.encoding', (_a, raw, key) => {
    parseChoice(key, raw, ['json']);
  }),
  audit('audit.sinks.webhook.enabled', (a, raw, key) => {
    a.sinks.webhook.enabled = parseBoolean(key, raw);
  }),
  audit('audit.sinks.webhook.url', (a, raw, key) => {
    a.sinks.webhook.url = parseString(key, raw);
  }),
  audit('audit.sinks.webhook.signing_secret', (a, raw, key) => {
    a.sinks.webhook.signingSecret = parseString(key, raw);
  }),
  audit('audit.sinks.webhook.max_backoff_duration', (a, raw, key) => {
    a.sinks.webhook.maxBackoffMs = parseDurationMs(key, raw);
  }),
  audit('audit.sinks.webhook.templates', (_a, raw, key) => {
    if (Array.isArray(raw) && raw.length > 0)
      throw new ConfigError(`${key} is not supported yet (use url)`, key);
  }),
  audit('audit.sinks.kafka.enabled', (_a, raw, key) => {
    if (parseBoolean(key, raw))
      throw new ConfigError(`${key} is not supported yet (supported sinks: log, webhook)`, key);
  }),
  audit('audit.buffer.capacity', (a, raw, key) => {
    a.buffer.capacity = parseInteger(key, raw, 1, 10, '');
  }),
  audit('audit.buffer.flush_period', (a, raw, key) => {
    a.buffer.flushPeriodMs = parseDurationMs(key, raw);
  }),
  audit('audit.events', (a, raw, key) => {
    a.events = parseStringList(key, raw);
  }),
];

export function checkAudit(config: Config): void {
  const { webhook } = config.audit.sinks;
  if (webhook.enabled && !/^https?:\/\//.test(webhook.url))
    throw new ConfigError(
      `audit.sinks.webhook.url must be an http(s) URL (got ${JSON.stringify(webhook.url)})`,
      'audit.sinks.webhook.url',
    );
}
