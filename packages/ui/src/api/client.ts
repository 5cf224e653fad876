// Every call the UI makes goes through here: the public REST API, same origin, with the session's
// bearer token when the user logged in with one (browser sessions from OIDC/GitHub ride on
// Flipt's `flipt_client_token` cookie, which fetch sends by itself).

const TOKEN_KEY = 'ensign.token';

export class ApiError extends Error {
  readonly status: number;
  /** The request field the message is about (`key`, `value`, ...), when Flipt's message names one. */
  readonly field: string | undefined;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.field = fieldOf(message);
  }
}

/** Flipt's validation messages name the field (`invalid field key: ...`); uniqueness is about the key. */
function fieldOf(message: string): string | undefined {
  const named = /invalid field ([A-Za-z]+)/.exec(message);
  if (named) return named[1];
  if (/is not unique|already exists/.test(message)) return 'key';
  return undefined;
}

let token: string | null = readToken();
const unauthorizedListeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Private windows may refuse storage: the token then lasts for this page only.
  }
}

export const authHeaders = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const TIMEOUT_MS = 15_000;

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiError(0, `The server did not answer (${(error as Error).message})`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { message: text };
  }
  if (!response.ok) {
    if (response.status === 401) for (const listener of unauthorizedListeners) listener();
    const message = (parsed as { message?: string }).message || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}

export const enc = encodeURIComponent;
export const nsPath = (ns: string): string => `/api/v1/namespaces/${enc(ns)}`;
