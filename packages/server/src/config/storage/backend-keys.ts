import type { Kind } from '../kinds.ts';
import { type Setting, setting } from '../setting.ts';
import type { Config } from '../types.ts';

/**
 * A `storage.<type>.*` key owned by its backend: read like every other key (file, environment,
 * schema, secrets), applied to the backend's own settings object in `config.storage.backends`.
 */
export function backendKeys<S>(type: string, defaults: () => S) {
  const settingsOf = (config: Config): S => (config.storage.backends?.[type] as S | undefined) ?? defaults();
  const key = <T>(
    name: string,
    kind: Kind<T>,
    defaultValue: T | undefined,
    doc: string,
    apply: (settings: S, value: T) => void,
    options: { secret?: boolean; defaultNote?: string } = {},
  ): Setting =>
    setting(`storage.${type}.${name}`, kind, defaultValue, doc, {
      ...options,
      apply: (config: Config, value: T) => {
        const settings = settingsOf(config);
        config.storage.backends = { ...config.storage.backends, [type]: settings };
        apply(settings, value);
      },
    });
  return { settingsOf, key, defaults };
}
