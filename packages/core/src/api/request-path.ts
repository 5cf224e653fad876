// How request paths reach the router. Flipt's SDKs ask for `/api/v1/namespaces//flags/x` when
// the namespace is "" (docs/http-api.md) and chi strips trailing slashes; Hono matches literally and
// its params never match an empty segment, so both are normalised here, before routing.
// The path is routed still percent-encoded; Hono decodes each param value on access.

const EMPTY_NAMESPACE = /\/namespaces\/(?=\/)/g;

export function routingPath(request: Request): string {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf(':') + 3);
  let end = url.length;
  const query = url.indexOf('?', start);
  if (query !== -1) end = query;
  const hash = url.indexOf('#', start);
  if (hash !== -1 && hash < end) end = hash;
  let path = start === -1 ? '/' : url.slice(start, end);
  if (path.includes('//')) path = path.replace(EMPTY_NAMESPACE, '/namespaces/default');
  while (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1);
  return path;
}
