import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { type Health, HealthCheckResponse_ServingStatus } from './gen/grpc/health/v1/health_pb.js';

// grpc.health.v1.Health as Flipt registers it: the server and each of its services report
// SERVING while flags are served (a degraded source keeps serving its last good snapshot), and
// NOT_SERVING only while nothing has loaded yet (a start during a database outage).

export function healthServiceImpl(
  serviceNames: readonly string[],
  serving: () => boolean = () => true,
): ServiceImpl<typeof Health> {
  const known = new Set(['', ...serviceNames]);
  const statusOf = (service: string) => {
    if (!known.has(service)) throw new ConnectError('unknown service', Code.NotFound);
    return {
      status: serving()
        ? HealthCheckResponse_ServingStatus.SERVING
        : HealthCheckResponse_ServingStatus.NOT_SERVING,
    };
  };
  return {
    check: (request) => statusOf(request.service),
    async *watch(request, context) {
      yield known.has(request.service)
        ? statusOf(request.service)
        : { status: HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN };
      // Hold the stream open until the client leaves (a status change is not pushed).
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
}
