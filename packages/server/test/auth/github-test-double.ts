import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

// A TEST DOUBLE of GitHub: no real GitHub can run here. It plays GitHub's OAuth web flow
// (`/login/oauth/authorize` redirects straight back with a code for the user the test chose;
// `/login/oauth/access_token` exchanges it) and the three REST endpoints the GitHub method
// reads (`/user`, `/user/orgs`, `/user/teams`), with GitHub's field names and its habit of
// answering a bad code with 200 and an `error` field. It checks what a real GitHub would: the
// client credentials, the redirect URI, and the bearer token on API calls.

export interface GithubUserDouble {
  id: number;
  login: string;
  name: string;
  email: string;
  avatar_url: string;
  orgs: string[];
  /** `org/team-slug`. */
  teams: string[];
}

export interface GithubDouble {
  url: string;
  /** Who authorizes next (the double has no login page). */
  loginAs(user: GithubUserDouble): void;
  /** Requests the double received, for assertions on what Ensign sent. */
  requests: { path: string; authorization?: string; body?: string }[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => resolve(text));
  });
}

export async function startGithubDouble(client: { id: string; secret: string }): Promise<GithubDouble> {
  let next: GithubUserDouble | undefined;
  const codes = new Map<string, { user: GithubUserDouble; redirect: string }>();
  const tokens = new Map<string, GithubUserDouble>();
  const requests: GithubDouble['requests'] = [];

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    requests.push({
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };

    if (url.pathname === '/login/oauth/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== client.id || !next)
        return send(400, { error: 'bad request' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { user: next, redirect });
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret)
        return send(200, { error: 'incorrect_client_credentials' });
      if (!grant || grant.redirect !== form.get('redirect_uri'))
        return send(200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      codes.delete(form.get('code') ?? '');
      const token = `gho_${randomBytes(12).toString('hex')}`;
      tokens.set(token, grant.user);
      return send(200, { access_token: token, token_type: 'bearer', scope: 'read:org,user:email' });
    }
    const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!user) return send(401, { message: 'Bad credentials' });
    if (url.pathname === '/user') {
      const { orgs: _orgs, teams: _teams, ...profile } = user;
      return send(200, profile);
    }
    if (url.pathname === '/user/orgs')
      return send(
        200,
        user.orgs.map((login) => ({ login, id: 1 })),
      );
    if (url.pathname === '/user/teams')
      return send(
        200,
        user.teams.map((t) => {
          const [org, slug] = t.split('/');
          return { slug, name: slug, organization: { login: org } };
        }),
      );
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    loginAs(user) {
      next = user;
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
