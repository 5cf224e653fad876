import { resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import { checkBrowserLogin } from './login-checks.ts';
import type { Config } from './types.ts';

// Combinations of the TLS, authentication, authorization and audit keys that cannot work, refused
// at start as Flipt refuses them; and their file paths, made absolute against the working directory.

export function checkSecurity(config: Config, cwd: string): void {
  const { server, authentication, authorization, audit } = config;
  if (server.protocol === 'https' && (server.certFile === '' || server.certKey === '')) {
    throw new ConfigError(
      'server.protocol "https" needs server.cert_file and server.cert_key (PEM files)',
      server.certFile === '' ? 'server.cert_file' : 'server.cert_key',
    );
  }
  const { jwt } = authentication.methods;
  if (jwt.enabled && (jwt.jwksUrl === '') === (jwt.publicKeyFile === '')) {
    throw new ConfigError(
      'authentication.methods.jwt needs exactly one of jwks_url and public_key_file',
      'authentication.methods.jwt',
    );
  }
  if (jwt.jwksUrl !== '' && !/^https?:\/\//.test(jwt.jwksUrl)) {
    throw new ConfigError(
      `authentication.methods.jwt.jwks_url must be an http(s) URL (got ${JSON.stringify(jwt.jwksUrl)})`,
      'authentication.methods.jwt.jwks_url',
    );
  }
  checkBrowserLogin(authentication);
  // A policy needs an identity to judge, and a policy to apply.
  if (authorization.required && !authentication.required) {
    throw new ConfigError(
      'authorization.required needs authentication.required to be true',
      'authorization.required',
    );
  }
  if (authorization.required && authorization.policyPath === '') {
    throw new ConfigError(
      'authorization.required needs authorization.local.policy.path (the policy file)',
      'authorization.local.policy.path',
    );
  }
  const { webhook } = audit.sinks;
  // With templates alone (Flipt's form), `url` stays empty; with both, both receive events.
  if (webhook.enabled && webhook.url === '' && webhook.templates.length === 0) {
    throw new ConfigError('audit.sinks.webhook needs a url or templates', 'audit.sinks.webhook.url');
  }
  if (webhook.enabled && webhook.url !== '' && !/^https?:\/\//.test(webhook.url)) {
    throw new ConfigError(
      `audit.sinks.webhook.url must be an http(s) URL (got ${JSON.stringify(webhook.url)})`,
      'audit.sinks.webhook.url',
    );
  }
  const { kubernetes } = authentication.methods;
  if (kubernetes.enabled && !/^https?:\/\//.test(kubernetes.discoveryUrl)) {
    throw new ConfigError(
      `authentication.methods.kubernetes.discovery_url must be an http(s) URL (got ${JSON.stringify(kubernetes.discoveryUrl)})`,
      'authentication.methods.kubernetes.discovery_url',
    );
  }
  const absolute = (path: string) => (path === '' ? path : resolve(cwd, path));
  server.certFile = absolute(server.certFile);
  server.certKey = absolute(server.certKey);
  jwt.publicKeyFile = absolute(jwt.publicKeyFile);
  authorization.policyPath = absolute(authorization.policyPath);
  kubernetes.caPath = absolute(kubernetes.caPath);
  kubernetes.serviceAccountTokenPath = absolute(kubernetes.serviceAccountTokenPath);
}
