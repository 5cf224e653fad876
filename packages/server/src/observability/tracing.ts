import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { Logger } from './logger.ts';

// OpenTelemetry tracing (`tracing.*`): one server span per request on every transport path,
// continuing the caller's trace from its `traceparent`/`baggage` headers, exported over OTLP/HTTP
// in batches. Off by default; when off, the OpenTelemetry packages are never loaded and no
// listener is wrapped, so it costs nothing.

export interface TracingConfig {
  enabled: boolean;
  /** Share of new traces recorded, 0..1; a caller's sampling decision is kept. */
  samplingRatio: number;
  propagators: readonly string[];
  otlp: { endpoint: string; headers: Readonly<Record<string, string>> };
}

export interface Tracing {
  readonly tracer: Tracer;
  /** The caller's trace context from its request headers (traceparent, baggage). */
  extract(headers: IncomingHttpHeaders): Context;
  /** Sends what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL for `tracing.otlp.endpoint`: a base URL gets `/v1/traces` appended. */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

export async function startTracing(config: TracingConfig, logger: Logger): Promise<Tracing | undefined> {
  if (!config.enabled) return undefined;
  const [api, core, sdk, resources, { OTLPTraceExporter }, { VERSION }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('../meta/version.ts'),
  ]);
  const exporter = new OTLPTraceExporter({
    url: otlpTracesUrl(config.otlp.endpoint),
    headers: { ...config.otlp.headers },
  });
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': 'ensign', 'service.version': VERSION }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(config.samplingRatio) }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })],
  });
  const propagators = config.propagators.flatMap((name) =>
    name === 'tracecontext'
      ? [new core.W3CTraceContextPropagator()]
      : name === 'baggage'
        ? [new core.W3CBaggagePropagator()]
        : [],
  );
  const propagator = new core.CompositePropagator({ propagators });
  logger.info(
    { endpoint: otlpTracesUrl(config.otlp.endpoint), samplingRatio: config.samplingRatio },
    'tracing on',
  );
  return {
    tracer: provider.getTracer('ensign', VERSION),
    extract: (headers) => propagator.extract(api.ROOT_CONTEXT, headers, headerGetter),
    shutdown: () => provider.shutdown(),
  };
}

// The API's enums, as numbers, so the wrappers below need no runtime import of the API package.
const SPAN_KIND_SERVER = 1;
const STATUS_ERROR = 2;

const headerGetter = {
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key],
};

function startSpan(
  tracing: Tracing,
  headers: IncomingHttpHeaders,
  name: string,
  attributes: Record<string, string>,
): Span {
  return tracing.tracer.startSpan(name, { kind: SPAN_KIND_SERVER, attributes }, tracing.extract(headers));
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/** What tracing reads of a request: node:http's, or node:http2's compatibility one. */
type Request = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

interface Response {
  readonly statusCode: number;
  once(event: 'close', listener: () => void): unknown;
}

/** Wraps an HTTP/1.1 listener (REST on both paths; gRPC-Web and Connect on 1.1). */
export function traceHttpRequests<Req extends Request, Res extends Response>(
  listener: (req: Req, res: Res) => void,
  tracing: Tracing,
): (req: Req, res: Res) => void {
  return (req, res) => {
    const path = pathOf(req.url);
    const span = startSpan(tracing, req.headers, `${req.method} ${path}`, {
      'http.request.method': req.method ?? '',
      'url.path': path,
    });
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: STATUS_ERROR });
      span.end();
    });
    listener(req, res);
  };
}

/** Traces one HTTP/2 stream of the gRPC port, whichever path answers it. */
export function traceGrpcStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  tracing: Tracing,
): void {
  const path = String(headers[':path'] ?? '');
  const [, service = '', method = ''] = path.split('/');
  const span = startSpan(tracing, headers, `${service}/${method}`, {
    'rpc.system': 'grpc',
    'rpc.service': service,
    'rpc.method': method,
  });
  stream.once('close', () => {
    const status = stream.sentTrailers?.['grpc-status'] ?? stream.sentHeaders?.['grpc-status'];
    if (status !== undefined) span.setAttribute('rpc.grpc.status_code', Number(status));
    if (status !== undefined && Number(status) !== 0) span.setStatus({ code: STATUS_ERROR });
    span.end();
  });
}
