import { ConfigError } from './config-error.ts';

// Parsers for one config value each. Values come from YAML (typed) or from environment
// variables (always strings), so every parser accepts both forms. Each throws a ConfigError
// naming the key and quoting what it got.

function got(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(JSON.stringify(raw) ?? raw);
}

export function parseInteger(key: string, raw: unknown, min: number, max: number, hint = ''): number {
  const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${key} must be an integer between ${min} and ${max}${hint} (got ${got(raw)})`,
      key,
    );
  }
  return value;
}

/** A TCP port. `allowAny` lets 0 through, meaning "any free port" (useful for tests). */
export function parsePort(key: string, raw: unknown, allowAny: boolean): number {
  if (allowAny && (raw === 0 || (typeof raw === 'string' && raw.trim() === '0'))) return 0;
  return parseInteger(key, raw, 1, 65535, allowAny ? ', or 0 for any free port' : '');
}

export function parseBoolean(key: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  throw new ConfigError(`${key} must be true or false (got ${got(raw)})`, key);
}

export function parseString(key: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new ConfigError(`${key} must be a string (got ${got(raw)})`, key);
}

/** Case-insensitive choice among `allowed`; returns the canonical spelling. */
export function parseChoice<T extends string>(
  key: string,
  raw: unknown,
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  const match = text === undefined ? undefined : (allowed.find((choice) => choice === text) ?? aliases[text]);
  if (match === undefined) {
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')} (got ${got(raw)})`, key);
  }
  return match;
}

/** A YAML list, or (as Flipt does for env values and plain strings) a whitespace-separated string. */
export function parseStringList(key: string, raw: unknown): string[] {
  if (typeof raw === 'string') return raw.split(/\s+/).filter((item) => item !== '');
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return [...raw];
  throw new ConfigError(`${key} must be a list of strings (got ${got(raw)})`, key);
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go-style duration as Flipt writes them (`30s`, `1m30s`, `500ms`); returns milliseconds. */
export function parseDurationMs(key: string, raw: unknown, allowZero = false): number {
  if (allowZero && raw === 0) return 0;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (allowZero && text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (text === '' || consumed !== text) {
    throw new ConfigError(`${key} must be a duration such as "5s", "1m" or "500ms" (got ${got(raw)})`, key);
  }
  const total = parts.reduce((sum, part) => sum + Number(part[1]) * DURATION_UNITS_MS[part[2]!]!, 0);
  if (total <= 0 && !(allowZero && total === 0))
    throw new ConfigError(`${key} must be a positive duration (got ${got(raw)})`, key);
  return total;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1_000,
  kib: 1_024,
  mb: 1_000_000,
  mib: 1_048_576,
  gb: 1_000_000_000,
  gib: 1_073_741_824,
};

/** A byte count: an integer, or a size with a unit (`4MiB`, `512kb`). */
export function parseByteSize(key: string, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new ConfigError(
      `${key} must be a positive size in bytes such as 4194304 or "4MiB" (got ${got(raw)})`,
      key,
    );
  }
  return Number(match[1]) * unit;
}
