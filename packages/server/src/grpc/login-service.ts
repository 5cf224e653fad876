import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { cookieValue } from '../auth/credentials.ts';
import { STATE_COOKIE } from '../auth/session-cookies.ts';
import type { BrowserLogin } from '../auth/session-login.ts';
import { messageOf } from './auth-service.ts';
import type {
  AuthenticationMethodGithubService,
  AuthenticationMethodOIDCService,
} from './gen/flipt/auth/auth_pb.js';

// flipt.auth.AuthenticationMethodOIDCService and ...GithubService over the same login flows as
// the REST routes. gRPC has no cookies: AuthorizeURL returns the login state in the
// `flipt_client_state` response header (Flipt's metadata key) and Callback expects it back in
// that request header (or a Cookie header); Callback returns the client token itself.

function loginState(context: HandlerContext): string | undefined {
  return (
    context.requestHeader.get(STATE_COOKIE) ??
    cookieValue(context.requestHeader.get('cookie') ?? undefined, STATE_COOKIE)
  );
}

function loginServiceImpl(login: BrowserLogin) {
  return {
    async authorizeURL(request: { provider: string; state: string }, context: HandlerContext) {
      const start = await login.authorize(request.provider, request.state);
      context.responseHeader.set(STATE_COOKIE, start.stateCookie);
      return { authorizeUrl: start.authorizeUrl };
    },
    async callback(request: { provider: string; code: string; state: string }, context: HandlerContext) {
      const result = await login.callback(
        request.provider,
        { code: request.code, state: request.state },
        loginState(context),
      );
      return { clientToken: result.clientToken, authentication: messageOf(result.authentication) };
    },
  };
}

export const oidcServiceImpl = (login: BrowserLogin): ServiceImpl<typeof AuthenticationMethodOIDCService> =>
  loginServiceImpl(login);

export const githubServiceImpl = (
  login: BrowserLogin,
): ServiceImpl<typeof AuthenticationMethodGithubService> => loginServiceImpl(login);
