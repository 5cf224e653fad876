import { ConfigError } from './config-error.ts';
import {
  parseBoolean,
  parseByteSize,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parsePort,
  parseString,
  parseStringList,
} from './values.ts';

/**
 * The type of one config value: how to read it (from YAML or from an environment variable) and
 * how to describe it in the JSON Schema. Reading is strict, like Flipt's: a value of the wrong
 * type is an error naming the key.
 */
export interface Kind<T> {
  parse(key: string, raw: unknown): T;
  /** The JSON Schema fragment for this value; the loader and the schema must agree (tested). */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The value as a user writes it in config.yml (durations are kept in ms, written as "30s"). */
  show?(value: T): unknown;
  /** A valid value other than the usual default, as written in config.yml (for tests and docs). */
  readonly example: unknown;
  /** Text kinds keep an empty string; for the others an empty string means "unset". */
  readonly textual?: boolean;
  /** Every value there is, for kinds that enumerate (choices, booleans). */
  readonly choices?: readonly T[];
}

const DURATION_UNITS = '(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+';
/** A positive duration: at least one non-zero digit. */
const POSITIVE_DURATION = `^\\s*(?=[^1-9]*[1-9])${DURATION_UNITS}\\s*$`;
const ANY_DURATION = `^\\s*(${DURATION_UNITS}|0)\\s*$`;

export const string: Kind<string> = {
  example: 'example',
  textual: true,
  parse: (key, raw) => parseString(key, raw),
  schema: { type: ['string', 'number', 'boolean'] },
};

export const nonEmptyString: Kind<string> = {
  example: 'example',
  textual: true,
  parse(key, raw) {
    const text = parseString(key, raw).trim();
    if (text === '') throw new ConfigError(`${key} must not be empty`, key);
    return text;
  },
  schema: { type: ['string', 'number'], pattern: '\\S' },
};

export const boolean: Kind<boolean> = {
  example: true,
  parse: (key, raw) => parseBoolean(key, raw),
  choices: [true, false],
  schema: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', '1', '0'] }] },
};

export function integer(min: number, max: number): Kind<number> {
  return {
    example: min + 1,
    parse: (key, raw) => parseInteger(key, raw, min, max),
    schema: {
      anyOf: [
        { type: 'integer', minimum: min, maximum: max },
        { type: 'string', pattern: '^\\s*-?\\d+\\s*$' },
      ],
    },
  };
}

/** A TCP port; 0 means "any free port". */
export const port: Kind<number> = {
  example: 1234,
  parse: (key, raw) => parsePort(key, raw, true),
  schema: {
    anyOf: [
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', pattern: '^\\s*\\d+\\s*$' },
    ],
  },
};

export const number: Kind<number> = {
  example: 0.5,
  parse(key, raw) {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ConfigError(`${key} must be a number (got ${JSON.stringify(raw)})`, key);
    return value;
  },
  schema: { type: ['number', 'string'] },
};

/** Milliseconds as the shortest Go-style duration: 90000 → "1m30s". */
export function formatDuration(ms: number): string | number {
  if (ms === 0) return 0;
  const units: [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ];
  let rest = ms;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/** A Go-style duration (`30s`, `1m30s`); the value is milliseconds. `zero` allows "0". */
export function duration(options: { zero?: boolean } = {}): Kind<number> {
  return {
    example: '7s',
    parse: (key, raw) => parseDurationMs(key, raw, options.zero),
    show: formatDuration,
    schema: options.zero
      ? { anyOf: [{ type: 'string', pattern: ANY_DURATION }, { const: 0 }] }
      : { type: 'string', pattern: POSITIVE_DURATION },
  };
}

export const byteSize: Kind<number> = {
  example: '1MiB',
  parse: (key, raw) => parseByteSize(key, raw),
  schema: {
    anyOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', pattern: '^\\s*\\d+\\s*([kKmMgG]i?[bB]|[bB])?\\s*$' },
    ],
  },
};

export function choice<const T extends string>(
  allowed: readonly T[],
  aliases: Record<string, T> = {},
): Kind<T> {
  const spellings = [...allowed, ...Object.keys(aliases)];
  return {
    example: allowed[allowed.length - 1],
    parse: (key, raw) => parseChoice(key, typeof raw === 'number' ? String(raw) : raw, allowed, aliases),
    choices: allowed,
    schema: {
      type: 'string',
      // Case-insensitive, as the loader reads it, written without flags so any validator reads it.
      pattern: `^\\s*(${spellings.map(caseless).join('|')})\\s*$`,
    },
  };
}

function caseless(text: string): string {
  return [...text]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const upper = ch.toUpperCase();
      if (lower !== upper) return `[${lower}${upper}]`;
      return /[.*+?^${}()|[\]\\-]/.test(ch) ? `\\${ch}` : ch;
    })
    .join('');
}

/** A YAML list of strings, or one string split on whitespace (how Flipt reads env values). */
export const stringList: Kind<string[]> = {
  example: ['a', 'b'],
  parse: (key, raw) => parseStringList(key, raw),
  schema: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
};

/** A mapping of strings to strings (HTTP headers, token metadata). */
export const stringMap: Kind<Record<string, string>> = {
  example: { a: 'b' },
  parse(key, raw) {
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      const entries = Object.entries(raw);
      if (entries.every(([, v]) => typeof v === 'string' || typeof v === 'number'))
        return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
    }
    throw new ConfigError(`${key} must be a mapping of strings (got ${JSON.stringify(raw)})`, key);
  },
  schema: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
};

/** A structure Ensign does not look inside (it is only checked to be empty). */
export const opaque: Kind<unknown> = {
  example: { a: 1 },
  parse: (_key, raw) => raw,
  schema: {},
};
