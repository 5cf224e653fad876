import { ConfigError } from '../config-error.ts';
import { choice, duration, string } from '../kinds.ts';
import type { Setting } from '../setting.ts';
import type { Config } from '../types.ts';
import { backendKeys } from './backend-keys.ts';

/** `storage.object.*` (flipt-v1.md §5.6). */
export interface ObjectSettings {
  type: 's3' | 'azblob' | 'googlecloud' | '';
  s3: { bucket: string; prefix: string; region: string; endpoint: string; pollIntervalMs: number };
  azblob: { container: string; endpoint: string; pollIntervalMs: number };
  googlecloud: { bucket: string; prefix: string; pollIntervalMs: number };
}

const MINUTE = 60_000;

const { settingsOf, key, defaults } = backendKeys<ObjectSettings>('object', () => ({
  type: '',
  s3: { bucket: '', prefix: '', region: '', endpoint: '', pollIntervalMs: MINUTE },
  azblob: { container: '', endpoint: '', pollIntervalMs: MINUTE },
  googlecloud: { bucket: '', prefix: '', pollIntervalMs: MINUTE },
}));

export const objectSettingsOf = settingsOf;
export const defaultObjectSettings = defaults;

export const OBJECT_SETTINGS: readonly Setting[] = [
  key('type', choice(['s3', 'azblob', 'googlecloud']), '' as 's3', 'object store kind', (s, v) => {
    s.type = v;
  }),
  key('s3.bucket', string, '', 'S3 bucket', (s, v) => {
    s.s3.bucket = v.trim();
  }),
  key('s3.prefix', string, '', 'S3 key prefix', (s, v) => {
    s.s3.prefix = v.trim();
  }),
  key('s3.region', string, '', 'S3 region', (s, v) => {
    s.s3.region = v.trim();
  }),
  key('s3.endpoint', string, '', 'S3 endpoint (self-hosted, addressed path-style)', (s, v) => {
    s.s3.endpoint = v.trim();
  }),
  key('s3.poll_interval', duration(), MINUTE, 'S3 poll period', (s, v) => {
    s.s3.pollIntervalMs = v;
  }),
  key('azblob.container', string, '', 'Azure container', (s, v) => {
    s.azblob.container = v.trim();
  }),
  key('azblob.endpoint', string, '', 'Azure endpoint', (s, v) => {
    s.azblob.endpoint = v.trim();
  }),
  key('azblob.poll_interval', duration(), MINUTE, 'Azure poll period', (s, v) => {
    s.azblob.pollIntervalMs = v;
  }),
  key('googlecloud.bucket', string, '', 'GCS bucket', (s, v) => {
    s.googlecloud.bucket = v.trim();
  }),
  key('googlecloud.prefix', string, '', 'GCS prefix', (s, v) => {
    s.googlecloud.prefix = v.trim();
  }),
  key('googlecloud.poll_interval', duration(), MINUTE, 'GCS poll period', (s, v) => {
    s.googlecloud.pollIntervalMs = v;
  }),
];

export function validateObjectSettings(config: Config): void {
  const s = objectSettingsOf(config);
  if (s.type === '') {
    throw new ConfigError(
      'storage.object.type is required with storage.type "object" (one of s3, azblob, googlecloud)',
      'storage.object.type',
    );
  }
  const required = {
    s3: ['storage.object.s3.bucket', s.s3.bucket],
    azblob: ['storage.object.azblob.container', s.azblob.container],
    googlecloud: ['storage.object.googlecloud.bucket', s.googlecloud.bucket],
  } as const;
  const [name, value] = required[s.type];
  if (value === '') throw new ConfigError(`${name} is required with storage.object.type "${s.type}"`, name);
}
