import { useEffect, useState } from 'preact/hooks';
import { api, enc, setToken } from '../api/client.ts';
import type { AuthMethod } from '../api/types.ts';
import { FormError, TextField } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import { currentPath } from '../router.ts';

// Login through Flipt's authentication API: a client token (checked against /auth/v1/self), or
// the browser flows of OIDC providers and GitHub, which end with the server setting the
// flipt_client_token cookie.

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [methods, setMethods] = useState<AuthMethod[]>([]);
  const [token, setTokenText] = useState('');
  const action = useAction(['token']);

  useEffect(() => {
    api<{ methods: AuthMethod[] }>('GET', '/auth/v1/method')
      .then((r) => setMethods(r.methods.filter((m) => m.enabled)))
      .catch(() => setMethods([]));
  }, []);

  // The state names the page to come back to; the server returns it with the session cookie.
  const redirectTo = (path: string) =>
    action.run(async () => {
      const { authorizeUrl } = await api<{ authorizeUrl: string }>(
        'GET',
        `${path}?state=${enc(currentPath())}`,
      );
      location.href = authorizeUrl;
    });

  const oidc = methods.find((m) => m.method === 'METHOD_OIDC');
  const github = methods.find((m) => m.method === 'METHOD_GITHUB');

  return (
    <main id="main" class="login">
      <h1>Log in to Ensign</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setToken(token.trim());
          const ok = await action.run(() => api('GET', '/auth/v1/self'));
          if (ok) onLoggedIn();
          else {
            setToken(null);
            action.fail('This token was not accepted', 'token');
          }
        }}
      >
        <TextField
          label="Client token"
          type="password"
          name="token"
          value={token}
          onInput={setTokenText}
          error={action.errorFor('token')}
          required
        />
        <button type="submit" disabled={action.busy}>
          Log in with token
        </button>
      </form>
      {(oidc || github) && (
        <div class="sso">
          {Object.entries(oidc?.metadata?.providers ?? {}).map(([provider, urls]) => (
            <button
              type="button"
              key={provider}
              onClick={() =>
                redirectTo(urls.authorize_url ?? `/auth/v1/method/oidc/${enc(provider)}/authorize`)
              }
            >
              Log in with {provider}
            </button>
          ))}
          {github && (
            <button
              type="button"
              onClick={() => redirectTo(github.metadata?.authorize_url ?? '/auth/v1/method/github/authorize')}
            >
              Log in with GitHub
            </button>
          )}
        </div>
      )}
      <FormError message={action.general} />
    </main>
  );
}
