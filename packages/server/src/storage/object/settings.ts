import { ConfigError } from '../../config/config-error.ts';
import type { Setting } from '../../config/settings.ts';
import type { Config } from '../../config/types.ts';
import { parseChoice, parseDurationMs, parseString } from '../../config/values.ts';

/** `storage.object.*` (flipt-v1.md §5.6). */
export interface ObjectSettings {
  type: 's3' | 'azblob' | 'googlecloud' | '';
  s3: { bucket: string; prefix: string; region: string; endpoint: string; pollIntervalMs: number };
  azblob: { container: string; endpoint: string; pollIntervalMs: number };
  googlecloud: { bucket: string; prefix: string; pollIntervalMs: number };
}

const MINUTE = 60_000;

function defaults(): ObjectSettings {
  return {
    type: '',
    s3: { bucket: '', prefix: '', region: '', endpoint: '', pollIntervalMs: MINUTE },
    azblob: { container: '', endpoint: '', pollIntervalMs: MINUTE },
    googlecloud: { bucket: '', prefix: '', pollIntervalMs: MINUTE },
  };
}

export function objectSettingsOf(config: Config): ObjectSettings {
  return (config.storage.backends?.['object'] as ObjectSettings | undefined) ?? defaults();
}

function object(key: string, apply: (s: ObjectSettings, raw: unknown, key: string) => void): Setting {
  const full = `storage.object.${key}`;
  return {
    key: full,
    apply(config, raw) {
      const settings = objectSettingsOf(config);
      config.storage.backends = { ...config.storage.backends, object: settings };
      apply(settings, raw, full);
    },
  };
}

const text = (key: string, raw: unknown) => parseString(key, raw).trim();

export const OBJECT_SETTINGS: readonly Setting[] = [
  object('type', (s, raw, key) => {
    s.type = parseChoice(key, raw, ['s3', 'azblob', 'googlecloud']);
  }),
  object('s3.bucket', (s, raw, key) => {
    s.s3.bucket = text(key, raw);
  }),
  object('s3.prefix', (s, raw, key) => {
    s.s3.prefix = text(key, raw);
  }),
  object('s3.region', (s, raw, key) => {
    s.s3.region = text(key, raw);
  }),
  object('s3.endpoint', (s, raw, key) => {
    s.s3.endpoint = text(key, raw);
  }),
  object('s3.poll_interval', (s, raw, key) => {
    s.s3.pollIntervalMs = parseDurationMs(key, raw);
  }),
  object('azblob.container', (s, raw, key) => {
    s.azblob.container = text(key, raw);
  }),
  object('azblob.endpoint', (s, raw, key) => {
    s.azblob.endpoint = text(key, raw);
  }),
  object('azblob.poll_interval', (s, raw, key) => {
    s.azblob.pollIntervalMs = parseDurationMs(key, raw);
  }),
  object('googlecloud.bucket', (s, raw, key) => {
    s.googlecloud.bucket = text(key, raw);
  }),
  object('googlecloud.prefix', (s, raw, key) => {
    s.googlecloud.prefix = text(key, raw);
  }),
  object('googlecloud.poll_interval', (s, raw, key) => {
    s.googlecloud.pollIntervalMs = parseDurationMs(key, raw);
  }),
];

export function validateObjectSettings(config: Config): void {
  const s = objectSettingsOf(config);
  const required: Record<string, [string, string]> = {
    s3: ['storage.object.s3.bucket', s.s3.bucket],
    azblob: ['storage.object.azblob.container', s.azblob.container],
    googlecloud: ['storage.object.googlecloud.bucket', s.googlecloud.bucket],
  };
  if (s.type === '') {
    throw new ConfigError(
      'storage.object.type is required with storage.type "object" (one of s3, azblob, googlecloud)',
      'storage.object.type',
    );
  }
  const [key, value] = required[s.type]!;
  if (value === '') throw new ConfigError(`${key} is required with storage.object.type "${s.type}"`, key);
}
