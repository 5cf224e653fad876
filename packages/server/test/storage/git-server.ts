import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A real git remote for tests: a bare repository served by `git http-backend` (Debian's git)
 * behind a tiny node:http CGI wrapper on 127.0.0.1, optionally demanding basic auth. Commits
 * are made in a working clone and pushed to the bare repository, as a user would.
 */
export interface GitRemote {
  /** `http://127.0.0.1:PORT/flags.git` */
  url: string;
  /** Writes files, commits them on `branch` and pushes; returns the commit hash. */
  commit(files: Record<string, string | null>, options?: { branch?: string; message?: string }): string;
  tag(name: string, commit: string): void;
  /** While true, every request is answered 503 (the remote is "down"). */
  setDown(down: boolean): void;
  /** Requests seen so far (for "no fetch without change" checks). */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startGitRemote(options: { auth?: { username: string; password: string } } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ensign-git-remote-'));
  const bare = join(root, 'flags.git');
  const work = join(root, 'work');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 'test@example.invalid',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 'test@example.invalid',
      },
    }).trim();
  mkdirSync(work);
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'remote', 'add', 'origin', bare);

  let down = false;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (down) {
      res.writeHead(503).end('down for the test');
      return;
    }
    if (options.auth && !authorized(req, options.auth)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    cgi(req, res, root, options.auth?.username);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let current = 'main';
  const remote: GitRemote = {
    url: `http://127.0.0.1:${port}/flags.git`,
    commit(files, { branch = 'main', message = 'change flags' } = {}) {
      if (branch !== current) {
        const exists = git(work, 'branch', '--list', branch) !== '';
        git(work, 'checkout', '-q', ...(exists ? [branch] : ['-b', branch]));
        current = branch;
      }
      for (const [path, text] of Object.entries(files)) {
        const full = join(work, path);
        if (text === null) rmSync(full, { force: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, text);
        }
      }
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '--allow-empty', '-m', message);
      git(work, 'push', '-q', 'origin', branch);
      return git(work, 'rev-parse', 'HEAD');
    },
    tag(name, commit) {
      git(work, 'tag', '-a', name, commit, '-m', name);
      git(work, 'push', '-q', 'origin', name);
    },
    setDown(value) {
      down = value;
    },
    get requests() {
      return requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return remote;
}

function authorized(req: IncomingMessage, auth: { username: string; password: string }): boolean {
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

/** Runs `git http-backend` as a CGI program for one request. */
function cgi(req: IncomingMessage, res: ServerResponse, projectRoot: string, user: string | undefined): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
        : {}),
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on('end', () => res.end());
  child.on('error', () => res.writeHead(500).end());
}
