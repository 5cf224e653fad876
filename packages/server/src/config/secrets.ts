// Secrets never leave the process: not through /meta/config, the logs, nor error messages.
// Two layers: known places are redacted by structure (secret keys, URL passwords and secret
// query parameters), and every secret value the config loader saw is remembered so the log
// sink and the CLI's error output can blank it wherever else it turns up (a driver's error
// message quoting a connection string, say).

export const REDACTED = '***';

/** Query parameter names that carry credentials (`?password=`, `?authToken=`, `?sslpassword=`...). */
const SECRET_PARAMETER =
  /pass|pwd|token|secret|credential|signature|apikey|api_key|private|^key$|^sig$|^auth$/i;

const USERINFO_PASSWORD = /(\/\/[^:/?#@\s]*):([^@/?#\s]*)@/g;
const QUERY_PARAMETER = /([?&;])([^=&#\s]+)=([^&#\s]*)/g;

/** The URL with the password of its userinfo and the values of secret query parameters masked. */
export function redactUrl(url: string): string {
  return url
    .replace(USERINFO_PASSWORD, (_, head: string) => `${head}:${REDACTED}@`)
    .replace(QUERY_PARAMETER, (whole, sep: string, name: string, value: string) =>
      SECRET_PARAMETER.test(name) && value !== '' ? `${sep}${name}=${REDACTED}` : whole,
    );
}

/** The secret parts of a URL-like string (password, secret query values), decoded and not. */
export function secretsInUrl(url: string): string[] {
  const found: string[] = [];
  for (const match of url.matchAll(USERINFO_PASSWORD)) found.push(match[2]!);
  for (const match of url.matchAll(QUERY_PARAMETER))
    if (SECRET_PARAMETER.test(match[2]!)) found.push(match[3]!);
  return found.flatMap((value) => [value, safeDecode(value)]).filter((value) => value !== '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

// Values shorter than this are not scrubbed from free text: blanking every "ab" in the logs
// would garble them while protecting nothing worth the name. Structural redaction still applies.
const MIN_SCRUBBED_LENGTH = 4;

const remembered = new Set<string>();
let pattern: RegExp | undefined;

/** Remembers secret values so `scrubSecrets` blanks them wherever they appear. */
export function rememberSecrets(values: Iterable<string>): void {
  for (const value of values) {
    if (value.length < MIN_SCRUBBED_LENGTH) continue;
    // Also as it appears inside a JSON string and inside a URL.
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])
      remembered.add(form);
  }
  pattern =
    remembered.size === 0
      ? undefined
      : new RegExp(
          [...remembered]
            .sort((a, b) => b.length - a.length)
            .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('|'),
          'g',
        );
}

/** The text with every remembered secret replaced by `***`, and URL secrets masked. */
export function scrubSecrets(text: string): string {
  const scrubbed = pattern === undefined ? text : text.replace(pattern, REDACTED);
  return scrubbed.includes('//') || scrubbed.includes('=') ? redactUrl(scrubbed) : scrubbed;
}
