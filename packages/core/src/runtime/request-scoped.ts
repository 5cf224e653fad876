// Runtimes where nothing runs between requests: a timer or socket opened during a request dies
// (or silently stalls) when that request ends. Cloudflare Workers (workerd) and Vercel's edge
// runtime are detected by the globals they define; anything else is assumed to keep running.

export function isRequestScopedRuntime(): boolean {
  const g = globalThis as { navigator?: { userAgent?: string }; EdgeRuntime?: unknown };
  return g.navigator?.userAgent === 'Cloudflare-Workers' || typeof g.EdgeRuntime === 'string';
}
