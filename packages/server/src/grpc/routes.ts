import type { DescFile, DescService } from '@bufbuild/protobuf';
import type { ConnectRouter } from '@connectrpc/connect';
import type { Auth } from '../auth/index.ts';
import type { ServicesAt } from '../service/at-reference.ts';
import type { Services } from '../service/index.ts';
import {
  authServiceImpl,
  kubernetesServiceImpl,
  publicAuthServiceImpl,
  tokenServiceImpl,
} from './auth-service.ts';
import { dataServiceImpl } from './data-service.ts';
import { evaluationServiceImpl } from './evaluation-service.ts';
import { fliptServiceImpl } from './flipt-service.ts';
import {
  AuthenticationMethodGithubService,
  AuthenticationMethodKubernetesService,
  AuthenticationMethodOIDCService,
  AuthenticationMethodTokenService,
  AuthenticationService,
  file_flipt_auth_auth,
  PublicAuthenticationService,
} from './gen/flipt/auth/auth_pb.js';
import {
  DataService,
  EvaluationService,
  file_flipt_evaluation_evaluation,
} from './gen/flipt/evaluation/evaluation_pb.js';
import { Flipt, file_flipt_flipt } from './gen/flipt/flipt_pb.js';
import { file_flipt_ofrep_ofrep, OFREPService } from './gen/flipt/ofrep/ofrep_pb.js';
import { file_grpc_health_v1_health, Health } from './gen/grpc/health/v1/health_pb.js';
import {
  file_grpc_reflection_v1_reflection,
  ServerReflection as ReflectionV1,
} from './gen/grpc/reflection/v1/reflection_pb.js';
import {
  file_grpc_reflection_v1alpha_reflection,
  ServerReflection as ReflectionV1alpha,
} from './gen/grpc/reflection/v1alpha/reflection_pb.js';
import { healthServiceImpl } from './health.ts';
import { githubServiceImpl, oidcServiceImpl } from './login-service.ts';
import { ofrepServiceImpl } from './ofrep-service.ts';
import { reflectionIndex, reflectionServiceImpl } from './reflection.ts';

/** Every file whose services we serve, for reflection. */
export const SERVED_FILES: readonly DescFile[] = [
  file_flipt_flipt,
  file_flipt_evaluation_evaluation,
  file_flipt_ofrep_ofrep,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
];

/** One served service: its descriptor and handlers (partial: a missing method is UNIMPLEMENTED). */
export interface ServedService {
  readonly desc: DescService;
  readonly impl: Record<string, unknown>;
  /** Served by Connect only: the handler sets response headers, which the raw fast path lacks. */
  readonly connectOnly?: boolean;
}

/**
 * Flipt's services plus health and reflection, each built once per server. `at` gives the
 * services for a request's `reference` (`services` when it names none); `serving` answers the
 * health check (false while no flags are loaded).
 */
export function servedServices(
  services: Services,
  at: ServicesAt,
  auth?: Auth,
  serving?: () => boolean,
): ServedService[] {
  const index = reflectionIndex(auth ? [...SERVED_FILES, file_flipt_auth_auth] : SERVED_FILES);
  const served = (desc: DescService, impl: object): ServedService => ({
    desc,
    impl: impl as Record<string, unknown>,
  });
  const authServices = auth
    ? [
        served(PublicAuthenticationService, publicAuthServiceImpl(auth.api)),
        served(AuthenticationService, authServiceImpl(auth.api)),
        ...(auth.tokens ? [served(AuthenticationMethodTokenService, tokenServiceImpl(auth.api))] : []),
        ...(auth.logins.oidc
          ? [
              {
                ...served(AuthenticationMethodOIDCService, oidcServiceImpl(auth.logins.oidc)),
                connectOnly: true,
              },
            ]
          : []),
        ...(auth.logins.github
          ? [
              {
                ...served(AuthenticationMethodGithubService, githubServiceImpl(auth.logins.github)),
                connectOnly: true,
              },
            ]
          : []),
        ...(auth.kubernetes
          ? [served(AuthenticationMethodKubernetesService, kubernetesServiceImpl(auth.kubernetes))]
          : []),
      ]
    : [];
  return [
    ...authServices,
    served(Flipt, fliptServiceImpl(services, at)),
    served(EvaluationService, evaluationServiceImpl(at)),
    served(DataService, dataServiceImpl(at)),
    served(OFREPService, ofrepServiceImpl(services)),
    served(Health, healthServiceImpl(index.services, serving)),
    served(ReflectionV1, reflectionServiceImpl<typeof ReflectionV1>(index)),
    served(ReflectionV1alpha, reflectionServiceImpl<typeof ReflectionV1alpha>(index)),
  ];
}

/** Registers the served services on a Connect router. */
export function registerRoutes(router: ConnectRouter, served: readonly ServedService[]): void {
  // The implementations are typed per service where they are written; here they are generic.
  for (const { desc, impl } of served) router.service(desc, impl as never);
}
